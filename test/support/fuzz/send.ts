/**
 * Sends fuzz cases over raw HTTP (node:http, not fetch: the path goes out as
 * written — no dot-segment resolution, any method, a body on a GET) with a
 * bounded number in flight, and answers each with what came back.
 */
import { type Agent, request } from "node:http";
import type { FuzzCase } from "./cases.ts";
import type { AuthVariant } from "./tokens.ts";

export interface Answer {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly text: string;
  /** A transport failure (reset, timeout) instead of an answer. */
  readonly error?: string;
}

export interface Resolved {
  readonly path: string;
  readonly headers: Record<string, string | readonly string[]>;
  readonly body: string | Buffer | undefined;
}

export interface SendContext {
  readonly baseUrl: string;
  /** Ids the set-up created, by path parameter name. */
  readonly ids: Readonly<Record<string, readonly string[]>>;
  readonly authHeader: (auth: AuthVariant, op: string) => Promise<string | undefined>;
}

const MAX_ANSWER_CHARS = 8 * 1024 * 1024;

/** The case's placeholders filled in and its Authorization header made. */
export const resolveCase = async (ctx: SendContext, c: FuzzCase): Promise<Resolved> => {
  const path = c.path.replace(/\{\{id:(\w+):(\d+)(:upper)?\}\}/g, (_m, name: string, i: string, upper?: string) => {
    const id = ctx.ids[name]?.[Number(i)] ?? "00000000-0000-4000-8000-000000000000";
    return upper ? id.toUpperCase() : id;
  });
  const headers: Record<string, string | readonly string[]> = { ...c.headers };
  const auth = c.auth ? await ctx.authHeader(c.auth, c.op) : undefined;
  const second = c.secondAuth ? await ctx.authHeader(c.secondAuth, c.op) : undefined;
  const both = [auth, second].filter((h): h is string => h !== undefined);
  if (both.length > 0) headers["authorization"] = both.length === 1 ? both[0]! : both;
  return { path, headers, body: c.body };
};

export const sendOne = (
  agent: Agent,
  baseUrl: string,
  method: string,
  r: Resolved,
  timeoutMs: number,
): Promise<Answer> =>
  new Promise((resolve) => {
    const url = new URL(baseUrl);
    let settled = false;
    const done = (a: Answer) => {
      if (!settled) {
        settled = true;
        resolve(a);
      }
    };
    // An explicit length for every body: Node frames a GET's body by neither length nor chunks otherwise,
    // and the server would read the body as the next request.
    const headers =
      r.body === undefined ? r.headers : { ...r.headers, "content-length": String(Buffer.byteLength(r.body)) };
    const req = request(
      {
        host: url.hostname,
        port: url.port,
        method,
        path: r.path,
        headers: headers as Record<string, string | string[]>,
        agent,
        timeout: timeoutMs,
      },
      (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on("data", (d: Buffer) => {
          size += d.length;
          if (size <= MAX_ANSWER_CHARS) chunks.push(d);
        });
        res.on("end", () => {
          const headers: Record<string, string> = {};
          for (const [k, v] of Object.entries(res.headers)) if (v !== undefined) headers[k] = String(v);
          done({ status: res.statusCode ?? 0, headers, text: Buffer.concat(chunks).toString("utf8") });
        });
        res.on("error", (e) => done({ status: 0, headers: {}, text: "", error: e.message }));
      },
    );
    req.on("timeout", () => {
      req.destroy(new Error(`no answer in ${timeoutMs} ms`));
    });
    req.on("error", (e) =>
      done({ status: 0, headers: {}, text: "", error: `${(e as NodeJS.ErrnoException).code ?? ""} ${e.message}` }),
    );
    if (r.body !== undefined) req.end(r.body);
    else req.end();
  });

/** Runs `work` over `items` with at most `concurrency` at once; results in item order. */
export const pool = async <T, R>(
  items: readonly T[],
  concurrency: number,
  work: (item: T) => Promise<R>,
): Promise<R[]> => {
  const out = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await work(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
  return out;
};
