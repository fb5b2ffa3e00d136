/**
 * Composition root: turns the parsed environment into adapters. Each handler
 * builds its dependencies once per cold start through these functions.
 */
import { randomUUID } from "node:crypto";
import { BedrockEngine } from "@cvpipe/aws/bedrock/bedrock-engine";
import { loadPromptTemplates } from "@cvpipe/aws/bedrock/prompt-templates";
import {
  createBedrockRuntimeClient,
  createDynamoDbClient,
  createS3Client,
  createSqsClient,
  toDocumentClient,
} from "@cvpipe/aws/clients";
import { DynamoJobStore } from "@cvpipe/aws/dynamo-job-store";
import { queueReachable, tableReachable } from "@cvpipe/aws/health-checks";
import { RawEventRecorder } from "@cvpipe/aws/raw-event-recorder";
import { S3BlobStore } from "@cvpipe/aws/s3-blob-store";
import { SqsQueuePublisher } from "@cvpipe/aws/sqs-queue-publisher";
import type { BlobStore } from "@cvpipe/core/ports/blob-store";
import { systemClock } from "@cvpipe/core/ports/clock";
import type { JobStore } from "@cvpipe/core/ports/job-store";
import { LocalEngine } from "@cvpipe/core/tailoring/local-engine";
import type { ProcessJobDeps } from "./app/process-job.ts";
import type { EventRecorder } from "./app/record-event.ts";
import type { SubmitEventsDeps } from "./app/submit-events.ts";
import type { SubmitJobDeps } from "./app/submit-job.ts";
import {
  AnalyticsConfig as AnalyticsConfigSchema,
  type IngressConfig,
  IngressConfig as IngressConfigSchema,
  parseConfig,
  type TailorConfig,
  TailorConfig as TailorConfigSchema,
} from "./config.ts";

export interface HealthCheck {
  readonly name: string;
  run(): Promise<void>;
}

export interface IngressDeps extends SubmitJobDeps, SubmitEventsDeps {
  readonly jobs: JobStore;
  readonly blobs: BlobStore;
  readonly health: readonly HealthCheck[];
}

export const ingressDeps = (env: NodeJS.ProcessEnv = process.env): IngressDeps => {
  const config: IngressConfig = parseConfig("ingress", IngressConfigSchema, env);
  const sqs = createSqsClient(env);
  const dynamo = createDynamoDbClient(env);
  const db = toDocumentClient(dynamo);
  return {
    jobs: new DynamoJobStore(db, config.JOBS_TABLE),
    queue: new SqsQueuePublisher(sqs, {
      tailoringJobs: config.TAILORING_JOBS_QUEUE_URL,
      analyticsEvents: config.ANALYTICS_EVENTS_QUEUE_URL,
    }),
    blobs: new S3BlobStore(createS3Client(env), config.PAYLOADS_BUCKET),
    clock: systemClock,
    newId: randomUUID,
    defaultEngine: config.DEFAULT_ENGINE,
    jobTtlDays: config.JOB_TTL_DAYS,
    health: [
      { name: "jobs table", run: () => tableReachable(dynamo, config.JOBS_TABLE) },
      { name: "tailoring queue", run: () => queueReachable(sqs, config.TAILORING_JOBS_QUEUE_URL) },
      { name: "analytics queue", run: () => queueReachable(sqs, config.ANALYTICS_EVENTS_QUEUE_URL) },
    ],
  };
};

export const tailorDeps = (env: NodeJS.ProcessEnv = process.env): ProcessJobDeps => {
  const config = parseConfig("tailor", TailorConfigSchema, env);
  const db = toDocumentClient(createDynamoDbClient(env));
  return {
    jobs: new DynamoJobStore(db, config.JOBS_TABLE),
    blobs: new S3BlobStore(createS3Client(env), config.PAYLOADS_BUCKET),
    queue: new SqsQueuePublisher(createSqsClient(env), { analyticsEvents: config.ANALYTICS_EVENTS_QUEUE_URL }),
    clock: systemClock,
    engines: tailoringEngines(config, env),
    bannedClaims: config.BANNED_CLAIMS,
    maxReceiveCount: config.MAX_RECEIVE_COUNT,
  };
};

/** The local engine is always there; Bedrock when a model is configured. */
const tailoringEngines = (config: TailorConfig, env: NodeJS.ProcessEnv): ProcessJobDeps["engines"] => {
  const local = new LocalEngine();
  if (!config.BEDROCK_MODEL_ID) return { local };
  const bedrock = new BedrockEngine(createBedrockRuntimeClient(env), {
    modelId: config.BEDROCK_MODEL_ID,
    piiRedaction: config.ENABLE_PII_REDACTION,
    promptTemplates: loadPromptTemplates(config.PROMPT_TEMPLATES_PATH),
    ...(config.BEDROCK_GUARDRAIL_ARN
      ? { guardrail: { identifier: config.BEDROCK_GUARDRAIL_ARN, version: config.BEDROCK_GUARDRAIL_VERSION } }
      : {}),
  });
  return { local, bedrock };
};

/** FOUNDATION STAND-IN until the analytics issue lands its stores (see RawEventRecorder). */
export const analyticsDeps = (env: NodeJS.ProcessEnv = process.env): EventRecorder => {
  const config = parseConfig("analytics", AnalyticsConfigSchema, env);
  return new RawEventRecorder(toDocumentClient(createDynamoDbClient(env)), config.EVENTS_TABLE, config.EVENT_TTL_DAYS);
};
