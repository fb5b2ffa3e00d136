/**
 * What the two model stand-ins (bedrock-server/: Bedrock's Converse; openai-server/: Chat Completions)
 * do alike, whatever their wire: the replies a test scripts, used first, one per model request; else
 * the scenario's turn (scenarios.ts), `throttled-<n>` counted per key; the token counts they report;
 * and what a started stand-in offers a test.
 */
import type { Server } from "node:net";
import type { Readable } from "node:stream";
import { formatPath } from "@cvpipe/core/contracts/field-issues";
import type * as z from "@cvpipe/core/contracts/zod";
import { typeInWords } from "@cvpipe/core/contracts/zod-messages";
import type { Scenario } from "./bedrock-server/scenarios.ts";
import { listen } from "./listen.ts";
import { readBoundedBody } from "./request-body.ts";

export interface ModelStandIn<Recorded, Reply> {
  readonly url: string;
  readonly port: number;
  readonly requests: Recorded[];
  /** Queue replies that take precedence over the scenario, one per model request. */
  script(...replies: Reply[]): void;
  close(): Promise<void>;
}

/**
 * What `answer` throws when the request, valid on the wire, asks for something the scenario cannot
 * answer (no `<cv>` in the prompt): a 400 with this message. Any other exception is the stand-in's own
 * failure, thrown on to the handler (a 500), never shown to the client as its mistake.
 */
export class Unanswerable extends Error {
  override readonly name = "Unanswerable";
}

/** How one model request is answered: a reply (scripted or the scenario's), or the scenario's failure. */
export type ModelTurn<Reply> =
  | { readonly kind: "reply"; readonly reply: Reply }
  | { readonly kind: "throttled" }
  | { readonly kind: "unavailable" }
  /** The scenario's answer could not be made from the request (`Unanswerable`, its message says why): a 400. */
  | { readonly kind: "unanswerable"; readonly message: string };

export interface ModelReplies<Reply> {
  script(...replies: Reply[]): void;
  /**
   * The next scripted reply; else the scenario `pick` names (read only then): `throttled` (always, or
   * its first n requests of `key`), `unavailable`, or what `answer` makes of it: `unanswerable` when it
   * throws `Unanswerable`; any other exception is thrown on.
   */
  next(pick: () => { scenario: Scenario; key: string }, answer: (scenario: Scenario) => Reply): ModelTurn<Reply>;
}

export const modelReplies = <Reply>(): ModelReplies<Reply> => {
  const scripted: Reply[] = [];
  /** Requests seen per key, for `throttled-<n>`. */
  const throttled = new Map<string, number>();
  return {
    script: (...replies) => {
      scripted.push(...replies);
    },
    next: (pick, answer) => {
      const next = scripted.shift();
      if (next !== undefined) return { kind: "reply", reply: next };
      const { scenario, key } = pick();
      if (scenario.kind === "throttled") {
        const seen = throttled.get(key) ?? 0;
        throttled.set(key, seen + 1);
        if (scenario.times === undefined || seen < scenario.times) return { kind: "throttled" };
      }
      if (scenario.kind === "unavailable") return { kind: "unavailable" };
      try {
        return { kind: "reply", reply: answer(scenario) };
      } catch (error) {
        if (error instanceof Unanswerable) return { kind: "unanswerable", message: error.message };
        throw error;
      }
    },
  };
};

/** The usage a stand-in reports: about four characters a token, of the request's body and of the answer. */
export const estimateUsage = (
  request: string,
  answer: string,
): { inputTokens: number; outputTokens: number; totalTokens: number } => {
  const inputTokens = Math.ceil(request.length / 4);
  const outputTokens = Math.ceil(answer.length / 4);
  return { inputTokens, outputTokens, totalTokens: inputTokens + outputTokens };
};

/** Listens on loopback (or `options.host`), then the stand-in as a test holds it. */
export const serveStandIn = async <Recorded, Reply>(
  server: Server,
  options: { readonly port?: number; readonly host?: string },
  requests: Recorded[],
  replies: ModelReplies<Reply>,
  close: () => Promise<void>,
): Promise<ModelStandIn<Recorded, Reply>> => {
  const host = options.host ?? "127.0.0.1";
  const port = await listen(server, options.port, host);
  return { url: `http://${host}:${port}`, port, requests, script: replies.script, close };
};

/** The most a stand-in reads of a request's body (a prompt is a CV and a posting: far less). */
export const MAX_BODY_BYTES = 16 * 1024 * 1024;

/** What a stand-in answers a body over its limit. */
const tooLargeMessage = (maxBytes: number): string =>
  `the request body is over ${maxBytes} bytes, the most this stand-in reads`;

/** A request body as JSON, or why it is not: empty, or not JSON (the parser's reason). */
const parseJsonBody = (raw: string): { ok: true; value: unknown } | { ok: false; problem: "empty" | string } => {
  if (raw.trim() === "") return { ok: false, problem: "empty" };
  try {
    return { ok: true, value: JSON.parse(raw) };
  } catch (error) {
    return { ok: false, problem: (error as Error).message };
  }
};

/** Issues shown in one answer, at most. */
const SHOWN_ISSUES = 5;

const typeName = (value: unknown): string =>
  value === null ? "null" : Array.isArray(value) ? "array" : Number.isNaN(value) ? "NaN" : typeof value;

interface ShownIssue {
  readonly path: string;
  readonly message: string;
}

/**
 * zod's issues as a client can act on them. A union the value failed is shown by the one branch
 * its type matched (`content: [null]` → `content[0]: expected object, received null`), or, when it
 * matched none, by the types it takes (`content: expected a string, an array or null, received number`).
 */
const shownIssues = (issues: readonly z.core.$ZodIssue[], prefix: readonly PropertyKey[]): ShownIssue[] =>
  issues.flatMap((issue): ShownIssue[] => {
    const path = [...prefix, ...issue.path];
    if (issue.code === "invalid_union" && issue.errors.length > 0) {
      const matched = issue.errors.filter((branch) => branch.some((i) => i.path.length > 0));
      if (matched.length === 1) return shownIssues(matched[0]!, path);
      const roots = issue.errors.flat();
      if (matched.length === 0 && roots.every((i) => i.code === "invalid_type")) {
        const expected = [...new Set(roots.map((i) => (i.code === "invalid_type" ? i.expected : "")))].map(typeInWords);
        const listed =
          expected.length > 1 ? `${expected.slice(0, -1).join(", ")} or ${expected.at(-1)}` : (expected[0] ?? "");
        const received = "input" in issue ? `, received ${typeName(issue.input)}` : "";
        return [{ path: formatPath("", path), message: `Invalid input: expected ${listed}${received}` }];
      }
      if (matched.length === 0) {
        return [{ path: formatPath("", path), message: roots.map((i) => i.message).join(" or ") }];
      }
    }
    return [{ path: formatPath("", path), message: issue.message }];
  });

/** A request body checked against a protocol's schema: its value, or what is wrong (`path: rule`; the first path apart, null for the body itself). */
const checkBody = <S extends z.ZodMiniType>(
  schema: S,
  value: unknown,
): { ok: true; value: z.output<S> } | { ok: false; message: string; path: string | null } => {
  const result = schema.safeParse(value, { reportInput: true });
  if (result.success) return { ok: true, value: result.data };
  const issues = shownIssues(result.error.issues, []);
  const shown = issues.slice(0, SHOWN_ISSUES).map((i) => `${i.path}: ${i.message}`);
  const more = issues.length > SHOWN_ISSUES ? `; and ${issues.length - SHOWN_ISSUES} more` : "";
  const first = issues[0]?.path;
  return {
    ok: false,
    message: `${shown.join("; ")}${more}`,
    path: first === undefined || first === "(root)" ? null : first,
  };
};

/** A request's body as read: its text, its JSON, and what to record (the raw text when it is not JSON, undefined when there is none). */
export const readRequestBody = (
  read: Buffer | "too-large",
): { raw: string; parsed: ReturnType<typeof parseJsonBody>; recorded: unknown } => {
  const raw = read === "too-large" ? "" : read.toString("utf8");
  const parsed = parseJsonBody(raw);
  return { raw, parsed, recorded: parsed.ok ? parsed.value : raw === "" ? undefined : raw };
};

/** How a wire words a body that is empty or not JSON. */
export interface BodyWording {
  readonly empty: string;
  readonly notJson: (problem: string) => string;
}

/**
 * A body judged as the protocol would: its value, or the client's mistake as a status (413 over
 * `maxBodyBytes`, 400 empty, not JSON or not the schema's shape), a message and the field (null: the body).
 */
export const judgeBody = <S extends z.ZodMiniType>(
  read: Buffer | "too-large",
  parsed: ReturnType<typeof parseJsonBody>,
  schema: S,
  maxBodyBytes: number,
  wording: BodyWording,
): { ok: true; value: z.output<S> } | { ok: false; status: 400 | 413; message: string; path: string | null } => {
  if (read === "too-large") return { ok: false, status: 413, message: tooLargeMessage(maxBodyBytes), path: null };
  if (!parsed.ok) {
    const message = parsed.problem === "empty" ? wording.empty : wording.notJson(parsed.problem);
    return { ok: false, status: 400, message, path: null };
  }
  const checked = checkBody(schema, parsed.value);
  return checked.ok ? checked : { ok: false, status: 400, message: checked.message, path: checked.path };
};

/**
 * A stand-in's request listener: the body read within `maxBodyBytes`, then `handle`; whatever
 * `handle` throws, and a failed read, go to `failed` (a 500 in the wire's shape and a log line),
 * never up to the server, where it would end the process. `seen.record` is what `handle` recorded
 * of the request before it failed.
 */
export const guardedListener =
  <Req extends Readable, Res, Recorded>(
    maxBodyBytes: number,
    handle: (req: Req, res: Res, read: Buffer | "too-large", seen: { record?: Recorded }) => void,
    failed: (req: Req, res: Res, error: unknown, record: Recorded | undefined) => void,
  ) =>
  (req: Req, res: Res): void => {
    const seen: { record?: Recorded } = {};
    readBoundedBody(req, maxBodyBytes).then(
      (read) => {
        try {
          handle(req, res, read, seen);
        } catch (error) {
          failed(req, res, error, seen.record);
        }
      },
      (error: unknown) => failed(req, res, error, seen.record),
    );
  };

/** The log line of a stand-in's own failure (the client gets a 500 without its text). */
export const logStandInFailure = (standIn: string, request: string, error: unknown): void => {
  console.error(`cvpipe: the ${standIn} stand-in failed answering ${request}:`, error);
};
