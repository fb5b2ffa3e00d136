import { EngineOutputInvalidError } from "@cvpipe/core/errors";
import type { TailoringEngine } from "@cvpipe/core/ports/tailoring-engine";
import { DEFAULT_PROMPT_TEMPLATES, type PromptTemplates } from "@cvpipe/core/tailoring/default-prompts";
import { MODEL_DEFAULTS, tailorWithModel } from "@cvpipe/core/tailoring/model-dialogue";
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

/** A completion's token counts as the engine output's. */
const tokensOf = (u: NonNullable<ChatCompletion["usage"]>): TokenUsage => {
  const input = u.prompt_tokens ?? 0;
  const output = u.completion_tokens ?? 0;
  return { inputTokens: input, outputTokens: output, totalTokens: u.total_tokens ?? input + output };
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
    const settings = {
      templates: this.#templates,
      piiRedaction: this.#options.piiRedaction,
      malformedRetries: this.#options.malformedRetries,
      modelId: this.#options.model,
    };
    return tailorWithModel(request, settings, async (prompt, retries) => {
      // A tool call's arguments are the answer's text when it is echoed back.
      const completion = await this.#complete([
        { role: "system", content: prompt.system },
        { role: "user", content: prompt.user },
        ...retries.flatMap((r): ChatMessage[] => [
          { role: "assistant", content: r.answer },
          { role: "user", content: r.instruction },
        ]),
      ]);
      const choice = completion.choices?.[0];
      const refusal = choice?.message?.refusal;
      if (choice?.finish_reason === "content_filter" || (typeof refusal === "string" && refusal !== "")) {
        throw new EngineOutputInvalidError(
          `the model server stopped the answer (${refusal ? `refusal: ${refusal.slice(0, 200)}` : "content_filter"})`,
          { finishReason: choice?.finish_reason ?? null },
        );
      }
      const usage = completion.usage;
      return { answer: answerOf(completion), ...(usage === undefined ? {} : { usage: tokensOf(usage) }) };
    });
  }

  /** One completion in the best form the server takes, stepping down when it refuses one. */
  async #complete(messages: readonly ChatMessage[]): Promise<ChatCompletion> {
    for (;;) {
      const mode = this.#mode;
      try {
        return await this.#client.complete({
          model: this.#options.model,
          messages,
          temperature: this.#options.temperature ?? MODEL_DEFAULTS.temperature,
          max_tokens: this.#options.maxTokens ?? MODEL_DEFAULTS.maxTokens,
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
