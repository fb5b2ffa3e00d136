import { canonicalJson, derivedId, type IdSecret, sha256Hex } from "@cvpipe/core/contracts/canonical-json";
import { zodIssues } from "@cvpipe/core/contracts/field-issues";
import type { EngineName, JobStatus } from "@cvpipe/core/contracts/job-constants";
import { JobRequest } from "@cvpipe/core/contracts/job-request";
import { messageBody, messageGroupId } from "@cvpipe/core/contracts/message-envelope";
import type { TailoringJobMessage } from "@cvpipe/core/contracts/tailoring-job-message";
import { CvNotFoundError, type FieldIssue, ValidationError } from "@cvpipe/core/errors";
import type { Caller, RequestContext } from "@cvpipe/core/jobs/caller";
import { type JobRecord, queuedShard, userKey } from "@cvpipe/core/jobs/job-record";
import { s3Key } from "@cvpipe/core/keys";
import type { BlobStore } from "@cvpipe/core/ports/blob-store";
import type { Clock } from "@cvpipe/core/ports/clock";
import type { JobStore } from "@cvpipe/core/ports/job-store";
import { METRIC, type Metrics } from "@cvpipe/core/ports/metrics";
import type { QueuePublisher } from "@cvpipe/core/ports/queue-publisher";
import { normalizeCv } from "@cvpipe/core/resume/normalize-cv";
import { expiresAt } from "@cvpipe/core/ttl";
import { cvIssues, cvWarnings, warned } from "./cv-input.ts";
import { type CvReadDeps, resolveCvRef } from "./cv-library.ts";
import { checkIdempotencyKey, idempotencyKeyReused } from "./idempotency-key.ts";
import { publicJobErrorFor } from "./job-error.ts";

/** Message bodies above this travel by claim check (S3 pointer); SQS's hard limit is 256 KiB. */
export const INLINE_MESSAGE_LIMIT_BYTES = 200_000;

export interface SubmitJobDeps extends CvReadDeps {
  readonly jobs: JobStore;
  readonly queue: QueuePublisher;
  readonly blobs: BlobStore;
  readonly clock: Clock;
  readonly newId: () => string;
  /** Keys the ids derived from an Idempotency-Key: without it nobody can compute another user's job id. */
  readonly idSecret: IdSecret;
  readonly defaultEngine: EngineName;
  readonly jobTtlDays: number;
  /** JobsAccepted, and JobsFailed for a job closed because it could not be enqueued (default: none recorded). */
  readonly metrics?: Metrics;
}

export interface SubmittedJob {
  readonly jobId: string;
  readonly status: JobStatus;
  /** false when an earlier request with the same Idempotency-Key created the job. */
  readonly created: boolean;
  /** What the accepted CV is warned of (`cvWarnings`: likely typos of JSON Resume keys); absent when none. */
  readonly warnings?: readonly FieldIssue[];
}

/**
 * Validates a tailoring request, records the job and enqueues it.
 *
 * Order matters: the job row is written before the message, so a worker never
 * sees a message for a job it cannot find; if the send fails the request fails
 * (503) and a retry with the same Idempotency-Key re-sends. A repeated key with
 * the same request returns the first job — beyond SQS's 5-minute dedup window
 * too, because the job id is derived from the key. The same key with a
 * different request is refused.
 *
 * A re-send keeps the first message's correlation id within SQS's dedup window
 * (the message is the first one); later, the re-sent message carries the retry's.
 */
export const submitJob = async (
  deps: SubmitJobDeps,
  caller: Caller,
  body: unknown,
  idempotencyKey: string | undefined,
  context: RequestContext = {},
): Promise<SubmittedJob> => {
  checkIdempotencyKey(idempotencyKey);
  const request = parseRequest(body);
  const warnings = cvWarnings(request.cv, "body.cv");
  const now = deps.clock.now();
  const requestHash = sha256Hex(canonicalJson(request));
  // Keys are scoped to the caller (tenant + user), as SQS deduplication is scoped to the message group;
  // the HMAC makes the id unguessable from the key, which callers choose and documentation shows.
  const jobId = idempotencyKey
    ? derivedId(deps.idSecret, "job", caller.tenantId, caller.userId, idempotencyKey)
    : deps.newId();

  /**
   * A repeat of the request that created `existing`: that job, re-sent while still QUEUED (the first
   * attempt may have died between the row and the send; same deduplication id within 5 minutes, and
   * the worker is idempotent by job id) — with the CV version the job recorded, never a later one.
   */
  const repeatOf = async (existing: JobRecord): Promise<SubmittedJob> => {
    if (existing.requestHash !== requestHash) {
      throw idempotencyKeyReused({ jobId: existing.jobId });
    }
    if (existing.status === "QUEUED") {
      let again: string | Record<string, unknown> | undefined = request.cv;
      if (existing.cvRef) {
        // The recorded version gone (the CV deleted since): nothing to send; the sweep closes the job.
        again = await resolveCvRef(deps, caller, existing.cvRef).then(
          (r) => r.cv,
          (error: unknown) => {
            if (error instanceof CvNotFoundError) return undefined;
            throw error;
          },
        );
      }
      if (again !== undefined) await enqueue(deps, caller, jobId, request, again, now, context);
    }
    return { jobId, status: existing.status, created: false, ...warned(warnings) };
  };

  // A retry of a job already taken answers with that job, whatever became of the CV it referenced.
  if (request.cvRef && idempotencyKey) {
    const prior = await deps.jobs.get(caller.tenantId, jobId);
    if (prior && prior.userId === caller.userId) return repeatOf(prior);
  }
  // A reference is resolved before anything is written: an unknown, deleted or other user's CV is a
  // 404 here, never a job that fails later. The job gets the version's content, so a later version
  // or a delete of the CV never changes it.
  const resolved = request.cvRef ? await resolveCvRef(deps, caller, request.cvRef) : undefined;
  const cv = resolved?.cv ?? request.cv!;
  const engine = request.options?.engine ?? deps.defaultEngine;
  const record: JobRecord = {
    tenantId: caller.tenantId,
    jobId,
    userId: caller.userId,
    userKey: userKey(caller.tenantId, caller.userId),
    status: "QUEUED",
    engine,
    createdAt: now.toISOString(),
    updatedAt: now.toISOString(),
    expiresAt: expiresAt(now, deps.jobTtlDays),
    requestHash,
    attempts: 0,
    queuedShard: queuedShard(jobId),
    ...(idempotencyKey ? { idempotencyKey } : {}),
    ...(context.correlationId === undefined ? {} : { correlationId: context.correlationId }),
    ...(resolved ? { cvRef: { cvId: resolved.cvId, version: resolved.version } } : {}),
    ...(request.applicationId === undefined ? {} : { applicationId: request.applicationId }),
  };

  const outcome = await deps.jobs.create(record);
  if (!outcome.created) return repeatOf(outcome.existing);
  try {
    await enqueue(deps, caller, jobId, request, cv, now, context);
  } catch (error) {
    // Without an Idempotency-Key the caller cannot retry into this job: close it rather than
    // leave it QUEUED for ever. With a key, a retry re-sends (see above), so it stays QUEUED.
    // Only while QUEUED: a send that failed ambiguously may have been delivered, and a worker
    // that already started the job must not see its result overwritten by this failure.
    if (!idempotencyKey) {
      const closed = await deps.jobs
        .fail(
          caller.tenantId,
          jobId,
          publicJobErrorFor("DEPENDENCY_UNAVAILABLE"),
          deps.clock.now().toISOString(),
          "QUEUED",
        )
        .catch(() => false);
      if (closed) deps.metrics?.count(METRIC.jobsFailed, 1, { ErrorCode: "DEPENDENCY_UNAVAILABLE" });
    }
    throw error;
  }
  deps.metrics?.count(METRIC.jobsAccepted, 1);
  return { jobId, status: "QUEUED", created: true, ...warned(warnings) };
};

/**
 * Envelope (zod) and JSON Resume (official schema) problems, reported together. The body has passed
 * jsonBody (the route parses it so): its nesting, keys and combining marks are within the body's limits.
 * Exactly one of `cv` and `cvRef`.
 */
const parseRequest = (body: unknown): JobRequest => {
  const parsed = JobRequest.safeParse(body);
  const given = body !== null && typeof body === "object" ? (body as { cv?: unknown; cvRef?: unknown }) : {};
  const choice: FieldIssue[] =
    given.cv === undefined && given.cvRef === undefined
      ? [{ path: "body.cv", rule: "required", message: "is required (or cvRef: a CV of your library)" }]
      : given.cv !== undefined && given.cvRef !== undefined
        ? [{ path: "body.cvRef", rule: "exclusive", message: "send either cv or cvRef, not both" }]
        : [];
  const issues = [
    ...(parsed.success ? [] : zodIssues("body", parsed.error)),
    ...choice,
    ...cvIssues(given.cv, "body.cv"),
  ];
  if (issues.length > 0 || !parsed.success) throw new ValidationError(issues);
  // A CV with nothing to tailor, or a text CV that cannot be read, fails here (400), not in the worker.
  if (parsed.data.cv !== undefined) normalizeCv(parsed.data.cv, "body.cv");
  return parsed.data;
};

const enqueue = async (
  deps: SubmitJobDeps,
  caller: Caller,
  jobId: string,
  request: JobRequest,
  cv: string | Record<string, unknown>,
  now: Date,
  context: RequestContext,
): Promise<void> => {
  const input = {
    cv,
    posting: request.job,
    options: { engine: request.options?.engine ?? deps.defaultEngine, ...request.options },
  };
  const inline: TailoringJobMessage = {
    schema: "tailoring-job.v1",
    jobId,
    tenantId: caller.tenantId,
    userId: caller.userId,
    submittedAt: now.toISOString(),
    input: { inline: input },
  };
  let body = messageBody(inline);
  if (Buffer.byteLength(body) > INLINE_MESSAGE_LIMIT_BYTES) {
    const blob = await deps.blobs.put(
      s3Key("requests", caller.tenantId, `${jobId}.json`),
      JSON.stringify(input),
      "application/json",
      { tenantId: caller.tenantId },
    );
    body = messageBody({ ...inline, input: { blob } } satisfies TailoringJobMessage);
  }
  await deps.queue.send("tailoringJobs", {
    body,
    groupId: messageGroupId(caller.tenantId, caller.userId),
    deduplicationId: jobId,
    ...(context.correlationId === undefined ? {} : { correlationId: context.correlationId }),
  });
};
