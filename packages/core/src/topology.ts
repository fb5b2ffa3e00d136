/**
 * The one manifest of cvpipe's resources. `infra/` turns it into CDK
 * constructs and `packages/local` into CreateQueue/CreateTable calls and
 * pollers, so nothing about a resource is written twice.
 */

export type FunctionId = "ingress" | "tailor" | "analytics" | "reporter" | "sweeper";
export type QueueId = "tailoringJobs" | "analyticsEvents";
export type TableId = "jobs" | "events" | "aggregates" | "reports";

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
  readonly consumer: FunctionId;
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
}

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
  readonly id: "payloads";
  readonly name: string;
  /** Objects (claim-checked requests, large results) expire after this many days. */
  readonly expireAfterDays: number;
}

export type ScheduleId = "weeklyReport" | "jobSweep";

export interface ScheduleSpec {
  readonly id: ScheduleId;
  /** EventBridge cron expression, UTC. */
  readonly cron: string;
  readonly target: FunctionId;
  readonly description: string;
}

/**
 * How long each kind of record lives, in days: read by the functions' config
 * (as defaults of the *_TTL_DAYS variables) and by nothing else.
 */
export const retention = {
  /** A job and its result (TTL `expiresAt` on the jobs table). */
  jobTtlDays: 30,
  /**
   * A producer's raw analytics event: longer than the report window, and longer
   * than any message carrying it can live (queue 4 days, DLQ 14 days) — it is
   * the dedup record of the exactly-once fold.
   */
  eventTtlDays: 14,
  /** cvpipe's own outcome and retraction events: a job's life (30) plus a DLQ stay (14). */
  outcomeEventTtlDays: 45,
} as const;

/** Names of the jobs table's indexes (declared in `tables.jobs.indexes`). */
export const jobIndexes = { byUser: "byUser", queued: "queued" } as const;

const minutes = (n: number): number => n * 60;
const days = (n: number): number => n * 86_400;

export const functions = {
  ingress: {
    id: "ingress",
    entry: "packages/functions/src/ingress.ts",
    timeoutSeconds: 10,
    memoryMb: 512,
    description: "Validates producer requests and enqueues jobs and events",
  },
  tailor: {
    id: "tailor",
    entry: "packages/functions/src/tailor.ts",
    timeoutSeconds: 120,
    memoryMb: 1024,
    description: "Tailors CVs to job descriptions (FIFO consumer)",
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
} as const satisfies Record<FunctionId, FunctionSpec>;

/** Lambda's guidance: visibility timeout at least 6x the consumer's timeout. */
export const VISIBILITY_TIMEOUT_FACTOR = 6;

export const queues = {
  tailoringJobs: {
    id: "tailoringJobs",
    name: "tailoring-jobs.fifo",
    dlqName: "tailoring-jobs-dlq.fifo",
    consumer: "tailor",
    visibilityTimeoutSeconds: functions.tailor.timeoutSeconds * VISIBILITY_TIMEOUT_FACTOR,
    maxReceiveCount: 3,
    retentionSeconds: days(4),
    dlqRetentionSeconds: days(14),
    batchSize: 10,
    maxConcurrency: 5,
    maxAgeSeconds: minutes(15),
  },
  analyticsEvents: {
    id: "analyticsEvents",
    name: "analytics-events.fifo",
    dlqName: "analytics-events-dlq.fifo",
    consumer: "analytics",
    visibilityTimeoutSeconds: functions.analytics.timeoutSeconds * VISIBILITY_TIMEOUT_FACTOR,
    maxReceiveCount: 3,
    retentionSeconds: days(4),
    dlqRetentionSeconds: days(14),
    batchSize: 10,
    maxConcurrency: 2,
    maxAgeSeconds: minutes(30),
  },
} as const satisfies Record<QueueId, QueueSpec>;

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
    indexes: [],
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
} as const satisfies Record<TableId, TableSpec>;

export const buckets = {
  payloads: { id: "payloads", name: "cvpipe-payloads", expireAfterDays: 30 },
} as const satisfies Record<"payloads", BucketSpec>;

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
} as const;
export type ApiScope = keyof typeof apiScopes;

export interface RouteSpec {
  readonly method: "GET" | "POST";
  /** HTTP API route path; `{name}` marks a path parameter. */
  readonly path: string;
  /** false: no JWT authorizer (health, OpenAPI document). */
  readonly auth: boolean;
  /** JWT routes: a token needs at least one of these in `scope` (or `scp`); else 403. Public routes: none. */
  readonly scopes: readonly ApiScope[];
  readonly target: FunctionId;
}

export const api = {
  routes: [
    { method: "POST", path: "/v1/jobs", auth: true, scopes: ["cvpipe/jobs.write"], target: "ingress" },
    { method: "GET", path: "/v1/jobs", auth: true, scopes: ["cvpipe/jobs.read"], target: "ingress" },
    { method: "GET", path: "/v1/jobs/{jobId}", auth: true, scopes: ["cvpipe/jobs.read"], target: "ingress" },
    { method: "POST", path: "/v1/events", auth: true, scopes: ["cvpipe/events.write"], target: "ingress" },
    { method: "GET", path: "/v1/health", auth: false, scopes: [], target: "ingress" },
    { method: "GET", path: "/v1/openapi.json", auth: false, scopes: [], target: "ingress" },
  ],
  scopes: apiScopes,
  /** What a producer (careers site, ATS, chatbot) is granted: every scope. `cvpipe token` mints these by default. */
  producerScopes: ["cvpipe/jobs.write", "cvpipe/jobs.read", "cvpipe/events.write"],
  /** JWT claim that scopes every read and write. */
  tenantClaim: "tenantId",
  /** Requests over this size are refused with 413 before parsing. */
  maxBodyBytes: 1_048_576,
} as const satisfies {
  routes: readonly RouteSpec[];
  scopes: Record<ApiScope, string>;
  producerScopes: readonly ApiScope[];
  tenantClaim: string;
  maxBodyBytes: number;
};

/**
 * Environment variables each function reads, and which resource fills each.
 * The CDK app and the local stack both derive function environments from this.
 */
export const functionResources = {
  ingress: { queues: ["tailoringJobs", "analyticsEvents"], tables: ["jobs"], buckets: ["payloads"] },
  tailor: { queues: ["analyticsEvents"], tables: ["jobs"], buckets: ["payloads"] },
  analytics: { queues: [], tables: ["events", "aggregates"], buckets: [] },
  reporter: { queues: [], tables: ["aggregates", "reports"], buckets: [] },
  sweeper: { queues: ["analyticsEvents"], tables: ["jobs"], buckets: [] },
} as const satisfies Record<
  FunctionId,
  { queues: readonly QueueId[]; tables: readonly TableId[]; buckets: readonly "payloads"[] }
>;

/**
 * A resource's physical name in a deployed stage: the topology name plus the
 * stage (`cvpipe-jobs-prod`, `tailoring-jobs-prod.fifo`). FIFO names keep `.fifo`.
 */
export const stagedName = (name: string, stage: string): string =>
  name.endsWith(".fifo") ? `${name.slice(0, -".fifo".length)}-${stage}.fifo` : `${name}-${stage}`;

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
export const bucketNameEnv = <B extends "payloads">(id: B): `${EnvName<B>}_BUCKET` => `${envName(id)}_BUCKET`;

export const topology = { functions, queues, tables, buckets, schedules, functionResources, api } as const;
export type Topology = typeof topology;
