/**
 * Real AWS-protocol servers for integration tests, on 127.0.0.1 and a random
 * port: dynalite (DynamoDB) and aws-ses-v2-local (SES). Both packages are
 * dependencies of @cvpipe/local, so they are resolved from there.
 */

import { createRequire } from "node:module";
import type { AddressInfo, Server } from "node:net";
import { join } from "node:path";
import { CreateTableCommand, DynamoDBClient, waitUntilTableExists } from "@aws-sdk/client-dynamodb";
import { SESClient } from "@aws-sdk/client-ses";
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { type TableId, tables } from "@cvpipe/core/topology";

const repoRoot = join(import.meta.dirname, "..", "..", "..", "..", "..");
const requireFromLocal = createRequire(join(repoRoot, "packages", "local", "package.json"));

const credentials = { accessKeyId: "test", secretAccessKey: "test" };
const region = "us-east-1";

const listen = (server: Server): Promise<number> =>
  new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve((server.address() as AddressInfo).port));
  });

const close = (server: Server): Promise<void> =>
  new Promise((resolve) => {
    server.close(() => resolve());
    (server as Server & { closeAllConnections?: () => void }).closeAllConnections?.();
  });

export interface DynamoEmulator {
  readonly endpoint: string;
  readonly client: DynamoDBClient;
  readonly documentClient: DynamoDBDocumentClient;
  close(): Promise<void>;
}

export async function startDynalite(): Promise<DynamoEmulator> {
  const dynalite = requireFromLocal("dynalite") as (options: { createTableMs: number }) => Server;
  const server = dynalite({ createTableMs: 0 });
  const port = await listen(server);
  const endpoint = `http://127.0.0.1:${port}`;
  const client = new DynamoDBClient({ endpoint, region, credentials, maxAttempts: 2 });
  const documentClient = DynamoDBDocumentClient.from(client, {
    marshallOptions: { removeUndefinedValues: true },
  });
  return {
    endpoint,
    client,
    documentClient,
    close: async () => {
      client.destroy();
      await close(server);
    },
  };
}

/** CreateTable for each table id, straight from the topology (keys, GSIs), on-demand billing. */
export async function createTables(client: DynamoDBClient, ids: readonly TableId[]): Promise<void> {
  for (const id of ids) {
    const spec = tables[id];
    const keys = [spec.partitionKey, ...("sortKey" in spec && spec.sortKey ? [spec.sortKey] : [])];
    const indexKeys = spec.indexes.flatMap((i) => [i.partitionKey, i.sortKey]);
    const definitions = new Map([...keys, ...indexKeys].map((k) => [k.name, k.type]));
    await client.send(
      new CreateTableCommand({
        TableName: spec.name,
        BillingMode: "PAY_PER_REQUEST",
        AttributeDefinitions: [...definitions].map(([AttributeName, AttributeType]) => ({
          AttributeName,
          AttributeType,
        })),
        KeySchema: keys.map((k, i) => ({ AttributeName: k.name, KeyType: i === 0 ? "HASH" : "RANGE" })),
        ...(spec.indexes.length > 0
          ? {
              GlobalSecondaryIndexes: spec.indexes.map((i) => ({
                IndexName: i.name,
                KeySchema: [
                  { AttributeName: i.partitionKey.name, KeyType: "HASH" as const },
                  { AttributeName: i.sortKey.name, KeyType: "RANGE" as const },
                ],
                Projection: { ProjectionType: "ALL" as const },
              })),
            }
          : {}),
      }),
    );
    await waitUntilTableExists({ client, maxWaitTime: 30, minDelay: 1 }, { TableName: spec.name });
  }
}

export interface StoredEmail {
  readonly messageId: string;
  readonly from: string;
  readonly destination: { readonly to: string[] };
  readonly subject: string;
  readonly body: { readonly html?: string; readonly text?: string };
}

export interface SesEmulator {
  readonly endpoint: string;
  readonly client: SESClient;
  /** Mail the emulator accepted, from `GET /store`. */
  emails(): Promise<StoredEmail[]>;
  clear(): Promise<void>;
  close(): Promise<void>;
}

export async function startSesLocal(): Promise<SesEmulator> {
  const module = requireFromLocal("aws-ses-v2-local") as {
    default: (config: { host: string; port: number }) => Promise<Server>;
  };
  const server = await module.default({ host: "127.0.0.1", port: 0 });
  const port = (server.address() as AddressInfo).port;
  const endpoint = `http://127.0.0.1:${port}`;
  const client = new SESClient({ endpoint, region, credentials, maxAttempts: 1 });
  return {
    endpoint,
    client,
    emails: async () => {
      const res = await fetch(`${endpoint}/store`);
      const json = (await res.json()) as { emails: StoredEmail[] };
      return json.emails;
    },
    clear: async () => {
      await fetch(`${endpoint}/clear-store`, { method: "POST" });
    },
    close: async () => {
      client.destroy();
      await close(server);
    },
  };
}
