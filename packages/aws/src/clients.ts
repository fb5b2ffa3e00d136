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
 *
 * Timeouts: every client gives up on an attempt that gets no answer (see
 * {@link sdkTimeouts}). The SDK's defaults wait for ever (DynamoDB, S3,
 * Bedrock) or for 5 to 15 minutes (SES, SQS): a dependency that accepts
 * connections and never answers would hold a handler past its Lambda timeout,
 * and locally hold the poller's slot and its batch for good.
 */
import { BedrockRuntimeClient } from "@aws-sdk/client-bedrock-runtime";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { S3Client } from "@aws-sdk/client-s3";
import { SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { SESClient } from "@aws-sdk/client-ses";
import { ReceiveMessageCommand, SQSClient, type SQSClientConfig } from "@aws-sdk/client-sqs";
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { ConfigError } from "@cvpipe/core/errors";

/**
 * The SDK's id of each service cvpipe calls (the `<SERVICE>` of `AWS_ENDPOINT_URL_<SERVICE>`,
 * `CVPIPE_LOCAL_CREDENTIALS_<SERVICE>`, ...), by the service's own name. The embedded stack
 * emulates all but Secrets Manager (locally the secrets are files and settings: local/services.ts).
 */
export const SERVICE_IDS = {
  sqs: "SQS",
  s3: "S3",
  dynamodb: "DYNAMODB",
  ses: "SES",
  "bedrock-runtime": "BEDROCK_RUNTIME",
  "secrets-manager": "SECRETS_MANAGER",
} as const;
export type ServiceName = keyof typeof SERVICE_IDS;
export type ServiceId = (typeof SERVICE_IDS)[ServiceName];

/** The SDK's endpoint variable of one service, `AWS_ENDPOINT_URL_<SERVICE>` (ahead of the global `AWS_ENDPOINT_URL`). */
export const endpointEnv = <S extends ServiceId>(service: S): `AWS_ENDPOINT_URL_${S}` => `AWS_ENDPOINT_URL_${service}`;

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

/**
 * How long one attempt of a call may take, per service, in ms:
 * - `connectionTimeout`: until the TCP connection is up;
 * - `requestTimeout`: until the answer's headers (HTTP/1.1), or of silence on the stream (HTTP/2, Bedrock);
 * - `socketTimeout`: of silence on the socket at any point, the answer's body included.
 * The SDK retries a timed-out attempt like any transient failure (`AWS_MAX_ATTEMPTS`, default 3).
 *
 * Sized so that every attempt of a call, retries included, ends inside the
 * shortest function that makes it (ingress, 10 s: 3 × 2 s for DynamoDB and
 * SQS, 3 × 2.5 s for S3) while staying far above those services' normal
 * latencies (milliseconds). SQS `ReceiveMessage` gets its long-poll wait on
 * top (the local pollers and the CLI's DLQ reads wait up to 20 s). SES makes
 * one attempt (see {@link createSesClient}). Bedrock's limit is silence while
 * the model writes its whole answer: long, but three attempts of the engine
 * still end inside the tailor's 120 s.
 *
 * `CVPIPE_SDK_REQUEST_TIMEOUT_MS_<SERVICE>` (`..._BEDROCK_RUNTIME=60000` for a
 * slow model; tests shorten them) replaces a service's `requestTimeout`; the
 * connection timeout is never longer than it.
 */
export interface SdkTimeouts {
  readonly connectionTimeout: number;
  readonly requestTimeout: number;
  readonly socketTimeout: number;
}

export const sdkTimeouts: Readonly<Record<ServiceId, SdkTimeouts>> = {
  DYNAMODB: { connectionTimeout: 1_000, requestTimeout: 2_000, socketTimeout: 5_000 },
  // socketTimeout above the longest long poll (20 s) plus its requestTimeout.
  SQS: { connectionTimeout: 1_000, requestTimeout: 2_000, socketTimeout: 25_000 },
  S3: { connectionTimeout: 1_000, requestTimeout: 2_500, socketTimeout: 5_000 },
  SES: { connectionTimeout: 5_000, requestTimeout: 20_000, socketTimeout: 20_000 },
  BEDROCK_RUNTIME: { connectionTimeout: 5_000, requestTimeout: 35_000, socketTimeout: 35_000 },
  // Read once per cold start (the ingress's id secret, the tailor's OpenAI key): sized like DynamoDB.
  SECRETS_MANAGER: { connectionTimeout: 1_000, requestTimeout: 2_000, socketTimeout: 5_000 },
};

export const requestTimeoutEnv = (service: ServiceId): string => `CVPIPE_SDK_REQUEST_TIMEOUT_MS_${service}`;

/** The service's timeouts after `CVPIPE_SDK_REQUEST_TIMEOUT_MS_<SERVICE>`; a malformed value is a ConfigError. */
export const timeoutsFor = (service: ServiceId, env: Env = process.env): SdkTimeouts => {
  const defaults = sdkTimeouts[service];
  const name = requestTimeoutEnv(service);
  const raw = env[name];
  if (raw === undefined || raw === "") return defaults;
  const ms = Number(raw);
  if (!Number.isInteger(ms) || ms <= 0)
    throw new ConfigError(`${name}: "${raw}" is not a positive number of milliseconds`);
  return {
    // Shorter: never longer than the request. Longer (a slow or loaded host): the connection gets half of it.
    connectionTimeout: ms < defaults.connectionTimeout ? ms : Math.max(defaults.connectionTimeout, Math.round(ms / 2)),
    requestTimeout: ms,
    socketTimeout: Math.max(defaults.socketTimeout - defaults.requestTimeout + ms, ms),
  };
};

/** NodeHttpHandler options: `throwOnRequestTimeout`, or the SDK only logs a warning when requestTimeout passes. */
const httpHandler = (t: SdkTimeouts) => ({
  connectionTimeout: t.connectionTimeout,
  requestTimeout: t.requestTimeout,
  socketTimeout: t.socketTimeout,
  throwOnRequestTimeout: true,
});

/** The endpoint override for a service, or undefined for the SDK's default (real AWS). */
export const endpointFor = (service: ServiceId, env: Env = process.env): string | undefined =>
  env[endpointEnv(service)] || env["AWS_ENDPOINT_URL"] || undefined;

/** Where SES calls go: the override, else SES's regional endpoint (for a reachability probe without the SDK). */
export const sesEndpoint = (env: Env = process.env): string =>
  endpointFor("SES", env) ??
  `https://email.${env["AWS_REGION"] ?? env["AWS_DEFAULT_REGION"] ?? "us-east-1"}.amazonaws.com`;

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
    requestHandler: httpHandler(timeoutsFor(service, env)),
  };
};

/** SQS's longest long poll; a ReceiveMessage without WaitTimeSeconds may wait this long (the queue's setting). */
const MAX_WAIT_SECONDS = 20;

/**
 * An SQSClient whose ReceiveMessage calls get their long-poll wait on top of the request timeout
 * (an explicit `requestTimeout` in the call's options wins): a long poll is silent by design.
 */
class LongPollingSqsClient extends SQSClient {
  readonly #requestTimeoutMs: number;

  constructor(config: SQSClientConfig, requestTimeoutMs: number) {
    super(config);
    this.#requestTimeoutMs = requestTimeoutMs;
  }

  // biome-ignore lint/suspicious/noExplicitAny: one signature for SQSClient.send's three overloads
  override send(command: any, optionsOrCb?: any, cb?: any): any {
    if (command instanceof ReceiveMessageCommand && typeof optionsOrCb !== "function") {
      const wait = command.input.WaitTimeSeconds ?? MAX_WAIT_SECONDS;
      const requestTimeout = this.#requestTimeoutMs + wait * 1000;
      return super.send(command, { requestTimeout, ...optionsOrCb }, cb);
    }
    return super.send(command, optionsOrCb, cb);
  }
}

export const createSqsClient = (env: Env = process.env): SQSClient =>
  new LongPollingSqsClient(base("SQS", env), timeoutsFor("SQS", env).requestTimeout);

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
 * A hung call ends (20 s, {@link sdkTimeouts}) well inside the reporter's timeout, so the run itself
 * records UNCERTAIN and alarms.
 */
export const createSesClient = (env: Env = process.env): SESClient =>
  new SESClient({ ...base("SES", env), maxAttempts: 1 });

/** The ingress's id secret and the tailor's OpenAI key on AWS (id-secret.ts, engines/openai/api-key.ts). */
export const createSecretsManagerClient = (env: Env = process.env): SecretsManagerClient =>
  new SecretsManagerClient(base("SECRETS_MANAGER", env));

/** A socket error code (`ECONNREFUSED`, `ECONNRESET`, `ENOTFOUND`), as Node sets it. */
const SOCKET_CODE = /^E[A-Z]+$/;

/**
 * HTTP/2 reports a connection that failed before the request's stream opened (refused, reset,
 * unresolved) as `ERR_HTTP2_STREAM_CANCEL` with the socket error as its `cause`, where HTTP/1.1
 * reports the socket error itself. Surfacing the cause makes a Bedrock endpoint that cannot be reached
 * read as what it is, a network failure (retryable: BedrockEngine, the SDK), and not as a refusal of
 * the request (which fails the job for good). Nothing was sent on a stream that never opened.
 */
const socketErrorOf = (error: unknown): unknown => {
  const e = error as { code?: unknown; cause?: unknown; $metadata?: unknown } | undefined;
  const cause = e?.cause as { code?: unknown } | undefined;
  if (e?.code !== "ERR_HTTP2_STREAM_CANCEL" || typeof cause?.code !== "string" || !SOCKET_CODE.test(cause.code))
    return error;
  return Object.assign(cause, e.$metadata === undefined ? {} : { $metadata: e.$metadata });
};

/**
 * One attempt per call: BedrockEngine runs its own backoff, and the two would multiply.
 * HTTP/2 (the SDK's only transport for Bedrock Runtime), one session per request as the SDK's default;
 * `requestTimeout` is the stream's silence limit.
 */
export const createBedrockRuntimeClient = (env: Env = process.env): BedrockRuntimeClient => {
  const t = timeoutsFor("BEDROCK_RUNTIME", env);
  const client = new BedrockRuntimeClient({
    ...base("BEDROCK_RUNTIME", env),
    maxAttempts: 1,
    requestHandler: {
      requestTimeout: t.requestTimeout,
      sessionTimeout: t.socketTimeout,
      disableConcurrentStreams: true,
    },
  });
  client.middlewareStack.add(
    (next) =>
      async function http2SocketErrors(args) {
        try {
          return await next(args);
        } catch (error) {
          throw socketErrorOf(error);
        }
      },
    { step: "initialize", name: "cvpipeHttp2SocketErrors" },
  );
  return client;
};
