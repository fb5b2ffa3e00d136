/**
 * The codes an HTTP answer can carry, each once: its status, what it means,
 * the `details` it may carry, and whether API Gateway itself also answers that
 * status (with its own `{"message"}` body, before any function runs).
 * errorResponse maps errors to answers by this table, and the OpenAPI
 * document's error responses, their texts and the `Error` schema are built
 * from it.
 */

import * as z from "@cvpipe/core/contracts/zod";
import type { ErrorCode } from "@cvpipe/core/errors";
import { api } from "@cvpipe/core/topology";
import { HealthCheck } from "./response-schemas.ts";

/**
 * Entries of `details` an error answer carries at most. A hostile body can
 * break a rule once per array element (524k issues for a 1 MiB body): the
 * answer lists the first ones and says how many there were (`detailsTotal`).
 */
export const MAX_ERROR_DETAILS = 100;

/** Longest string an error answer carries (the summary, or any string inside `details`). */
export const MAX_ERROR_STRING_CHARS = 1_000;

/** A refusal API Gateway answers by itself, in its own body. */
export interface GatewayRefusal {
  readonly message: string;
  readonly description: string;
}

export interface HttpErrorSpec {
  readonly status: number;
  /** What the code means to a caller (the OpenAPI response description). */
  readonly description: string;
  /** The `details` an answer with this code may carry; none when absent. */
  readonly details?: z.ZodMiniType;
  readonly gateway?: GatewayRefusal;
}

const issues = (issue: z.ZodMiniObject) =>
  z
    .array(issue)
    .check(
      z.maxLength(MAX_ERROR_DETAILS),
      z.describe(
        `one entry per problem, with the field path and the rule broken — the first ${MAX_ERROR_DETAILS} at most (see detailsTotal)`,
      ),
    );

const FieldIssue = z.object({
  path: z.string().check(z.meta({ examples: ["body.cv.work[2].startDate"] })),
  rule: z.string(),
  message: z.string(),
});

export const HTTP_ERRORS = {
  VALIDATION_ERROR: {
    status: 400,
    description: "invalid request: `details` lists every broken rule with its field path",
    details: issues(FieldIssue),
  },
  INVALID_CV: {
    status: 400,
    description: "the CV could not be read (a text CV with no CV sections): `details` lists each problem",
    details: issues(z.partial(FieldIssue, { message: true })),
  },
  UNAUTHORIZED: {
    status: 401,
    description:
      "a token whose tenant or sub claim is missing or not a usable id — e.g. dots only (the message names the claim)",
    gateway: {
      message: "Unauthorized",
      description: "missing, invalid or expired token; a `www-authenticate` header says why",
    },
  },
  FORBIDDEN: {
    status: 403,
    description: "the caller may not do this",
    gateway: {
      message: "Forbidden",
      description:
        "the token has none of the route's scopes; a `www-authenticate` header (`insufficient_scope`) names them",
    },
  },
  NOT_FOUND: {
    status: 404,
    description:
      "not found: a job that is missing, expired, or not the caller's (another user's or tenant's) — the same answer for each",
  },
  CV_NOT_FOUND: {
    status: 404,
    description:
      "no such CV in the caller's library: unknown, deleted, another user's or tenant's (the same answer for each), or no such version",
  },
  METHOD_NOT_ALLOWED: { status: 405, description: "the route does not take this method" },
  IDEMPOTENCY_KEY_REUSED: {
    status: 409,
    description:
      "the Idempotency-Key was used for a different request; `details` names what it created (`jobId` on /v1/jobs, `cvId` on /v1/cvs)",
    details: z.union([z.object({ jobId: z.string() }), z.object({ cvId: z.string() })]),
  },
  PAYLOAD_TOO_LARGE: {
    status: 413,
    description: `the body is over ${api.maxBodyBytes} bytes (1 MiB)`,
    details: z.object({ limitBytes: z.number().check(z.int()), bytes: z.number().check(z.int()) }),
    gateway: {
      message: "Request Entity Too Large",
      description: "the body is over API Gateway's 10 MB payload limit",
    },
  },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, description: "send Content-Type: application/json" },
  INTERNAL_ERROR: { status: 500, description: "a bug; never caused by request content" },
  DEPENDENCY_UNAVAILABLE: {
    status: 503,
    description:
      "a dependency is unavailable: retry (with the same Idempotency-Key for jobs); on GET /v1/health, `details.checks` says which",
    details: z.object({ checks: z.array(HealthCheck) }),
  },
} as const satisfies Partial<Record<ErrorCode, HttpErrorSpec>>;

export type HttpErrorCode = keyof typeof HTTP_ERRORS;
/** The status an answer with code `C` has. */
export type HttpErrorStatus<C extends HttpErrorCode> = (typeof HTTP_ERRORS)[C]["status"];

export const HTTP_ERROR_CODES = Object.keys(HTTP_ERRORS) as [HttpErrorCode, ...HttpErrorCode[]];

export const isHttpErrorCode = (code: ErrorCode): code is HttpErrorCode => Object.hasOwn(HTTP_ERRORS, code);

export const httpError = (code: HttpErrorCode): HttpErrorSpec => HTTP_ERRORS[code];

/** Every field an error answer may have; each code's branch of `ErrorEnvelope` narrows `code` and `details`. */
const ErrorFields = z.object({
  success: z.literal(false),
  code: z.enum(HTTP_ERROR_CODES),
  error: z
    .string()
    .check(
      z.describe(`a summary for people: past ${MAX_ERROR_STRING_CHARS} characters it is cut, ending \`…(N chars)\``),
    ),
  details: z.optional(z.unknown()),
  detailsTotal: z
    .optional(z.number().check(z.int(), z.gte(MAX_ERROR_DETAILS + 1)))
    .check(
      z.describe(
        `present when \`details\` was cut to its first ${MAX_ERROR_DETAILS} entries: how many problems there were`,
      ),
    ),
});

/** `{ success: false, code, error[, details][, detailsTotal] }` as failure() builds it. */
export type ErrorBody = z.output<typeof ErrorFields>;

const branch = (code: HttpErrorCode) => {
  const { details } = httpError(code);
  const fields = z.extend(ErrorFields, { code: z.literal(code) });
  if (!details) return z.omit(fields, { details: true, detailsTotal: true });
  const withDetails = z.extend(fields, { details: z.optional(details) });
  return details instanceof z.ZodMiniArray ? withDetails : z.omit(withDetails, { detailsTotal: true });
};

/** Each code's answer: `code` that literal, `details` its shape (none where the code carries none). */
export const ERROR_BRANCHES = Object.fromEntries(HTTP_ERROR_CODES.map((code) => [code, branch(code)])) as Record<
  HttpErrorCode,
  ReturnType<typeof branch>
>;

/** The error envelope, one branch per code of HTTP_ERRORS. */
export const ErrorEnvelope = z.discriminatedUnion(
  "code",
  HTTP_ERROR_CODES.map((code) => ERROR_BRANCHES[code]) as [ReturnType<typeof branch>, ...ReturnType<typeof branch>[]],
);

/** API Gateway's own refusal body (JWT authorizer, payload limit): not the envelope. */
export const GatewayError = z.object({
  message: z.string().check(
    z.meta({
      examples: Object.values(HTTP_ERRORS).flatMap((spec: HttpErrorSpec) =>
        spec.gateway ? [spec.gateway.message] : [],
      ),
    }),
  ),
});
