import { EngineOutputInvalidError } from "@cvpipe/core/errors";
import type { TailoringEngine } from "@cvpipe/core/ports/tailoring-engine";
import { DEFAULT_PROMPT_TEMPLATES, type PromptTemplates } from "@cvpipe/core/tailoring/default-prompts";
import {
  assertRestored,
  invalidAnswerError,
  MalformedAnswerError,
  parseResumeAnswer,
  retryInstruction,
} from "@cvpipe/core/tailoring/model-answer";
import { redactPii } from "@cvpipe/core/tailoring/pii";
import { fillTemplate, promptValues } from "@cvpipe/core/tailoring/prompt-template";
import type { EngineOutput, TailorRequest, TokenUsage } from "@cvpipe/core/tailoring/types";
import {
  type ChatCompletion,
  ChatCompletionsClient,
  type ChatCompletionsClientOptions,
  ChatCompletionsRejectedError,
} from "./chat-completions-client.ts";
import { answerOf, OUTPUT_MODES, type OutputMode, outputParameters, refusesMode } from "./structured-output.ts";

export interface OpenAiEngineOptions extends ChatCompletionsClientOptions {
  /** `OPENAI_MODEL`: the model name the server knows (`llama3.1:8b`, `gpt-4o-mini`, …). */
  readonly model: string;
  /** `ENABLE_PII_REDACTION`: placeholders go to the model, originals come back. */
  readonly piiRedaction: boolean;
  /** Defaults from the repo; `loadPromptTemplates(PROMPT_TEMPLATES_PATH)` for overrides (the Bedrock engine's too). */
  readonly promptTemplates?: PromptTemplates;
  /** The structured form to try first (default json_schema); a server that refuses it moves this engine to the next. */
  readonly outputMode?: OutputMode;
  /** Malformed answers are asked again this many times, then fail for good. */
  readonly malformedRetries?: number;
  readonly maxTokens?: number;
  readonly temperature?: number;
}

interface ChatMessage {
  readonly role: "system" | "user" | "assistant";
  readonly content: string;
}

const addUsage = (a: TokenUsage | undefined, b: ChatCompletion["usage"]): TokenUsage | undefined => {
  if (b === undefined) return a;
  const input = (a?.inputTokens ?? 0) + (b.prompt_tokens ?? 0);
  const output = (a?.outputTokens ?? 0) + (b.completion_tokens ?? 0);
  return {
    inputTokens: input,
    outputTokens: output,
    totalTokens: (a?.totalTokens ?? 0) + (b.total_tokens ?? (b.prompt_tokens ?? 0) + (b.completion_tokens ?? 0)),
  };
};

/**
 * Tailoring by any model behind an OpenAI-compatible Chat Completions API
 * (Ollama, vLLM, llama.cpp's server, LM Studio, hosted providers), with the
 * Bedrock engine's prompts, PII redaction and error model. The reply must be
 * a JSON Resume; what it says is verified by `tailorCv` like any engine's.
 *
 * @example
 * const engine = new OpenAiEngine({ baseUrl: "http://127.0.0.1:11434/v1", model: "llama3.1:8b", piiRedaction: true });
 * const result = await tailorCv(engine, request, { bannedClaims });
 */
export class OpenAiEngine implements TailoringEngine {
  readonly name = "openai" as const;
  readonly #client: ChatCompletionsClient;
  readonly #options: OpenAiEngineOptions;
  readonly #templates: PromptTemplates;
  /** The structured form this server last took: later jobs start there instead of being refused again. */
  #mode: OutputMode;

  constructor(options: OpenAiEngineOptions) {
    this.#client = new ChatCompletionsClient(options);
    this.#options = options;
    this.#templates = options.promptTemplates ?? DEFAULT_PROMPT_TEMPLATES;
    this.#mode = options.outputMode ?? "json_schema";
  }

  /** The structured form the next call starts with. */
  get outputMode(): OutputMode {
    return this.#mode;
  }

  async tailor(request: TailorRequest): Promise<EngineOutput> {
    const redaction = this.#options.piiRedaction ? redactPii(request.cv) : undefined;
    const values = promptValues(request, redaction?.resume ?? request.cv);
    const messages: ChatMessage[] = [
      { role: "system", content: fillTemplate(this.#templates.system, values) },
      { role: "user", content: fillTemplate(this.#templates.user, values) },
    ];
    let usage: TokenUsage | undefined;
    const malformedRetries = this.#options.malformedRetries ?? 1;

    for (let attempt = 0; ; attempt++) {
      const completion = await this.#complete(messages);
      usage = addUsage(usage, completion.usage);
      const choice = completion.choices?.[0];
      const refusal = choice?.message?.refusal;
      if (choice?.finish_reason === "content_filter" || (typeof refusal === "string" && refusal !== "")) {
        throw new EngineOutputInvalidError(
          `the model server stopped the answer (${refusal ? `refusal: ${refusal.slice(0, 200)}` : "content_filter"})`,
          { finishReason: choice?.finish_reason ?? null },
        );
      }
      const answer = answerOf(completion);
      try {
        const resume = parseResumeAnswer(answer, redaction?.restore);
        assertRestored(resume, redaction);
        return { resume, modelId: this.#options.model, ...(usage === undefined ? {} : { usage }) };
      } catch (error) {
        if (!(error instanceof MalformedAnswerError)) throw error;
        if (attempt >= malformedRetries) throw invalidAnswerError(error);
        // Ask again once, saying what was wrong (a tool call's arguments are the answer's text here).
        messages.push(
          { role: "assistant", content: answer.text.slice(0, 4000) || "(empty)" },
          { role: "user", content: retryInstruction(error) },
        );
      }
    }
  }

  /** One completion in the best form the server takes, stepping down when it refuses one. */
  async #complete(messages: readonly ChatMessage[]): Promise<ChatCompletion> {
    for (;;) {
      const mode = this.#mode;
      try {
        return await this.#client.complete({
          model: this.#options.model,
          messages,
          temperature: this.#options.temperature ?? 0,
          max_tokens: this.#options.maxTokens ?? 4096,
          ...outputParameters(mode),
        });
      } catch (error) {
        if (!(error instanceof ChatCompletionsRejectedError) || !refusesMode(error, mode)) throw error;
        // Another job may have stepped down already while this call was out: only ever down.
        const next = OUTPUT_MODES[OUTPUT_MODES.indexOf(mode) + 1] ?? "plain";
        if (OUTPUT_MODES.indexOf(this.#mode) < OUTPUT_MODES.indexOf(next)) this.#mode = next;
      }
    }
  }
}
