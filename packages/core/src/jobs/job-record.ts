import type { TailoringOutcomeEvent } from "../contracts/analytics-event.ts";
import type { BlobPointer } from "../contracts/blob-pointer.ts";
import type { EngineName, JobStatus } from "../contracts/job-constants.ts";
import type { ErrorCode } from "../errors.ts";
import type { JobCompletion } from "../ports/job-store.ts";
import type { TailoringResult, TokenUsage } from "../tailoring/types.ts";
import { QUEUED_SHARDS } from "../topology.ts";

export interface JobError {
  readonly code: ErrorCode;
  readonly message: string;
  readonly details?: unknown;
  /** true: a dependency failed after every attempt; a DLQ redrive may run the job again. */
  readonly retryable?: boolean;
}

/** One tailoring job as the jobs table holds it. */
export interface JobRecord {
  readonly tenantId: string;
  readonly jobId: string;
  readonly userId: string;
  /** `tenantId#userId`: partition key of the by-user index. */
  readonly userKey: string;
  readonly status: JobStatus;
  readonly engine: EngineName;
  readonly createdAt: string;
  readonly updatedAt: string;
  /** Epoch seconds; DynamoDB TTL. Reads treat an expired item as absent. */
  readonly expiresAt: number;
  /** SHA-256 of the canonical request: detects an idempotency key reused for a different request. */
  readonly requestHash: string;
  readonly idempotencyKey?: string;
  /**
   * The correlation id of the request that created the job (see jobs/caller.ts):
   * what a failure recorded outside any worker (the sweep's NOT_STARTED) carries on.
   */
  readonly correlationId?: string;
  /** The library CV and the exact version the job used (`cvRef` jobs only). */
  readonly cvRef?: { readonly cvId: string; readonly version: number };
  /** The producer's own correlation id (`applicationId` of the request). */
  readonly applicationId?: string;
  /** Present only while QUEUED: the job's partition in the sparse `queued` index (the sweep reads it). */
  readonly queuedShard?: string;
  /**
   * Processing attempts started. Also the fence of an attempt: every write of an
   * attempt (its result, its failure) is conditional on this still being its
   * number, so an overlapping older attempt can never overwrite a newer one.
   */
  readonly attempts: number;
  /**
   * Outcomes published for earlier endings of this job (a retryable failure that
   * an operator redrove): each is retracted when the job ends again.
   */
  readonly supersededOutcomes?: readonly TailoringOutcomeEvent[];
  readonly startedAt?: string;
  readonly finishedAt?: string;
  /** Inline result, when it fits in the item. */
  readonly result?: TailoringResult;
  /** Claim check: the result lives in S3 because it is over the item budget. */
  readonly resultBlob?: BlobPointer;
  readonly usage?: TokenUsage;
  readonly error?: JobError;
}

/**
 * The job as its attempt's `succeed` leaves it, from the record `start` returned for that attempt:
 * what the store holds once `succeed` answered true (the stores write exactly this). The worker
 * publishes the outcome from it rather than reading the job back.
 */
export const succeededJob = (started: JobRecord, completion: JobCompletion, at: string): JobRecord => ({
  ...started,
  status: "SUCCEEDED",
  updatedAt: at,
  finishedAt: at,
  ...(completion.result ? { result: completion.result } : {}),
  ...(completion.resultBlob ? { resultBlob: completion.resultBlob } : {}),
  ...(completion.usage ? { usage: completion.usage } : {}),
});

/** The job as its attempt's `fail({ attempt })` leaves it (see succeededJob): FAILED with `error`, out of the sweep's index. */
export const failedJob = (started: JobRecord, error: JobError, at: string): JobRecord => {
  const { queuedShard: _, ...rest } = started;
  return { ...rest, status: "FAILED", updatedAt: at, finishedAt: at, error };
};

export const userKey = (tenantId: string, userId: string): string => `${tenantId}#${userId}`;

/**
 * How much older than its job a message may look (clock skew between the ingress
 * that wrote the row and the one that sent it). A message older than that belongs
 * to an earlier job with the same id — an Idempotency-Key reused after that job
 * expired — and must never run this one.
 */
export const MESSAGE_SKEW_MS = 3_600_000;

/** The latest `createdAt` a job may have for a message submitted at `submittedAt` to run it. */
export const latestCreatedAtFor = (submittedAt: string): string =>
  new Date(Date.parse(submittedAt) + MESSAGE_SKEW_MS).toISOString();

/** Partition of the sparse `queued` index a QUEUED job is listed in. */
export const queuedShard = (jobId: string): string => {
  let h = 0;
  for (let i = 0; i < jobId.length; i++) h = (h * 31 + jobId.charCodeAt(i)) >>> 0;
  return `q${h % QUEUED_SHARDS}`;
};
