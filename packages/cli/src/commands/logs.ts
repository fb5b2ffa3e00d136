import { settingsFromEnv } from "@cvpipe/local/settings";
import { stackLogFiles } from "@cvpipe/local/stack-log-file";
import { parseCliArgs, positiveInteger } from "../args.ts";
import { STAGE_ENV } from "../cli-env.ts";
import { followStackLog, type RawRecord, readStackLog } from "../logs/local-logs.ts";
import { formatRecord, idFlag, type LogQuery, levelFlag, matches, sinceFlag } from "../logs/log-query.ts";
import { filterPattern, readStageLogs } from "../logs/stage-logs.ts";
import { StackNotFoundError, UsageError } from "../stack-info.ts";

export const logsHelp = `cvpipe logs [--job ID] [--message ID] [--correlation ID] [--level L] [--since T] [--limit N] [--follow] [--json]
  The functions' structured log lines (and the stack's own), newest --limit (default 100), oldest first.
  --job, --message, --correlation: lines carrying that job id, SQS message id or correlation id
  (every filter given must match); --level: at least DEBUG, INFO, WARN, ERROR or CRITICAL;
  --since: an ISO time or a duration back from now (15m, 2h, 1d); --follow: then keep printing
  new matching lines (embedded stack only); --json: the lines as written, one JSON object a line.
  Embedded stack: $CVPIPE_DATA_DIR/logs/stack.jsonl, written by "pnpm start" (20 MB, one rotation).
  CVPIPE_STAGE: CloudWatch Logs FilterLogEvents over the stage's function log groups.`;

const DEFAULT_LIMIT = 100;

export const logsCommand = async (args: string[]): Promise<void> => {
  const { values } = parseCliArgs({
    args,
    options: {
      job: { type: "string" },
      message: { type: "string" },
      correlation: { type: "string" },
      level: { type: "string" },
      since: { type: "string" },
      limit: { type: "string" },
      follow: { type: "boolean", default: false },
      json: { type: "boolean", default: false },
    },
    strict: true,
  });
  const jobId = idFlag("--job", values.job);
  const messageId = idFlag("--message", values.message);
  const correlationId = idFlag("--correlation", values.correlation);
  const level = levelFlag(values.level);
  const since = sinceFlag(values.since, new Date());
  const query: LogQuery = {
    ...(jobId ? { jobId } : {}),
    ...(messageId ? { messageId } : {}),
    ...(correlationId ? { correlationId } : {}),
    ...(level ? { level } : {}),
    ...(since ? { since } : {}),
  };
  const limit = values.limit === undefined ? DEFAULT_LIMIT : positiveInteger("--limit", values.limit, "lines");
  const print = (raw: RawRecord): void => console.log(values.json ? raw.line : formatRecord(raw.record));

  const stage = process.env[STAGE_ENV];
  if (stage) {
    if (values.follow) {
      const pattern = filterPattern(query);
      throw new UsageError(
        `--follow: only on the embedded stack; on a stage, aws logs tail <log group> --follow${pattern ? ` --filter-pattern '${pattern}'` : ""}`,
      );
    }
    for (const raw of await readStageLogs(stage, query, limit)) print(raw);
    return;
  }

  // The file outlives the stack: lines of a stopped stack are read as well as a running one's.
  const { dataDir } = settingsFromEnv();
  const all = readStackLog(dataDir);
  if (all === undefined) {
    throw new StackNotFoundError(`no stack log (${stackLogFiles(dataDir)[1]}): "pnpm start" writes it`);
  }
  const matching = all.filter((raw) => matches(raw.record, query));
  for (const raw of matching.slice(-limit)) print(raw);
  if (!values.json && matching.length > limit) {
    console.error(`(${matching.length - limit} earlier matching line(s) not shown: --limit, --since)`);
  }
  if (!values.follow) return;
  const stop = followStackLog(dataDir, (raw) => {
    if (matches(raw.record, query)) print(raw);
  });
  await new Promise<void>((resolve) => {
    const end = () => {
      stop();
      resolve();
    };
    process.once("SIGINT", end);
    process.once("SIGTERM", end);
  });
};
