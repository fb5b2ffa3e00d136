/**
 * `cvpipe logs`' filters, judged the same on the embedded stack's file and on CloudWatch's events:
 * the ids a line carries (the keys the functions add: `jobId`, `messageId`, `correlationId`), a least
 * level and a start time. Pure: no file, no SDK.
 */

import { DAY_MS } from "@cvpipe/core/ttl";
import { atLeast, isLogLevel, type LogLevel, type LogRecord, STACK_FN } from "@cvpipe/local/stack-log-lines";
import { UsageError } from "../stack-info.ts";

export interface LogQuery {
  readonly jobId?: string;
  readonly messageId?: string;
  readonly correlationId?: string;
  /** At least this level. */
  readonly level?: LogLevel;
  /** Lines stamped at or after this instant. */
  readonly since?: Date;
}

/** The log keys each id filter reads (functions/src/logger.ts). */
export const ID_KEYS = { jobId: "jobId", messageId: "messageId", correlationId: "correlationId" } as const;

/**
 * The characters an id filter accepts: a correlation id's (contracts/message-envelope.ts), which covers job
 * and message ids (UUIDs). On a stage the id goes into a CloudWatch filter pattern inside quotes;
 * refusing `"` and `\` here keeps it from ending the pattern's string early.
 */
const ID = /^[A-Za-z0-9._:@/+=~-]{1,128}$/;

export const idFlag = (flag: string, text: string | undefined): string | undefined => {
  if (text === undefined) return undefined;
  if (!ID.test(text)) {
    throw new UsageError(`${flag}: an id is 1 to 128 letters, digits or ._:@/+=~- (got "${text}")`);
  }
  return text;
};

export const levelFlag = (text: string | undefined): LogLevel | undefined => {
  if (text === undefined) return undefined;
  const name = text.toUpperCase();
  if (!isLogLevel(name) || name === "SILENT") {
    throw new UsageError(`--level: one of DEBUG, INFO, WARN, ERROR, CRITICAL (got "${text}")`);
  }
  return name;
};

const UNIT_MS = { s: 1_000, m: 60_000, h: 3_600_000, d: DAY_MS } as const;

/**
 * `--since`: an ISO 8601 time, or a duration back from `now` (`90s`, `15m`, `2h`, `1d`). `now` is the
 * real clock: Powertools stamps lines with it, even when CVPIPE_CLOCK_OFFSET_MS shifts the functions' clock.
 */
export const sinceFlag = (text: string | undefined, now: Date): Date | undefined => {
  if (text === undefined) return undefined;
  const duration = /^(\d+)([smhd])$/.exec(text.trim());
  if (duration) return new Date(now.getTime() - Number(duration[1]) * UNIT_MS[duration[2] as keyof typeof UNIT_MS]);
  const at = /^\d{4}-\d{2}-\d{2}(T.*)?$/.test(text.trim()) ? new Date(text) : new Date(Number.NaN);
  if (Number.isNaN(at.getTime())) {
    throw new UsageError(`--since: an ISO time (2026-11-18T10:00:00Z) or a duration like 15m, 2h, 1d (got "${text}")`);
  }
  return at;
};

/**
 * Whether a record passes every filter given. The stack's own lines are text (fn "stack"): an id
 * filter matches one when the id is in its text (the gateway's `GET /v1/jobs/<id>` lines).
 */
/** Shorter ids (a caller's correlation id may be "1") would match the stack's lines at random. */
const MIN_MENTIONED_ID = 8;
const BOUNDARY = new Set([" ", "/", "?", "&", "=", '"', "'", "(", ")", ",", ";", ":"]);

/** Whether `text` names `id` as a whole word or path segment (`GET /v1/jobs/<id> 200`), not inside another word. */
const mentions = (text: string, id: string): boolean => {
  if (id.length < MIN_MENTIONED_ID) return false;
  for (let at = text.indexOf(id); at >= 0; at = text.indexOf(id, at + 1)) {
    const before = at === 0 ? " " : text[at - 1]!;
    const after = at + id.length >= text.length ? " " : text[at + id.length]!;
    if (BOUNDARY.has(before) && BOUNDARY.has(after)) return true;
  }
  return false;
};

export const matches = (record: LogRecord, query: LogQuery): boolean => {
  const own = record["fn"] === STACK_FN;
  for (const key of Object.values(ID_KEYS)) {
    const wanted = query[key];
    if (wanted === undefined) continue;
    if (own ? !mentions(record.message, wanted) : record[key] !== wanted) return false;
  }
  if (query.level && !atLeast(record, query.level)) return false;
  if (query.since) {
    const at = Date.parse(record.timestamp);
    if (Number.isNaN(at) || at < query.since.getTime()) return false;
  }
  return true;
};

const text = (value: unknown): string | undefined =>
  typeof value === "string" || typeof value === "number" || typeof value === "boolean" ? String(value) : undefined;

/** One record as a line for a person: time, level, function, message, then the ids and outcome it carries. */
export const formatRecord = (record: LogRecord): string => {
  const fn = text(record["fn"]) ?? text(record["function_name"]) ?? text(record["service"]) ?? "-";
  const error = record["error"] as { name?: unknown; message?: unknown } | undefined;
  const fields = [
    ["job", record[ID_KEYS.jobId]],
    ["message", record[ID_KEYS.messageId]],
    ["correlation", record[ID_KEYS.correlationId]],
    ["outcome", record["outcome"]],
    ["code", record["code"]],
    [
      "error",
      error && typeof error === "object" ? `${text(error.name) ?? "Error"}: ${text(error.message) ?? ""}` : error,
    ],
  ]
    .map(([name, value]) => [name, text(value)] as const)
    .filter((pair): pair is readonly [string, string] => pair[1] !== undefined)
    .map(([name, value]) => `${name}=${value}`);
  return [record.timestamp, record.level.padEnd(5), fn.padEnd(9), record.message, ...fields].join("  ").trimEnd();
};
