/** Machine-readable codes, shared by the HTTP envelope, job records and logs. */
export type ErrorCode =
  | "VALIDATION_ERROR"
  | "UNAUTHORIZED"
  | "FORBIDDEN"
  | "NOT_FOUND"
  | "METHOD_NOT_ALLOWED"
  | "PAYLOAD_TOO_LARGE"
  | "UNSUPPORTED_MEDIA_TYPE"
  | "IDEMPOTENCY_KEY_REUSED"
  | "INVALID_CV"
  | "UNGROUNDED_CLAIM"
  | "BANNED_CLAIM"
  | "ENGINE_OUTPUT_INVALID"
  | "ENGINE_UNAVAILABLE"
  | "POISON_MESSAGE"
  | "INPUT_MISSING"
  | "NOT_STARTED"
  /** A dependency failed in a way worth retrying (throttling, 5xx, unreachable). */
  | "DEPENDENCY_UNAVAILABLE"
  /** A dependency answered and refused for good (a permanent 4xx): never retryable. */
  | "DEPENDENCY_REJECTED"
  /** A call whose effect is unknown (it may have happened): never retried blindly (see mail-errors.ts). */
  | "DEPENDENCY_OUTCOME_UNKNOWN"
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

/** Input broke a rule; never retryable. */
export class ValidationError extends CvpipeError {
  readonly issues: readonly FieldIssue[];

  constructor(issues: readonly FieldIssue[], message?: string) {
    super(message ?? summarizeIssues(issues), { code: "VALIDATION_ERROR", details: issues });
    this.name = "ValidationError";
    this.issues = issues;
  }
}

/** What was asked for does not exist for this caller (missing, expired, or someone else's: one answer). */
export class NotFoundError extends CvpipeError {
  constructor(message: string) {
    super(message, { code: "NOT_FOUND" });
    this.name = "NotFoundError";
  }
}

/**
 * A message body no version of the consumer can read (not JSON, no schema
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
 * A list cursor the store did not issue (or issued for someone else). A domain
 * error: the HTTP layer decides which field of the request it points at.
 */
export class InvalidCursorError extends CvpipeError {
  constructor(message = "not a cursor this listing issued") {
    super(message, { code: "VALIDATION_ERROR" });
    this.name = "InvalidCursorError";
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
 * The configuration a process starts from (environment, settings) is missing
 * or malformed. Thrown at cold start, naming each bad setting; never retryable.
 */
export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ConfigError";
  }
}

export const summarizeIssues = (issues: readonly FieldIssue[]): string => {
  const first = issues.slice(0, 3).map((i) => `${i.path}: ${i.message}`);
  const more = issues.length > 3 ? ` (+${issues.length - 3} more)` : "";
  return `${first.join("; ")}${more}`;
};

export const isRetryable = (error: unknown): boolean => (error instanceof CvpipeError ? error.retryable : true);
