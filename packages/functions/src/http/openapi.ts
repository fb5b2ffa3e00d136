import { EventsRequest } from "@cvpipe/core/contracts/analytics-event";
import { ENGINE_NAMES, JOB_STATUSES, JobRequest } from "@cvpipe/core/contracts/job-request";
import { api } from "@cvpipe/core/topology";
import { z } from "zod";

const envelopeError = {
  type: "object",
  required: ["success", "code", "error"],
  properties: {
    success: { const: false },
    code: { type: "string", examples: ["VALIDATION_ERROR", "UNAUTHORIZED", "NOT_FOUND"] },
    error: { type: "string" },
    details: {
      description:
        "For VALIDATION_ERROR: one entry per problem, with the field path and the rule broken — the first 100 at most (see detailsTotal)",
      type: "array",
      maxItems: 100,
      items: {
        type: "object",
        properties: {
          path: { type: "string", examples: ["body.cv.work[2].startDate"] },
          rule: { type: "string" },
          message: { type: "string" },
        },
      },
    },
    detailsTotal: {
      description: "present when `details` was cut to its first 100 entries: how many problems there were",
      type: "integer",
      minimum: 101,
    },
  },
};

const ok = (data: object) => ({
  type: "object",
  required: ["success", "code", "data"],
  properties: { success: { const: true }, code: { type: "string" }, data },
});

/** Refusals by the gateway itself (JWT authorizer, payload limit): API Gateway's own body, not the envelope. */
const gatewayError = {
  type: "object",
  required: ["message"],
  properties: { message: { type: "string", examples: ["Unauthorized", "Request Entity Too Large"] } },
};

const ERROR_TEXT: Record<number, string> = {
  400: "invalid request: `details` lists every broken rule with its field path",
  401: 'missing, invalid or expired token (the gateway answers `{"message":"Unauthorized"}` and a `www-authenticate` header saying why), or a token whose tenant or sub claim is missing or not a usable id — e.g. dots only (envelope, UNAUTHORIZED, naming the claim)',
  404: "not found: a job that is missing, expired, or not the caller's (another user's or tenant's) — the same answer for each",
  409: "IDEMPOTENCY_KEY_REUSED: the key was used for a different request",
  413: "PAYLOAD_TOO_LARGE over 1 MiB (envelope); over 10 MB the gateway answers itself",
  415: "UNSUPPORTED_MEDIA_TYPE: send application/json",
  500: "INTERNAL_ERROR: a bug; never caused by request content",
  503: "DEPENDENCY_UNAVAILABLE: retry (with the same Idempotency-Key for jobs)",
};

const errors = (...codes: number[]) =>
  Object.fromEntries(
    [...codes, 500].map((c) => [
      String(c),
      {
        description: ERROR_TEXT[c] ?? "error",
        content: {
          "application/json": {
            schema:
              c === 401 || c === 413
                ? { oneOf: [{ $ref: "#/components/schemas/Error" }, { $ref: "#/components/schemas/GatewayError" }] }
                : { $ref: "#/components/schemas/Error" },
          },
        },
      },
    ]),
  );

const jobSchema = {
  type: "object",
  required: ["jobId", "status", "engine", "createdAt", "updatedAt", "attempts", "links"],
  properties: {
    jobId: { type: "string", format: "uuid" },
    status: { enum: [...JOB_STATUSES] },
    engine: { enum: [...ENGINE_NAMES] },
    createdAt: { type: "string", format: "date-time" },
    updatedAt: { type: "string", format: "date-time" },
    startedAt: { type: "string", format: "date-time" },
    finishedAt: { type: "string", format: "date-time" },
    attempts: { type: "integer", description: "processing starts (redeliveries included)" },
    usage: {
      type: "object",
      properties: {
        inputTokens: { type: "integer" },
        outputTokens: { type: "integer" },
        totalTokens: { type: "integer" },
      },
    },
    result: {
      type: "object",
      description:
        "present when SUCCEEDED (GET /v1/jobs/{jobId} only) and the answer fits the response limit; otherwise see `resultTooLarge` and `links.result`",
      properties: {
        resume: { type: "object", description: "the tailored CV, a JSON Resume" },
        markdown: { type: "string" },
        html: { type: "string", description: "standalone HTML document" },
        match: {
          type: "object",
          properties: {
            score: { type: "number", minimum: 0, maximum: 100 },
            matchedKeywords: { type: "array", items: { type: "string" } },
            missingKeywords: { type: "array", items: { type: "string" } },
            sections: { type: "object", additionalProperties: { type: "number" } },
          },
        },
        verification: {
          type: "object",
          properties: {
            passed: { type: "boolean" },
            checkedFields: { type: "integer" },
            violations: { type: "array", items: { type: "object" } },
          },
        },
        modelId: { type: "string" },
      },
    },
    resultTooLarge: {
      type: "object",
      description:
        "present instead of `result` when the answer with it would exceed the response limit (MAX_RESPONSE_BYTES, 5 MB by default): fetch `links.result` before `linkExpiresAt`",
      required: ["bytes", "limitBytes", "linkExpiresAt"],
      properties: {
        bytes: { type: "integer", description: "size of the stored result (JSON)" },
        limitBytes: { type: "integer" },
        linkExpiresAt: { type: "string", format: "date-time" },
      },
    },
    error: {
      type: "object",
      description:
        "present when FAILED: a code and a fixed message per code (never a dependency's own words). `details` only where it is the producer's material — VALIDATION_ERROR / INVALID_CV issues, the UNGROUNDED_CLAIM / BANNED_CLAIM violations (first 100) — and only on GET /v1/jobs/{jobId}",
      required: ["code", "message"],
      properties: {
        code: { type: "string", examples: ["UNGROUNDED_CLAIM", "BANNED_CLAIM", "ENGINE_UNAVAILABLE"] },
        message: { type: "string" },
        details: {},
        retryable: {
          type: "boolean",
          description: "true: an operator may redrive the job; submitting it again also works",
        },
      },
    },
    links: {
      type: "object",
      required: ["self"],
      properties: {
        self: { type: "string" },
        result: {
          type: "string",
          format: "uri",
          description:
            "with `resultTooLarge`: a presigned HTTPS GET of the full result (the `result` fields plus engine and usage), no token needed, valid until `resultTooLarge.linkExpiresAt` (15 minutes by default; sooner if the signing credentials expire — GET the job again for a fresh link)",
        },
      },
    },
  },
};

/** OpenAPI 3.1 document generated from the zod schemas the handlers validate with. */
export const openApiDocument = () => ({
  openapi: "3.1.0",
  info: {
    title: "cvpipe",
    version: "1.0.0",
    description: `Tailors CVs to job descriptions and records usage analytics. Every request except health and this document needs a JWT bearer token carrying "${api.tenantClaim}" and "sub" claims.`,
  },
  components: {
    securitySchemes: { jwt: { type: "http", scheme: "bearer", bearerFormat: "JWT" } },
    schemas: {
      JobRequest: z.toJSONSchema(JobRequest, { io: "input", unrepresentable: "any" }),
      EventsRequest: z.toJSONSchema(EventsRequest, { io: "input", unrepresentable: "any" }),
      Error: envelopeError,
      GatewayError: gatewayError,
      Job: jobSchema,
    },
  },
  security: [{ jwt: [] }],
  paths: {
    "/v1/jobs": {
      post: {
        summary: "Submit a tailoring job",
        parameters: [
          {
            name: "Idempotency-Key",
            in: "header",
            required: false,
            schema: { type: "string", pattern: "^[\\x21-\\x7e]{1,255}$" },
            description:
              "1-255 printable ASCII characters, no spaces. Scoped to the caller (tenant + user): the same key and body returns the first job, however late the retry; the same key with another body is a 409. The job id is derived from the key with a server-side secret, so nobody can compute it from the key.",
          },
        ],
        requestBody: {
          required: true,
          content: { "application/json": { schema: { $ref: "#/components/schemas/JobRequest" } } },
        },
        responses: {
          "202": {
            description: "accepted",
            content: {
              "application/json": {
                schema: ok({
                  type: "object",
                  properties: {
                    jobId: { type: "string" },
                    status: { enum: [...JOB_STATUSES] },
                    links: { type: "object" },
                  },
                }),
              },
            },
          },
          ...errors(400, 401, 409, 413, 415, 503),
        },
      },
      get: {
        summary: "List the caller's jobs, newest first",
        parameters: [
          { name: "limit", in: "query", schema: { type: "integer", minimum: 1, maximum: 100 } },
          {
            name: "cursor",
            in: "query",
            schema: { type: "string" },
            description:
              "the `cursor` of the previous page, as given: it is signed and bound to the caller, so an edited or another user's cursor is a 400 (`query.cursor`)",
          },
        ],
        responses: {
          "200": {
            description:
              "the caller's jobs, without results and with errors' code and message only; `cursor` when there are more",
            content: {
              "application/json": {
                schema: ok({
                  type: "object",
                  properties: {
                    items: { type: "array", items: { $ref: "#/components/schemas/Job" } },
                    cursor: { type: "string" },
                  },
                }),
              },
            },
          },
          ...errors(400, 401),
        },
      },
    },
    "/v1/jobs/{jobId}": {
      get: {
        summary: "A job's status; the tailored CV, match and verification reports when done",
        parameters: [{ name: "jobId", in: "path", required: true, schema: { type: "string" } }],
        responses: {
          "200": {
            description: "the job",
            content: { "application/json": { schema: ok({ $ref: "#/components/schemas/Job" }) } },
          },
          ...errors(401, 404),
        },
      },
    },
    "/v1/events": {
      post: {
        summary: "Record 1-25 analytics events",
        requestBody: {
          required: true,
          content: { "application/json": { schema: { $ref: "#/components/schemas/EventsRequest" } } },
        },
        responses: {
          "202": {
            description: "accepted; each eventId is stored once per tenant, so re-sending is safe",
            content: {
              "application/json": {
                schema: ok({
                  type: "object",
                  properties: { accepted: { type: "integer" }, eventIds: { type: "array", items: { type: "string" } } },
                }),
              },
            },
          },
          ...errors(400, 401, 413, 415, 503),
        },
      },
    },
    "/v1/health": {
      get: {
        summary: "Liveness and dependency checks",
        security: [],
        responses: { "200": { description: "healthy" }, "503": { description: "a dependency is down" } },
      },
    },
    "/v1/openapi.json": {
      get: { summary: "This document", security: [], responses: { "200": { description: "OpenAPI 3.1" } } },
    },
  },
});
