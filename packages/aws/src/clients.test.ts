/**
 * The clients give up on an attempt nobody answers, long polls excepted, and a
 * Bedrock endpoint that cannot be reached reads as a network failure.
 */
import { once } from "node:events";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { createServer as createNetServer } from "node:net";
import { ConverseCommand } from "@aws-sdk/client-bedrock-runtime";
import { ListTablesCommand } from "@aws-sdk/client-dynamodb";
import { GetSecretValueCommand } from "@aws-sdk/client-secrets-manager";
import { SendEmailCommand } from "@aws-sdk/client-ses";
import { ListQueuesCommand, ReceiveMessageCommand } from "@aws-sdk/client-sqs";
import { ConfigError } from "@cvpipe/core/errors";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { isTransientBedrockError } from "./bedrock/bedrock-engine.ts";
import {
  createBedrockRuntimeClient,
  createDynamoDbClient,
  createS3Client,
  createSecretsManagerClient,
  createSesClient,
  createSqsClient,
  endpointEnv,
  endpointFor,
  requestTimeoutEnv,
  SERVICE_IDS,
  sdkTimeouts,
  timeoutsFor,
} from "./clients.ts";

const servers: Server[] = [];
const serve = async (handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<string> => {
  const server = createServer(handler);
  servers.push(server);
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  return `http://127.0.0.1:${(server.address() as { port: number }).port}`;
};
test.after(() => {
  for (const s of servers) {
    s.closeAllConnections();
    s.close();
  }
});

/** Reads the request and never answers. */
const silent = () => serve((req) => req.resume());

const env = (endpoint: string, extra: Record<string, string> = {}) => ({
  AWS_REGION: "us-east-1",
  AWS_ACCESS_KEY_ID: "test",
  AWS_SECRET_ACCESS_KEY: "test",
  AWS_ENDPOINT_URL: endpoint,
  AWS_MAX_ATTEMPTS: "2",
  ...extra,
});

const failure = (p: Promise<unknown>): Promise<{ name: string; code?: string; attempts?: number }> =>
  p.then(
    () => ({ name: "answered" }),
    (e: { name: string; code?: string; $metadata?: { attempts?: number } }) => ({
      name: e.name,
      ...(e.code ? { code: e.code } : {}),
      ...(e.$metadata?.attempts ? { attempts: e.$metadata.attempts } : {}),
    }),
  );

test("a call nobody answers ends in TimeoutError after its attempts (DynamoDB, SQS, Secrets Manager)", async () => {
  const endpoint = await silent();
  const short = {
    [requestTimeoutEnv("DYNAMODB")]: "200",
    [requestTimeoutEnv("SQS")]: "200",
    [requestTimeoutEnv("SECRETS_MANAGER")]: "200",
  };
  const db = await failure(createDynamoDbClient(env(endpoint, short)).send(new ListTablesCommand({})));
  assert.equal(db, { name: "TimeoutError", code: "ETIMEDOUT", attempts: 2 });
  const sqs = await failure(createSqsClient(env(endpoint, short)).send(new ListQueuesCommand({})));
  assert.equal(sqs, { name: "TimeoutError", code: "ETIMEDOUT", attempts: 2 });
  const secrets = await failure(
    createSecretsManagerClient(env(endpoint, short)).send(new GetSecretValueCommand({ SecretId: "id-secret" })),
  );
  assert.equal(secrets, { name: "TimeoutError", code: "ETIMEDOUT", attempts: 2 });
});

test("SES: one attempt, and its request timeout throws (the SDK only warns unless told to)", async () => {
  const endpoint = await silent();
  const ses = createSesClient(env(endpoint, { [requestTimeoutEnv("SES")]: "200" }));
  const outcome = await failure(
    ses.send(
      new SendEmailCommand({
        Source: "a@example.com",
        Destination: { ToAddresses: ["b@example.com"] },
        Message: { Subject: { Data: "s" }, Body: { Text: { Data: "t" } } },
      }),
    ),
  );
  assert.equal(outcome, { name: "TimeoutError", code: "ETIMEDOUT", attempts: 1 });
});

test("SQS ReceiveMessage: its long-poll wait comes on top of the request timeout", async () => {
  // Answers every request after 1 s, as a long poll that found nothing would.
  const endpoint = await serve((req, res) => {
    req.resume();
    setTimeout(() => {
      res.writeHead(200, { "content-type": "application/x-amz-json-1.0" });
      res.end(req.headers["x-amz-target"] === "AmazonSQS.ReceiveMessage" ? '{"Messages":[]}' : '{"QueueUrls":[]}');
    }, 1_000);
  });
  const sqs = createSqsClient(env(endpoint, { [requestTimeoutEnv("SQS")]: "200", AWS_MAX_ATTEMPTS: "1" }));
  const out = await sqs.send(new ReceiveMessageCommand({ QueueUrl: `${endpoint}/000000000000/q`, WaitTimeSeconds: 2 }));
  assert.equal(out.Messages ?? [], [], "a 1 s answer within 200 ms + 2 s");
  assert.equal(await failure(sqs.send(new ListQueuesCommand({}))), {
    name: "TimeoutError",
    code: "ETIMEDOUT",
    attempts: 1,
  });
});

test("Bedrock: silence on the stream ends in TimeoutError; an unreachable endpoint is a transient socket error", async () => {
  const hold = createNetServer((socket) => socket.on("data", () => {}));
  hold.listen(0, "127.0.0.1");
  await once(hold, "listening");
  const port = (hold.address() as { port: number }).port;
  const converse = new ConverseCommand({ modelId: "m", messages: [{ role: "user", content: [{ text: "hi" }] }] });
  try {
    const silence = createBedrockRuntimeClient(
      env(`http://127.0.0.1:${port}`, { [requestTimeoutEnv("BEDROCK_RUNTIME")]: "200" }),
    );
    const timedOut = await silence.send(converse).catch((e: unknown) => e);
    assert.is((timedOut as Error).name, "TimeoutError");
    assert.ok(isTransientBedrockError(timedOut));
  } finally {
    hold.close();
  }
  // The port is closed now: connecting is refused. HTTP/2 wraps that in ERR_HTTP2_STREAM_CANCEL.
  const refused = await createBedrockRuntimeClient(env(`http://127.0.0.1:${port}`))
    .send(converse)
    .catch((e: unknown) => e);
  assert.is((refused as { code?: string }).code, "ECONNREFUSED");
  assert.ok(isTransientBedrockError(refused), "retryable, not a refusal of the request");
});

test("CVPIPE_SDK_REQUEST_TIMEOUT_MS_<SERVICE> replaces the request timeout; a bad value is refused by name", () => {
  assert.equal(timeoutsFor("DYNAMODB", {}), sdkTimeouts.DYNAMODB);
  const t = timeoutsFor("BEDROCK_RUNTIME", { CVPIPE_SDK_REQUEST_TIMEOUT_MS_BEDROCK_RUNTIME: "90000" });
  assert.is(t.requestTimeout, 90_000);
  assert.ok(t.socketTimeout >= 90_000);
  assert.is(timeoutsFor("SQS", { CVPIPE_SDK_REQUEST_TIMEOUT_MS_SQS: "300" }).connectionTimeout, 300);
  for (const bad of ["0", "-5", "1.5", "soon"]) {
    assert.throws(
      () => timeoutsFor("S3", { CVPIPE_SDK_REQUEST_TIMEOUT_MS_S3: bad }),
      (e: unknown) => e instanceof ConfigError && /CVPIPE_SDK_REQUEST_TIMEOUT_MS_S3/.test((e as Error).message),
    );
  }
});

test("SERVICE_IDS are the SDK's own ids, as its AWS_ENDPOINT_URL_<SERVICE> names them; endpointEnv wins over the global", () => {
  const clients = {
    sqs: createSqsClient({}),
    s3: createS3Client({}),
    dynamodb: createDynamoDbClient({}),
    ses: createSesClient({}),
    "bedrock-runtime": createBedrockRuntimeClient({}),
    "secrets-manager": createSecretsManagerClient({}),
  } as const satisfies Record<keyof typeof SERVICE_IDS, unknown>;
  for (const [service, client] of Object.entries(clients) as [keyof typeof clients, (typeof clients)["sqs"]][]) {
    // The SDK's rule for the variable: the client's serviceId, upper-cased, spaces as underscores.
    const sdkName = `AWS_ENDPOINT_URL_${String(client.config.serviceId).toUpperCase().replaceAll(" ", "_")}`;
    assert.is(endpointEnv(SERVICE_IDS[service]), sdkName, service);
    assert.is(
      endpointFor(SERVICE_IDS[service], { [sdkName]: "http://127.0.0.1:1", AWS_ENDPOINT_URL: "http://127.0.0.1:2" }),
      "http://127.0.0.1:1",
    );
    client.destroy();
  }
});

test.run();
