/**
 * The embedded stack as a real process (`pnpm start`'s entry,
 * packages/local/src/main.ts) on the settings' ports, for tests that need a
 * fresh process — the handlers keep their clients for the life of a process,
 * so one process serves one stack configuration — and for the benchmarks,
 * which measure it from outside as a producer would (startStackProcess).
 *
 * Light to import: no stack code runs in this process, and on the moto
 * backend nothing here starts a moto (support/stack.ts does).
 */
import { type ChildProcess, spawn } from "node:child_process";
import { rmSync } from "node:fs";
import { connect } from "node:net";
import { join } from "node:path";
import { type LocalKeys, readKeys } from "@cvpipe/local/jwt-keys";
import type { LocalSettings } from "@cvpipe/local/settings";
import type { StackInfo } from "@cvpipe/local/stack";
import { ApiClient } from "./api-client.ts";
import { treeRss } from "./process-stats.ts";
import { repoRoot, testSettings } from "./settings.ts";
import { readStackInfo } from "./stack-info.ts";
import { until } from "./until.ts";

export interface StackProcess {
  readonly child: ChildProcess;
  /** Everything the process printed so far (stdout and stderr). */
  output(): string;
  /** Resolves with the exit code. */
  readonly exited: Promise<number | null>;
  api(): ApiClient;
  /** Resident memory of the stack's process and every process it started, in bytes (0 once it is gone). */
  rssBytes(): number;
  /** SIGTERM and wait for the exit. */
  stop(): Promise<number | null>;
}

export interface SpawnOptions {
  /** Extra node flags for the stack process (--cpu-prof ...). */
  readonly nodeArgs?: readonly string[];
}

export const spawnStack = (
  settings: LocalSettings,
  env: Readonly<Record<string, string>> = {},
  options: SpawnOptions = {},
): StackProcess => {
  const child = spawn(process.execPath, [...(options.nodeArgs ?? []), join(repoRoot, "packages/local/src/main.ts")], {
    env: {
      ...process.env,
      POWERTOOLS_LOG_LEVEL: "SILENT",
      CVPIPE_DATA_DIR: settings.dataDir,
      CVPIPE_API_PORT: String(settings.apiPort),
      CVPIPE_SQS_PORT: String(settings.sqsPort),
      CVPIPE_DYNAMODB_PORT: String(settings.dynamoDbPort),
      CVPIPE_SES_PORT: String(settings.sesPort),
      CVPIPE_BEDROCK_PORT: String(settings.bedrockPort),
      CVPIPE_OPENAI_PORT: String(settings.openaiPort),
      ...env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout!.on("data", (d) => {
    output += d;
  });
  child.stderr!.on("data", (d) => {
    output += d;
  });
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  const killOnExit = (): void => {
    child.kill("SIGKILL");
  };
  process.once("exit", killOnExit);
  void exited.then(() => process.removeListener("exit", killOnExit));
  return {
    child,
    output: () => output,
    exited,
    api: () => new ApiClient(`http://127.0.0.1:${settings.apiPort}`, { keys: readKeys(settings.dataDir) }),
    rssBytes: () => (child.pid === undefined ? 0 : treeRss(child.pid)),
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
      return exited;
    },
  };
};

/** Waits until the process prints "ready;" (or fails with its output if it exits first). */
export const waitReady = async (stack: StackProcess, timeoutMs = 30_000): Promise<string> => {
  let gone = false;
  void stack.exited.then(() => {
    gone = true;
  });
  await until(
    "stack ready",
    async () => {
      if (stack.output().includes("ready;")) return true;
      if (gone) throw new Error(`the stack exited before it was ready:\n${stack.output()}`);
      return undefined;
    },
    timeoutMs,
  ).catch((error: Error) => {
    throw new Error(`${error.message}\n${stack.output()}`);
  });
  return stack.output();
};

export interface StackProcessOptions extends SpawnOptions {
  /** CVPIPE_WORKERS=off when false: requests are accepted, queues are left alone. */
  readonly workers: boolean;
  readonly env?: Readonly<Record<string, string>>;
  /** Run on this data directory (a restart) instead of a fresh one; stop() then leaves it in place. */
  readonly dataDir?: string;
}

/** A stack process that is ready, with what it wrote to its data directory. */
export interface StartedStackProcess extends StackProcess {
  readonly info: StackInfo;
  readonly keys: LocalKeys;
  readonly dataDir: string;
  /** SIGTERM (SIGKILL after 30 s) and wait for the exit; a fresh data directory is then removed. */
  stop(): Promise<number | null>;
}

/** Spawns a stack process on free ports (and a fresh data directory, unless given one) and waits up to 60 s until it is ready. */
export const startStackProcess = async (options: StackProcessOptions): Promise<StartedStackProcess> => {
  const settings = await testSettings(options.dataDir);
  const env = { ...(options.workers ? {} : { CVPIPE_WORKERS: "off" }), ...options.env };
  const stack = spawnStack(settings, env, options);
  await waitReady(stack, 60_000);
  return {
    ...stack,
    info: readStackInfo(settings.dataDir),
    keys: readKeys(settings.dataDir),
    dataDir: settings.dataDir,
    stop: async () => {
      const forced = setTimeout(() => stack.child.kill("SIGKILL"), 30_000);
      const code = await stack.stop();
      clearTimeout(forced);
      if (options.dataDir === undefined) rmSync(settings.dataDir, { recursive: true, force: true });
      return code;
    },
  };
};

/** Whether something accepts connections on 127.0.0.1:port. */
export const listening = (port: number): Promise<boolean> =>
  new Promise((resolve) => {
    const socket = connect({ host: "127.0.0.1", port });
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });

/** The banner line that starts with `label` (e.g. "DynamoDB "), or "". */
export const bannerLine = (output: string, label: string): string =>
  output.split("\n").find((l) => l.trim().startsWith(label)) ?? "";
