/**
 * The dialogue every model engine has with its model, whatever service runs it (Bedrock's
 * Converse, an OpenAI-compatible Chat Completions server): the prompt from the templates (the CV's
 * PII replaced by placeholders when asked), the answer parsed and its placeholders restored, a
 * malformed answer asked again once with what was wrong, and the tokens of every turn added up.
 * An engine only says how one turn goes over its wire (`ModelTurns`).
 */
import type { PromptTemplates } from "./default-prompts.ts";
import {
  assertRestored,
  invalidAnswerError,
  MalformedAnswerError,
  parseResumeAnswer,
  retryInstruction,
} from "./model-answer.ts";
import { redactPii } from "./pii.ts";
import { fillTemplate, promptValues } from "./prompt-template.ts";
import type { EngineOutput, TailorRequest, TokenUsage } from "./types.ts";

/** What a model is asked with unless the deployment says otherwise. */
export const MODEL_DEFAULTS = { maxTokens: 4096, temperature: 0, malformedRetries: 1 } as const;

/** How much of a malformed answer goes back to the model when it is asked again. */
const ECHOED_CHARS = 4000;

/** The prompt's two parts, filled in. */
export interface ModelPrompt {
  readonly system: string;
  readonly user: string;
}

/** An earlier turn that was not usable: the model's answer (trimmed), and what it was told. */
export interface RetryTurn {
  readonly answer: string;
  readonly instruction: string;
}

/** One turn's answer as the engine read it off its wire: the text (or a tool call's parsed JSON), and its tokens. */
export interface ModelAnswer {
  readonly answer: { readonly text: string } | { readonly json: unknown; readonly text: string };
  readonly usage?: TokenUsage;
}

/** One turn: the prompt, then each earlier unusable answer with its instruction, in order. */
export type ModelTurns = (prompt: ModelPrompt, retries: readonly RetryTurn[]) => Promise<ModelAnswer>;

/** Tokens of two turns together; a turn that reports none adds none. */
export const addUsage = (a: TokenUsage | undefined, b: TokenUsage | undefined): TokenUsage | undefined =>
  b === undefined
    ? a
    : {
        inputTokens: (a?.inputTokens ?? 0) + b.inputTokens,
        outputTokens: (a?.outputTokens ?? 0) + b.outputTokens,
        totalTokens: (a?.totalTokens ?? 0) + b.totalTokens,
      };

export interface ModelDialogueSettings {
  readonly templates: PromptTemplates;
  readonly piiRedaction: boolean;
  /** Malformed answers are asked again this many times (MODEL_DEFAULTS), then fail for good. */
  readonly malformedRetries?: number | undefined;
  /** The model the engine output names. */
  readonly modelId: string;
}

/** The tailored CV a model answers with, or the error that ends the dialogue. */
export const tailorWithModel = async (
  request: TailorRequest,
  settings: ModelDialogueSettings,
  turn: ModelTurns,
): Promise<EngineOutput> => {
  const redaction = settings.piiRedaction ? redactPii(request.cv) : undefined;
  const values = promptValues(request, redaction?.resume ?? request.cv);
  const prompt = {
    system: fillTemplate(settings.templates.system, values),
    user: fillTemplate(settings.templates.user, values),
  };
  const retries: RetryTurn[] = [];
  const malformedRetries = settings.malformedRetries ?? MODEL_DEFAULTS.malformedRetries;
  let usage: TokenUsage | undefined;
  for (let attempt = 0; ; attempt++) {
    const { answer, usage: used } = await turn(prompt, retries);
    usage = addUsage(usage, used);
    try {
      const resume = parseResumeAnswer(answer, redaction?.restore);
      assertRestored(resume, redaction);
      return { resume, modelId: settings.modelId, ...(usage === undefined ? {} : { usage }) };
    } catch (error) {
      if (!(error instanceof MalformedAnswerError)) throw error;
      if (attempt >= malformedRetries) throw invalidAnswerError(error);
      retries.push({ answer: answer.text.slice(0, ECHOED_CHARS) || "(empty)", instruction: retryInstruction(error) });
    }
  }
};
