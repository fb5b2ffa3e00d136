/**
 * Composition root: turns the parsed environment into adapters. Each handler
 * builds its dependencies once per cold start through these functions.
 */
import { randomUUID } from "node:crypto";
import { AnalyticsFold } from "@cvpipe/aws/analytics/analytics-fold";
import { DynamoAggregateStore } from "@cvpipe/aws/analytics/dynamo-aggregate-store";
import { DynamoUserEvents } from "@cvpipe/aws/analytics/dynamo-user-events";
import { BedrockEngine } from "@cvpipe/aws/bedrock/bedrock-engine";
import { loadPromptTemplates } from "@cvpipe/aws/bedrock/prompt-templates";
import {
  createBedrockRuntimeClient,
  createDynamoDbClient,
  createS3Client,
  createSesClient,
  createSqsClient,
  sesEndpoint,
  toDocumentClient,
} from "@cvpipe/aws/clients";
import { DynamoCvStore } from "@cvpipe/aws/dynamo-cv-store";
import { DynamoDeletionStore } from "@cvpipe/aws/dynamo-deletion-store";
import { DynamoFeedbackStore } from "@cvpipe/aws/dynamo-feedback-store";
import { DynamoJobStore } from "@cvpipe/aws/dynamo-job-store";
import { dependencyChecks } from "@cvpipe/aws/health-checks";
import { DynamoReportLedger } from "@cvpipe/aws/report/dynamo-report-ledger";
import { SesMailer } from "@cvpipe/aws/report/ses-mailer";
import { S3BlobStore } from "@cvpipe/aws/s3-blob-store";
import { SqsQueuePublisher } from "@cvpipe/aws/sqs-queue-publisher";
import { VisibilityReleaser } from "@cvpipe/aws/sqs-visibility";
import type { IdSecret } from "@cvpipe/core/contracts/canonical-json";
import { cachedSuppressions } from "@cvpipe/core/deletions/suppression-cache";
import type { BlobStore } from "@cvpipe/core/ports/blob-store";
import { type Clock, clockFromEnv, systemClock } from "@cvpipe/core/ports/clock";
import type { SuppressionLookup } from "@cvpipe/core/ports/deletion-store";
import type { EventRecorder } from "@cvpipe/core/ports/event-recorder";
import type { JobStore } from "@cvpipe/core/ports/job-store";
import { type Metrics, noMetrics } from "@cvpipe/core/ports/metrics";
import type { ReleaseRecords } from "@cvpipe/core/ports/release-records";
import type { SendWeeklyReportDeps } from "@cvpipe/core/report/send-weekly-report";
import { LocalEngine } from "@cvpipe/core/tailoring/local-engine";
import { deletionIndexes, eventIndexes, jobIndexes, queues } from "@cvpipe/core/topology";
import type { CvLibraryDeps } from "./app/cv-library.ts";
import type { EraseUserDeps } from "./app/erase-user.ts";
import type { FeedbackDeps } from "./app/feedback.ts";
import type { HealthProbe } from "./app/health.ts";
import type { JobDetailDeps } from "./app/job-view.ts";
import type { ProcessJobDeps } from "./app/process-job.ts";
import type { SubmitEventsDeps } from "./app/submit-events.ts";
import type { SubmitJobDeps } from "./app/submit-job.ts";
import type { SweepJobsDeps } from "./app/sweep-jobs.ts";
import type { UserDeletionDeps } from "./app/user-deletion.ts";
import {
  AnalyticsConfig as AnalyticsConfigSchema,
  EraserConfig as EraserConfigSchema,
  type IngressConfig,
  IngressConfig as IngressConfigSchema,
  parseConfig,
  ReporterConfig as ReporterConfigSchema,
  SweeperConfig as SweeperConfigSchema,
  type TailorConfig,
  TailorConfig as TailorConfigSchema,
} from "./config.ts";
import { apiKeyReader } from "./engines/openai/api-key.ts";
import { OpenAiEngine } from "./engines/openai/openai-engine.ts";
import { loadIdSecret, secretsManagerClient } from "./id-secret.ts";
import { createLogger } from "./logger.ts";

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
}

type DocumentClient = ReturnType<typeof toDocumentClient>;

/** The deletions table's adapter: its name from the configuration, its index from the topology. */
const deletionStore = (db: DocumentClient, tableName: string, clock: Clock): DynamoDeletionStore =>
  new DynamoDeletionStore(db, { tableName, pendingIndex: deletionIndexes.pending, clock });

/** The workers' question "did this user ask for their data to be deleted, and when" (cached: see the grace). */
const suppressionLookup = (db: DocumentClient, tableName: string, clock: Clock): SuppressionLookup =>
  cachedSuppressions(deletionStore(db, tableName, clock), () => clock.now().getTime());

/** The jobs table's adapter: its name from the configuration, its index names from the topology. */
const jobStore = (db: DocumentClient, tableName: string, clock: Clock): JobStore =>
  new DynamoJobStore(db, tableName, { clock, indexes: jobIndexes });

/**
 * Presigned URLs are signed on the real clock: S3 checks them against its own time. With a data key
 * (AWS), objects are written SSE-KMS under their tenant's encryption context; without one (local), plainly.
 */
const payloadStore = (s3: ReturnType<typeof createS3Client>, bucket: string, kmsKeyArn?: string): S3BlobStore =>
  new S3BlobStore(s3, bucket, { signingClock: systemClock, ...(kmsKeyArn === undefined ? {} : { kmsKeyArn }) });

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
    feedback: new DynamoFeedbackStore(db, config.FEEDBACK_TABLE),
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

export const tailorDeps = (
  env: NodeJS.ProcessEnv = process.env,
  logger: ProcessJobDeps["logger"] = createLogger("tailor"),
  metrics: Metrics = noMetrics,
): ProcessJobDeps => {
  const config = parseConfig("tailor", TailorConfigSchema, env);
  const clock = clockFromEnv(env);
  const db = toDocumentClient(createDynamoDbClient(env));
  return {
    jobs: jobStore(db, config.JOBS_TABLE, clock),
    blobs: payloadStore(createS3Client(env), config.PAYLOADS_BUCKET, config.DATA_KEY_ARN),
    queue: new SqsQueuePublisher(createSqsClient(env), { analyticsEvents: config.ANALYTICS_EVENTS_QUEUE_URL }),
    clock,
    engines: tailoringEngines(config, env),
    bannedClaims: config.BANNED_CLAIMS,
    // The tailoring queue's redrive policy, from the same topology the queue was deployed from.
    maxReceiveCount: queues.tailoringJobs.maxReceiveCount,
    inlineResultLimitBytes: config.INLINE_RESULT_LIMIT_BYTES,
    logger,
    metrics,
    suppressedSince: suppressionLookup(db, config.DELETIONS_TABLE, clock),
  };
};

/** The local engine is always there; Bedrock when a model is configured; openai when a server and model are. */
const tailoringEngines = (config: TailorConfig, env: NodeJS.ProcessEnv): ProcessJobDeps["engines"] => {
  const promptTemplates = loadPromptTemplates(config.PROMPT_TEMPLATES_PATH);
  const bedrock = config.BEDROCK_MODEL_ID
    ? new BedrockEngine(createBedrockRuntimeClient(env), {
        modelId: config.BEDROCK_MODEL_ID,
        piiRedaction: config.ENABLE_PII_REDACTION,
        promptTemplates,
        ...(config.BEDROCK_GUARDRAIL_ARN
          ? { guardrail: { identifier: config.BEDROCK_GUARDRAIL_ARN, version: config.BEDROCK_GUARDRAIL_VERSION } }
          : {}),
      })
    : undefined;
  const apiKey = apiKeyReader(config, () => secretsManagerClient(env));
  // Both or neither: the configuration refuses one without the other.
  const openai =
    config.OPENAI_BASE_URL && config.OPENAI_MODEL
      ? new OpenAiEngine({
          baseUrl: config.OPENAI_BASE_URL,
          model: config.OPENAI_MODEL,
          piiRedaction: config.ENABLE_PII_REDACTION,
          promptTemplates,
          timeoutMs: config.OPENAI_TIMEOUT_SECONDS * 1000,
          ...(apiKey ? { apiKey } : {}),
        })
      : undefined;
  return { local: new LocalEngine(), ...(bedrock ? { bedrock } : {}), ...(openai ? { openai } : {}) };
};

/** The analytics worker: each event stored once and folded into its week exactly once. */
export const analyticsDeps = (env: NodeJS.ProcessEnv = process.env, metrics?: Metrics): EventRecorder => {
  const config = parseConfig("analytics", AnalyticsConfigSchema, env);
  return new AnalyticsFold(toDocumentClient(createDynamoDbClient(env)), {
    clock: clockFromEnv(env),
    ...(metrics ? { metrics } : {}),
    eventsTable: config.EVENTS_TABLE,
    aggregatesTable: config.AGGREGATES_TABLE,
    eventTtlDays: config.EVENT_TTL_DAYS,
    tailorEventTtlDays: config.OUTCOME_EVENT_TTL_DAYS,
  });
};

/** The analytics worker's question whether an event's user asked for their data to be deleted. */
export const analyticsSuppressions = (env: NodeJS.ProcessEnv = process.env): SuppressionLookup => {
  const config = parseConfig("analytics", AnalyticsConfigSchema, env);
  const clock = clockFromEnv(env);
  return suppressionLookup(toDocumentClient(createDynamoDbClient(env)), config.DELETIONS_TABLE, clock);
};

/** What the reporter needs: the weekly report's dependencies, who it goes to, and the ledger's table. */
export interface ReporterDeps extends SendWeeklyReportDeps {
  readonly recipients: readonly string[];
  readonly sender: string;
  /** The reports table (REPORTS_TABLE): the ReportSendUncertain alarm's dimension. */
  readonly reportsTable: string;
}

export const reporterDeps = (env: NodeJS.ProcessEnv = process.env): ReporterDeps => {
  const config = parseConfig("reporter", ReporterConfigSchema, env);
  const clock = clockFromEnv(env);
  const db = toDocumentClient(createDynamoDbClient(env));
  return {
    aggregates: new DynamoAggregateStore(db, { tableName: config.AGGREGATES_TABLE, clock }),
    ledger: new DynamoReportLedger(db, { tableName: config.REPORTS_TABLE }),
    mailer: new SesMailer(createSesClient(env)),
    clock,
    recipients: config.REPORT_RECIPIENTS,
    sender: config.REPORT_SENDER,
    reportsTable: config.REPORTS_TABLE,
  };
};

export const sweeperDeps = (env: NodeJS.ProcessEnv = process.env, metrics: Metrics = noMetrics): SweepJobsDeps => {
  const config = parseConfig("sweeper", SweeperConfigSchema, env);
  const clock = clockFromEnv(env);
  return {
    jobs: jobStore(toDocumentClient(createDynamoDbClient(env)), config.JOBS_TABLE, clock),
    queue: new SqsQueuePublisher(createSqsClient(env), { analyticsEvents: config.ANALYTICS_EVENTS_QUEUE_URL }),
    clock,
    stuckAfterMinutes: config.STUCK_JOB_MINUTES,
    batchLimit: 200,
    metrics,
  };
};

export const eraserDeps = (env: NodeJS.ProcessEnv = process.env): EraseUserDeps => {
  const config = parseConfig("eraser", EraserConfigSchema, env);
  const clock = clockFromEnv(env);
  const db = toDocumentClient(createDynamoDbClient(env));
  const s3 = createS3Client(env);
  return {
    deletions: deletionStore(db, config.DELETIONS_TABLE, clock),
    jobs: jobStore(db, config.JOBS_TABLE, clock),
    blobs: payloadStore(s3, config.PAYLOADS_BUCKET),
    cvs: new DynamoCvStore(db, config.CVS_TABLE),
    cvBlobs: payloadStore(s3, config.CVS_BUCKET),
    feedback: new DynamoFeedbackStore(db, config.FEEDBACK_TABLE),
    events: new DynamoUserEvents(db, { tableName: config.EVENTS_TABLE, byGroupIndex: eventIndexes.byGroup }),
    clock,
    graceSeconds: config.DELETION_GRACE_SECONDS,
    // Every pending request gets a pass each run (a request that keeps failing does not hold back the others).
    batchLimit: 100,
  };
};

let releaser: VisibilityReleaser | undefined;

/** For the FIFO workers: releases poison records at once (see fifoWorker). */
export const releaseRecords = (env: NodeJS.ProcessEnv = process.env): ReleaseRecords => {
  releaser ??= new VisibilityReleaser(createSqsClient(env));
  const visibility = releaser;
  return (queueArn, handles) => visibility.release(queueArn, handles);
};
