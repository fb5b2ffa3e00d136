import { PROMPT_TAGS } from "@cvpipe/core/tailoring/prompt-template";
import type { ConverseBody, ScriptedReply as ConverseReply } from "../bedrock-server/bedrock-server.ts";
import { modelAnswer, type Scenario, scenarioOf } from "../bedrock-server/scenarios.ts";

/**
 * The Bedrock stand-in's scenarios (bedrock-server/scenarios.ts) for a Chat
 * Completions request: the same names, the same answers, so a scenario means
 * one thing whichever engine a test drives.
 */

/** One Chat Completions message as a request carries it (checked by chat-request.ts): text, or parts of text. */
export interface ChatMessage {
  readonly role: string;
  readonly content?:
    | string
    | readonly { readonly type?: string; readonly text?: string | undefined }[]
    | null
    | undefined;
}

const textOf = (message: ChatMessage): string =>
  typeof message.content === "string"
    ? message.content
    : (message.content ?? []).map((part) => (typeof part.text === "string" ? part.text : "")).join("");

/** The conversation in the Converse shape the shared scenarios read (system messages apart, as Converse has them). */
export const asConverse = (messages: readonly ChatMessage[]): ConverseBody => ({
  messages: messages.filter((m) => m.role !== "system").map((m) => ({ role: m.role, content: [{ text: textOf(m) }] })),
  system: messages.filter((m) => m.role === "system").map((m) => ({ text: textOf(m) })),
});

/** `cvpipe-scenario-hallucinating` in the posting's title (`<job_title>`): one job's scenario. */
const TITLE_SCENARIO = /cvpipe-(scenario-[a-z]+(?:-[a-z]+)*(?:-\d+)?)/;

/**
 * Which scenario answers: the model name's (`…scenario-<name>`, as the
 * Bedrock stand-in reads its model id), else one the job's posting title
 * names (`cvpipe-scenario-<name>`), so one stack with one configured model can
 * run a job per scenario; else `good`. `key` counts `throttled-<n>` per model
 * and title.
 */
export const chatScenario = (model: string, body: ConverseBody): { scenario: Scenario; key: string } => {
  const byModel = scenarioOf(model);
  if (/scenario-[a-z]/.test(model)) return { scenario: byModel, key: model };
  const prompt = body.messages.flatMap((m) => m.content.map((c) => c.text ?? "")).join("\n");
  const title = new RegExp(`<${PROMPT_TAGS.jobTitle}>([^<]*)</${PROMPT_TAGS.jobTitle}>`).exec(prompt)?.[1] ?? "";
  const named = TITLE_SCENARIO.exec(title)?.[1];
  return named === undefined
    ? { scenario: byModel, key: model }
    : { scenario: scenarioOf(named), key: `${model}#${named}` };
};

/** The scenario's answer as the Bedrock stand-in gives it: text (a CV in a ```json fence, or prose) and a stop reason. */
export const chatAnswer = (scenario: Scenario, body: ConverseBody): Extract<ConverseReply, { text: string }> => {
  const reply = modelAnswer(scenario, body);
  if ("error" in reply) throw new Error(reply.message ?? reply.error);
  return reply;
};
