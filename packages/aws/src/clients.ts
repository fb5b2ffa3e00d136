/**
 * Every AWS client cvpipe uses is built here, and only here.
 *
 * Endpoints follow the SDK's standard variables — `AWS_ENDPOINT_URL_<SERVICE>`
 * first, then `AWS_ENDPOINT_URL` — so the same code talks to AWS, the embedded
 * stack, moto or LocalStack. We resolve them ourselves rather than leaving it
 * to the SDK because the SQS client must get `endpoint` explicitly: otherwise
 * it sends each request to the host inside the QueueUrl, and emulator queue
 * URLs (`sqs.us-east-1.localhost`) do not resolve.
 *
 * Credentials: `CVPIPE_LOCAL_CREDENTIALS_<SERVICE>` (the embedded stack's keys
 * for a service it emulates), else AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY
 * from `env`, else the SDK's chain (AWS_PROFILE, SSO, container/instance roles).
 */
import { BedrockRuntimeClient } from "@aws-sdk/client-bedrock-runtime";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { S3Client } from "@aws-sdk/client-s3";
import { SESClient } from "@aws-sdk/client-ses";
import { SQSClient } from "@aws-sdk/client-sqs";
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";

export type ServiceId = "SQS" | "DYNAMODB" | "S3" | "SES" | "BEDROCK_RUNTIME";

type Env = Readonly<Record<string, string | undefined>>;

/**
 * Private to the embedded stack: `CVPIPE_LOCAL_CREDENTIALS_<SERVICE>=<key id>:<secret>` gives that service's
 * clients their own keys, ahead of `AWS_ACCESS_KEY_ID`/`AWS_SECRET_ACCESS_KEY` and the SDK's chain. The stack
 * sets it for the services it emulates, so the user's own credentials (env keys, `AWS_PROFILE`) stay untouched
 * for the services that talk to real AWS. Nothing else should set it.
 */
export const localCredentialsEnv = (service: ServiceId): string => `CVPIPE_LOCAL_CREDENTIALS_${service}`;

const localCredentials = (service: ServiceId, env: Env) => {
  const raw = env[localCredentialsEnv(service)];
  const colon = raw ? raw.indexOf(":") : -1;
  if (!raw || colon <= 0 || colon === raw.length - 1) return undefined;
  return { accessKeyId: raw.slice(0, colon), secretAccessKey: raw.slice(colon + 1) };
};

/** The endpoint override for a service, or undefined for the SDK's default (real AWS). */
export const endpointFor = (service: ServiceId, env: Env = process.env): string | undefined =>
  env[`AWS_ENDPOINT_URL_${service}`] || env["AWS_ENDPOINT_URL"] || undefined;

const base = (service: ServiceId, env: Env) => {
  const endpoint = endpointFor(service, env);
  const keyId = env["AWS_ACCESS_KEY_ID"];
  const secret = env["AWS_SECRET_ACCESS_KEY"];
  const session = env["AWS_SESSION_TOKEN"];
  const local = localCredentials(service, env);
  return {
    ...(endpoint ? { endpoint } : {}),
    ...(env["AWS_REGION"] ? { region: env["AWS_REGION"] } : {}),
    // The embedded stack's keys for a service it emulates; else keys given in `env` are used as they are
    // (the SDK's own chain reads them from process.env anyway); else the SDK's chain (profile, SSO, ...).
    ...(local
      ? { credentials: local }
      : keyId && secret
        ? {
            credentials: { accessKeyId: keyId, secretAccessKey: secret, ...(session ? { sessionToken: session } : {}) },
          }
        : {}),
    maxAttempts: Number(env["AWS_MAX_ATTEMPTS"] ?? 3),
  };
};

export const createSqsClient = (env: Env = process.env): SQSClient => new SQSClient(base("SQS", env));

export const createDynamoDbClient = (env: Env = process.env): DynamoDBClient =>
  new DynamoDBClient(base("DYNAMODB", env));

/** Document client: plain JS values in and out; `undefined` attributes are dropped, not rejected. */
export const toDocumentClient = (client: DynamoDBClient): DynamoDBDocumentClient =>
  DynamoDBDocumentClient.from(client, {
    marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false },
  });

export const createDocumentClient = (env: Env = process.env): DynamoDBDocumentClient =>
  toDocumentClient(createDynamoDbClient(env));

export const createS3Client = (env: Env = process.env): S3Client =>
  new S3Client({
    ...base("S3", env),
    // Emulators serve path-style only; virtual-hosted names would need wildcard DNS.
    forcePathStyle: endpointFor("S3", env) !== undefined,
  });

/**
 * One attempt per call: a retried SendEmail whose first response was lost sends
 * the email twice. The reporter's claim/lease decides when to try again.
 */
export const createSesClient = (env: Env = process.env): SESClient =>
  new SESClient({
    ...base("SES", env),
    maxAttempts: 1,
    // A hung call ends well inside the reporter's timeout, so the run itself records UNCERTAIN and alarms.
    requestHandler: { connectionTimeout: 5_000, requestTimeout: 20_000 },
  });

/** One attempt per call: BedrockEngine runs its own backoff, and the two would multiply. */
export const createBedrockRuntimeClient = (env: Env = process.env): BedrockRuntimeClient =>
  new BedrockRuntimeClient({ ...base("BEDROCK_RUNTIME", env), maxAttempts: 1 });
