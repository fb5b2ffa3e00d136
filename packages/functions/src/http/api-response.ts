import { CvpipeError, DependencyError, type ErrorCode } from "@cvpipe/core/errors";
import type { APIGatewayProxyStructuredResultV2 } from "aws-lambda";

const STATUS: Partial<Record<ErrorCode, number>> = {
  VALIDATION_ERROR: 400,
  INVALID_CV: 400,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  METHOD_NOT_ALLOWED: 405,
  IDEMPOTENCY_KEY_REUSED: 409,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  DEPENDENCY_UNAVAILABLE: 503,
};

const json = (
  statusCode: number,
  body: unknown,
  headers: Record<string, string> = {},
): APIGatewayProxyStructuredResultV2 => ({
  statusCode,
  headers: { "content-type": "application/json; charset=utf-8", "cache-control": "no-store", ...headers },
  body: JSON.stringify(body),
});

/** `{ success: true, code, data }` */
export const success = (statusCode: number, code: string, data: unknown, headers?: Record<string, string>) =>
  json(statusCode, { success: true, code, data }, headers);

/**
 * Entries of `details` an error answer carries at most. A hostile body can
 * break a rule once per array element (524k issues for a 1 MiB body): the
 * answer lists the first ones and says how many there were (`detailsTotal`).
 */
export const MAX_ERROR_DETAILS = 100;

/** Longest string an error answer carries (the summary, or any string inside `details`). */
export const MAX_ERROR_STRING_CHARS = 1_000;

const clip = (text: string): string =>
  text.length > MAX_ERROR_STRING_CHARS ? `${text.slice(0, MAX_ERROR_STRING_CHARS)}…(${text.length} chars)` : text;

/** Every string clipped, arrays cut, depth bounded: an error answer's size never follows its input's. */
const bounded = (value: unknown, depth = 0): unknown => {
  if (typeof value === "string") return clip(value);
  if (value === null || typeof value !== "object") return value;
  if (depth >= 6) return "…";
  if (Array.isArray(value)) return value.slice(0, MAX_ERROR_DETAILS).map((v) => bounded(v, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value).slice(0, MAX_ERROR_DETAILS)) out[clip(k)] = bounded(v, depth + 1);
  return out;
};

/** `{ success: false, code, error, details[, detailsTotal] }` */
export const failure = (statusCode: number, code: ErrorCode, error: string, details?: unknown) => {
  const cut = Array.isArray(details) && details.length > MAX_ERROR_DETAILS;
  return json(statusCode, {
    success: false,
    code,
    error: clip(error),
    ...(details === undefined ? {} : { details: bounded(details) }),
    ...(cut ? { detailsTotal: (details as unknown[]).length } : {}),
  });
};

/**
 * Bytes a result takes in the Lambda response payload, where the body travels
 * as a JSON string: quotes and backslashes are escaped once more. Lambda
 * refuses payloads over 6 MB (API Gateway then answers 5xx).
 */
export const payloadBytes = (result: APIGatewayProxyStructuredResultV2): number =>
  Buffer.byteLength(JSON.stringify(result));

/** Lambda's limit on a synchronous invocation's response payload. */
export const LAMBDA_RESPONSE_LIMIT_BYTES = 6 * 1024 * 1024;

/** Maps any thrown error to the envelope. Unexpected errors never leak their message. */
export const errorResponse = (error: unknown): APIGatewayProxyStructuredResultV2 => {
  if (error instanceof CvpipeError) {
    const status = STATUS[error.code] ?? (error.retryable ? 503 : 500);
    // Only a dependency's failure is a 503 worth retrying; any other 5xx is an internal error.
    if (status >= 500 && !(error instanceof DependencyError)) {
      return failure(500, "INTERNAL_ERROR", "internal error");
    }
    const retry = status === 503 ? "a dependency is unavailable; retry with the same Idempotency-Key" : error.message;
    return failure(status, error.code, retry, status === 503 ? undefined : error.details);
  }
  return failure(500, "INTERNAL_ERROR", "internal error");
};
