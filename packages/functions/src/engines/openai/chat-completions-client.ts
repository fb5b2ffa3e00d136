import { SecretReadError } from "@cvpipe/aws/secret-string";
import { EngineRejectedError, EngineUnavailableError } from "@cvpipe/core/errors";
import { type Clock, systemClock } from "@cvpipe/core/ports/clock";
import { realTimer, type Timer } from "@cvpipe/core/ports/timer";
import { retryAfterMs } from "./retry-after.ts";

/**
 * `POST {baseUrl}/chat/completions` with bounded retries, by `fetch` (no SDK:
 * the engine uses one endpoint and four fields of its answer, and every
 * compatible server — Ollama, vLLM, llama.cpp, LM Studio — differs from
 * OpenAI's SDK's assumptions somewhere; a hand-written call shows exactly what
 * is sent and retried).
 *
 * Retried: 408, 429 and 5xx answers, and failures with no answer (refused or
 * reset connection, timeout), up to `maxAttempts` calls; the wait is the
 * answer's `Retry-After` (seconds or an HTTP date, capped), else full-jitter
 * exponential backoff. Then a ChatCompletionsUnavailableError (retryable: the
 * queue redelivers the job, and after maxReceiveCount it goes to the DLQ), as
 * the Bedrock engine's ENGINE_UNAVAILABLE. Any other answer that is not 2xx is
 * a ChatCompletionsRejectedError, never retried here.
 */
export interface ChatCompletionsClientOptions {
  /** `OPENAI_BASE_URL`, the API root, e.g. `http://127.0.0.1:11434/v1` (Ollama) or `https://api.openai.com/v1`. */
  readonly baseUrl: string;
  /** `OPENAI_API_KEY` (sent as a bearer token), read once on first use; none for local servers that need none. */
  readonly apiKey?: () => Promise<string | undefined>;
  /** Per call, from sending to the whole answer read. */
  readonly timeoutMs?: number;
  readonly maxAttempts?: number;
  /** The n-th retry waits up to base × 2^n (full jitter), capped at 8 s. */
  readonly retryBaseDelayMs?: number;
  /** The most a `Retry-After` is honoured for. */
  readonly maxRetryAfterMs?: number;
  /** How the client waits between attempts (tests: one whose time moves when they say). Default: real time. */
  readonly timer?: Pick<Timer, "sleep">;
  /**
   * The clock an HTTP-date `Retry-After` is read against. The server's date is real time, so the
   * default is the system clock, not the functions' (CVPIPE_CLOCK_OFFSET_MS may shift theirs).
   */
  readonly clock?: Clock;
  /** The jitter's source (tests: a fixed one). */
  readonly random?: () => number;
}

/** The server answered and refused the request for good (a 4xx that is not throttling). */
/** What failed, by name: for a secret read, the underlying failure's (AccessDeniedException, …). */
const failureName = (error: unknown): string => {
  const cause = error instanceof SecretReadError ? error.cause : undefined;
  if (cause instanceof Error) return cause.name;
  return error instanceof Error ? error.name : "Error";
};

export class ChatCompletionsRejectedError extends EngineRejectedError {
  readonly status: number;
  /** The request parameter the server's error names (`response_format`, `tools`), when it names one. */
  readonly param: string | undefined;
  /** The server's own message. */
  readonly serverMessage: string;
  constructor(status: number, serverMessage: string, param: string | undefined) {
    super(`the model server rejected the request: HTTP ${status}: ${serverMessage.slice(0, 500)}`, {
      details: { status, ...(param === undefined ? {} : { param }) },
    });
    this.name = "ChatCompletionsRejectedError";
    this.status = status;
    this.param = param;
    this.serverMessage = serverMessage;
  }
}

/** Throttled, failing or unreachable through every attempt: retryable, so the queue tries the job again later. */
export class ChatCompletionsUnavailableError extends EngineUnavailableError {
  constructor(attempts: number, last: { readonly status?: number; readonly reason: string }, cause?: unknown) {
    super(`the model server is unavailable after ${attempts} attempt(s): ${last.reason}`, {
      cause,
      details: { attempts, ...(last.status === undefined ? {} : { status: last.status }) },
    });
    this.name = "ChatCompletionsUnavailableError";
  }
}

/** The fields of a Chat Completions answer the engine reads. */
export interface ChatCompletion {
  readonly choices?: readonly {
    readonly message?: {
      readonly content?: string | null;
      readonly refusal?: string | null;
      readonly tool_calls?: readonly { readonly function?: { readonly name?: string; readonly arguments?: string } }[];
    };
    readonly finish_reason?: string | null;
  }[];
  readonly usage?: {
    readonly prompt_tokens?: number;
    readonly completion_tokens?: number;
    readonly total_tokens?: number;
  };
}

const isTransientStatus = (status: number): boolean => status === 408 || status === 429 || status >= 500;

/** OpenAI's `{error: {message, param}}`; compatible servers also send `{error: "text"}` or `{detail: ...}` (vLLM) or plain text. */
const errorOf = (text: string): { message: string; param: string | undefined } => {
  try {
    const body = JSON.parse(text) as { error?: unknown; detail?: unknown; message?: unknown };
    const error = body.error;
    if (typeof error === "object" && error !== null) {
      const e = error as { message?: unknown; param?: unknown };
      return {
        message: typeof e.message === "string" ? e.message : JSON.stringify(error),
        param: typeof e.param === "string" ? e.param : undefined,
      };
    }
    const message = error ?? body.detail ?? body.message;
    return { message: typeof message === "string" ? message : JSON.stringify(message ?? body), param: undefined };
  } catch {
    return { message: text.trim() || "(no body)", param: undefined };
  }
};

export class ChatCompletionsClient {
  readonly #url: string;
  readonly #options: ChatCompletionsClientOptions;
  #apiKey: Promise<string | undefined> | undefined;

  constructor(options: ChatCompletionsClientOptions) {
    this.#url = `${options.baseUrl.replace(/\/+$/, "")}/chat/completions`;
    this.#options = options;
  }

  async complete(body: Readonly<Record<string, unknown>>): Promise<ChatCompletion> {
    const options = this.#options;
    const maxAttempts = Math.max(1, options.maxAttempts ?? 3);
    const timer = options.timer ?? realTimer;
    const clock = options.clock ?? systemClock;
    const random = options.random ?? Math.random;
    const base = options.retryBaseDelayMs ?? 250;
    // A key read fails like any other cold-start read: the job is retried, not failed for good.
    this.#apiKey ??= (options.apiKey?.() ?? Promise.resolve(undefined)).catch((error: unknown) => {
      this.#apiKey = undefined;
      throw new ChatCompletionsUnavailableError(
        0,
        // The failure's name only (the job's error is the producer's to read; the secret's ARN is not).
        { reason: `the API key could not be read (${failureName(error)})` },
        error,
      );
    });
    const key = await this.#apiKey;
    const headers: Record<string, string> = { "content-type": "application/json", accept: "application/json" };
    if (key) headers["authorization"] = `Bearer ${key}`;
    const payload = JSON.stringify(body);

    for (let attempt = 1; ; attempt++) {
      let failure: { status?: number; reason: string; waitMs?: number | undefined };
      let cause: unknown;
      try {
        const response = await fetch(this.#url, {
          method: "POST",
          headers,
          body: payload,
          signal: AbortSignal.timeout(options.timeoutMs ?? 45_000),
        });
        const text = await response.text();
        if (response.ok) {
          try {
            return JSON.parse(text) as ChatCompletion;
          } catch (error) {
            // A proxy's page or a cut-off body: says nothing about the request.
            failure = { status: response.status, reason: `HTTP ${response.status} with a body that is not JSON` };
            cause = error;
          }
        } else {
          const { message, param } = errorOf(text);
          if (!isTransientStatus(response.status))
            throw new ChatCompletionsRejectedError(response.status, message, param);
          failure = {
            status: response.status,
            reason: `HTTP ${response.status}: ${message.slice(0, 200)}`,
            waitMs: retryAfterMs(
              response.headers.get("retry-after"),
              clock.now().getTime(),
              options.maxRetryAfterMs ?? 20_000,
            ),
          };
        }
      } catch (error) {
        if (error instanceof ChatCompletionsRejectedError) throw error;
        // No answer (refused, reset, timed out): transient, like the Bedrock engine's connection failures.
        const e = error as { name?: string; cause?: { code?: string } };
        failure = { reason: e.cause?.code ?? e.name ?? "network error" };
        cause = error;
      }
      if (attempt >= maxAttempts) throw new ChatCompletionsUnavailableError(attempt, failure, cause);
      await timer.sleep(failure.waitMs ?? random() * Math.min(8000, base * 2 ** attempt));
    }
  }
}
