/**
 * The one manifest of cvpipe's resources. `infra/` turns it into CDK
 * constructs and `packages/local` into CreateQueue/CreateTable calls and
 * pollers, so nothing about a resource is written twice.
 */

import { DAY_SECONDS } from "./ttl.ts";

export type FunctionId = "ingress" | "tailor" | "analytics" | "reporter" | "sweeper" | "eraser";
export type QueueId = "tailoringJobs" | "analyticsEvents";
export type TableId = "jobs" | "events" | "aggregates" | "reports" | "cvs" | "feedback" | "deletions";
export type BucketId = "payloads" | "cvs";

export interface FunctionSpec {
  readonly id: FunctionId;
  /** Entry file, relative to the repository root. Exports `handler`. */
  readonly entry: string;
  readonly timeoutSeconds: number;
  readonly memoryMb: number;
  readonly description: string;
}

export interface QueueSpec {
  readonly id: QueueId;
  readonly name: string;
  readonly dlqName: string;
  readonly worker: FunctionId;
  readonly visibilityTimeoutSeconds: number;
  readonly maxReceiveCount: number;
  readonly retentionSeconds: number;
  readonly dlqRetentionSeconds: number;
  /** Lambda event source: records per batch (SQS max for FIFO is 10). */
  readonly batchSize: number;
  /** Lambda event source: maximum concurrent invocations (AWS minimum is 2). */
  readonly maxConcurrency: number;
  /** Alarm when the oldest message is older than this. */
  readonly maxAgeSeconds: number;
  /** SQS FIFO throughput mode of the queue and of its DLQ (see FIFO_HIGH_THROUGHPUT). */
  readonly fifoThroughput: FifoThroughputSpec;
}

/** The two SQS attributes that select a FIFO queue's throughput mode, with SQS's own values. */
export interface FifoThroughputSpec {
  /** `messageGroup`: a MessageDeduplicationId deduplicates only within its message group. */
  readonly deduplicationScope: "messageGroup" | "queue";
  /** `perMessageGroupId`: the FIFO throughput quota applies per message group, not to the queue. */
  readonly fifoThroughputLimit: "perMessageGroupId" | "perQueue";
}

/**
 * SQS high-throughput mode for FIFO queues (it takes both attributes). The
 * per-queue quota of 300 calls/s per API action (3,000 messages/s in batches of
 * 10) becomes a per-group one, and SQS spreads the queue over partitions by
 * MessageGroupId (tenant#user, `messageGroupId`), so throughput grows with the
 * number of active users. Deduplication becomes per group, which cvpipe's
 * deduplication ids allow: a job's is its job id (derived from tenant, user and
 * Idempotency-Key, or random), a producer event's is derived from tenant and
 * event id, an outcome's names its job, a redriven message's hashes its DLQ
 * messageId. None is used for two different messages in two groups, and every
 * resend of one message (an ingress retry, an outcome published again, a redrive
 * run again) goes to the same group, where SQS still drops it within its 5
 * minutes. The one change: the same producer event id sent by two users of one
 * tenant now reaches the worker twice (two groups); the fold keeps the copy
 * stored first (tenant + event id), as it always did for a resend after the 5
 * minutes. On the DLQs too: nothing sends to a DLQ with a deduplication id of
 * its own, so the scope changes nothing there, while a mass failure moving
 * messages in faster than 300/s, and the peek and redrive reading them back,
 * meet no per-queue quota (docs/capacity.md). The emulators accept both
 * attributes at CreateQueue and apply neither (docs/emulator-differences.md).
 */
export const FIFO_HIGH_THROUGHPUT = {
  deduplicationScope: "messageGroup",
  fifoThroughputLimit: "perMessageGroupId",
} as const satisfies FifoThroughputSpec;

export interface KeySpec {
  readonly name: string;
  readonly type: "S" | "N";
}

export interface IndexSpec {
  readonly name: string;
  readonly partitionKey: KeySpec;
  readonly sortKey: KeySpec;
}

export interface TableSpec {
  readonly id: TableId;
  readonly name: string;
  readonly partitionKey: KeySpec;
  readonly sortKey?: KeySpec;
  readonly ttlAttribute?: string;
  readonly indexes: readonly IndexSpec[];
}

export interface BucketSpec {
  readonly id: BucketId;
  readonly name: string;
  /** Objects expire after this many days (none: kept until deleted). */
  readonly expireAfterDays?: number;
  /** Bucket versioning on AWS: an overwritten or deleted object stays recoverable. */
  readonly versioned?: boolean;
}

export type ScheduleId = "weeklyReport" | "jobSweep" | "userDeletions";

export interface ScheduleSpec {
  readonly id: ScheduleId;
  /** EventBridge cron expression, UTC. */
  readonly cron: string;
  readonly target: FunctionId;
  readonly description: string;
}

/** Names of the jobs table's indexes (declared in `tables.jobs.indexes`). */
export const jobIndexes = { byUser: "byUser", queued: "queued" } as const;
/** The events table's index by owner stream (MessageGroupId): a user's raw events, for their deletion. */
export const eventIndexes = { byGroup: "byGroup" } as const;
/** The deletions table's sparse index of requests not yet carried out. */
export const deletionIndexes = { pending: "pending" } as const;

const minutes = (n: number): number => n * 60;
const days = (n: number): number => n * DAY_SECONDS;

export const functions = {
  ingress: {
    id: "ingress",
    entry: "packages/functions/src/ingress.ts",
    // Past `api.maxPreferWaitSeconds` (a POST /v1/jobs may wait that long for its job) and below API
    // Gateway's 30 s integration limit.
    timeoutSeconds: 29,
    memoryMb: 512,
    description: "Validates producer requests and enqueues jobs and events",
  },
  tailor: {
    id: "tailor",
    entry: "packages/functions/src/tailor.ts",
    timeoutSeconds: 120,
    memoryMb: 1024,
    description: "Tailors CVs to job descriptions (FIFO worker)",
  },
  analytics: {
    id: "analytics",
    entry: "packages/functions/src/analytics.ts",
    timeoutSeconds: 30,
    memoryMb: 512,
    description: "Stores analytics events and folds them into weekly aggregates",
  },
  reporter: {
    id: "reporter",
    entry: "packages/functions/src/reporter.ts",
    timeoutSeconds: 60,
    memoryMb: 512,
    description: "Builds and sends the weekly analytics report",
  },
  sweeper: {
    id: "sweeper",
    entry: "packages/functions/src/sweeper.ts",
    timeoutSeconds: 60,
    memoryMb: 256,
    description: "Closes jobs left QUEUED whose message never reached the queue",
  },
  eraser: {
    id: "eraser",
    entry: "packages/functions/src/eraser.ts",
    timeoutSeconds: 300,
    memoryMb: 512,
    description: "Carries out requests to delete a user's data (DELETE /v1/users/{userId}/data)",
  },
} as const satisfies Record<FunctionId, FunctionSpec>;

/** Lambda's guidance: visibility timeout at least 6x the worker's timeout. */
export const VISIBILITY_TIMEOUT_FACTOR = 6;

export const queues = {
  tailoringJobs: {
    id: "tailoringJobs",
    name: "tailoring-jobs.fifo",
    dlqName: "tailoring-jobs-dlq.fifo",
    worker: "tailor",
    visibilityTimeoutSeconds: functions.tailor.timeoutSeconds * VISIBILITY_TIMEOUT_FACTOR,
    maxReceiveCount: 3,
    retentionSeconds: days(4),
    dlqRetentionSeconds: days(14),
    batchSize: 10,
    maxConcurrency: 5,
    maxAgeSeconds: minutes(15),
    fifoThroughput: FIFO_HIGH_THROUGHPUT,
  },
  analyticsEvents: {
    id: "analyticsEvents",
    name: "analytics-events.fifo",
    dlqName: "analytics-events-dlq.fifo",
    worker: "analytics",
    visibilityTimeoutSeconds: functions.analytics.timeoutSeconds * VISIBILITY_TIMEOUT_FACTOR,
    maxReceiveCount: 3,
    retentionSeconds: days(4),
    dlqRetentionSeconds: days(14),
    batchSize: 10,
    maxConcurrency: 2,
    maxAgeSeconds: minutes(30),
    fifoThroughput: FIFO_HIGH_THROUGHPUT,
  },
} as const satisfies Record<QueueId, QueueSpec>;

/** A job and its result live this long (TTL `expiresAt` on the jobs table); the payload bucket keeps its objects as long. */
const JOB_TTL_DAYS = 30;

/**
 * How long each kind of record lives, in days: read by the functions' config
 * (as defaults of the *_TTL_DAYS variables), the aggregate store's default and
 * the payload bucket's expiry (`buckets.payloads`), and by nothing else.
 */
export const retention = {
  /** A job and its result (TTL `expiresAt` on the jobs table). At most `buckets.payloads.expireAfterDays`. */
  jobTtlDays: JOB_TTL_DAYS,
  /**
   * A producer's raw analytics event: longer than the report window, and longer
   * than any message carrying it can live (queue 4 days, DLQ 14 days) — it is
   * the dedup record of the exactly-once fold.
   */
  eventTtlDays: 14,
  /**
   * cvpipe's own outcome and retraction events: longer than a job's life
   * (`jobTtlDays`, during which its outcome may be published again) plus the
   * longest stay of the message carrying one in the analytics-events DLQ
   * (`queues.analyticsEvents.dlqRetentionSeconds`), by a day: 30 + 14 + 1.
   */
  outcomeEventTtlDays: JOB_TTL_DAYS + queues.analyticsEvents.dlqRetentionSeconds / DAY_SECONDS + 1,
  /** A weekly aggregate item, after the end of its week (TTL `expiresAt`): a year of week-over-week deltas, and a little more. */
  aggregateTtlDays: 400,
  /** A feedback record (TTL `expiresAt`): as long as the aggregates it folded into. */
  feedbackTtlDays: 400,
  /**
   * A deletion request's record (what was removed, when; no user id once carried out): a year and a little more,
   * the record an operator shows for a request.
   */
  deletionRecordDays: 400,
  /**
   * A deleted user's suppression record (tenant, user id, the request's time): work of theirs already queued when
   * they asked is dropped instead of done while it can still arrive — a message lives 4 days in its queue and 14
   * in its DLQ — by a week more. Then it expires and nothing names the user.
   */
  deletionTombstoneDays: 4 + 14 + 7,
} as const;

export const tables = {
  jobs: {
    id: "jobs",
    name: "cvpipe-jobs",
    partitionKey: { name: "tenantId", type: "S" },
    sortKey: { name: "jobId", type: "S" },
    ttlAttribute: "expiresAt",
    indexes: [
      {
        name: jobIndexes.byUser,
        partitionKey: { name: "userKey", type: "S" },
        sortKey: { name: "createdAt", type: "S" },
      },
      {
        // Sparse: only QUEUED jobs carry `queuedShard` (start and fail remove it), so the sweep reads
        // the few jobs still waiting, oldest first, in QUEUED_SHARDS partitions — never the table.
        name: jobIndexes.queued,
        partitionKey: { name: "queuedShard", type: "S" },
        sortKey: { name: "createdAt", type: "S" },
      },
    ],
  },
  events: {
    id: "events",
    name: "cvpipe-events",
    partitionKey: { name: "tenantId", type: "S" },
    sortKey: { name: "eventId", type: "S" },
    ttlAttribute: "expiresAt",
    indexes: [
      {
        name: eventIndexes.byGroup,
        partitionKey: { name: "groupId", type: "S" },
        sortKey: { name: "eventId", type: "S" },
      },
    ],
  },
  aggregates: {
    id: "aggregates",
    name: "cvpipe-aggregates",
    partitionKey: { name: "week", type: "S" },
    sortKey: { name: "shard", type: "S" },
    ttlAttribute: "expiresAt",
    indexes: [],
  },
  reports: {
    id: "reports",
    name: "cvpipe-reports",
    partitionKey: { name: "week", type: "S" },
    indexes: [],
  },
  /**
   * The CV library's metadata: one item per CV, in its owner's partition (tenant and user), with the
   * list of its versions; the bodies are objects in `buckets.cvs`. No TTL: a CV lives until deleted.
   */
  cvs: {
    id: "cvs",
    name: "cvpipe-cvs",
    partitionKey: { name: "ownerKey", type: "S" },
    sortKey: { name: "cvId", type: "S" },
    indexes: [],
  },
  /** Relevance feedback on tailored CVs: the tenant's partition, sorted `jobId#<receivedAt>#<feedbackId>`. */
  feedback: {
    id: "feedback",
    name: "cvpipe-feedback",
    partitionKey: { name: "tenantId", type: "S" },
    sortKey: { name: "feedbackKey", type: "S" },
    ttlAttribute: "expiresAt",
    indexes: [],
  },
  /**
   * Requests to delete a user's data: `deletionId` items (status, what was removed) and, while the user's queued
   * work can still arrive, one `user#<userId>` suppression item per user (the latest request's time), which the
   * workers read before doing a job or storing an event. Requests not yet carried out carry `pendingShard`.
   */
  deletions: {
    id: "deletions",
    name: "cvpipe-deletions",
    partitionKey: { name: "tenantId", type: "S" },
    sortKey: { name: "itemKey", type: "S" },
    ttlAttribute: "expiresAt",
    indexes: [
      {
        name: deletionIndexes.pending,
        partitionKey: { name: "pendingShard", type: "S" },
        sortKey: { name: "requestedAt", type: "S" },
      },
    ],
  },
} as const satisfies Record<TableId, TableSpec>;

export const buckets = {
  // As long as a job lives (JOB_TTL_DAYS cannot exceed it): a live SUCCEEDED job's stored result is never gone.
  payloads: { id: "payloads", name: "cvpipe-payloads", expireAfterDays: retention.jobTtlDays },
  // The CV library's bodies, one object per version: kept until the CV is deleted.
  cvs: { id: "cvs", name: "cvpipe-cvs", versioned: true },
} as const satisfies Record<BucketId, BucketSpec>;

export const schedules = {
  weeklyReport: {
    id: "weeklyReport",
    cron: "cron(0 7 ? * MON *)",
    target: "reporter",
    description: "Weekly analytics report, Monday 07:00 UTC, for the previous ISO week",
  },
  jobSweep: {
    id: "jobSweep",
    cron: "cron(7/15 * * * ? *)",
    target: "sweeper",
    description: "Every 15 minutes: fails jobs QUEUED for longer than STUCK_JOB_MINUTES (never enqueued)",
  },
  userDeletions: {
    id: "userDeletions",
    cron: "cron(* * * * ? *)",
    target: "eraser",
    description: "Every minute: carries out pending requests to delete a user's data",
  },
} as const satisfies Record<ScheduleId, ScheduleSpec>;

/** Partitions of the jobs table's sparse `queued` index. */
export const QUEUED_SHARDS = 8;

/**
 * OAuth scopes of the producer API, as `<resource server>/<scope>` (the form
 * Cognito gives custom scopes). A JWT route lists the scopes that let a token
 * through; as with API Gateway's `authorizationScopes`, any one of them suffices.
 */
export const apiScopes = {
  "cvpipe/jobs.write": "submit tailoring jobs (POST /v1/jobs)",
  "cvpipe/jobs.read": "read the caller's own jobs and results (GET /v1/jobs, GET /v1/jobs/{jobId})",
  "cvpipe/events.write": "send analytics events (POST /v1/events)",
  "cvpipe/cvs.write": "upload, version and delete the caller's CVs (POST /v1/cvs, PUT and DELETE /v1/cvs/{cvId})",
  "cvpipe/cvs.read": "read the caller's CVs (GET /v1/cvs, GET /v1/cvs/{cvId})",
  "cvpipe/feedback.read":
    "read the tenant's relevance feedback (GET /v1/feedback; the token must also carry the analyst role claim)",
  "cvpipe/users.delete":
    "delete a user's data on request and follow the deletion (DELETE /v1/users/{userId}/data, GET /v1/deletions/{deletionId}); another user's needs the analyst or admin role",
} as const;
export type ApiScope = keyof typeof apiScopes;

export interface RouteSpec {
  readonly method: "GET" | "HEAD" | "POST" | "PUT" | "DELETE";
  /** HTTP API route path; `{name}` marks a path parameter. */
  readonly path: string;
  /** false: no JWT authorizer (health, OpenAPI document). */
  readonly auth: boolean;
  /** JWT routes: a token needs at least one of these in `scope` (or `scp`); else 403. Public routes: none. */
  readonly scopes: readonly ApiScope[];
  readonly target: FunctionId;
  /** The query parameters the route takes; any other is refused (400 naming it), never silently ignored. */
  readonly query?: readonly string[];
}

export const api = {
  routes: [
    { method: "POST", path: "/v1/jobs", auth: true, scopes: ["cvpipe/jobs.write"], target: "ingress" },
    {
      method: "GET",
      path: "/v1/jobs",
      auth: true,
      scopes: ["cvpipe/jobs.read"],
      target: "ingress",
      query: ["limit", "cursor", "status", "applicationId"],
    },
    { method: "GET", path: "/v1/jobs/{jobId}", auth: true, scopes: ["cvpipe/jobs.read"], target: "ingress" },
    { method: "POST", path: "/v1/events", auth: true, scopes: ["cvpipe/events.write"], target: "ingress" },
    {
      method: "POST",
      path: "/v1/jobs/{jobId}/feedback",
      auth: true,
      scopes: ["cvpipe/jobs.write"],
      target: "ingress",
    },
    {
      method: "GET",
      path: "/v1/feedback",
      auth: true,
      scopes: ["cvpipe/feedback.read"],
      target: "ingress",
      query: ["since", "limit", "cursor"],
    },
    { method: "POST", path: "/v1/cvs", auth: true, scopes: ["cvpipe/cvs.write"], target: "ingress" },
    {
      method: "GET",
      path: "/v1/cvs",
      auth: true,
      scopes: ["cvpipe/cvs.read"],
      target: "ingress",
      query: ["limit", "cursor"],
    },
    {
      method: "GET",
      path: "/v1/cvs/{cvId}",
      auth: true,
      scopes: ["cvpipe/cvs.read"],
      target: "ingress",
      query: ["version"],
    },
    { method: "PUT", path: "/v1/cvs/{cvId}", auth: true, scopes: ["cvpipe/cvs.write"], target: "ingress" },
    { method: "DELETE", path: "/v1/cvs/{cvId}", auth: true, scopes: ["cvpipe/cvs.write"], target: "ingress" },
    {
      method: "DELETE",
      path: "/v1/users/{userId}/data",
      auth: true,
      scopes: ["cvpipe/users.delete"],
      target: "ingress",
    },
    {
      method: "GET",
      path: "/v1/deletions/{deletionId}",
      auth: true,
      scopes: ["cvpipe/users.delete"],
      target: "ingress",
    },
    { method: "GET", path: "/v1/health", auth: false, scopes: [], target: "ingress" },
    // The same checks with no body: what load balancers and uptime probes send.
    { method: "HEAD", path: "/v1/health", auth: false, scopes: [], target: "ingress" },
    { method: "GET", path: "/v1/openapi.json", auth: false, scopes: [], target: "ingress" },
  ],
  scopes: apiScopes,
  /** What a producer (careers site, ATS, chatbot) is granted: every scope. `cvpipe token` mints these by default. */
  producerScopes: [
    "cvpipe/jobs.write",
    "cvpipe/jobs.read",
    "cvpipe/events.write",
    "cvpipe/cvs.write",
    "cvpipe/cvs.read",
    "cvpipe/users.delete",
  ],
  /** JWT claim that scopes every read and write. */
  tenantClaim: "tenantId",
  /** JWT claim naming a caller's roles (a string, space-separated, or an array); `analyst` reads the tenant's feedback. */
  roleClaim: "cvpipe:roles",
  analystRole: "analyst",
  /** The role that may delete any user's data of the tenant (so may `analystRole`). */
  adminRole: "admin",
  /** Requests over this size are refused with 413 before parsing. */
  maxBodyBytes: 1_048_576,
  /**
   * POST /v1/jobs's optional header: the same key and body return the first job. `rule` is `pattern` in
   * words (the 400's message and the document's description).
   */
  idempotencyKey: {
    header: "Idempotency-Key",
    pattern: /^[\x21-\x7e]{1,255}$/,
    rule: "1-255 printable ASCII characters, no spaces",
  },
  /** GET /v1/jobs's `limit` query parameter: a whole number from `min` to `max`; `default` when absent. */
  listLimit: { min: 1, max: 100, default: 20 },
  /** The request and response header naming a request's correlation id (headers are read case-insensitively). */
  correlationIdHeader: "X-Correlation-Id",
  /** `Prefer: wait=N` on POST /v1/jobs (RFC 7240): N seconds at most, a larger N waits this long. */
  maxPreferWaitSeconds: 25,
} as const satisfies {
  routes: readonly RouteSpec[];
  scopes: Record<ApiScope, string>;
  producerScopes: readonly ApiScope[];
  tenantClaim: string;
  roleClaim: string;
  analystRole: string;
  adminRole: string;
  maxBodyBytes: number;
  idempotencyKey: { header: string; pattern: RegExp; rule: string };
  listLimit: { min: number; max: number; default: number };
  correlationIdHeader: string;
  maxPreferWaitSeconds: number;
};

/**
 * Environment variables each function reads, and which resource fills each.
 * The CDK app and the local stack both derive function environments from this.
 */
export const functionResources = {
  ingress: {
    queues: ["tailoringJobs", "analyticsEvents"],
    tables: ["jobs", "cvs", "feedback", "deletions"],
    buckets: ["payloads", "cvs"],
  },
  tailor: { queues: ["analyticsEvents"], tables: ["jobs", "deletions"], buckets: ["payloads"] },
  analytics: { queues: [], tables: ["events", "aggregates", "deletions"], buckets: [] },
  reporter: { queues: [], tables: ["aggregates", "reports"], buckets: [] },
  sweeper: { queues: ["analyticsEvents"], tables: ["jobs"], buckets: [] },
  eraser: {
    queues: [],
    tables: ["deletions", "jobs", "cvs", "feedback", "events"],
    buckets: ["payloads", "cvs"],
  },
} as const satisfies Record<
  FunctionId,
  { queues: readonly QueueId[]; tables: readonly TableId[]; buckets: readonly BucketId[] }
>;

/**
 * The names of the functions' settings that are not resource names (those
 * come from queueUrlEnv/tableNameEnv/bucketNameEnv): the variables
 * packages/functions/src/config/<function>.ts parse, infra/ fills from CDK context
 * (function-settings.ts) and the local stack gives defaults to. Written out
 * so they can be searched for; each is its key's `envName` (topology.test.ts).
 */
export const SETTING = {
  defaultEngine: "DEFAULT_ENGINE",
  jobTtlDays: "JOB_TTL_DAYS",
  eventTypes: "EVENT_TYPES",
  idSecretArn: "ID_SECRET_ARN",
  idSecretFile: "ID_SECRET_FILE",
  /** AWS: the customer managed KMS key of the buckets and tables; objects are written SSE-KMS with it. Unset locally. */
  dataKeyArn: "DATA_KEY_ARN",
  maxResponseBytes: "MAX_RESPONSE_BYTES",
  resultLinkTtlSeconds: "RESULT_LINK_TTL_SECONDS",
  bedrockModelId: "BEDROCK_MODEL_ID",
  bedrockGuardrailArn: "BEDROCK_GUARDRAIL_ARN",
  bedrockGuardrailVersion: "BEDROCK_GUARDRAIL_VERSION",
  /** The openai engine: an OpenAI-compatible Chat Completions API root (`…/v1`) and the model it serves. */
  openaiBaseUrl: "OPENAI_BASE_URL",
  openaiModel: "OPENAI_MODEL",
  /** A bearer token for that server, when it wants one (local servers mostly do not). Locally only: on AWS, the secret below. */
  openaiApiKey: "OPENAI_API_KEY",
  /** AWS: the Secrets Manager secret (ARN) holding the key; read once per cold start, never put in the environment. */
  openaiApiKeySecretArn: "OPENAI_API_KEY_SECRET_ARN",
  /** Per call; a CPU-bound local model can take long. Attempts × this stays inside the tailor's timeout. */
  openaiTimeoutSeconds: "OPENAI_TIMEOUT_SECONDS",
  enablePiiRedaction: "ENABLE_PII_REDACTION",
  promptTemplatesPath: "PROMPT_TEMPLATES_PATH",
  bannedClaims: "BANNED_CLAIMS",
  inlineResultLimitBytes: "INLINE_RESULT_LIMIT_BYTES",
  eventTtlDays: "EVENT_TTL_DAYS",
  outcomeEventTtlDays: "OUTCOME_EVENT_TTL_DAYS",
  reportRecipients: "REPORT_RECIPIENTS",
  reportSender: "REPORT_SENDER",
  stuckJobMinutes: "STUCK_JOB_MINUTES",
  /**
   * Seconds after a deletion request before its last pass: longer than any invocation that read the user's
   * suppression record before it existed can still run (the tailor's timeout, the analytics worker's, and their
   * cached reads of it).
   */
  deletionGraceSeconds: "DELETION_GRACE_SECONDS",
} as const;
/**
 * The KMS encryption context key naming whose data an S3 object holds. The S3 adapter writes
 * `{ tenantId: <tenant> }` with every object when a data key is configured; the data key's grants
 * (infra/src/data-key.ts) require the key, so an object written without it cannot be written at all.
 */
export const TENANT_ENCRYPTION_CONTEXT_KEY = "tenantId";

/**
 * Powertools for AWS Lambda's own variables, as the deployment (and the embedded stack) sets them
 * for each function and the functions read them.
 */
export const POWERTOOLS_ENV = {
  serviceName: "POWERTOOLS_SERVICE_NAME",
  logLevel: "POWERTOOLS_LOG_LEVEL",
  metricsNamespace: "POWERTOOLS_METRICS_NAMESPACE",
  metricsDisabled: "POWERTOOLS_METRICS_DISABLED",
} as const;

export type SettingId = keyof typeof SETTING;
/** `DEFAULT_ENGINE`, `BEDROCK_MODEL_ID`, …: a function setting's variable name. */
export type SettingName = (typeof SETTING)[SettingId];

/**
 * A resource's physical name in a deployed stage: the topology name plus the
 * stage (`cvpipe-jobs-prod`, `tailoring-jobs-prod.fifo`). FIFO names keep `.fifo`.
 */
export const stagedName = (name: string, stage: string): string =>
  name.endsWith(".fifo") ? `${name.slice(0, -".fifo".length)}-${stage}.fifo` : `${name}-${stage}`;

/** A stage name: it becomes part of queue, table and bucket names (the CDK app's `stage`, the embedded stack's CVPIPE_LOCAL_STAGE). */
export const STAGE_PATTERN = /^[a-z][a-z0-9-]{0,11}$/;

/** The physical names of the topology's queues, tables and buckets. */
export interface ResourceNames {
  readonly queues: Readonly<Record<QueueId, { readonly name: string; readonly dlqName: string }>>;
  readonly tables: Readonly<Record<TableId, string>>;
  readonly buckets: Readonly<Record<BucketId, string>>;
}

/** A queue's name, the last segment of its URL (the queue's own, so a stage's staged name). */
export const queueNameOf = (url: string): string => url.slice(url.lastIndexOf("/") + 1);

/**
 * The topology's names as written (`stage` undefined: the embedded stack on its own emulators) or
 * with a stage (stagedName). A deployed stage's buckets add account and region on top (infra's
 * stagedBucketName), which CloudFormation resolves; this is every other name.
 */
export const resourceNames = (stage?: string): ResourceNames => {
  const name = (n: string): string => (stage === undefined ? n : stagedName(n, stage));
  const byId = <I extends string, S extends { readonly id: I }, V>(specs: readonly S[], value: (spec: S) => V) =>
    Object.fromEntries(specs.map((spec) => [spec.id, value(spec)])) as Record<I, V>;
  return {
    queues: byId(Object.values(queues) as QueueSpec[], (q) => ({ name: name(q.name), dlqName: name(q.dlqName) })),
    tables: byId(Object.values(tables) as TableSpec[], (t) => name(t.name)),
    buckets: byId(Object.values(buckets) as BucketSpec[], (b) => name(b.name)),
  };
};

/**
 * What the names the deployment gives a stage's own resources start with (its stacks, HTTP API,
 * alarms, …): `cvpipe-<stage>`.
 */
export const stagePrefix = (stage: string): string => `cvpipe-${stage}`;

/** A stage's CloudFormation stack: `cvpipe-<stage>-stateful`, `cvpipe-<stage>-service`. */
export const stackName = (stage: string, part: "stateful" | "service"): string => `${stagePrefix(stage)}-${part}`;

/** The stage's HTTP API (API Gateway's name of it): `cvpipe-<stage>`. */
export const stagedApiName = (stage: string): string => stagePrefix(stage);

/** What the stage's function names start with: CDK names each function after the service stack, `cvpipe-<stage>-service-…`. */
export const stageFunctionPrefix = (stage: string): string => `${stackName(stage, "service")}-`;

/** `tailoringJobs` → `TAILORING_JOBS` at the type level too, so config schemas can be keyed by these names. */
export type EnvName<S extends string> = S extends `${infer H}${infer T}`
  ? H extends Lowercase<H>
    ? `${Uppercase<H>}${EnvName<T>}`
    : `_${H}${EnvName<T>}`
  : "";

/** `tailoringJobs` → `TAILORING_JOBS`, used in env var names. */
export const envName = <S extends string>(id: S): EnvName<S> =>
  id.replace(/([a-z])([A-Z])/g, "$1_$2").toUpperCase() as EnvName<S>;
export const queueUrlEnv = <Q extends QueueId>(id: Q): `${EnvName<Q>}_QUEUE_URL` => `${envName(id)}_QUEUE_URL`;
export const tableNameEnv = <T extends TableId>(id: T): `${EnvName<T>}_TABLE` => `${envName(id)}_TABLE`;
export const bucketNameEnv = <B extends BucketId>(id: B): `${EnvName<B>}_BUCKET` => `${envName(id)}_BUCKET`;

export const topology = { functions, queues, tables, buckets, schedules, functionResources, api } as const;
export type Topology = typeof topology;
