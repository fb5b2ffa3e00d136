import type { Resume } from "@cvpipe/core/resume/resume";
import { tailorLocally } from "@cvpipe/core/tailoring/local-engine";
import type { ConverseBody, ScriptedReply } from "./bedrock-server.ts";

export type Scenario =
  | { readonly kind: "good" }
  | { readonly kind: "malformed" }
  | { readonly kind: "wrong-shape" }
  | { readonly kind: "throttled"; readonly times?: number }
  | { readonly kind: "unavailable" }
  | { readonly kind: "hallucinating" }
  | { readonly kind: "guardrail" };

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
    default:
      return { kind: "good" };
  }
};

const between = (text: string, tag: string): string | undefined => {
  const m = new RegExp(`<${tag}>\\s*([\\s\\S]*?)\\s*</${tag}>`).exec(text);
  return m?.[1];
};

/** What the prompt asks about: the CV JSON and the job, from the tags the default templates use. */
export const readPrompt = (body: ConverseBody): { cv: Resume; title?: string; description: string } => {
  const text = body.messages
    .filter((m) => m.role === "user")
    .flatMap((m) => m.content.map((c) => c.text ?? ""))
    .join("\n");
  const cvText = between(text, "cv");
  if (cvText === undefined) throw new Error("the prompt has no <cv>…</cv> section");
  const cv = JSON.parse(cvText) as Resume;
  const title = between(text, "job_title");
  return { cv, ...(title ? { title } : {}), description: between(text, "job_description") ?? text };
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

export const modelAnswer = (scenario: Scenario, body: ConverseBody): ScriptedReply => {
  switch (scenario.kind) {
    case "malformed":
      return { text: "Sure! I have tailored the CV: it now highlights the candidate's cloud experience." };
    case "wrong-shape":
      return { text: fenced({ work: "ten years of everything", skills: "all of them" }) };
    case "guardrail":
      return { text: "Sorry, the model cannot answer this question.", stopReason: "guardrail_intervened" };
    default: {
      const prompt = readPrompt(body);
      const tailored = tailorLocally({
        cv: prompt.cv,
        job: { description: prompt.description, ...(prompt.title ? { title: prompt.title } : {}) },
        options: {},
      });
      return { text: fenced(scenario.kind === "hallucinating" ? hallucinate(tailored) : tailored) };
    }
  }
};
