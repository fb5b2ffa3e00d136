/**
 * Dependency checks for `GET /v1/health`. Each one is bounded: a dependency
 * that accepts connections and never answers is reported down within
 * {@link HEALTH_CHECK_TIMEOUT_MS} (the SDK's own retries and timeouts would
 * take the ingress past its Lambda timeout, and the route would answer
 * nothing). A failed check throws an error whose `name` says what happened
 * (`TimeoutError`, `ECONNREFUSED`, `ECONNRESET`, `ResourceNotFoundException`).
 */
import { type BedrockRuntimeClient, ConverseCommand } from "@aws-sdk/client-bedrock-runtime";
import { DescribeTableCommand, type DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { HeadBucketCommand, type S3Client } from "@aws-sdk/client-s3";
import { GetQueueAttributesCommand, type SQSClient } from "@aws-sdk/client-sqs";
import type { Dependency, DependencyCheck } from "@cvpipe/core/ports/dependency-check";

/** How long a check waits for its answer. */
export const HEALTH_CHECK_TIMEOUT_MS = 2_000;

/** A failed check: `name` is the most specific word for the failure, `dependency` what failed. */
export class DependencyCheckError extends Error {
  readonly dependency: Dependency;
  constructor(dependency: Dependency, name: string, message: string, cause?: unknown) {
    super(message, cause === undefined ? undefined : { cause });
    this.name = name;
    this.dependency = dependency;
  }
}

interface ErrorShape {
  readonly name?: string;
  readonly code?: string;
  readonly cause?: unknown;
  readonly message?: string;
}

/** `TimeoutError` for a deadline, a socket code (`ECONNREFUSED`) for a network failure, else the SDK's name. */
const failureName = (error: unknown): string => {
  const e = (typeof error === "object" && error !== null ? error : {}) as ErrorShape;
  const cause = (typeof e.cause === "object" && e.cause !== null ? e.cause : {}) as ErrorShape;
  if (e.name === "AbortError" || e.name === "TimeoutError" || cause.name === "TimeoutError") return "TimeoutError";
  if (e.code && /^E[A-Z]+$/.test(e.code)) return e.code;
  if (cause.code && /^E[A-Z]+$/.test(cause.code)) return cause.code;
  return e.name && e.name !== "Error" ? e.name : "Error";
};

const checked = async (dependency: Dependency, what: string, run: () => Promise<void>): Promise<void> => {
  try {
    await run();
  } catch (error) {
    const name = failureName(error);
    throw new DependencyCheckError(dependency, name, `${dependency} ${what}: ${name}`, error);
  }
};

const deadline = (timeoutMs: number) => ({ abortSignal: AbortSignal.timeout(timeoutMs) });

/** Resolves when the table exists and answers; rejects with a {@link DependencyCheckError} otherwise. */
export const tableReachable = (db: DynamoDBClient, table: string, timeoutMs = HEALTH_CHECK_TIMEOUT_MS): Promise<void> =>
  checked("DynamoDB", `table ${table}`, async () => {
    await db.send(new DescribeTableCommand({ TableName: table }), deadline(timeoutMs));
  });

export const bucketReachable = (s3: S3Client, bucket: string, timeoutMs = HEALTH_CHECK_TIMEOUT_MS): Promise<void> =>
  checked("S3", `bucket ${bucket}`, async () => {
    await s3.send(new HeadBucketCommand({ Bucket: bucket }), deadline(timeoutMs));
  });

export const queueReachable = (sqs: SQSClient, queueUrl: string, timeoutMs = HEALTH_CHECK_TIMEOUT_MS): Promise<void> =>
  checked("SQS", `queue ${queueUrl.split("/").pop() ?? queueUrl}`, async () => {
    await sqs.send(
      new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ["QueueArn"] }),
      deadline(timeoutMs),
    );
  });

/** An HTTP status from a service's answer (an SDK ServiceException carries it in $metadata). */
const answeredStatus = (error: unknown): number | undefined =>
  (error as { $metadata?: { httpStatusCode?: number } } | undefined)?.$metadata?.httpStatusCode;

/**
 * Bedrock Runtime answers: a Converse call without messages, which the service refuses (400
 * ValidationException, or 403 without the permission) before any model runs, so it costs nothing.
 * Any answer but a 5xx means the endpoint is there; this is reachability, not the model's health.
 */
export const bedrockReachable = (
  bedrock: BedrockRuntimeClient,
  modelId: string,
  timeoutMs = HEALTH_CHECK_TIMEOUT_MS,
): Promise<void> =>
  checked("Bedrock", "runtime endpoint", async () => {
    try {
      await bedrock.send(new ConverseCommand({ modelId, messages: [] }), deadline(timeoutMs));
    } catch (error) {
      const status = answeredStatus(error);
      if (status !== undefined && status < 500) return;
      throw error;
    }
  });

/**
 * The SES endpoint answers HTTP (any status but a 5xx). SES's API has no call that is both free of
 * effects and served by the local emulator (aws-ses-v2-local answers only the send actions), so the
 * endpoint itself is asked, over plain HTTP(S): reachability, not permission to send.
 */
export const sesReachable = (endpoint: string, timeoutMs = HEALTH_CHECK_TIMEOUT_MS): Promise<void> =>
  checked("SES", "endpoint", async () => {
    const res = await fetch(endpoint, { method: "GET", redirect: "manual", signal: AbortSignal.timeout(timeoutMs) });
    await res.body?.cancel();
    if (res.status >= 500) throw Object.assign(new Error(`HTTP ${res.status}`), { name: `HTTP${res.status}` });
  });

export interface DependencyTargets {
  readonly dynamodb?: { readonly client: DynamoDBClient; readonly tables: Readonly<Record<string, string>> };
  readonly sqs?: { readonly client: SQSClient; readonly queues: Readonly<Record<string, string>> };
  readonly s3?: { readonly client: S3Client; readonly buckets: Readonly<Record<string, string>> };
  readonly ses?: { readonly endpoint: string };
  readonly bedrock?: { readonly client: BedrockRuntimeClient; readonly modelId: string };
  readonly timeoutMs?: number;
}

/**
 * Every check for the dependencies given, named `<dependency> <what>`: `DynamoDB jobs table`,
 * `SQS tailoring queue`, `S3 payloads bucket`, `SES endpoint`, `Bedrock runtime`. Record keys are the
 * resources' labels (`{ jobs: "cvpipe-jobs" }` → `DynamoDB jobs table`).
 *
 * @example
 * health: dependencyChecks({ dynamodb: { client: dynamo, tables: { jobs: config.JOBS_TABLE } }, ... })
 */
export const dependencyChecks = (targets: DependencyTargets): DependencyCheck[] => {
  const ms = targets.timeoutMs ?? HEALTH_CHECK_TIMEOUT_MS;
  const checks: DependencyCheck[] = [];
  const { dynamodb, sqs, s3, ses, bedrock } = targets;
  for (const [label, table] of Object.entries(dynamodb?.tables ?? {}))
    checks.push({
      name: `DynamoDB ${label} table`,
      dependency: "DynamoDB",
      run: () => tableReachable(dynamodb!.client, table, ms),
    });
  for (const [label, url] of Object.entries(sqs?.queues ?? {}))
    checks.push({ name: `SQS ${label} queue`, dependency: "SQS", run: () => queueReachable(sqs!.client, url, ms) });
  for (const [label, bucket] of Object.entries(s3?.buckets ?? {}))
    checks.push({ name: `S3 ${label} bucket`, dependency: "S3", run: () => bucketReachable(s3!.client, bucket, ms) });
  if (ses) checks.push({ name: "SES endpoint", dependency: "SES", run: () => sesReachable(ses.endpoint, ms) });
  if (bedrock)
    checks.push({
      name: "Bedrock runtime",
      dependency: "Bedrock",
      run: () => bedrockReachable(bedrock.client, bedrock.modelId, ms),
    });
  return checks;
};
