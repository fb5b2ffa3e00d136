import type { EngineName } from "@cvpipe/core/contracts/job-constants";
import { parseWith } from "@cvpipe/core/contracts/parse";
import {
  type TailoringInput,
  TailoringInput as TailoringInputSchema,
  type TailoringJobMessage,
} from "@cvpipe/core/contracts/tailoring-job-message";
import {
  ContentError,
  CvpipeError,
  EngineNotConfiguredError,
  InputMissingError,
  InternalError,
  isRetryable,
  VerificationError,
} from "@cvpipe/core/errors";
import {
  failedJob,
  type JobError,
  type JobRecord,
  latestCreatedAtFor,
  succeededJob,
} from "@cvpipe/core/jobs/job-record";
import { s3Key } from "@cvpipe/core/keys";
import { BlobNotFoundError, type BlobStore } from "@cvpipe/core/ports/blob-store";
import type { Clock } from "@cvpipe/core/ports/clock";
import type { SuppressionLookup } from "@cvpipe/core/ports/deletion-store";
import type { JobCompletion, JobStore } from "@cvpipe/core/ports/job-store";
import type { Log } from "@cvpipe/core/ports/log";
import { METRIC, type Metrics, noMetrics } from "@cvpipe/core/ports/metrics";
import type { QueuePublisher } from "@cvpipe/core/ports/queue-publisher";
import type { TailoringEngine } from "@cvpipe/core/ports/tailoring-engine";
import { normalizeCv } from "@cvpipe/core/resume/normalize-cv";
import { postingView } from "@cvpipe/core/tailoring/posting-view";
import { tailorCv } from "@cvpipe/core/tailoring/tailor-cv";
import type { TailoringResult } from "@cvpipe/core/tailoring/types";
import { eraseJob } from "./erase-job.ts";
import { jobErrorOf } from "./job-error.ts";
import { publishJobEvents } from "./publish-job-events.ts";

/** Where a failure's full story goes (core's Log port; Powertools Logger satisfies it): the job record gets only its code. */
export type JobLog = Pick<Log, "warn" | "error">;

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
  /** Jobs succeeded and failed, verification rejections, engine latency and tokens (default: none recorded). */
  readonly metrics?: Metrics;
  /** When the user asked for their data to be deleted, if they did: a job submitted until then is not done. */
  readonly suppressedSince?: SuppressionLookup;
}

export interface Delivery {
  /** ApproximateReceiveCount of the SQS record. */
  readonly receiveCount: number;
  /** The message's correlation id: the job's outcome events carry it on. */
  readonly correlationId?: string;
}

/**
 * "superseded": a newer attempt of the same job took over while this one ran; it wrote nothing.
 * "stale-message": the message belongs to an earlier job with the same id (expired); dropped.
 * "erased": the user asked for their data to be deleted after submitting the job; it is removed, not done.
 */
export type ProcessOutcome =
  | "succeeded"
  | "failed"
  | "already-done"
  | "missing"
  | "superseded"
  | "stale-message"
  | "erased";

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
  if (deps.suppressedSince) {
    const deletedAt = await deps.suppressedSince(message.tenantId, message.userId);
    if (deletedAt !== undefined && message.submittedAt <= deletedAt) {
      // The job this message names, unless a newer one took its id since (an Idempotency-Key used again
      // after the deletion): that one is new data, and this message is stale for it.
      const current = await deps.jobs.get(message.tenantId, message.jobId);
      if (current && current.createdAt > deletedAt) return "stale-message";
      await eraseJob(deps.jobs, deps.blobs, message.tenantId, message.jobId);
      return "erased";
    }
  }
  const startedAt = deps.clock.now().toISOString();
  const start = await deps.jobs.start(message.tenantId, message.jobId, startedAt, message.submittedAt);
  if (!start.started) {
    if (!start.record) return "missing";
    if (start.record.createdAt > latestCreatedAtFor(message.submittedAt)) return "stale-message";
    await publishOutcome(deps, start.record, delivery);
    return "already-done";
  }

  const metrics = deps.metrics ?? noMetrics;
  const attempt = start.record.attempts;
  let error: JobError;
  let result: TailoringResult;
  // The job as this attempt's ending left it (what the store now holds): its outcome is published from
  // it, not from a read of the job (the whole result) back.
  let ended: JobRecord;
  try {
    const input = await loadInput(deps, message);
    const engineName = input.options.engine ?? start.record.engine;
    const engine = deps.engines[engineName];
    if (!engine) throw new EngineNotConfiguredError(engineName);
    const cv = normalizeCv(input.cv);
    result = await tailorCv(
      timed(engine, deps.clock, metrics),
      { cv, posting: postingView(input.posting), options: input.options },
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
              { tenantId: message.tenantId },
            ),
          }
        : { result };
    const finishedAt = deps.clock.now().toISOString();
    const stored: JobCompletion = { ...completion, ...(result.usage ? { usage: result.usage } : {}) };
    const won = await deps.jobs.succeed(message.tenantId, message.jobId, attempt, stored, finishedAt);
    // A newer attempt owns the job (or it was deleted under this one): its result stands, and this one's
    // blob, never pointed at, goes.
    if (!won && !(await endedBy(deps, message, attempt, "SUCCEEDED"))) {
      if (completion.resultBlob) await deps.blobs.remove(completion.resultBlob);
      return "superseded";
    }
    ended = succeededJob(start.record, stored, finishedAt);
  } catch (caught) {
    // The verifier's refusals: counted on their own, whatever becomes of the job.
    if (caught instanceof VerificationError) {
      metrics.count(METRIC.verificationRejections, 1, { ErrorCode: caught.code });
    }
    if (isRetryable(caught) && delivery.receiveCount < deps.maxReceiveCount) throw caught;
    error = jobErrorOf(caught);
    logFailure(deps.logger, message, attempt, caught, error);
    const failedAt = deps.clock.now().toISOString();
    const failed = await deps.jobs.fail(message.tenantId, message.jobId, error, failedAt, { attempt });
    if (!failed && !(await endedBy(deps, message, attempt, "FAILED"))) return "superseded";
    metrics.count(METRIC.jobsFailed, 1, { ErrorCode: error.code });
    await publishOutcome(deps, failedJob(start.record, error, failedAt), delivery);
    // Out of attempts on a retryable failure: the job shows FAILED, and the message goes on to the DLQ
    // so an operator can redrive it once the dependency is back (start() accepts a retryable failure).
    if (isRetryable(caught)) throw caught;
    return "failed";
  }
  metrics.count(METRIC.jobsSucceeded, 1);
  if (result.usage) {
    metrics.count(METRIC.inputTokens, result.usage.inputTokens, { Engine: result.engine });
    metrics.count(METRIC.outputTokens, result.usage.outputTokens, { Engine: result.engine });
  }
  await publishOutcome(deps, ended, delivery);
  return "succeeded";
};

/**
 * Whether this attempt's own write ended the job although the store said it did not: the SDK retries
 * a call whose answer timed out, and when the first try had landed, the retry finds the job no longer
 * PROCESSING at this attempt and fails its condition. Only this attempt can have ended the job at its
 * attempt number (every ending is conditional on it), so the job as it stands says which happened;
 * without this check the attempt took itself for superseded, its message was deleted, and the job's
 * outcome was never published.
 */
const endedBy = async (
  deps: ProcessJobDeps,
  message: TailoringJobMessage,
  attempt: number,
  status: "SUCCEEDED" | "FAILED",
): Promise<boolean> => {
  const current = await deps.jobs.get(message.tenantId, message.jobId);
  return current?.status === status && current.attempts === attempt;
};

const loadInput = async (deps: ProcessJobDeps, message: TailoringJobMessage): Promise<TailoringInput> => {
  if ("inline" in message.input) return message.input.inline;
  let raw: string;
  try {
    raw = await deps.blobs.get(message.input.blob);
  } catch (error) {
    // Gone for good (deleted, expired): a permanent failure of this job, not a reason to hold its group.
    if (error instanceof BlobNotFoundError) {
      throw new InputMissingError("the job's claim-checked request is no longer stored; submit the job again", {
        key: error.pointer.key,
      });
    }
    throw error;
  }
  return parseWith(TailoringInputSchema, JSON.parse(raw), "blob");
};

/** A details list without its text: each entry's path, code and rule. Other details (engine metadata) as they are. */
const detailsWithoutText = (details: unknown): unknown =>
  Array.isArray(details)
    ? details.map((d) =>
        Object.fromEntries(
          Object.entries((d ?? {}) as Record<string, unknown>).filter(
            ([k]) => k === "path" || k === "code" || k === "rule",
          ),
        ),
      )
    : details;

/**
 * The failure as it happened — the dependency's message, its cause, the
 * claim-check key — for operators: tenants see only `error.code` and the
 * fixed message (job-error.ts). Content failures (ContentError: their message
 * and details quote the CV, the posting or the model's answer — the claim that
 * failed verification with the source value it should have kept, the
 * unreadable field, a snippet of the unparsable reply) are warnings, logged
 * with only where and which rule, so logs never carry CV or posting text. Other
 * failures cvpipe raised on purpose and will not retry are warnings too;
 * dependency and internal failures are errors.
 */
const logFailure = (log: JobLog, message: TailoringJobMessage, attempt: number, caught: unknown, shown: JobError) => {
  const expected = caught instanceof CvpipeError && !caught.retryable && !(caught instanceof InternalError);
  const ids = { jobId: message.jobId, tenantId: message.tenantId, attempt, code: shown.code };
  if (caught instanceof ContentError) {
    log.warn("job failed", {
      ...ids,
      detail: `${caught.name}: ${caught.code} (text withheld: it quotes the CV, the posting or the model answer)`,
      ...(caught.details === undefined ? {} : { details: detailsWithoutText(caught.details) }),
    });
    return;
  }
  const cause = caught instanceof Error ? caught.cause : undefined;
  log[expected ? "warn" : "error"]("job failed", {
    ...ids,
    detail: caught instanceof Error ? `${caught.name}: ${caught.message}` : String(caught),
    ...(caught instanceof CvpipeError && caught.details !== undefined ? { details: caught.details } : {}),
    ...(cause instanceof Error ? { cause: `${cause.name}: ${cause.message}` } : {}),
    error: caught as Error,
  });
};

const publishOutcome = (deps: ProcessJobDeps, record: JobRecord, delivery: Delivery): Promise<void> =>
  publishJobEvents(deps.queue, record, delivery.correlationId);

/** The engine, its every call timed (success or failure) as EngineLatency by engine. */
const timed = (engine: TailoringEngine, clock: Clock, metrics: Metrics): TailoringEngine => ({
  name: engine.name,
  async tailor(request) {
    const started = clock.now().getTime();
    try {
      return await engine.tailor(request);
    } finally {
      metrics.milliseconds(METRIC.engineLatency, clock.now().getTime() - started, { Engine: engine.name });
    }
  },
});
