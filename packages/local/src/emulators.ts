/**
 * The real AWS-protocol servers of the embedded stack, each bound to
 * 127.0.0.1 with its state under the data directory:
 * fauxqs (SQS + S3), dynalite (DynamoDB), aws-ses-v2-local (SES).
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

export interface Emulators {
  readonly sqsEndpoint: string;
  readonly s3Endpoint: string;
  readonly dynamoDbEndpoint: string;
  readonly sesEndpoint: string;
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

export const startEmulators = async (settings: LocalSettings): Promise<Emulators> => {
  const sqsDir = join(settings.dataDir, "sqs");
  const s3Dir = join(settings.dataDir, "s3");
  const dynamoDir = join(settings.dataDir, "dynamodb");
  for (const dir of [sqsDir, s3Dir, dynamoDir]) mkdirSync(dir, { recursive: true, mode: 0o700 });

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

  // dynalite: DynamoDB on LevelDB files. No TransactWriteItems, no UpdateTimeToLive.
  const dynamo = dynalite({ path: dynamoDir, createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 }) as Server;
  let dynamoPort: number;
  let ses: Server;
  try {
    dynamoPort = await listen(dynamo, settings.dynamoDbPort);
    ses = await sesServer({ host: HOST, port: settings.sesPort });
  } catch (error) {
    await fauxqs.stop();
    await closeServer(dynamo).catch(() => {});
    throw error;
  }
  const sesAddress = ses.address() as AddressInfo | null;
  if (!sesAddress) {
    await fauxqs.stop();
    await closeServer(dynamo);
    throw new Error(`SES emulator could not listen on ${HOST}:${settings.sesPort} (port in use?)`);
  }
  const sesPort = sesAddress.port;

  const sqsEndpoint = `http://${HOST}:${fauxqs.port}`;
  return {
    sqsEndpoint,
    s3Endpoint: sqsEndpoint,
    dynamoDbEndpoint: `http://${HOST}:${dynamoPort}`,
    sesEndpoint: `http://${HOST}:${sesPort}`,
    stop: async () => {
      await closeServer(ses);
      await fauxqs.stop();
      await closeServer(dynamo);
    },
  };
};
