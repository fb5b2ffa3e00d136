/**
 * The producer commands (`cvpipe cvs …`, `cvpipe jobs submit`) go through the HTTP API, as a
 * producer's own code would: on the embedded stack its gateway with a token minted from the
 * stack's key for `--tenant`/`--user`; on a deployed stage `CVPIPE_API_URL` and `CVPIPE_TOKEN`
 * (the caller's identity is the token's, so --tenant/--user are not used there).
 */
import { readFileSync } from "node:fs";
import { extname } from "node:path";
import type { ParseArgsConfig } from "node:util";
import { IDENTITY_RULE, IDENTITY_VALUE } from "@cvpipe/core/contracts/identity";
import { clockFromEnv } from "@cvpipe/core/ports/clock";
import { api } from "@cvpipe/core/topology";
import { mintToken, readKeys } from "@cvpipe/local/jwt-keys";
import { settingsFromEnv } from "@cvpipe/local/settings";
import { API_URL_ENV, STAGE_ENV, TOKEN_ENV } from "./cli-env.ts";
import { readStackInfo, UsageError } from "./stack-info.ts";

export interface ApiAnswer {
  readonly status: number;
  readonly headers: Headers;
  // biome-ignore lint/suspicious/noExplicitAny: an answer's JSON, read field by field by the commands
  readonly body: any;
}

export interface ProducerApi {
  request(
    method: string,
    path: string,
    init?: { body?: unknown; headers?: Record<string, string> },
  ): Promise<ApiAnswer>;
}

/** The flags every producer command takes: the identity for producerApi (--tenant, --user) and --json. */
export const PRODUCER_OPTIONS = {
  tenant: { type: "string" },
  user: { type: "string" },
  json: { type: "boolean", default: false },
} as const satisfies ParseArgsConfig["options"];

/** The API for a producer identity: the embedded stack's (a minted token) or a stage's (CVPIPE_API_URL + CVPIPE_TOKEN). */
export const producerApi = async (
  tenant: string | undefined,
  user: string | undefined,
  roles: readonly string[] = [],
): Promise<ProducerApi> => {
  let url: string;
  let token: string;
  if (process.env[STAGE_ENV]) {
    url = process.env[API_URL_ENV] ?? "";
    token = process.env[TOKEN_ENV] ?? "";
    if (!url || !token) {
      throw new UsageError(
        `on a deployed stage the producer commands need ${API_URL_ENV} (the stack's ApiUrl output) and ${TOKEN_ENV} (a JWT from your identity provider)`,
      );
    }
  } else {
    if (!tenant) throw new UsageError("--tenant is required");
    if (!user) throw new UsageError("--user is required");
    for (const [flag, value] of [
      ["--tenant", tenant],
      ["--user", user],
    ] as const) {
      if (!IDENTITY_VALUE.test(value)) throw new UsageError(`${flag} must be ${IDENTITY_RULE}`);
    }
    url = readStackInfo().apiUrl;
    token = await mintToken(readKeys(settingsFromEnv().dataDir), {
      tenantId: tenant,
      userId: user,
      now: clockFromEnv(process.env).now(),
      ...(roles.length > 0 ? { extraClaims: { [api.roleClaim]: roles.join(" ") } } : {}),
    });
  }
  return {
    async request(method, path, init = {}) {
      const headers: Record<string, string> = { authorization: `Bearer ${token}`, ...init.headers };
      if (init.body !== undefined) headers["content-type"] = "application/json";
      const res = await fetch(`${url}${path}`, {
        method,
        headers,
        ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
      });
      const text = await res.text();
      let body: unknown = text;
      try {
        body = text === "" ? undefined : JSON.parse(text);
      } catch {
        // not JSON: keep the text
      }
      return { status: res.status, headers: res.headers, body };
    },
  };
};

/** A CV file as the API takes it: a `.json` file is a JSON Resume object, anything else its text. */
export const readCvFile = (file: string): string | Record<string, unknown> => {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    throw new UsageError(`cannot read ${file}: ${(error as Error).message}`);
  }
  if (extname(file).toLowerCase() !== ".json") return text;
  try {
    return JSON.parse(text) as Record<string, unknown>;
  } catch (error) {
    throw new UsageError(`${file} is not JSON (${(error as Error).message}); give a .md or .txt file for a text CV`);
  }
};

/** A JSON file (a posting): its parsed content. */
export const readJsonFile = (file: string): unknown => {
  try {
    return JSON.parse(readFileSync(file, "utf8"));
  } catch (error) {
    throw new UsageError(`cannot read ${file} as JSON: ${(error as Error).message}`);
  }
};

/**
 * An API refusal as the CLI reports it: its code, its summary and each field problem on its own
 * line (stderr), exit code 1.
 */
export class ApiRefusal extends Error {
  constructor(answer: ApiAnswer) {
    const b = answer.body as { code?: string; error?: string; message?: string; details?: unknown } | undefined;
    const details = Array.isArray(b?.details)
      ? (b.details as Array<{ path?: string; message?: string }>).map((d) => `\n  ${d.path}: ${d.message}`).join("")
      : "";
    super(`${answer.status} ${b?.code ?? ""} ${b?.error ?? b?.message ?? ""}`.replace(/\s+/g, " ").trim() + details);
    this.name = "ApiRefusal";
  }
}

/** The answer when its status is one of `ok`; an ApiRefusal otherwise. */
export const expectStatus = (answer: ApiAnswer, ...ok: number[]): ApiAnswer => {
  if (!ok.includes(answer.status)) throw new ApiRefusal(answer);
  return answer;
};
