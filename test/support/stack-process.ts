/**
 * Test helper: the embedded stack as a real process (`pnpm start`'s entry,
 * packages/local/src/main.ts) on the settings' ports, for tests that need a
 * fresh process — the handlers keep their clients for the life of a process,
 * so one process serves one stack configuration.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { connect } from "node:net";
import { join } from "node:path";
import { readKeys } from "@cvpipe/local/jwt-keys";
import type { LocalSettings } from "@cvpipe/local/settings";
import { ApiClient, repoRoot, until } from "./stack.ts";

export interface StackProcess {
  readonly child: ChildProcess;
  /** Everything the process printed so far (stdout and stderr). */
  output(): string;
  /** Resolves with the exit code. */
  readonly exited: Promise<number | null>;
  api(): ApiClient;
  /** SIGTERM and wait for the exit. */
  stop(): Promise<number | null>;
}

export const spawnStack = (settings: LocalSettings, env: Record<string, string> = {}): StackProcess => {
  const child = spawn(process.execPath, [join(repoRoot, "packages/local/src/main.ts")], {
    env: {
      ...process.env,
      POWERTOOLS_LOG_LEVEL: "SILENT",
      CVPIPE_DATA_DIR: settings.dataDir,
      CVPIPE_API_PORT: String(settings.apiPort),
      CVPIPE_SQS_PORT: String(settings.sqsPort),
      CVPIPE_DYNAMODB_PORT: String(settings.dynamoDbPort),
      CVPIPE_SES_PORT: String(settings.sesPort),
      CVPIPE_BEDROCK_PORT: String(settings.bedrockPort),
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
