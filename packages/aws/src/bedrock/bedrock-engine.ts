import {
  type BedrockRuntimeClient,
  ConverseCommand,
  type ConverseCommandInput,
  type ConverseCommandOutput,
  type Message,
} from "@aws-sdk/client-bedrock-runtime";
import { EngineOutputInvalidError, EngineRejectedError, EngineUnavailableError } from "@cvpipe/core/errors";
import type { TailoringEngine } from "@cvpipe/core/ports/tailoring-engine";
import { DEFAULT_PROMPT_TEMPLATES, type PromptTemplates } from "@cvpipe/core/tailoring/default-prompts";
import { MODEL_DEFAULTS, tailorWithModel } from "@cvpipe/core/tailoring/model-dialogue";
import type { EngineOutput, TailorRequest, TokenUsage } from "@cvpipe/core/tailoring/types";

export interface BedrockEngineOptions {
  /** `BEDROCK_MODEL_ID`: a model id or inference profile id/ARN. */
  readonly modelId: string;
  /** `BEDROCK_GUARDRAIL_ARN` + version. */
  readonly guardrail?: { readonly identifier: string; readonly version: string };
  /** `ENABLE_PII_REDACTION`: placeholders go to the model, originals come back. */
  readonly piiRedaction: boolean;
  /** Defaults from the repo (core/tailoring/default-prompts.ts); the tailor passes PROMPT_TEMPLATES_PATH's overrides. */
  readonly promptTemplates?: PromptTemplates;
  /**
   * Attempts per Converse call for throttling, 5xx and connection failures
   * (on top of the SDK client's own retries). Afterwards the error is a
   * retryable ENGINE_UNAVAILABLE and the queue's visibility timeout takes over.
   */
  readonly maxAttempts?: number;
  /** Backoff base; the n-th retry waits up to base × 2^n (full jitter), capped at 8 s. */
  readonly retryBaseDelayMs?: number;
  /** Malformed answers are asked again this many times, then fail for good. */
  readonly malformedRetries?: number;
  readonly maxTokens?: number;
  readonly temperature?: number;
  /** For tests. */
  readonly sleep?: (ms: number) => Promise<void>;
}

/** Answered refusals that Bedrock itself means as "try again" (some come as 4xx). */
const TRANSIENT_ERRORS = new Set([
  "ThrottlingException",
  "ServiceUnavailableException",
  "InternalServerException",
  "ModelNotReadyException",
  "ModelTimeoutException",
  "TooManyRequestsException",
  "ServiceQuotaExceededException",
  "RequestTimeout",
]);

interface AwsLikeError {
  name?: string;
  $metadata?: { httpStatusCode?: number };
}

/**
 * Whether a failed Converse call is worth another try. Only an answer can
 * refuse for good: a 4xx that is not throttling (AccessDenied, Validation,
 * ResourceNotFound). A failure with no HTTP answer — a refused, reset or
 * cancelled connection (ECONNRESET, ERR_HTTP2_STREAM_CANCEL, GOAWAY), a
 * timeout — says nothing about the request, so it is transient.
 */
export const isTransientBedrockError = (error: unknown): boolean => {
  const e = error as AwsLikeError;
  const status = e?.$metadata?.httpStatusCode;
  if (status === undefined) return true;
  return status === 429 || status >= 500 || TRANSIENT_ERRORS.has(e?.name ?? "");
};

/** Converse's token counts as the engine output's. */
const tokensOf = (u: NonNullable<ConverseCommandOutput["usage"]>): TokenUsage => {
  const input = u.inputTokens ?? 0;
  const output = u.outputTokens ?? 0;
  return { inputTokens: input, outputTokens: output, totalTokens: u.totalTokens ?? input + output };
};

const defaultSleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Tailoring by a Bedrock model through the Converse API. The reply must be a
 * JSON Resume; what it says is verified by `tailorCv` like any engine's.
 *
 * @example
 * const engine = new BedrockEngine(createBedrockRuntimeClient(), { modelId: env.BEDROCK_MODEL_ID, piiRedaction: true });
 * const result = await tailorCv(engine, request, { bannedClaims });
 */
export class BedrockEngine implements TailoringEngine {
  readonly name = "bedrock" as const;
  readonly #client: BedrockRuntimeClient;
  readonly #options: BedrockEngineOptions;
  readonly #templates: PromptTemplates;

  constructor(client: BedrockRuntimeClient, options: BedrockEngineOptions) {
    this.#client = client;
    this.#options = options;
    this.#templates = options.promptTemplates ?? DEFAULT_PROMPT_TEMPLATES;
  }

  async tailor(request: TailorRequest): Promise<EngineOutput> {
    const settings = {
      templates: this.#templates,
      piiRedaction: this.#options.piiRedaction,
      malformedRetries: this.#options.malformedRetries,
      modelId: this.#options.modelId,
    };
    return tailorWithModel(request, settings, async (prompt, retries) => {
      const messages: Message[] = [
        { role: "user", content: [{ text: prompt.user }] },
        ...retries.flatMap((r): Message[] => [
          { role: "assistant", content: [{ text: r.answer }] },
          { role: "user", content: [{ text: r.instruction }] },
        ]),
      ];
      const response = await this.#converse({ messages, system: [{ text: prompt.system }] });
      const stop = response.stopReason;
      if (stop === "guardrail_intervened" || stop === "content_filtered") {
        throw new EngineOutputInvalidError(`Bedrock stopped the answer (${stop})`, { stopReason: stop });
      }
      const text = (response.output?.message?.content ?? [])
        .map((block) => ("text" in block && typeof block.text === "string" ? block.text : ""))
        .join("");
      return { answer: { text }, ...(response.usage === undefined ? {} : { usage: tokensOf(response.usage) }) };
    });
  }

  async #converse(input: Pick<ConverseCommandInput, "messages" | "system">): Promise<ConverseCommandOutput> {
    const { guardrail } = this.#options;
    const command = new ConverseCommand({
      modelId: this.#options.modelId,
      ...input,
      inferenceConfig: {
        maxTokens: this.#options.maxTokens ?? MODEL_DEFAULTS.maxTokens,
        temperature: this.#options.temperature ?? MODEL_DEFAULTS.temperature,
      },
      ...(guardrail === undefined
        ? {}
        : { guardrailConfig: { guardrailIdentifier: guardrail.identifier, guardrailVersion: guardrail.version } }),
    });
    const maxAttempts = Math.max(1, this.#options.maxAttempts ?? 3);
    const sleep = this.#options.sleep ?? defaultSleep;
    const base = this.#options.retryBaseDelayMs ?? 250;
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.#client.send(command);
      } catch (error) {
        const transient = isTransientBedrockError(error);
        if (transient && attempt < maxAttempts) {
          await sleep(Math.random() * Math.min(8000, base * 2 ** attempt));
          continue;
        }
        const name = (error as AwsLikeError)?.name ?? "Error";
        const facts = { cause: error, details: { awsError: name, attempts: attempt } };
        throw transient
          ? new EngineUnavailableError(`Bedrock is unavailable after ${attempt} attempt(s): ${name}`, facts)
          : new EngineRejectedError(`Bedrock rejected the request: ${name}: ${(error as Error)?.message ?? ""}`, facts);
      }
    }
  }
}
