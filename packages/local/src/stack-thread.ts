/**
 * `pnpm start`'s stack in a worker thread (main.ts starts it; see there why).
 * The thread runs startStack as the process's main thread would, and talks to
 * main.ts in messages:
 *
 *   to main:   { log: lines }                lines of the stack's log, in order
 *              { ready: StackReady }         started; what the banner shows
 *              { failed: StackFailure }      could not start (nothing is left running)
 *              { stopped: true } | { stopFailed: message }
 *   from main: "stop"                        stop gracefully (in-flight work finishes)
 */
import { parentPort, workerData } from "node:worker_threads";
import { ConfigError } from "@cvpipe/core/errors";
import { type StackInfo, type StackOptions, startStack } from "./stack.ts";

export interface StackReady {
  readonly info: StackInfo;
  /** The schedules' next fire times (ISO 8601), undefined when off. */
  readonly weeklyReportNext: string | undefined;
  readonly jobSweepNext: string | undefined;
  /** A one-time login link to the console (works once, for 10 minutes). */
  readonly consoleLoginUrl: string;
}

export interface StackFailure {
  readonly message: string;
  readonly code?: string;
  /** A configuration the stack refused (main.ts exits 2). */
  readonly config: boolean;
}

export type StackThreadOptions = Omit<StackOptions, "log">;

const port = parentPort!;
const { options } = workerData as { options: StackThreadOptions };

/**
 * The log, handed to main.ts a few lines at a time: a message per line (the gateway logs every request)
 * cost the stack thread 3% of its time under load. Lines wait at most LOG_FLUSH_MS.
 */
const LOG_FLUSH_MS = 20;
let pending: string[] = [];
let flushTimer: NodeJS.Timeout | undefined;
const flushLog = (): void => {
  clearTimeout(flushTimer);
  flushTimer = undefined;
  if (pending.length === 0) return;
  port.postMessage({ log: pending });
  pending = [];
};
const log = (line: string): void => {
  pending.push(line);
  flushTimer ??= setTimeout(flushLog, LOG_FLUSH_MS);
};

try {
  const stack = await startStack({ ...options, log });
  port.on("message", (message: unknown) => {
    if (message !== "stop") return;
    stack.stop().then(
      () => {
        flushLog();
        port.postMessage({ stopped: true });
        port.close();
      },
      (error: unknown) => {
        flushLog();
        port.postMessage({ stopFailed: (error as Error).message });
      },
    );
  });
  flushLog();
  port.postMessage({
    ready: {
      info: stack.info,
      weeklyReportNext: stack.scheduler?.next()?.toISOString(),
      jobSweepNext: stack.schedulers.jobSweep.next()?.toISOString(),
      consoleLoginUrl: stack.console.loginUrl(),
    } satisfies StackReady,
  });
} catch (error) {
  flushLog();
  const e = error as Error & { code?: unknown };
  port.postMessage({
    failed: {
      message: e.message,
      ...(typeof e.code === "string" ? { code: e.code } : {}),
      config: error instanceof ConfigError,
    } satisfies StackFailure,
  });
  port.close();
}
