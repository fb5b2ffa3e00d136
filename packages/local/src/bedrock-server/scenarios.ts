import type { Resume } from "@cvpipe/core/resume/resume";
import { tailorLocally } from "@cvpipe/core/tailoring/local-engine";
import { PROMPT_TAGS, type PromptTag, readPromptText } from "@cvpipe/core/tailoring/prompt-template";
import { Unanswerable } from "../model-stand-in.ts";
import type { ConverseBody, ScriptedReply } from "./bedrock-server.ts";

export type Scenario =
  | { readonly kind: "good" }
  | { readonly kind: "malformed" }
  | { readonly kind: "wrong-shape" }
  | { readonly kind: "throttled"; readonly times?: number }
  | { readonly kind: "unavailable" }
  | { readonly kind: "hallucinating" }
  | { readonly kind: "guardrail" }
  | { readonly kind: "unreliable" };

/** `anthropic.claude-x` → good; `cvpipe.local-scenario-throttled-2` → 429 twice, then good. */
export const scenarioOf = (modelId: string): Scenario => {
  const m = /scenario-([a-z-]+?)(?:-(\d+))?$/.exec(modelId);
  switch (m?.[1]) {
    case "malformed":
      return { kind: "malformed" };
    case "wrong-shape":
      return { kind: "wrong-shape" };
    case "throttled":
      return m[2] === undefined ? { kind: "throttled" } : { kind: "throttled", times: Number(m[2]) };
    case "unavailable":
      return { kind: "unavailable" };
    case "hallucinating":
      return { kind: "hallucinating" };
    case "guardrail":
      return { kind: "guardrail" };
    case "unreliable":
      return { kind: "unreliable" };
    default:
      return { kind: "good" };
  }
};

const between = (text: string, tag: PromptTag): string | undefined => {
  const m = new RegExp(`<${tag}>\\s*([\\s\\S]*?)\\s*</${tag}>`).exec(text);
  return m?.[1];
};

/** What the prompt asks about: the CV JSON and the posting, from the tags the default templates use (PROMPT_TAGS). */
const userText = (body: ConverseBody): string =>
  body.messages
    .filter((m) => m.role === "user")
    .flatMap((m) => m.content.map((c) => c.text ?? ""))
    .join("\n");

export const readPrompt = (body: ConverseBody): { cv: Resume; title?: string; description: string } => {
  const text = userText(body);
  const cvText = between(text, PROMPT_TAGS.cv);
  if (cvText === undefined)
    throw new Unanswerable(`the prompt has no <${PROMPT_TAGS.cv}>…</${PROMPT_TAGS.cv}> section`);
  let cv: unknown;
  try {
    cv = JSON.parse(cvText);
  } catch (error) {
    throw new Unanswerable(`the prompt's <${PROMPT_TAGS.cv}> section is not JSON: ${(error as Error).message}`);
  }
  if (typeof cv !== "object" || cv === null || Array.isArray(cv))
    throw new Unanswerable(`the prompt's <${PROMPT_TAGS.cv}> section is not a JSON object (a JSON Resume)`);
  // The engine escapes the posting (promptText): read as the model would, as text.
  const title = readPromptText(between(text, PROMPT_TAGS.jobTitle) ?? "");
  const description = readPromptText(between(text, PROMPT_TAGS.jobDescription) ?? text);
  return { cv: cv as Resume, ...(title ? { title } : {}), description };
};

const fenced = (value: unknown): string =>
  `Here is the tailored CV.\n\n\`\`\`json\n${JSON.stringify(value, null, 2)}\n\`\`\``;

/** Adds a job that never happened and inflates the first number it finds. */
const hallucinate = (resume: Resume): Resume => {
  const out = structuredClone(resume);
  out.work = [
    { name: "Globex Corporation", position: "Principal Engineer", startDate: "2010-01", endDate: "2012-12" },
    ...(out.work ?? []),
  ];
  for (const w of out.work) {
    const i = (w.highlights ?? []).findIndex((h) => /\d/.test(h));
    if (i >= 0) {
      w.highlights![i] = w.highlights![i]!.replace(/\d+/, (n) => String(Number(n) * 2 + 10));
      break;
    }
  }
  return out;
};

/** Rewrites what it must copy: the name gets the label appended, the phone a note, one profile is dropped. */
const changeIdentity = (resume: Resume): Resume => {
  const out = structuredClone(resume);
  const basics = { ...out.basics };
  if (basics.name !== undefined) basics.name = `${basics.name} — ${basics.label ?? "CV"}`;
  if (basics.phone !== undefined) basics.phone = `${basics.phone} (mobile)`;
  if (basics.profiles !== undefined) basics.profiles = basics.profiles.slice(1);
  out.basics = basics;
  return out;
};

/** What `unreliable` answers in turn: each a way real models fail. */
const UNRELIABLE = ["identity", "cut-off", "hallucinating", "malformed"] as const;

/**
 * Which misbehaviour `unreliable` shows for this prompt: chosen by the CV's
 * text, so a job's retry (the same prompt and more) gets the same one.
 */
export const unreliableKind = (body: ConverseBody): (typeof UNRELIABLE)[number] => {
  const text = between(userText(body), PROMPT_TAGS.cv) ?? "";
  let hash = 0;
  for (let i = 0; i < text.length; i++) hash = (hash * 31 + text.charCodeAt(i)) >>> 0;
  return UNRELIABLE[hash % UNRELIABLE.length]!;
};

/**
 * The model's reply. `unreliable` answers each CV with one misbehaviour
 * (`unreliableKind`): a changed identity, JSON cut off at max_tokens, an
 * invented employer, or prose.
 */
export const modelAnswer = (scenario: Scenario, body: ConverseBody): ScriptedReply => {
  if (scenario.kind === "unreliable") {
    const tailored = (): Resume => tailoredFrom(body);
    switch (unreliableKind(body)) {
      case "identity":
        return { text: fenced(changeIdentity(tailored())) };
      case "cut-off": {
        const text = fenced(tailored());
        return { text: text.slice(0, Math.floor(text.length / 2)), stopReason: "max_tokens" };
      }
      case "hallucinating":
        return { text: fenced(hallucinate(tailored())) };
      case "malformed":
        return modelAnswer({ kind: "malformed" }, body);
    }
  }
  switch (scenario.kind) {
    case "malformed":
      return { text: "Sure! I have tailored the CV: it now highlights the candidate's cloud experience." };
    case "wrong-shape":
      return { text: fenced({ work: "ten years of everything", skills: "all of them" }) };
    case "guardrail":
      return { text: "Sorry, the model cannot answer this question.", stopReason: "guardrail_intervened" };
    default: {
      const tailored = tailoredFrom(body);
      return { text: fenced(scenario.kind === "hallucinating" ? hallucinate(tailored) : tailored) };
    }
  }
};

/** What a well-behaved model answers: the prompt's CV tailored to its posting by the local engine. */
const tailoredFrom = (body: ConverseBody): Resume => {
  const prompt = readPrompt(body);
  return tailorLocally({
    cv: prompt.cv,
    posting: { description: prompt.description, ...(prompt.title ? { title: prompt.title } : {}) },
    options: {},
  });
};
