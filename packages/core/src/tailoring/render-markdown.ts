import type { Resume } from "../resume/resume.ts";
import { resumeView } from "./resume-view.ts";

/**
 * CV text as literal Markdown text: `&`, `<`, `>` become entities (no raw
 * HTML, no autolinks) and backslashes, brackets, `!` before `[` and backticks
 * are backslash-escaped (no links, images or code spans). Other Markdown
 * punctuation is left alone so ordinary text reads as written.
 */
export const escapeMarkdown = (text: string): string =>
  text
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/[\\`[\]]|!(?=\[)/g, "\\$&");

const oneLine = (text: string): string => escapeMarkdown(text.replace(/\s*\n\s*/g, " ").trim());

/** A tailored CV as Markdown: `#` name, `##` sections, `###` entries, bullets for highlights. */
export const renderMarkdown = (cv: Resume): string => {
  const view = resumeView(cv);
  const out: string[] = [`# ${oneLine(view.name)}`];
  if (view.label) out.push("", `**${oneLine(view.label)}**`);
  if (view.contact.length > 0) out.push("", view.contact.map((c) => oneLine(c.text)).join(" | "));
  for (const section of view.sections) {
    out.push("", `## ${oneLine(section.title)}`);
    for (const e of section.entries) {
      out.push("");
      if (e.heading) out.push(`### ${oneLine(e.heading)}`);
      if (e.meta) out.push(`*${oneLine(e.meta)}*`);
      if (e.heading || e.meta) if (e.paragraphs.length > 0 || e.bullets.length > 0) out.push("");
      for (const p of e.paragraphs) out.push(oneLine(p));
      if (e.paragraphs.length > 0 && e.bullets.length > 0) out.push("");
      for (const b of e.bullets) out.push(`- ${oneLine(b)}`);
    }
  }
  return `${out.join("\n").replace(/\n{3,}/g, "\n\n")}\n`;
};
