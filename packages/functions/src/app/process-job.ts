import type { EngineName } from "@cvpipe/core/contracts/job-request";
import {
  type TailoringInput,
  TailoringInput as TailoringInputSchema,
  type TailoringJobMessage,
} from "@cvpipe/core/contracts/messages";
import { parseWith } from "@cvpipe/core/contracts/parse";
import { CvpipeError, isRetryable } from "@cvpipe/core/errors";
import { type JobError, type JobRecord, latestCreatedAtFor } from "@cvpipe/core/jobs/job-record";
import { s3Key } from "@cvpipe/core/keys";
import { BlobNotFoundError, type BlobStore } from "@cvpipe/core/ports/blob-store";
import type { Clock } from "@cvpipe/core/ports/clock";
import type { JobStore } from "@cvpipe/core/ports/job-store";
import type { QueuePublisher } from "@cvpipe/core/ports/queue-publisher";
import { normalizeCv } from "@cvpipe/core/tailoring/normalize-cv";
import { tailorCv } from "@cvpipe/core/tailoring/tailor-cv";
import type { TailoringEngine } from "@cvpipe/core/tailoring/types";
import { jobErrorOf } from "./job-error.ts";
import { publishJobEvents } from "./publish-job-events.ts";

/** Where a failure's full story goes (Powertools Logger satisfies it): the job record gets only its code. */
export interface JobLog {
  warn(message: string, extra: Record<string, unknown>): void;
  error(message: string, extra: Record<string, unknown>): void;
}

export interface ProcessJobDeps {
  readonly jobs: JobStore;
  readonly blobs: BlobStore;
  readonly queue: QueuePublisher;
  readonly clock: Clock;
  readonly engines: Partial<Record<EngineName, TailoringEngine>>;
  readonly bannedClaims: readonly string[];
  readonly maxReceiveCount: number;
  /** Results above this go to S3 (a DynamoDB item is at most 400 KB, attribute names included). */
  readonly inlineResultLimitBytes: number;
  readonly logger: JobLog;
}

export interface Delivery {
  /** ApproximateReceiveCount of the SQS record. */
  readonly receiveCount: number;
}

/**
 * "superseded": a newer attempt of the same job took over while this one ran; it wrote nothing.
 * "stale-message": the message belongs to an earlier job with the same id (expired); dropped.
 */
export type ProcessOutcome = "succeeded" | "failed" | "already-done" | "missing" | "superseded" | "stale-message";

/**
 * Tailors one job, exactly once in effect.
 *
 * Redelivery, Lambda retries and DLQ redrive all arrive here again with the
 * same job id. The conditional `start` refuses a finished job, so a second
 * result is never written; we then only re-publish the job's events (ids
 * derived from the job and attempt, so the analytics side counts each once)
 * in case the earlier attempt died between finishing the job and publishing.
 *
 * Two attempts can overlap (an invocation delayed past the visibility
 * timeout; locally, a handler that overran): `start` makes each one a new
 * attempt number, every write of an attempt is conditional on that number
 * still being the job's, and a large result is stored under the attempt's own
 * key — so only the attempt that won is ever visible, whole.
 */
export const processJob = async (
  deps: ProcessJobDeps,
  message: TailoringJobMessage,
  delivery: Delivery,
): Promise<ProcessOutcome> => {
  const startedAt = deps.clock.now().toISOString();
  const start = await deps.jobs.start(message.tenantId, message.jobId, startedAt, message.submittedAt);
  if (!start.started) {
    if (!start.record) return "missing";
    if (start.record.createdAt > latestCreatedAtFor(message.submittedAt)) return "stale-message";
    await publishOutcome(deps, start.record);
    return "already-done";
  }

  const attempt = start.record.attempts;
  let error: JobError;
  try {
    const input = await loadInput(deps, message);
    const engineName = input.options.engine ?? start.record.engine;
    const engine = deps.engines[engineName];
    if (!engine) {
      throw new CvpipeError(`engine "${engineName}" is not configured here`, { code: "ENGINE_UNAVAILABLE" });
    }
    const cv = normalizeCv(input.cv);
    const result = await tailorCv(
      engine,
      { cv, job: input.job, options: input.options },
      { bannedClaims: deps.bannedClaims },
    );
    const serialized = JSON.stringify(result);
    const completion =
      Buffer.byteLength(serialized) > deps.inlineResultLimitBytes
        ? {
            resultBlob: await deps.blobs.put(
              s3Key("results", message.tenantId, message.jobId, `attempt-${attempt}.json`),
              serialized,
              "application/json",
            ),
          }
        : { result };
    const finishedAt = deps.clock.now().toISOString();
    const won = await deps.jobs.succeed(
      message.tenantId,
      message.jobId,
      attempt,
      { ...completion, ...(result.usage ? { usage: result.usage } : {}) },
      finishedAt,
    );
    // A newer attempt owns the job: its result (and outcome) stand, this one's blob is never pointed at.
    if (!won) return "superseded";
  } catch (caught) {
    if (isRetryable(caught) && delivery.receiveCount < deps.maxReceiveCount) throw caught;
    error = jobErrorOf(caught);
    logFailure(deps.logger, message, attempt, caught, error);
    const failed = await deps.jobs.fail(message.tenantId, message.jobId, error, deps.clock.now().toISOString(), {
      attempt,
    });
    if (!failed) return "superseded";
    const record = await deps.jobs.get(message.tenantId, message.jobId);
    if (record) await publishOutcome(deps, record);
    // Out of attempts on a retryable failure: the job shows FAILED, and the message goes on to the DLQ
    // so an operator can redrive it once the dependency is back (start() accepts a retryable failure).
    if (isRetryable(caught)) throw caught;
    return "failed";
  }
  const record = await deps.jobs.get(message.tenantId, message.jobId);
  if (record) await publishOutcome(deps, record);
  return "succeeded";
};

const loadInput = async (deps: ProcessJobDeps, message: TailoringJobMessage): Promise<TailoringInput> => {
  if ("inline" in message.input) return message.input.inline;
  let raw: string;
  try {
    raw = await deps.blobs.get(message.input.blob);
  } catch (error) {
    // Gone for good (deleted, expired): a permanent failure of this job, not a reason to hold its group.
    if (error instanceof BlobNotFoundError) {
      throw new CvpipeError("the job's claim-checked request is no longer stored; submit the job again", {
        code: "INPUT_MISSING",
        details: { key: error.pointer.key },
      });
    }
    throw error;
  }
  return parseWith(TailoringInputSchema, JSON.parse(raw), "blob");
};

/**
 * The failure as it happened — the dependency's message, its cause, the
 * claim-check key — for operators: tenants see only `error.code` and the
 * fixed message (job-error.ts). Content failures (the CV, the engine's
 * answer) are warnings; dependency and internal failures are errors.
 */
const logFailure = (log: JobLog, message: TailoringJobMessage, attempt: number, caught: unknown, shown: JobError) => {
  const expected = caught instanceof CvpipeError && !caught.retryable && shown.code !== "INTERNAL_ERROR";
  const cause = caught instanceof Error ? caught.cause : undefined;
  log[expected ? "warn" : "error"]("job failed", {
    jobId: message.jobId,
    tenantId: message.tenantId,
    attempt,
    code: shown.code,
    detail: caught instanceof Error ? `${caught.name}: ${caught.message}` : String(caught),
    ...(caught instanceof CvpipeError && caught.details !== undefined ? { details: caught.details } : {}),
    ...(cause instanceof Error ? { cause: `${cause.name}: ${cause.message}` } : {}),
    error: caught as Error,
  });
};

const publishOutcome = (deps: ProcessJobDeps, record: JobRecord): Promise<void> => publishJobEvents(deps.queue, record);
