import {
  CvpipeError,
  DependencyError,
  type InputName,
  InvalidCursorError,
  InvalidIdempotencyKeyError,
  InvalidInputError,
  InvalidLimitError,
  ValidationError,
} from "@cvpipe/core/errors";
import { api } from "@cvpipe/core/topology";
import type { APIGatewayProxyStructuredResultV2 } from "aws-lambda";
import {
  type ErrorBody,
  HTTP_ERRORS,
  type HttpErrorCode,
  type HttpErrorStatus,
  isHttpErrorCode,
  MAX_ERROR_DETAILS,
  MAX_ERROR_STRING_CHARS,
} from "./error-codes.ts";
import type { SuccessCode } from "./response-schemas.ts";

/** A JSON answer as it is, with no envelope (the OpenAPI document, which clients and linters read bare). */
export const json = (
  statusCode: number,
  body: unknown,
  headers: Record<string, string> = {},
): APIGatewayProxyStructuredResultV2 => ({
  statusCode,
  headers: { "content-type": "application/json; charset=utf-8", "cache-control": "no-store", ...headers },
  body: JSON.stringify(body),
});

/** `{ success: true, code, data }`; `data` is typed by its schema in response-schemas.ts where the caller builds it. */
export const success = (statusCode: number, code: SuccessCode, data: unknown, headers?: Record<string, string>) =>
  json(statusCode, { success: true, code, data }, headers);

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

const answer = (statusCode: number, code: HttpErrorCode, error: string, details?: unknown) => {
  const cut = Array.isArray(details) && details.length > MAX_ERROR_DETAILS;
  const body: ErrorBody = {
    success: false,
    code,
    error: clip(error),
    ...(details === undefined ? {} : { details: bounded(details) }),
    ...(cut ? { detailsTotal: (details as unknown[]).length } : {}),
  };
  return json(statusCode, body);
};

/**
 * `{ success: false, code, error, details[, detailsTotal] }`. The status is
 * the one HTTP_ERRORS gives the code (the compiler holds a caller to it).
 */
export const failure = <C extends HttpErrorCode>(
  statusCode: NoInfer<HttpErrorStatus<C>>,
  code: C,
  error: string,
  details?: unknown,
) => answer(statusCode, code, error, details);

/**
 * Bytes a result takes in the Lambda response payload, where the body travels
 * as a JSON string: quotes and backslashes are escaped once more. Lambda
 * refuses payloads over 6 MB (API Gateway then answers 5xx).
 */
export const payloadBytes = (result: APIGatewayProxyStructuredResultV2): number =>
  Buffer.byteLength(JSON.stringify(result));

/** Lambda's limit on a synchronous invocation's response payload. */
export const LAMBDA_RESPONSE_LIMIT_BYTES = 6 * 1024 * 1024;

/** Where each input of a use case travels in a request: a path parameter or a query parameter. */
const REQUEST_FIELD: Record<InputName, string> = {
  cvId: "path.cvId",
  jobId: "path.jobId",
  userId: "path.userId",
  version: "query.version",
  since: "query.since",
  status: "query.status",
  applicationId: "query.applicationId",
};

/**
 * A use case's refusal of one value it was given (a domain error: the use case
 * does not know where the value came from) as the 400 naming the request
 * field it travels in. Anything else as it is.
 */
export const asRequestError = (error: unknown): unknown => {
  if (error instanceof InvalidInputError) {
    return new ValidationError(
      error.issues.map((i) => ({ path: REQUEST_FIELD[i.input], rule: i.rule, message: i.message })),
    );
  }
  if (error instanceof InvalidLimitError) {
    return new ValidationError([{ path: "query.limit", rule: "range", message: error.message }]);
  }
  if (error instanceof InvalidCursorError) {
    // Forged, edited, another user's, or refused by the store: one answer, which never echoes the store's reason.
    return new ValidationError([
      {
        path: "query.cursor",
        rule: "cursor",
        message: "is not a cursor returned by this listing; omit it to start over",
      },
    ]);
  }
  if (error instanceof InvalidIdempotencyKeyError) {
    const path = `headers.${api.idempotencyKey.header.toLowerCase()}`;
    return new ValidationError([{ path, rule: "format", message: error.message }]);
  }
  return error;
};

/** Maps any thrown error to the envelope. Unexpected errors never leak their message. */
export const errorResponse = (thrown: unknown): APIGatewayProxyStructuredResultV2 => {
  const error = asRequestError(thrown);
  // A code no HTTP answer carries (a worker's, say) is an internal error here.
  if (error instanceof CvpipeError && isHttpErrorCode(error.code)) {
    const { status } = HTTP_ERRORS[error.code];
    // Only a dependency's failure is a 503 worth retrying; any other 5xx is an internal error.
    if (status >= 500 && !(error instanceof DependencyError)) {
      return failure(500, "INTERNAL_ERROR", "internal error");
    }
    const retry = status === 503 ? "a dependency is unavailable; retry with the same Idempotency-Key" : error.message;
    return answer(status, error.code, retry, status === 503 ? undefined : error.details);
  }
  return failure(500, "INTERNAL_ERROR", "internal error");
};
