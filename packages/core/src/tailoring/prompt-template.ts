/**
 * The text of a tailoring prompt, whatever service runs the model: the tags a
 * prompt wraps the posting and the CV in, and its `{{name}}` placeholders.
 * The Bedrock engine's default templates (packages/aws) write these tags and
 * the local Bedrock stand-in (packages/local) reads the CV and the posting
 * back from them, so both spell each tag through `PROMPT_TAGS`.
 */
import type { Resume } from "../resume/resume.ts";
import { skipSpaces } from "../resume/whitespace.ts";
import type { TailorRequest } from "./types.ts";

/** Tag names: a prompt holds `<cv>…</cv>`, `<job_description>…</job_description>`, and so on. */
export const PROMPT_TAGS = {
  cv: "cv",
  jobTitle: "job_title",
  jobCompany: "job_company",
  jobDescription: "job_description",
} as const;
export type PromptTag = (typeof PROMPT_TAGS)[keyof typeof PROMPT_TAGS];

/** The values a template may name as `{{name}}` (a template of PROMPT_TEMPLATES_PATH too). */
export const PROMPT_PLACEHOLDERS = [
  "cv_json",
  "job_title",
  "job_company",
  "job_description",
  "max_highlights",
  "max_skills",
  "max_words",
] as const;
export type PromptPlaceholder = (typeof PROMPT_PLACEHOLDERS)[number];
export type PromptValues = Readonly<Record<PromptPlaceholder, string>>;

/** `[a-z_]` */
const isNameChar = (c: number): boolean => (c >= 0x61 && c <= 0x7a) || c === 0x5f;

/**
 * Replaces `{{name}}` placeholders (spaces allowed inside the braces, names
 * of `[a-z_]`); unknown placeholders, `{{constructor}}` too, are left as
 * written. What a global replace of `/\{\{\s*([a-z_]+)\s*\}\}/g` did, by a
 * forward scan (that pattern is flagged super-linear; a template may come
 * from PROMPT_TEMPLATES_PATH).
 */
export const fillTemplate = (template: string, values: Readonly<Record<string, string>>): string => {
  let out = "";
  let copied = 0;
  let open = template.indexOf("{{");
  while (open >= 0) {
    const nameStart = skipSpaces(template, open + 2);
    let nameEnd = nameStart;
    while (nameEnd < template.length && isNameChar(template.charCodeAt(nameEnd))) nameEnd++;
    const close = skipSpaces(template, nameEnd);
    if (nameEnd === nameStart || !template.startsWith("}}", close)) {
      open = template.indexOf("{{", open + 1);
      continue;
    }
    // Own values only: `{{constructor}}` is not Object.prototype's.
    const name = template.slice(nameStart, nameEnd);
    const value = Object.hasOwn(values, name) ? values[name] : undefined;
    if (value !== undefined) {
      out += template.slice(copied, open) + value;
      copied = close + 2;
    }
    open = template.indexOf("{{", close + 2);
  }
  return copied === 0 ? template : out + template.slice(copied);
};

/**
 * Text of a posting (or any data) as a prompt holds it between tags: `&`, `<`
 * and `>` written as entities, so a posting holding `</job_description><cv>…`
 * cannot close its element or open another: the only tags of the prompt are
 * the template's own. `readPromptText` reads it back.
 */
export const promptText = (text: string): string =>
  text.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;");

/** What `promptText` wrote. */
export const readPromptText = (text: string): string =>
  text.replaceAll("&lt;", "<").replaceAll("&gt;", ">").replaceAll("&amp;", "&");

/**
 * A value as JSON for a prompt: `<`, `>` and `&` inside strings written as
 * `\u003c`, `\u003e`, `\u0026` (no JSON token holds them otherwise). It
 * parses back to the same value, and a CV holding `</cv>` cannot end its element.
 */
export const promptJson = (value: unknown): string =>
  JSON.stringify(value, null, 2).replaceAll("<", "\\u003c").replaceAll(">", "\\u003e").replaceAll("&", "\\u0026");

/**
 * The placeholders' values for one job, whatever service runs the model. `cv`
 * is what the model may see: the request's CV, or its redacted copy.
 */
export const promptValues = (request: TailorRequest, cv: Resume): PromptValues => ({
  // Escaped, so that neither part can close its tag or open another (a posting's own "<cv>").
  cv_json: promptJson(cv),
  job_title: promptText(request.posting.title ?? ""),
  job_company: promptText(request.posting.company ?? ""),
  // The job's details (type, location, remote, …) are context for the model, not requirements.
  job_description: promptText([request.posting.description, ...(request.posting.details ?? [])].join("\n")),
  max_highlights: String(request.options.maxHighlightsPerEntry ?? 4),
  max_skills: String(request.options.maxSkills ?? 20),
  max_words: String(request.options.maxWords ?? 900),
});
