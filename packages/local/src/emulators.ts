/**
 * The real AWS-protocol servers of the embedded stack, each bound to
 * 127.0.0.1 with its state under the data directory:
 * fauxqs (SQS + S3), dynalite (DynamoDB), aws-ses-v2-local (SES). Only
 * those the stack emulates are started (services.ts decides). The Bedrock
 * Runtime stand-in is started here only when asked for (tests that run the
 * emulators on their own); the stack starts its own (stack.ts).
 */
import { chmodSync, lstatSync, mkdirSync, readdirSync, realpathSync } from "node:fs";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { isMainThread, Worker } from "node:worker_threads";
import sesModule from "aws-ses-v2-local";
import dynalite from "dynalite";
import { startFauxqs } from "fauxqs";
import { startBedrockServer } from "./bedrock-server/bedrock-server.ts";
import { closeServer, listen } from "./listen.ts";
import { HOST, type LocalSettings } from "./settings.ts";
import { answerSqsQuery } from "./sqs-query-protocol.ts";

// A CommonJS module whose `exports.default` is the server factory.
const sesServer = sesModule.default;

/** The endpoints of the emulators started; undefined for a service not emulated. */
export interface Emulators {
  readonly sqsEndpoint: string | undefined;
  readonly s3Endpoint: string | undefined;
  readonly dynamoDbEndpoint: string | undefined;
  readonly sesEndpoint: string | undefined;
  /** Only with `bedrock: true` in the choice. */
  readonly bedrockEndpoint: string | undefined;
  stop(): Promise<void>;
}

/**
 * Makes the data directory owner-only and keeps it so: it holds CVs (S3
 * objects, SQS messages, DynamoDB items) and the JWT signing key. Sets this
 * process's umask to 077 — so every file the emulators write later (fauxqs's
 * SQLite database and its WAL, dynalite's LevelDB files, S3 objects) is born
 * 0600 and every directory 0700 — creates the directory 0700, and strips
 * group/other bits from whatever an older version left there (symlinks inside
 * are neither followed nor changed). The umask stays set after the stack stops:
 * restoring it would reopen the hole for anything still being written.
 */
export const ownerOnlyDataDir = (dataDir: string): void => {
  // The umask is the process's; only its main thread may set it (main.ts does, before starting a thread).
  if (isMainThread) process.umask(0o077);
  else if ((process.umask() & 0o077) !== 0o077) {
    throw new Error("the stack runs in a worker thread but the process's umask lets others read its files");
  }
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const close = (path: string): void => {
    const stat = lstatSync(path);
    if (stat.isSymbolicLink()) return;
    if ((stat.mode & 0o077) !== 0) chmodSync(path, stat.mode & 0o700);
    if (stat.isDirectory()) for (const name of readdirSync(path)) close(join(path, name));
  };
  // The directory itself may be a symlink (CVPIPE_DATA_DIR pointing elsewhere): close what it names.
  close(realpathSync(dataDir));
};

/**
 * Which emulators to start (default: all but the Bedrock stand-in). fauxqs serves SQS and S3 together:
 * it starts if either is wanted.
 */
export interface EmulatorChoice {
  readonly sqs?: boolean;
  readonly s3?: boolean;
  readonly dynamodb?: boolean;
  readonly ses?: boolean;
  /** The Bedrock Runtime stand-in (h2c) on `settings.bedrockPort` (default false). */
  readonly bedrock?: boolean;
}

/**
 * fauxqs keeps its SQLite database in WAL mode with SQLite's default `synchronous = FULL`: an fsync on
 * every commit, two per SendMessage (sequence counter, message) and one per receive and delete. The
 * fsync blocks the thread (2-3 ms each here, most of a busy stack's time in a profile). With
 * `synchronous = NORMAL` a commit waits for no fsync and WAL mode still loses nothing when the process
 * is killed (the WAL is in the OS's hands at each commit); only an OS crash or power loss can lose the
 * last commits — what dynalite's LevelDB (no sync on write) already risks, so the two stores now give
 * the same guarantee. fauxqs has no option for it: its PersistenceManager is adjusted once per thread.
 */
let fauxqsSyncRelaxed: Promise<void> | undefined;
const relaxFauxqsSync = (): Promise<void> => {
  fauxqsSyncRelaxed ??= (async () => {
    // The package exports only its entry; the persistence module is the sibling file it imports.
    const url = new URL("./persistence.js", import.meta.resolve("fauxqs")).href;
    const { PersistenceManager } = (await import(url)) as {
      PersistenceManager?: { prototype: { prepareStatements?: () => unknown; db?: { exec(sql: string): void } } };
    };
    const proto = PersistenceManager?.prototype;
    const prepare = proto?.prepareStatements;
    if (!proto || typeof prepare !== "function") {
      throw new Error("fauxqs: PersistenceManager.prepareStatements not found (new fauxqs version? see emulators.ts)");
    }
    proto.prepareStatements = function (this: { db: { exec(sql: string): void } }) {
      this.db.exec("PRAGMA synchronous = NORMAL");
      return prepare.call(this);
    };
  })();
  return fauxqsSyncRelaxed;
};

export const startEmulators = async (settings: LocalSettings, choice: EmulatorChoice = {}): Promise<Emulators> => {
  await relaxFauxqsSync();
  const want = {
    fauxqs: (choice.sqs ?? true) || (choice.s3 ?? true),
    dynamodb: choice.dynamodb ?? true,
    ses: choice.ses ?? true,
  };
  const sqsDir = join(settings.dataDir, "sqs");
  const s3Dir = join(settings.dataDir, "s3");
  const dynamoDir = join(settings.dataDir, "dynamodb");
  const dirs = [...(want.fauxqs ? [sqsDir, s3Dir] : []), ...(want.dynamodb ? [dynamoDir] : [])];
  for (const dir of dirs) mkdirSync(dir, { recursive: true, mode: 0o700 });

  const stops: (() => Promise<void>)[] = [];
  const stopAll = async (): Promise<void> => {
    for (const stop of stops.splice(0).reverse()) await stop().catch(() => {});
  };

  let sqsEndpoint: string | undefined;
  let dynamoDbEndpoint: string | undefined;
  let sesEndpoint: string | undefined;
  let bedrockEndpoint: string | undefined;
  try {
    if (want.fauxqs) {
      // fauxqs: SQS and S3 on one port; SQLite persistence for queues and messages, files for objects.
      // Our patch (patches/fauxqs@2.4.1.patch) makes it listen on 127.0.0.1 instead of 0.0.0.0, and
      // hands SQS's query protocol (older aws CLIs and SDKs) to sqs-query-protocol.ts.
      const fauxqs = await startFauxqs({
        sqsQuery: answerSqsQuery,
        port: settings.sqsPort,
        host: HOST,
        logger: false,
        dataDir: sqsDir,
        s3StorageDir: s3Dir,
        defaultRegion: settings.region,
      });
      stops.push(() => fauxqs.stop());
      sqsEndpoint = `http://${HOST}:${fauxqs.port}`;
    }
    if (want.dynamodb) {
      // dynalite: DynamoDB on LevelDB files. No TransactWriteItems, no UpdateTimeToLive.
      const dynamo = dynalite({ path: dynamoDir, createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 }) as Server;
      stops.push(() => closeServer(dynamo));
      const dynamoPort = await listen(dynamo, settings.dynamoDbPort);
      dynamoDbEndpoint = `http://${HOST}:${dynamoPort}`;
    }
    if (want.ses) {
      const ses = await sesServer({ host: HOST, port: settings.sesPort });
      stops.push(() => closeServer(ses));
      const sesAddress = ses.address() as AddressInfo | null;
      if (!sesAddress) throw new Error(`SES emulator could not listen on ${HOST}:${settings.sesPort} (port in use?)`);
      sesEndpoint = `http://${HOST}:${sesAddress.port}`;
    }
    if (choice.bedrock === true) {
      const bedrock = await startBedrockServer({ port: settings.bedrockPort, host: HOST });
      stops.push(() => bedrock.close());
      bedrockEndpoint = bedrock.url;
    }
  } catch (error) {
    await stopAll();
    throw error;
  }

  return {
    sqsEndpoint: (choice.sqs ?? true) ? sqsEndpoint : undefined,
    s3Endpoint: (choice.s3 ?? true) ? sqsEndpoint : undefined,
    dynamoDbEndpoint,
    sesEndpoint,
    bedrockEndpoint,
    stop: stopAll,
  };
};

/**
 * startEmulators in a worker thread of this process (emulator-thread.ts): the same servers, endpoints
 * and data directory, on a core of their own. The stack runs them so; tests that want the emulators
 * beside them in one thread use startEmulators. A thread that dies after start (an emulator's uncaught
 * error) takes the process down, as the same error did in one thread.
 */
/** The emulator thread's young generation, MB: V8's default grows to 134 MB under load and keeps it. */
const EMULATOR_YOUNG_GENERATION_MB = 24;

export const startEmulatorsThread = async (
  settings: LocalSettings,
  choice: EmulatorChoice = {},
): Promise<Emulators> => {
  const worker = new Worker(new URL("./emulator-thread.ts", import.meta.url), {
    workerData: { settings, choice },
    // The emulators need none of the stack's environment (credentials, endpoints); they get their own copy.
    stdout: false,
    stderr: false,
    resourceLimits: { maxYoungGenerationSizeMb: EMULATOR_YOUNG_GENERATION_MB },
  });
  type Answer = { ready: Omit<Emulators, "stop"> } | { failed: { message: string; code?: string } } | { stopped: true };
  const answers: Answer[] = [];
  let wake: (() => void) | undefined;
  worker.on("message", (answer: Answer) => {
    answers.push(answer);
    wake?.();
  });
  let exited = false;
  const exit = new Promise<void>((resolve) => worker.once("exit", () => resolve()));
  void exit.then(() => {
    exited = true;
    wake?.();
  });
  const next = async (): Promise<Answer | undefined> => {
    while (answers.length === 0 && !exited) await new Promise<void>((resolve) => (wake = resolve));
    return answers.shift();
  };
  let failure: unknown;
  worker.once("error", (error) => {
    failure = error;
    wake?.();
  });
  const first = await next();
  if (!first || !("ready" in first)) {
    await worker.terminate();
    if (first && "failed" in first) {
      throw Object.assign(new Error(first.failed.message), first.failed.code ? { code: first.failed.code } : {});
    }
    throw failure instanceof Error ? failure : new Error("the emulator thread ended before it was ready");
  }
  // From here an error in the thread is the process's (as it was with the emulators in this thread)
  // until stop() begins: what the emulators throw while closing (dynalite's "Database is closed" for
  // an operation still pending) ends the thread, not the process, and stop() still resolves.
  let stopped: Promise<void> | undefined;
  worker.removeAllListeners("error");
  worker.on("error", (error) => {
    if (stopped === undefined) throw error;
  });
  return {
    ...first.ready,
    stop: () => {
      stopped ??= (async () => {
        if (exited) return;
        worker.postMessage("stop");
        await next();
        await worker.terminate();
        await exit;
      })();
      return stopped;
    },
  };
};
