/**
 * What goes into the stack's log file (stack-log-file.ts) and what `pnpm start` prints of it.
 *
 * The functions log through Powertools: a JSON object a line with `level`, `message`, `timestamp`,
 * `service`, the function (`fn`), the Lambda context (`function_request_id`, …) and the keys the
 * handler adds (`jobId`, `messageId`, `correlationId`). The stack's own lines (gateway requests,
 * pollers, schedules) are plain text; stackLogRecord gives them the same shape with `fn: "stack"`.
 */

/** Powertools' level names by rank (its LogLevelThreshold). */
export const LOG_LEVELS = { TRACE: 6, DEBUG: 8, INFO: 12, WARN: 16, ERROR: 20, CRITICAL: 24, SILENT: 28 } as const;
export type LogLevel = keyof typeof LOG_LEVELS;

export const isLogLevel = (name: string): name is LogLevel => Object.hasOwn(LOG_LEVELS, name);

/** The `fn` of the stack's own lines. */
export const STACK_FN = "stack";

export interface LogRecord {
  readonly level: string;
  readonly message: string;
  readonly timestamp: string;
  readonly [key: string]: unknown;
}

/** A line's record when it is a log line (Powertools' shape); undefined for anything else (EMF metric documents, text). */
export const parseLogRecord = (line: string): LogRecord | undefined => {
  if (!line.startsWith("{")) return undefined;
  try {
    const value = JSON.parse(line) as Record<string, unknown>;
    return typeof value["level"] === "string" &&
      typeof value["message"] === "string" &&
      typeof value["timestamp"] === "string"
      ? (value as LogRecord)
      : undefined;
  } catch {
    return undefined;
  }
};

/** One of the stack's own text lines as a record (INFO: the stack marks none of its lines by severity). */
export const stackLogRecord = (line: string, at: Date): LogRecord => ({
  level: "INFO",
  message: line,
  timestamp: at.toISOString(),
  fn: STACK_FN,
});

/** Whether a record's level is at least `threshold` (an unknown level counts as shown: never hide what cannot be ranked). */
export const atLeast = (record: Pick<LogRecord, "level">, threshold: LogLevel): boolean => {
  const rank = LOG_LEVELS[record.level.toUpperCase() as LogLevel] as number | undefined;
  return rank === undefined || rank >= LOG_LEVELS[threshold];
};
