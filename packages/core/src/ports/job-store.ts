import type { BlobPointer } from "../contracts/blob-pointer.ts";
import type { JobStatus } from "../contracts/job-constants.ts";
import type { JobError, JobRecord } from "../jobs/job-record.ts";
import type { TailoringResult, TokenUsage } from "../tailoring/types.ts";

export type CreateJobOutcome = { readonly created: true } | { readonly created: false; readonly existing: JobRecord };

export type StartOutcome =
  | { readonly started: true; readonly record: JobRecord }
  | { readonly started: false; readonly record: JobRecord | undefined };

export interface JobCompletion {
  readonly result?: TailoringResult;
  readonly resultBlob?: BlobPointer;
  readonly usage?: TokenUsage;
}

export interface JobPage {
  readonly items: readonly JobRecord[];
  readonly cursor?: string;
}

/** The jobs table. Every transition is a conditional write, so redelivery never produces a second result. */
/** What `GET /v1/jobs` may filter a caller's jobs by. */
export interface JobFilter {
  readonly status?: JobStatus;
  readonly applicationId?: string;
}

/** What a user's deletion needs of each of their jobs. */
export interface JobErasureRef {
  readonly jobId: string;
  readonly createdAt: string;
  readonly attempts: number;
}

export interface JobStore {
  /** Creates the job unless one with that id exists (then returns it). */
  create(record: JobRecord): Promise<CreateJobOutcome>;
  /** The job, or undefined when absent, expired or another tenant's. */
  get(tenantId: string, jobId: string): Promise<JobRecord | undefined>;
  /**
   * QUEUED|PROCESSING|FAILED(retryable) → PROCESSING as a new attempt (`attempts + 1`);
   * from FAILED, the failure's outcome joins `supersededOutcomes`. Not started when
   * the job is done, missing or expired — or when `submittedAt` (the message's) is
   * older than the job: a message of an earlier job with the same id (an
   * Idempotency-Key reused after that job expired) never runs the new one.
   */
  start(tenantId: string, jobId: string, at: string, submittedAt?: string): Promise<StartOutcome>;
  /** PROCESSING → SUCCEEDED for `attempt` only; false when another attempt took over or finished it. */
  succeed(tenantId: string, jobId: string, attempt: number, completion: JobCompletion, at: string): Promise<boolean>;
  /**
   * QUEUED|PROCESSING → FAILED; with `{ attempt }`, only while that attempt is the
   * current one; with "QUEUED", only if no attempt started. false when the
   * condition does not hold (already terminal, taken over, started).
   */
  fail(
    tenantId: string,
    jobId: string,
    error: JobError,
    at: string,
    only?: { attempt: number } | "QUEUED",
  ): Promise<boolean>;
  /**
   * Jobs in the sparse `queued` index created before `createdBefore`, oldest first, at most
   * `limit`: QUEUED ones, and ones the sweep failed whose outcome is not yet published.
   */
  listAwaitingSweep(createdBefore: string, limit: number): Promise<JobRecord[]>;
  /** Takes a job that is no longer QUEUED out of the sparse index (idempotent). */
  clearSweepMark(tenantId: string, jobId: string): Promise<void>;
  /**
   * Newest first; InvalidCursorError for a cursor this store did not issue for that user. A filter
   * applies after the page's `limit` items are read (DynamoDB's FilterExpression): a page may hold
   * fewer, even none, and still have a cursor.
   */
  listByUser(tenantId: string, userId: string, limit: number, cursor?: string, filter?: JobFilter): Promise<JobPage>;
  /** Every job of the user as stored, expired ones too (a deletion removes what a read would no longer show). */
  listForErasure(tenantId: string, userId: string): Promise<JobErasureRef[]>;
  /** Removes the job's record for good (a user's deletion); one already gone is no error. */
  remove(tenantId: string, jobId: string): Promise<void>;
}
