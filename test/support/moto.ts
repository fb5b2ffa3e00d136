/**
 * Test helper: a moto server (https://github.com/getmoto/moto) on a free
 * loopback port, for tests that need AWS behaviour the embedded emulators do
 * not have — above all SQS FIFO handing out several messages of one group in
 * one receive, which fauxqs (one per group) hides.
 *
 * moto is a Python tool, not an npm package: tests that use it are skipped
 * (`test.skip`, so the runner counts them as skipped, never passed) where
 * `moto_server` is not installed.
 *
 *   const moto = hasMotoServer() ? await startMoto() : undefined;
 *   const it = moto ? test : test.skip;
 *   ... new SQSClient(moto.clientConfig) ...
 *   test.after(() => moto?.close());
 */
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { setTimeout as sleep } from "node:timers/promises";
import { freePort } from "./ports.ts";

/** Whether `moto_server` can be started on this machine (found on PATH and answers `-h`). */
export const hasMotoServer = (): boolean => {
  const probe = spawnSync("moto_server", ["-h"], { stdio: "ignore", timeout: 30_000 });
  return probe.error === undefined && probe.status === 0;
};

export interface Moto {
  /** `http://127.0.0.1:<port>`: one endpoint for every service moto emulates. */
  readonly endpoint: string;
  /** Client config for any AWS SDK v3 client (region, dummy credentials, endpoint). */
  readonly clientConfig: {
    readonly endpoint: string;
    readonly region: string;
    readonly credentials: { readonly accessKeyId: string; readonly secretAccessKey: string };
  };
  /** The same as environment variables, for a child process (the CLI). */
  readonly env: Readonly<Record<string, string>>;
  /** Everything moto wrote to stdout/stderr, for failure messages. */
  readonly output: () => string;
  close(): Promise<void>;
}

const REGION = "us-east-1";

/** Starts `moto_server -H 127.0.0.1 -p <free port>` and waits until it answers. Each call is a fresh, empty moto. */
export const startMoto = async (timeoutMs = 30_000): Promise<Moto> => {
  const port = await freePort();
  const endpoint = `http://127.0.0.1:${port}`;
  const child: ChildProcess = spawn("moto_server", ["-H", "127.0.0.1", "-p", String(port)], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout?.on("data", (d) => {
    output += d;
  });
  child.stderr?.on("data", (d) => {
    output += d;
  });
  let exited = false;
  child.once("exit", () => {
    exited = true;
  });
  // Never leave a server behind, even when the test file crashes.
  const killOnExit = (): void => {
    if (!exited) child.kill("SIGKILL");
  };
  process.once("exit", killOnExit);

  const close = async (): Promise<void> => {
    process.removeListener("exit", killOnExit);
    if (exited) return;
    const gone = new Promise<void>((resolve) => child.once("exit", () => resolve()));
    child.kill("SIGTERM");
    const stopped = await Promise.race([gone.then(() => true), sleep(5_000).then(() => false)]);
    if (!stopped) {
      child.kill("SIGKILL");
      await gone;
    }
  };

  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (exited) throw new Error(`moto_server exited before it answered:\n${output}`);
    const up = await fetch(`${endpoint}/moto-api/`).then(
      (r) => r.status < 500,
      () => false,
    );
    if (up) break;
    if (Date.now() > deadline) {
      await close();
      throw new Error(`moto_server did not answer on ${endpoint} within ${timeoutMs} ms:\n${output}`);
    }
    await sleep(100);
  }

  const credentials = { accessKeyId: "moto", secretAccessKey: "moto" };
  return {
    endpoint,
    clientConfig: { endpoint, region: REGION, credentials },
    env: {
      AWS_ENDPOINT_URL: endpoint,
      AWS_REGION: REGION,
      AWS_ACCESS_KEY_ID: credentials.accessKeyId,
      AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
    },
    output: () => output,
    close,
  };
};
