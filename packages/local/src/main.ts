/**
 * `pnpm start`: the embedded stack in the foreground. Ctrl-C stops it
 * gracefully (in-flight work finishes, nothing unfinished is deleted); a
 * second Ctrl-C exits at once.
 *
 * The stack runs in a worker thread of this process (stack-thread.ts), its
 * emulators in another (emulators.ts): this thread only starts it, prints and
 * handles signals. One process still: a kill ends every thread.
 *
 * Memory: a process's RSS is its heaps' peak, not their use (V8 keeps the
 * pages it grew). V8's defaults let each thread's young generation grow to
 * 134 MB under load and its old generation to about twice what is live
 * before collecting it, so 400 jobs left the stack at 520-580 MB for good.
 * Here the stack thread's young generation is capped (a worker thread's
 * `resourceLimits`, which a main thread gets only from node's command line)
 * and the old generation is collected when it has grown 30% past what
 * survived the last collection (V8's heap-growing-percent, read at each
 * collection, so setting it here covers every thread). No hard limit on the
 * old generation: a large request is not an out-of-memory crash.
 */
import { createInterface } from "node:readline";
import type { Readable, Writable } from "node:stream";
import v8 from "node:v8";
import { Worker } from "node:worker_threads";
import { ConfigError } from "@cvpipe/core/errors";
import { CLOCK_OFFSET_ENV, clockFromEnv } from "@cvpipe/core/ports/clock";
import { POWERTOOLS_ENV, type QueueId, queueNameOf } from "@cvpipe/core/topology";
import { PORTS, settingsFromEnv, VISIBILITY_TIMEOUT_ENV, WORKERS_ENV } from "./settings.ts";
import { StackLogFile, stackLogFiles } from "./stack-log-file.ts";
import { atLeast, isLogLevel, type LogLevel, parseLogRecord, stackLogRecord } from "./stack-log-lines.ts";
import type { StackFailure, StackReady, StackThreadOptions } from "./stack-thread.ts";

/** The stack thread's young generation, MB. */
const STACK_YOUNG_GENERATION_MB = 32;
/** How far the old generation grows past its last live size before V8 collects it, %. */
const HEAP_GROWING_PERCENT = 30;

v8.setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);

// First of all: whatever the stack writes under the data directory (CVs among it) is owner-only.
// startStack also sets this and closes an existing tree; set here so nothing in this process precedes it.
process.umask(0o077);
const settings = settingsFromEnv();

/**
 * The structured log for `cvpipe logs` (stack-log-file.ts): every function line at INFO and above,
 * whatever the terminal shows. The functions log at POWERTOOLS_LOG_LEVEL when the user set it, else
 * INFO; the terminal shows the user's level, else WARN (what `pnpm start` always printed).
 */
const userLevel = process.env[POWERTOOLS_ENV.logLevel]?.toUpperCase() || undefined;
const functionsLevel: string = userLevel ?? "INFO";
const terminalLevel: LogLevel = userLevel !== undefined && isLogLevel(userLevel) ? userLevel : "WARN";
const logFile = new StackLogFile(settings.dataDir, {
  onError: (error) =>
    console.error(`cvpipe: cannot write ${stackLogFiles(settings.dataDir)[1]} (${error.message}); lines are dropped`),
});
// process.exit (Ctrl-C, a failed start) runs exit handlers only, synchronously: the last batch goes here.
process.on("exit", () => logFile.flush());

const stamp = (at: Date) => at.toISOString().slice(11, 19);
const log = (line: string) => {
  const at = new Date();
  console.log(`${stamp(at)} ${line}`);
  logFile.append(JSON.stringify(stackLogRecord(line, at)));
};

log(`cvpipe embedded stack starting (data: ${settings.dataDir})`);
// CVPIPE_WORKERS=off: accept requests but leave queues untouched (maintenance, inspection).
const workers = process.env[WORKERS_ENV] !== "off";
if (!workers) log(`${WORKERS_ENV}=off: queue workers are paused; messages stay queued`);

/**
 * For tests that run this entry as a process (restart, chaos): CVPIPE_CLOCK_OFFSET_MS shifts every
 * function's clock by that many milliseconds, exactly (a test restarting the stack keeps one clock);
 * CVPIPE_VISIBILITY_TIMEOUT_SECONDS sets every queue's visibility timeout (the topology's is 6 x the
 * worker's timeout: after a crash, what was in flight comes back only then). Leave both unset in normal use.
 */
const testOverrides = (env: NodeJS.ProcessEnv) => {
  const offset = env[CLOCK_OFFSET_ENV];
  const visibility = env[VISIBILITY_TIMEOUT_ENV];
  let visibilityTimeoutSeconds: Record<QueueId, number> | undefined;
  if (visibility) {
    const seconds = Number(visibility);
    if (!Number.isInteger(seconds) || seconds < 1 || seconds > 43_200) {
      throw new ConfigError(`${VISIBILITY_TIMEOUT_ENV} must be whole seconds 1-43200, got "${visibility}"`);
    }
    visibilityTimeoutSeconds = { tailoringJobs: seconds, analyticsEvents: seconds };
  }
  return {
    // clockFromEnv refuses a malformed offset (ConfigError).
    ...(offset && clockFromEnv(env) ? { clockOffsetMs: Number(offset) } : {}),
    ...(visibilityTimeoutSeconds ? { visibilityTimeoutSeconds } : {}),
  };
};

const failed = (failure: StackFailure): never => {
  console.error(`cvpipe: could not start: ${failure.message}`);
  if (failure.code === "EADDRINUSE") {
    console.error(
      `a port is taken: is another stack running? Override with ${Object.values(PORTS)
        .map((p) => p.env)
        .join(
          ", ",
        )}. (An AWS_ENDPOINT_URL_<SERVICE> at the stack's own port counts as the stack's address: to use a server of your own there, give the stack another port.)`,
    );
  }
  process.exit(failure.config ? 2 : 1);
};

let options: StackThreadOptions;
try {
  options = { settings, pollers: workers, ...testOverrides(process.env) };
} catch (error) {
  failed({ message: (error as Error).message, config: error instanceof ConfigError });
}
type FromStack =
  | { log: string[] }
  | { ready: StackReady }
  | { failed: StackFailure }
  | { stopped: true }
  | { stopFailed: string };
const thread = new Worker(new URL("./stack-thread.ts", import.meta.url), {
  workerData: { options: options! },
  resourceLimits: { maxYoungGenerationSizeMb: STACK_YOUNG_GENERATION_MB },
  env: { ...process.env, [POWERTOOLS_ENV.logLevel]: functionsLevel },
  // The functions' Powertools lines arrive on the thread's stdout (INFO, DEBUG) and stderr (WARN, ERROR):
  // read here, not piped through, to copy them to the log file and print what the terminal level shows.
  stdout: true,
  stderr: true,
});
const relay = (from: Readable, to: Writable): void => {
  createInterface({ input: from, crlfDelay: Number.POSITIVE_INFINITY }).on("line", (line) => {
    const record = parseLogRecord(line);
    if (record) logFile.append(line);
    if (!record || atLeast(record, terminalLevel)) to.write(`${line}\n`);
  });
};
relay(thread.stdout, process.stdout);
relay(thread.stderr, process.stderr);
let onStopped: ((error?: string) => void) | undefined;
const ready = new Promise<StackReady>((resolve) => {
  thread.on("message", (message: FromStack) => {
    if ("log" in message) for (const line of message.log) log(line);
    else if ("ready" in message) resolve(message.ready);
    else if ("failed" in message) failed(message.failed);
    else if ("stopped" in message) onStopped?.();
    else if ("stopFailed" in message) onStopped?.(message.stopFailed);
  });
});
// An error the stack did not handle ends the process, as it did with the stack on this thread.
thread.on("error", (error) => {
  console.error("cvpipe: the stack failed:", error);
  process.exit(1);
});
thread.on("exit", (code) => {
  if (onStopped === undefined) {
    console.error(`cvpipe: the stack's thread ended unexpectedly (exit code ${code})`);
    process.exit(1);
  }
});
const started = await ready;
const { info } = started;
const { services } = info;
const sesNote =
  services.ses.source === "emulated" ? `   sent mail: ${info.endpoints.ses}/ (web UI), /store (JSON)` : "";
const bedrockNote = services["bedrock-runtime"].source === "emulated" ? "   Converse over h2c" : "";
console.log(`
  API (HTTP API v2 + JWT)   ${info.apiUrl}          routes under /v1, JWKS at /.well-known/jwks.json
  console                   ${info.apiUrl}/console  queues, DLQs and redrive, jobs, report preview, sent email
    one-time login link     ${started.consoleLoginUrl}
                            (works once, for 10 minutes; afterwards paste an admin token on the login page:
                             pnpm cvpipe token --tenant ops --user you --role admin)
  SQS                       ${services.sqs.description}
  S3                        ${services.s3.description}
  DynamoDB                  ${services.dynamodb.description}
  Bedrock Runtime           ${services["bedrock-runtime"].description}${bedrockNote}; jobs with options.engine "bedrock" use it
  OpenAI-compatible         ${info.openai.source === "emulated" ? "emulated (cvpipe Chat Completions stand-in)" : "user-configured (OPENAI_BASE_URL), no stand-in"} ${info.openai.baseUrl}, model ${info.openai.model || "(OPENAI_MODEL unset)"}; jobs with options.engine "openai" use it
  SES                       ${services.ses.description}${sesNote}
  queues                    ${Object.values(info.queues)
    .map((q) => queueNameOf(q.url))
    .join(", ")} (+ DLQs)${
    info.stage
      ? `
  stage                     ${info.stage} (CVPIPE_LOCAL_STAGE): queues, tables and buckets carry its names`
      : ""
  }
  weekly report             ${started.weeklyReportNext ?? "off"} next
  stuck-job sweep           ${started.jobSweepNext ?? "off"} next (every 15 min)

  token:  pnpm cvpipe token --tenant acme --user alice
  aws:    aws ${info.endpoints.sqs ? `--endpoint-url ${info.endpoints.sqs} ` : ""}sqs list-queues
`);
log("ready; Ctrl-C to stop");

let stopping = false;
const shutdown = (signal: string) => {
  if (stopping) {
    log(`${signal} again: exiting now`);
    process.exit(130);
  }
  stopping = true;
  log(`${signal}: stopping (waiting for in-flight work; ${signal} again to force)`);
  new Promise<void>((resolve, reject) => {
    onStopped = (error) => (error === undefined ? resolve() : reject(new Error(error)));
    thread.postMessage("stop");
  }).then(
    () => {
      log("stopped");
      process.exit(0);
    },
    (error: unknown) => {
      console.error(`stop failed: ${(error as Error).message}`);
      process.exit(1);
    },
  );
};
process.on("SIGINT", () => shutdown("SIGINT"));
process.on("SIGTERM", () => shutdown("SIGTERM"));
