/**
 * What a failed job tells its tenant: a code, a fixed message per code, and
 * details only where they are the producer's own material (the claim in
 * their tailored CV that failed verification, the issues of their input).
 * An engine's or dependency's own message — role ARNs, account ids, bucket
 * keys, SDK error names — is for the logs, never for the job record.
 */
import { CvpipeError, type ErrorCode } from "@cvpipe/core/errors";
import type { JobError } from "@cvpipe/core/jobs/job-record";

/** The message a tenant reads for each code. */
export const PUBLIC_JOB_MESSAGES: Readonly<Record<ErrorCode, string>> = {
  VALIDATION_ERROR: "the job's input is invalid; details lists each problem",
  INVALID_CV: "the CV could not be read; details lists each problem",
  UNGROUNDED_CLAIM:
    "the tailored CV made a claim the original CV does not support, so it was not kept; details shows where",
  BANNED_CLAIM:
    "the tailored CV contained a claim this deployment does not allow, so it was not kept; details shows where",
  ENGINE_OUTPUT_INVALID: "the tailoring engine did not produce a usable CV; submit the job again",
  ENGINE_UNAVAILABLE: "the tailoring engine is not available; submit the job again later or choose another engine",
  ENGINE_REJECTED:
    "the tailoring engine refused the request; submit it again with a shorter CV or posting, or choose another engine",
  ENGINE_NOT_CONFIGURED: "the engine the job asks for is not available in this deployment; choose another engine",
  INPUT_MISSING: "the job's stored request is no longer available; submit the job again",
  NOT_STARTED: "the job was accepted but never started; submit it again",
  DEPENDENCY_UNAVAILABLE: "a service the job depends on was unavailable; the job may be run again, or submit it again",
  DEPENDENCY_REJECTED: "a service the job depends on refused the request; submit the job again later",
  DEPENDENCY_OUTCOME_UNKNOWN: "the job failed",
  POISON_MESSAGE: "the job could not be read by the worker; submit it again",
  INTERNAL_ERROR: "the job failed because of an internal error; submit it again",
  UNAUTHORIZED: "the job failed",
  FORBIDDEN: "the job failed",
  NOT_FOUND: "the job failed",
  CV_NOT_FOUND: "the job failed",
  METHOD_NOT_ALLOWED: "the job failed",
  PAYLOAD_TOO_LARGE: "the job failed",
  UNSUPPORTED_MEDIA_TYPE: "the job failed",
  IDEMPOTENCY_KEY_REUSED: "the job failed",
  INVALID_CURSOR: "the job failed",
  INVALID_LIMIT: "the job failed",
  INVALID_IDEMPOTENCY_KEY: "the job failed",
};

/**
 * Codes whose details are the producer's own content (their CV's text, their
 * input's field paths). A rule on the stored code, not on a thrown error: a
 * job record's error is data (read back from the table, written by any
 * version of the worker), and its code is all that says what it is.
 */
const PRODUCER_DETAILS: ReadonlySet<ErrorCode> = new Set([
  "VALIDATION_ERROR",
  "INVALID_CV",
  "UNGROUNDED_CLAIM",
  "BANNED_CLAIM",
]);

/** Entries of a details list kept (a job error sits in a DynamoDB item: 400 KB). */
export const MAX_DETAIL_ENTRIES = 100;
/** Characters kept of each string inside a detail entry. */
export const MAX_DETAIL_STRING_CHARS = 500;

const clip = (value: unknown): unknown => {
  if (typeof value === "string") {
    return value.length > MAX_DETAIL_STRING_CHARS ? `${value.slice(0, MAX_DETAIL_STRING_CHARS)}…` : value;
  }
  if (Array.isArray(value)) return value.slice(0, MAX_DETAIL_ENTRIES).map(clip);
  if (value && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, clip(v)]));
  }
  return value;
};

/**
 * The tenant's view of a job error. Applied when the error is recorded and
 * again when a job is shown, so a record written before this rule (with a
 * dependency's full message) is shown the same way.
 */
export const publicJobError = (error: JobError): JobError => ({
  code: error.code,
  message: PUBLIC_JOB_MESSAGES[error.code] ?? "the job failed",
  ...(error.retryable === undefined ? {} : { retryable: error.retryable }),
  ...(PRODUCER_DETAILS.has(error.code) && error.details !== undefined ? { details: clip(error.details) } : {}),
});

/**
 * A failure recorded by the pipeline itself rather than thrown by an attempt
 * (the sweep's NOT_STARTED, the ingress's failed enqueue): its public form
 * from the start, so the record holds the text the tenant is shown.
 */
export const publicJobErrorFor = (code: ErrorCode, options: { readonly retryable?: boolean } = {}): JobError => ({
  code,
  message: PUBLIC_JOB_MESSAGES[code],
  ...(options.retryable === undefined ? {} : { retryable: options.retryable }),
});

/** The error a job is failed with, from whatever its attempt threw. */
export const jobErrorOf = (caught: unknown): JobError =>
  caught instanceof CvpipeError
    ? publicJobError({
        code: caught.code,
        message: caught.message,
        retryable: caught.retryable,
        ...(caught.details === undefined ? {} : { details: caught.details }),
      })
    : publicJobError({ code: "INTERNAL_ERROR", message: "unexpected error while tailoring", retryable: true });
