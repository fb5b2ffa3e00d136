/** A producer-side HTTP client for a stack: mints tokens with the stack's key and calls the API. */
import { clockFromEnv } from "@cvpipe/core/ports/clock";
import { mintToken } from "@cvpipe/local/jwt-keys";
import type { RunningStack } from "@cvpipe/local/stack";
import { checkAnswer } from "./answer-contract.ts";

export interface ApiResponse<T = any> {
  readonly status: number;
  readonly headers: Headers;
  readonly body: T;
}

/** A producer: mints tokens with the stack's key and calls the HTTP API. */
export class ApiClient {
  readonly #url: string;
  readonly #stack: Pick<RunningStack, "keys">;

  constructor(url: string, stack: Pick<RunningStack, "keys">) {
    this.#url = url;
    this.#stack = stack;
  }

  /** A token for the user; by default with a producer's scopes (`api.producerScopes`: every route). */
  token(tenantId = "acme", userId = "alice", scopes?: readonly string[]): Promise<string> {
    // Issued on the stack's clock, which the gateway checks it against.
    return mintToken(this.#stack.keys, {
      tenantId,
      userId,
      now: clockFromEnv(process.env).now(),
      ...(scopes ? { scopes } : {}),
    });
  }

  async request<T = any>(
    method: string,
    path: string,
    init: {
      body?: unknown;
      rawBody?: string;
      token?: string | null;
      headers?: Record<string, string>;
      tenant?: string;
      user?: string;
    } = {},
  ): Promise<ApiResponse<T>> {
    const headers: Record<string, string> = { ...init.headers };
    const token = init.token === undefined ? await this.token(init.tenant, init.user) : init.token;
    if (token !== null) headers["authorization"] = `Bearer ${token}`;
    let body: string | undefined = init.rawBody;
    if (init.body !== undefined) {
      body = JSON.stringify(init.body);
      headers["content-type"] ??= "application/json";
    }
    const res = await fetch(`${this.#url}${path}`, { method, headers, ...(body === undefined ? {} : { body }) });
    const text = await res.text();
    // Every answer a test receives is what the document says (throws with the route, status and ajv's errors).
    checkAnswer(method, res.url || `${this.#url}${path}`, res.status, res.headers, text);
    let parsed: unknown = text;
    try {
      parsed = JSON.parse(text);
    } catch {
      // not JSON: keep the text
    }
    return { status: res.status, headers: res.headers, body: parsed as T };
  }

  /** Polls a job until it is SUCCEEDED or FAILED (or the deadline passes). */
  async waitForJob(jobId: string, opts: { tenant?: string; user?: string; timeoutMs?: number } = {}): Promise<any> {
    const deadline = Date.now() + (opts.timeoutMs ?? 60_000);
    for (;;) {
      const res = await this.request("GET", `/v1/jobs/${jobId}`, opts);
      const status = res.body?.data?.status;
      if (status === "SUCCEEDED" || status === "FAILED") return res.body.data;
      if (Date.now() > deadline)
        throw new Error(`job ${jobId} still ${status ?? res.status} after ${opts.timeoutMs ?? 60_000} ms`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}
