/** Machine-readable codes, shared by the HTTP envelope, job records and logs. */
export type ErrorCode =
  | "VALIDATION_ERROR"
  | "UNAUTHORIZED"
  | "FORBIDDEN"
  | "NOT_FOUND"
  /** A CV reference that names no CV of the caller's library (unknown, deleted, another user's, no such version). */
  | "CV_NOT_FOUND"
  | "METHOD_NOT_ALLOWED"
  | "PAYLOAD_TOO_LARGE"
  | "UNSUPPORTED_MEDIA_TYPE"
  | "IDEMPOTENCY_KEY_REUSED"
  | "INVALID_CV"
  | "UNGROUNDED_CLAIM"
  | "BANNED_CLAIM"
  | "ENGINE_OUTPUT_INVALID"
  /** The model service failed in a way worth retrying (throttling, 5xx, unreachable). */
  | "ENGINE_UNAVAILABLE"
  /** The model service answered and refused the request for good (access denied, unknown model, invalid input). */
  | "ENGINE_REJECTED"
  /** The job asks for an engine this deployment does not run. */
  | "ENGINE_NOT_CONFIGURED"
  | "POISON_MESSAGE"
  | "INPUT_MISSING"
  | "NOT_STARTED"
  /** A dependency failed in a way worth retrying (throttling, 5xx, unreachable). */
  | "DEPENDENCY_UNAVAILABLE"
  /** A dependency answered and refused for good (a permanent 4xx): never retryable. */
  | "DEPENDENCY_REJECTED"
  /** A call whose effect is unknown (it may have happened): never retried blindly (see mail-errors.ts). */
  | "DEPENDENCY_OUTCOME_UNKNOWN"
  /** A list cursor the listing did not issue to the caller (the HTTP layer answers it as a VALIDATION_ERROR). */
  | "INVALID_CURSOR"
  /** A page size outside what a listing serves (the HTTP layer answers it as a VALIDATION_ERROR). */
  | "INVALID_LIMIT"
  /** An idempotency key of the wrong form (the HTTP layer answers it as a VALIDATION_ERROR). */
  | "INVALID_IDEMPOTENCY_KEY"
  | "INTERNAL_ERROR";

/** One problem with one field, at a path the caller can see (`body.cv.work[2].startDate`). */
export interface FieldIssue {
  readonly path: string;
  readonly rule: string;
  readonly message: string;
}

export interface CvpipeErrorOptions {
  readonly code: ErrorCode;
  /** true: let the queue redeliver (visibility timeout); false: poison, goes to the DLQ. */
  readonly retryable?: boolean;
  readonly details?: unknown;
  readonly cause?: unknown;
}

/** Base of every error cvpipe raises on purpose. */
export class CvpipeError extends Error {
  readonly code: ErrorCode;
  readonly retryable: boolean;
  readonly details: unknown;

  constructor(message: string, options: CvpipeErrorOptions) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = "CvpipeError";
    this.code = options.code;
    this.retryable = options.retryable ?? false;
    this.details = options.details;
  }
}

/**
 * A failure whose message and details quote what the producer sent or what a
 * model answered: a field's value, the claim that failed verification with the
 * source value it should have kept, a snippet of an unparsable reply. Never
 * retryable (the same content fails again). Logs keep only where and which rule
 * (process-job.ts); what the tenant sees of the details is job-error.ts's rule.
 */
export class ContentError extends CvpipeError {
  constructor(
    message: string,
    options: { readonly code: ErrorCode; readonly details?: unknown; readonly cause?: unknown },
  ) {
    super(message, { code: options.code, retryable: false, details: options.details, cause: options.cause });
    this.name = "ContentError";
  }
}

/** Input broke a rule; never retryable. */
export class ValidationError extends ContentError {
  readonly issues: readonly FieldIssue[];

  constructor(issues: readonly FieldIssue[], message?: string) {
    super(message ?? summarizeIssues(issues), { code: "VALIDATION_ERROR", details: issues });
    this.name = "ValidationError";
    this.issues = issues;
  }
}

/** A value a use case is given, by its name there; where it travels in a request is the HTTP layer's to say. */
export type InputName = "cvId" | "jobId" | "userId" | "version" | "since" | "status" | "applicationId";

/** One refused input: which, the rule it breaks, and what to send instead. */
export interface InputIssue {
  readonly input: InputName;
  readonly rule: string;
  readonly message: string;
}

/**
 * Values a use case was given and refuses (a version that is no number, a job not in a state that
 * takes feedback). A domain error: the HTTP layer answers it as the 400 naming each request field.
 */
export class InvalidInputError extends CvpipeError {
  readonly issues: readonly InputIssue[];
  constructor(issues: readonly InputIssue[]) {
    super(issues.map((i) => `${i.input} ${i.message}`).join("; "), { code: "VALIDATION_ERROR", details: issues });
    this.name = "InvalidInputError";
    this.issues = issues;
  }
}

/** A CV that cannot be tailored as it is (a text CV with no CV sections, values PII redaction cannot handle). */
export class InvalidCvError extends ContentError {
  constructor(message: string, details?: unknown) {
    super(message, { code: "INVALID_CV", details });
    this.name = "InvalidCvError";
  }
}

/** An engine's answer is not a usable CV (not a JSON Resume, cut off, placeholders it mangled); `details` say why. */
export class EngineOutputInvalidError extends ContentError {
  constructor(message: string, details?: unknown) {
    super(message, { code: "ENGINE_OUTPUT_INVALID", details });
    this.name = "EngineOutputInvalidError";
  }
}

/**
 * The verifier refused a tailored CV: it claims something the source CV does
 * not support (`UNGROUNDED_CLAIM`) or the deployment bans (`BANNED_CLAIM`);
 * `details` are the violations.
 */
export class VerificationError extends ContentError {
  declare readonly code: "UNGROUNDED_CLAIM" | "BANNED_CLAIM";

  constructor(message: string, code: "UNGROUNDED_CLAIM" | "BANNED_CLAIM", violations: readonly unknown[]) {
    super(message, { code, details: violations });
    this.name = "VerificationError";
  }
}

/** The job's claim-checked request is gone for good (deleted, expired): the job cannot run; never retryable. */
export class InputMissingError extends CvpipeError {
  constructor(message: string, details?: unknown) {
    super(message, { code: "INPUT_MISSING", details });
    this.name = "InputMissingError";
  }
}

/** The job asks for an engine this deployment does not run; never retryable. */
export class EngineNotConfiguredError extends CvpipeError {
  readonly engine: string;

  constructor(engine: string) {
    super(`engine "${engine}" is not configured here`, { code: "ENGINE_NOT_CONFIGURED" });
    this.name = "EngineNotConfiguredError";
    this.engine = engine;
  }
}

/** A bug: a state the code should never reach (an unsafe key part, say). Logged as an error; never retryable. */
export class InternalError extends CvpipeError {
  constructor(message: string, cause?: unknown) {
    super(message, { code: "INTERNAL_ERROR", cause });
    this.name = "InternalError";
  }
}

/** What was asked for does not exist for this caller (missing, expired, or someone else's: one answer). */
export class NotFoundError extends CvpipeError {
  constructor(message: string) {
    super(message, { code: "NOT_FOUND" });
    this.name = "NotFoundError";
  }
}

/** A CV of the caller's library that is not there: unknown, deleted, another user's, or no such version (404). */
export class CvNotFoundError extends CvpipeError {
  constructor(message = "no such CV") {
    super(message, { code: "CV_NOT_FOUND" });
    this.name = "CvNotFoundError";
  }
}

/**
 * A message body no version of the worker can read (not JSON, no schema
 * matches). It fails on every delivery, so it neither holds its FIFO group nor
 * waits out a visibility timeout: it goes to the DLQ after maxReceiveCount tries.
 */
export class PoisonMessageError extends CvpipeError {
  constructor(message: string, options: { readonly details?: unknown; readonly cause?: unknown } = {}) {
    super(message, { code: "POISON_MESSAGE", details: options.details, cause: options.cause });
    this.name = "PoisonMessageError";
  }
}

/**
 * A list cursor the listing did not issue to this caller (forged, edited,
 * another user's, or one the store refuses). A domain error: the HTTP layer
 * decides which field of the request it points at, and answers 400.
 */
export class InvalidCursorError extends CvpipeError {
  constructor(message = "not a cursor this listing issued") {
    super(message, { code: "INVALID_CURSOR" });
    this.name = "InvalidCursorError";
  }
}

/** A page size outside `min`..`max` (or not a whole number). A domain error, mapped by the HTTP layer like a cursor. */
export class InvalidLimitError extends CvpipeError {
  readonly min: number;
  readonly max: number;

  constructor(min: number, max: number) {
    super(`must be an integer from ${min} to ${max}`, { code: "INVALID_LIMIT" });
    this.name = "InvalidLimitError";
    this.min = min;
    this.max = max;
  }
}

/** An idempotency key of the wrong form. A domain error, mapped by the HTTP layer to the header it came in. */
export class InvalidIdempotencyKeyError extends CvpipeError {
  constructor(message: string) {
    super(message, { code: "INVALID_IDEMPOTENCY_KEY" });
    this.name = "InvalidIdempotencyKeyError";
  }
}

/**
 * A model engine's service (Bedrock, an OpenAI-compatible server) was throttled, failing or
 * unreachable through every attempt: retryable, so the queue tries the job again later.
 */
export class EngineUnavailableError extends CvpipeError {
  constructor(message: string, options: { readonly details?: unknown; readonly cause?: unknown } = {}) {
    super(message, { code: "ENGINE_UNAVAILABLE", retryable: true, ...options });
    this.name = "EngineUnavailableError";
  }
}

/** A model engine's service refused the request for good (bad model id, no access, a parameter it rejects). */
export class EngineRejectedError extends CvpipeError {
  constructor(message: string, options: { readonly details?: unknown; readonly cause?: unknown } = {}) {
    super(message, { code: "ENGINE_REJECTED", retryable: false, ...options });
    this.name = "EngineRejectedError";
  }
}

/** A dependency (DynamoDB, SQS, S3, Bedrock, SES) failed in a way worth retrying. */
export class DependencyError extends CvpipeError {
  constructor(message: string, cause?: unknown) {
    super(message, { code: "DEPENDENCY_UNAVAILABLE", retryable: true, cause });
    this.name = "DependencyError";
  }
}

/**
 * A store refused a new record because one with its key exists, written in the same instant (keys
 * carry the time and a short id, so the record is not a copy of this one). A DependencyError: the
 * store cannot take the record now and a fresh attempt, with a fresh key, succeeds — the caller gets
 * what any retryable dependency failure gets (HTTP 503 DEPENDENCY_UNAVAILABLE), never a 500.
 */
export class KeyCollisionError extends DependencyError {
  constructor(message: string) {
    super(message);
    this.name = "KeyCollisionError";
  }
}

/**
 * The configuration a process starts from (environment, settings) is missing
 * or malformed. Thrown at cold start, naming each bad setting; never retryable.
 */
export class ConfigError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "ConfigError";
  }
}

export const summarizeIssues = (issues: readonly FieldIssue[]): string => {
  const first = issues.slice(0, 3).map((i) => `${i.path}: ${i.message}`);
  const more = issues.length > 3 ? ` (+${issues.length - 3} more)` : "";
  return `${first.join("; ")}${more}`;
};

export const isRetryable = (error: unknown): boolean => (error instanceof CvpipeError ? error.retryable : true);
