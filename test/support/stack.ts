/**
 * Test helpers: an embedded stack in this process on free ports with its own
 * data directory, and a producer-side HTTP client for it.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { clockFromEnv } from "@cvpipe/core/ports/clock";
import { mintToken } from "@cvpipe/local/jwt-keys";
import type { LocalSettings } from "@cvpipe/local/settings";
import { type RunningStack, type StackOptions, startStack } from "@cvpipe/local/stack";
import { freePort } from "./ports.ts";

export const repoRoot = join(import.meta.dirname, "..", "..");
export const sharedDir = join(repoRoot, "..", "shared");

export { freePort } from "./ports.ts";

export const tempDataDir = (): string => mkdtempSync(join(tmpdir(), "cvpipe-test-"));

export const testSettings = async (dataDir = tempDataDir()): Promise<LocalSettings> => ({
  dataDir,
  apiPort: await freePort(),
  sqsPort: await freePort(),
  dynamoDbPort: await freePort(),
  sesPort: await freePort(),
  bedrockPort: await freePort(),
  region: "us-east-1",
});

export interface TestStack extends RunningStack {
  readonly api: ApiClient;
  readonly lines: string[];
  close(): Promise<void>;
}

export const startTestStack = async (options: Partial<StackOptions> = {}): Promise<TestStack> => {
  process.env["POWERTOOLS_LOG_LEVEL"] ??= "SILENT";
  const settings = options.settings ?? (await testSettings());
  const lines: string[] = [];
  const stack = await startStack({ waitTimeSeconds: 1, log: (l) => lines.push(l), ...options, settings });
  return {
    ...stack,
    lines,
    api: new ApiClient(stack.info.apiUrl, stack),
    close: async () => {
      await stack.stop();
      rmSync(settings.dataDir, { recursive: true, force: true });
    },
  };
};

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
    const deadline = Date.now() + (opts.timeoutMs ?? 20_000);
    for (;;) {
      const res = await this.request("GET", `/v1/jobs/${jobId}`, opts);
      const status = res.body?.data?.status;
      if (status === "SUCCEEDED" || status === "FAILED") return res.body.data;
      if (Date.now() > deadline)
        throw new Error(`job ${jobId} still ${status ?? res.status} after ${opts.timeoutMs ?? 20_000} ms`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

export const until = async <T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 15_000): Promise<T> => {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
};
