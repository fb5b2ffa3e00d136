/**
 * `cvpipe logs` on a deployed stage: CloudWatch Logs FilterLogEvents over each function's log group
 * (found as `cvpipe verify` finds them: stage-functions.ts), with a JSON filter pattern built from the
 * query so CloudWatch, not the CLI, scans the lines.
 */
import { CloudWatchLogsClient, paginateFilterLogEvents } from "@aws-sdk/client-cloudwatch-logs";
import { LOG_LEVELS, type LogLevel, type LogRecord, parseLogRecord } from "@cvpipe/local/stack-log-lines";
import { listStageFunctions, logGroupOf } from "../stage-functions.ts";
import type { RawRecord } from "./local-logs.ts";
import { ID_KEYS, type LogQuery } from "./log-query.ts";

/**
 * The filter pattern for a query: `{ ($.jobId = "…") && ($.level = "WARN" || …) }`, or undefined when
 * no field is filtered (every event). Ids are checked by idFlag (no `"` or `\`), so they quote as they are.
 */
export const filterPattern = (query: LogQuery): string | undefined => {
  const terms: string[] = [];
  for (const key of Object.values(ID_KEYS)) {
    const wanted = query[key];
    if (wanted !== undefined) terms.push(`($.${key} = "${wanted}")`);
  }
  if (query.level) {
    const threshold = LOG_LEVELS[query.level];
    const levels = (Object.keys(LOG_LEVELS) as LogLevel[]).filter((l) => l !== "SILENT" && LOG_LEVELS[l] >= threshold);
    terms.push(`(${levels.map((l) => `$.level = "${l}"`).join(" || ")})`);
  }
  return terms.length > 0 ? `{ ${terms.join(" && ")} }` : undefined;
};

/** The FilterLogEvents input for one log group (startTime from --since; the pattern does the rest). */
export const filterInput = (logGroupName: string, query: LogQuery) => {
  const pattern = filterPattern(query);
  return {
    logGroupName,
    ...(pattern ? { filterPattern: pattern } : {}),
    ...(query.since ? { startTime: query.since.getTime() } : {}),
  };
};

/** An event's record: the function's JSON line, or (a line that is not one, e.g. the runtime's REPORT) its text. */
const recordOf = (message: string, timestamp: number, group: string): RawRecord => {
  const line = message.trimEnd();
  const record: LogRecord = parseLogRecord(line) ?? {
    level: "INFO",
    message: line,
    timestamp: new Date(timestamp).toISOString(),
    fn: group,
  };
  return { line: parseLogRecord(line) ? line : JSON.stringify(record), record };
};

/**
 * The stage's matching lines, oldest first, across every function's log group. CloudWatch has no
 * "newest first": with `limit`, every page is read and the newest `limit` kept (narrow with --since).
 */
export const readStageLogs = async (stage: string, query: LogQuery, limit: number): Promise<RawRecord[]> => {
  const client = new CloudWatchLogsClient({});
  const groups = (await listStageFunctions(stage)).map(logGroupOf).filter((g): g is string => g !== undefined);
  const out: { at: number; raw: RawRecord }[] = [];
  for (const group of groups) {
    for await (const page of paginateFilterLogEvents({ client }, filterInput(group, query))) {
      for (const e of page.events ?? []) {
        out.push({ at: e.timestamp ?? 0, raw: recordOf(e.message ?? "", e.timestamp ?? 0, group) });
      }
      if (out.length > limit * 4) {
        out.sort((a, b) => a.at - b.at);
        out.splice(0, out.length - limit);
      }
    }
  }
  out.sort((a, b) => a.at - b.at);
  return out.slice(-limit).map((o) => o.raw);
};
