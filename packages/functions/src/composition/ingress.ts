/** Composition root of the ingress: its configuration turned into its adapters, once per cold start. */
import { randomUUID } from "node:crypto";
import {
  createBedrockRuntimeClient,
  createDynamoDbClient,
  createS3Client,
  createSqsClient,
  sesEndpoint,
  toDocumentClient,
} from "@cvpipe/aws/clients";
import { DynamoCvStore } from "@cvpipe/aws/dynamo-cv-store";
import { DynamoFeedbackStore } from "@cvpipe/aws/dynamo-feedback-store";
import { dependencyChecks } from "@cvpipe/aws/health-checks";
import { SqsQueuePublisher } from "@cvpipe/aws/sqs-queue-publisher";
import type { IdSecret } from "@cvpipe/core/contracts/canonical-json";
import type { BlobStore } from "@cvpipe/core/ports/blob-store";
import { clockFromEnv } from "@cvpipe/core/ports/clock";
import type { JobStore } from "@cvpipe/core/ports/job-store";
import { type Metrics, noMetrics } from "@cvpipe/core/ports/metrics";
import { realTimer, type Timer } from "@cvpipe/core/ports/timer";
import type { CvLibraryDeps } from "../app/cv-library.ts";
import type { FeedbackDeps } from "../app/feedback.ts";
import type { HealthProbe } from "../app/health.ts";
import type { JobDetailDeps } from "../app/job-view.ts";
import type { SubmitEventsDeps } from "../app/submit-events.ts";
import type { SubmitJobDeps } from "../app/submit-job.ts";
import type { UserDeletionDeps } from "../app/user-deletion.ts";
import { type IngressConfig, IngressConfig as IngressConfigSchema } from "../config/ingress.ts";
import { parseConfig } from "../config/settings.ts";
import { loadIdSecret } from "../id-secret.ts";

import { deletionStore, jobStore, payloadStore } from "./shared.ts";

export interface IngressDeps
  extends SubmitJobDeps,
    SubmitEventsDeps,
    JobDetailDeps,
    CvLibraryDeps,
    FeedbackDeps,
    UserDeletionDeps {
  readonly jobs: JobStore;
  readonly blobs: BlobStore;
  /** Seals list cursors (and keys derived ids, via SubmitJobDeps / SubmitEventsDeps). */
  readonly idSecret: IdSecret;
  readonly health: readonly HealthProbe[];
  /** Real time: `Prefer: wait` and the health answer's age. */
  readonly timer: Timer;
}

/** Async: the id secret is read at cold start (Secrets Manager on AWS, a file locally). */
export const ingressDeps = async (
  env: NodeJS.ProcessEnv = process.env,
  metrics: Metrics = noMetrics,
): Promise<IngressDeps> => {
  const config: IngressConfig = parseConfig("ingress", IngressConfigSchema, env);
  const idSecret = await loadIdSecret(config);
  const clock = clockFromEnv(env);
  const sqs = createSqsClient(env);
  const s3 = createS3Client(env);
  const dynamo = createDynamoDbClient(env);
  const db = toDocumentClient(dynamo);
  const blobs = payloadStore(s3, config.PAYLOADS_BUCKET, config.DATA_KEY_ARN);
  return {
    jobs: jobStore(db, config.JOBS_TABLE, clock),
    cvs: new DynamoCvStore(db, config.CVS_TABLE),
    feedback: new DynamoFeedbackStore(db, config.FEEDBACK_TABLE, { clock }),
    deletions: deletionStore(db, config.DELETIONS_TABLE, clock),
    cvBlobs: payloadStore(s3, config.CVS_BUCKET, config.DATA_KEY_ARN),
    queue: new SqsQueuePublisher(sqs, {
      tailoringJobs: config.TAILORING_JOBS_QUEUE_URL,
      analyticsEvents: config.ANALYTICS_EVENTS_QUEUE_URL,
    }),
    blobs,
    links: blobs,
    clock,
    newId: randomUUID,
    idSecret,
    maxResponseBytes: config.MAX_RESPONSE_BYTES,
    resultLinkTtlSeconds: config.RESULT_LINK_TTL_SECONDS,
    defaultEngine: config.DEFAULT_ENGINE,
    jobTtlDays: config.JOB_TTL_DAYS,
    eventTypes: config.EVENT_TYPES,
    metrics,
    health: ingressHealthChecks(config, env, { dynamo, sqs, s3 }),
    timer: realTimer,
  };
};

/**
 * What the ingress needs to take work (its table, queues and bucket: required), and what the workers
 * need to finish it (SES for the weekly report, Bedrock when a model is configured: not required, since
 * jobs and events are queued and wait for them). The workers have no route of their own, so the API's
 * health is where an operator sees them.
 */
const ingressHealthChecks = (
  config: IngressConfig,
  env: NodeJS.ProcessEnv,
  clients: {
    readonly dynamo: ReturnType<typeof createDynamoDbClient>;
    readonly sqs: ReturnType<typeof createSqsClient>;
    readonly s3: ReturnType<typeof createS3Client>;
  },
): HealthProbe[] => {
  const required = dependencyChecks({
    dynamodb: {
      client: clients.dynamo,
      tables: { jobs: config.JOBS_TABLE, cvs: config.CVS_TABLE, feedback: config.FEEDBACK_TABLE },
    },
    sqs: {
      client: clients.sqs,
      queues: { tailoring: config.TAILORING_JOBS_QUEUE_URL, analytics: config.ANALYTICS_EVENTS_QUEUE_URL },
    },
    s3: { client: clients.s3, buckets: { payloads: config.PAYLOADS_BUCKET, cvs: config.CVS_BUCKET } },
  });
  const modelId = config.BEDROCK_MODEL_ID;
  const workers = dependencyChecks({
    ses: { endpoint: sesEndpoint(env) },
    ...(modelId ? { bedrock: { client: createBedrockRuntimeClient(env), modelId } } : {}),
  });
  return [...required.map((c) => ({ ...c, required: true })), ...workers.map((c) => ({ ...c, required: false }))];
};
