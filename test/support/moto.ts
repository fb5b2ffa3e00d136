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
import { isMainThread } from "node:worker_threads";
import { endpointEnv, SERVICE_IDS } from "@cvpipe/aws/clients";
import type { Callback, Test } from "uvu";
import { freePort } from "./ports.ts";
import { startSerialProxy } from "./serial-http-proxy.ts";

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

/**
 * Starts `moto_server -H 127.0.0.1 -p <free port>` and waits until it answers. Each call is a fresh, empty moto.
 * `detach`: the server does not keep this process alive (it is still killed when the process exits).
 */
export const startMoto = async (timeoutMs = 30_000, options: { readonly detach?: boolean } = {}): Promise<Moto> => {
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
  if (options.detach) {
    child.unref();
    (child.stdout as unknown as { unref?: () => void } | null)?.unref?.();
    (child.stderr as unknown as { unref?: () => void } | null)?.unref?.();
  }
  let exited = false;
  child.once("exit", () => {
    exited = true;
  });
  // Not installed (ENOENT) or not runnable: an exit, not an unhandled 'error' event.
  child.once("error", (error) => {
    output += `${error.message}\n`;
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

// ─────────────────────────── The integration suite's backend ───────────────────────────

/**
 * `CVPIPE_TEST_BACKEND=moto` (the runner's second pass over test/*.test.ts, scripts/test.ts): every
 * stack a test starts — startTestStack, or a stack process spawned with this process's environment —
 * talks to one moto_server per test file for SQS, S3, DynamoDB and SES, through
 * `AWS_ENDPOINT_URL_<SERVICE>` exactly as a user points `pnpm start` at moto, and starts no emulator
 * for them; Bedrock stays the local stand-in. Unset or `embedded`: the embedded emulators.
 */
export const TEST_BACKEND_ENV = "CVPIPE_TEST_BACKEND";

export type TestBackend = "embedded" | "moto";

export const testBackend = (env: Readonly<Record<string, string | undefined>> = process.env): TestBackend => {
  const value = env[TEST_BACKEND_ENV];
  if (value === undefined || value === "" || value === "embedded") return "embedded";
  if (value === "moto") return "moto";
  throw new Error(`${TEST_BACKEND_ENV}="${value}": expected "embedded" or "moto"`);
};

/** Whether this test file runs on the moto backend. */
export const onMoto: boolean = testBackend() === "moto";

/** The services the moto backend serves, by their SDK ids (the `<SERVICE>` of AWS_ENDPOINT_URL_<SERVICE>). */
export const MOTO_SERVICES = [SERVICE_IDS.sqs, SERVICE_IDS.s3, SERVICE_IDS.dynamodb, SERVICE_IDS.ses] as const;

let fileMoto: Promise<Moto> | undefined;

/**
 * The moto backend of this test file: starts moto_server once per process (it is killed when the
 * process exits, and does not keep it alive) and sets AWS_ENDPOINT_URL_SQS/_S3/_DYNAMODB/_SES (and
 * AWS_REGION, when unset) in process.env, so stacks started here and stack processes spawned from here
 * use it. Throws when moto_server cannot be started: the runner counts the moto pass as skipped where
 * moto_server is not installed and never runs a file on this backend there.
 */
export const motoBackend = (): Promise<Moto> => {
  fileMoto ??= startMoto(60_000, { detach: true }).then(
    async (moto) => {
      // moto's DynamoDB item writes are not atomic under concurrent requests (serial-http-proxy.ts,
      // docs/emulator-differences.md): its requests go one at a time, as atomic as DynamoDB's own.
      const dynamodb = await startSerialProxy(moto.endpoint);
      for (const service of MOTO_SERVICES) {
        process.env[endpointEnv(service)] = service === SERVICE_IDS.dynamodb ? dynamodb.endpoint : moto.endpoint;
      }
      process.env["AWS_REGION"] ??= REGION;
      console.log(
        `backend: moto ${moto.endpoint} for ${MOTO_SERVICES.join(", ")} (DynamoDB through the serialising proxy ${dynamodb.endpoint}; Bedrock: the local stand-in)`,
      );
      return moto;
    },
    (error: Error) => {
      throw new Error(
        `${TEST_BACKEND_ENV}=moto, but moto_server could not be started (is it installed? pip install "moto[server]"): ${error.message}`,
      );
    },
  );
  return fileMoto;
};

/**
 * This test file's moto on the moto backend, started when this module is first imported (by
 * support/stack.ts, or by the runner's `--import` of this file before the test file is loaded, so
 * that tests which import neither still find AWS_ENDPOINT_URL_<SERVICE> set); undefined on the
 * embedded backend. Never in a worker thread: workers inherit the runner's `--import` (the local stack
 * runs its emulators and stack in threads) and must use the process's moto, whose endpoints they find
 * in the environment they inherit.
 */
export const moto: Moto | undefined = onMoto && isMainThread ? await motoBackend() : undefined;

/** Empties every service of a moto (POST /moto-api/reset): what a fresh data directory is to the embedded emulators. */
export const resetMoto = async (moto: Pick<Moto, "endpoint">): Promise<void> => {
  const res = await fetch(`${moto.endpoint}/moto-api/reset`, { method: "POST" });
  if (!res.ok) throw new Error(`moto reset answered ${res.status}: ${await res.text()}`);
};

/** An email as the SES backend recorded it: aws-ses-v2-local's `GET /store` entries, or moto's. */
export interface SentEmail {
  readonly messageId: string;
  readonly from: string;
  readonly subject: string;
  readonly destination: { readonly to: string[] };
  /**
   * moto keeps one body per SendEmail — the HTML part when there is one (docs/emulator-differences.md) —
   * so on moto `text` is undefined for a multipart email.
   */
  readonly body: { readonly text?: string; readonly html?: string };
}

interface MotoSesMessage {
  readonly id: string;
  readonly source: string;
  readonly subject: string;
  readonly body: string;
  readonly destinations: { readonly ToAddresses?: string[] };
}

/** Emails moto's SES accepted (SendEmail), oldest first, from its model dump (`GET /moto-api/data.json`). */
export const motoSentEmails = async (moto: Pick<Moto, "endpoint">): Promise<SentEmail[]> => {
  const res = await fetch(`${moto.endpoint}/moto-api/data.json`);
  const data = (await res.json()) as { ses?: { Message?: MotoSesMessage[] } };
  return (data.ses?.Message ?? []).map((m) => ({
    messageId: m.id,
    from: m.source,
    subject: m.subject,
    destination: { to: m.destinations.ToAddresses ?? [] },
    body: { html: m.body },
  }));
};

/**
 * For tests that cannot make sense on moto (a test of an embedded emulator's own behaviour, or of which
 * emulators the embedded stack starts): on the embedded backend `t` itself; on moto a `test` whose
 * tests are all skipped (the runner counts them as skipped) and whose hooks never run. Prints the
 * reason once (the runner shows it next to the file). For a whole file:
 * `const test = unlessMoto("why", uvuTest)`; for some tests: `const embeddedOnly = unlessMoto("why", test)`
 * and the file's hooks stay on `test`.
 */
export const unlessMoto = <T>(reason: string, t: Test<T>): Test<T> => {
  if (!onMoto) return t;
  console.log(`skip on moto: ${reason}`);
  const skip = (name?: string, fn?: Callback<T>): void => t.skip(name, fn);
  const noHook = Object.assign((_hook: Callback<T>): void => {}, { each: (_hook: Callback<T>): void => {} });
  return Object.assign(skip, { only: skip, skip, before: noHook, after: noHook, run: () => t.run() }) as Test<T>;
};
