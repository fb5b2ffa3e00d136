/**
 * The real AWS-protocol servers of the embedded stack, each bound to
 * 127.0.0.1 with its state under the data directory:
 * fauxqs (SQS + S3), dynalite (DynamoDB), aws-ses-v2-local (SES). Only
 * those the stack emulates are started (services.ts decides).
 */
import { chmodSync, lstatSync, mkdirSync, readdirSync, realpathSync } from "node:fs";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import sesModule from "aws-ses-v2-local";
import dynalite from "dynalite";
import { startFauxqs } from "fauxqs";
import { HOST, type LocalSettings } from "./settings.ts";

// A CommonJS module whose `exports.default` is the server factory.
const sesServer = sesModule.default;

/** The endpoints of the emulators started; undefined for a service not emulated. */
export interface Emulators {
  readonly sqsEndpoint: string | undefined;
  readonly s3Endpoint: string | undefined;
  readonly dynamoDbEndpoint: string | undefined;
  readonly sesEndpoint: string | undefined;
  stop(): Promise<void>;
}

const closeServer = (server: Server): Promise<void> =>
  new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections?.();
  });

const listen = (server: Server, port: number): Promise<number> =>
  new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, HOST, () => resolve((server.address() as AddressInfo).port));
  });

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
  process.umask(0o077);
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

/** Which emulators to start (default: all). fauxqs serves SQS and S3 together: it starts if either is wanted. */
export interface EmulatorChoice {
  readonly sqs?: boolean;
  readonly s3?: boolean;
  readonly dynamodb?: boolean;
  readonly ses?: boolean;
}

export const startEmulators = async (settings: LocalSettings, choice: EmulatorChoice = {}): Promise<Emulators> => {
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
  try {
    if (want.fauxqs) {
      // fauxqs: SQS and S3 on one port; SQLite persistence for queues and messages, files for objects.
      // Our patch (patches/fauxqs@2.4.1.patch) makes it listen on 127.0.0.1 instead of 0.0.0.0.
      const fauxqs = await startFauxqs({
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
  } catch (error) {
    await stopAll();
    throw error;
  }

  return {
    sqsEndpoint: (choice.sqs ?? true) ? sqsEndpoint : undefined,
    s3Endpoint: (choice.s3 ?? true) ? sqsEndpoint : undefined,
    dynamoDbEndpoint,
    sesEndpoint,
    stop: stopAll,
  };
};
