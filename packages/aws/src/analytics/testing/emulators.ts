/**
 * Real AWS-protocol servers for integration tests, on 127.0.0.1 and a random
 * port: dynalite (DynamoDB) and aws-ses-v2-local (SES). On the integration
 * suite's moto backend, startDynalite hands out the test file's moto instead.
 */

import type { AddressInfo, Server } from "node:net";
import {
  CreateTableCommand,
  DeleteTableCommand,
  type DynamoDBClient,
  ListTablesCommand,
  waitUntilTableExists,
  waitUntilTableNotExists,
} from "@aws-sdk/client-dynamodb";
import type { SESClient } from "@aws-sdk/client-ses";
import type { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { type TableId, tables } from "@cvpipe/core/topology";
import sesModule from "aws-ses-v2-local";
import dynalite from "dynalite";
import { createDynamoDbClient, createSesClient, toDocumentClient } from "../../clients.ts";
import { createTableInput } from "../../table-definitions.ts";

/** Built like every other client (clients.ts), pointed at the emulator. */
/**
 * The in-process emulator shares the test's event loop, so a test that loads it (8 processors per record)
 * delays its own connects by seconds on a busy machine: these clients wait 20 s, not the Lambda-sized 2 s.
 */
const testEnv = {
  AWS_REGION: "us-east-1",
  AWS_ACCESS_KEY_ID: "test",
  AWS_SECRET_ACCESS_KEY: "test",
  CVPIPE_SDK_REQUEST_TIMEOUT_MS_DYNAMODB: "20000",
};

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

/**
 * A fresh, empty DynamoDB for a test: dynalite on a random port — or, on the integration suite's moto
 * backend (`CVPIPE_TEST_BACKEND=moto`, test/support/moto.ts, which points AWS_ENDPOINT_URL_DYNAMODB at
 * the test file's moto_server), that moto with every table deleted first.
 */
export async function startDynalite(): Promise<DynamoEmulator> {
  if (process.env["CVPIPE_TEST_BACKEND"] === "moto") return motoDynamo(process.env["AWS_ENDPOINT_URL_DYNAMODB"]);
  const server = dynalite({ createTableMs: 0 });
  const port = await listen(server);
  const endpoint = `http://127.0.0.1:${port}`;
  const client = createDynamoDbClient({ ...testEnv, AWS_ENDPOINT_URL_DYNAMODB: endpoint, AWS_MAX_ATTEMPTS: "2" });
  const documentClient = toDocumentClient(client);
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

const motoDynamo = async (endpoint: string | undefined): Promise<DynamoEmulator> => {
  if (!endpoint) {
    throw new Error(
      "CVPIPE_TEST_BACKEND=moto without AWS_ENDPOINT_URL_DYNAMODB: run the file with test/support/moto.ts imported (the runner preloads it)",
    );
  }
  const client = createDynamoDbClient({ ...testEnv, AWS_ENDPOINT_URL_DYNAMODB: endpoint, AWS_MAX_ATTEMPTS: "2" });
  const { TableNames = [] } = await client.send(new ListTablesCommand({}));
  for (const name of TableNames) {
    await client.send(new DeleteTableCommand({ TableName: name }));
    await waitUntilTableNotExists({ client, maxWaitTime: 30, minDelay: 1 }, { TableName: name });
  }
  return {
    endpoint,
    client,
    documentClient: toDocumentClient(client),
    close: async () => client.destroy(),
  };
};

/** CreateTable for each table id, straight from the topology (the same input the stack provisions with). */
export async function createTables(client: DynamoDBClient, ids: readonly TableId[]): Promise<void> {
  for (const id of ids) {
    await client.send(new CreateTableCommand(createTableInput(tables[id])));
    await waitUntilTableExists({ client, maxWaitTime: 30, minDelay: 1 }, { TableName: tables[id].name });
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
  // A CommonJS module whose `exports.default` is the server factory.
  const server = await sesModule.default({ host: "127.0.0.1", port: 0 });
  const port = (server.address() as AddressInfo).port;
  const endpoint = `http://127.0.0.1:${port}`;
  const client = createSesClient({ ...testEnv, AWS_ENDPOINT_URL_SES: endpoint, AWS_MAX_ATTEMPTS: "1" });
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
