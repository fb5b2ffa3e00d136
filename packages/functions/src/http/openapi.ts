import { EventsRequest, MAX_EVENTS_PER_REQUEST } from "@cvpipe/core/contracts/analytics-event";
import { APPLICATION_ID, JOB_STATUSES } from "@cvpipe/core/contracts/job-constants";
import { JobRequest } from "@cvpipe/core/contracts/job-request";
import { CORRELATION_ID_PATTERN } from "@cvpipe/core/contracts/message-envelope";
import * as z from "@cvpipe/core/contracts/zod";
import { api, buckets, retention, SETTING } from "@cvpipe/core/topology";
import { CvUpload } from "../app/cv-library.ts";
import { FeedbackRequest } from "../app/feedback.ts";
import {
  ERROR_BRANCHES,
  ErrorEnvelope,
  GatewayError,
  HTTP_ERROR_CODES,
  type HttpErrorCode,
  httpError,
} from "./error-codes.ts";
import {
  CvPage,
  CvStored,
  CvView,
  DeletionAccepted,
  DeletionView,
  EventsAccepted,
  FeedbackPage,
  FeedbackStored,
  Health,
  JobAccepted,
  JobPage,
  JobView,
  successEnvelope,
} from "./response-schemas.ts";

/** The named schemas of the answers (`#/components/schemas/<name>`). */
const COMPONENTS = {
  Job: JobView,
  JobPage,
  JobAccepted,
  EventsAccepted,
  Health,
  Cv: CvView,
  CvPage,
  CvStored,
  Feedback: FeedbackStored,
  FeedbackPage,
  DeletionAccepted,
  Deletion: DeletionView,
  Error: ErrorEnvelope,
  GatewayError,
};

/** `VALIDATION_ERROR` → `ValidationError`, `INVALID_CV` → `InvalidCvError`: the component of a code's answer. */
export const errorComponentName = (code: HttpErrorCode): string => {
  const name = code
    .toLowerCase()
    .split("_")
    .map((word) => word.charAt(0).toUpperCase() + word.slice(1))
    .join("");
  return name.endsWith("Error") ? name : `${name}Error`;
};

/**
 * One component per code (`code` that literal, its own `details`), so a generated client narrows
 * `details` by `code`; `Error` is their union.
 */
const ERROR_COMPONENTS = Object.fromEntries(
  HTTP_ERROR_CODES.map((code) => [errorComponentName(code), ERROR_BRANCHES[code]]),
);

/** Each operation's success answer: the envelope around a component, with the codes it may carry. */
const SUCCESSES = {
  submitJob: successEnvelope(JobAccepted, ["ACCEPTED", "ALREADY_ACCEPTED"]),
  listJobs: successEnvelope(JobPage, ["OK"]),
  getJob: successEnvelope(JobView, ["OK"]),
  submitEvents: successEnvelope(EventsAccepted, ["ACCEPTED"]),
  health: successEnvelope(Health, ["OK"]),
  cvStored: successEnvelope(CvStored, ["CREATED", "ALREADY_CREATED"]),
  listCvs: successEnvelope(CvPage, ["OK"]),
  getCv: successEnvelope(CvView, ["OK"]),
  feedbackStored: successEnvelope(FeedbackStored, ["CREATED"]),
  listFeedback: successEnvelope(FeedbackPage, ["OK"]),
  deletionAccepted: successEnvelope(DeletionAccepted, ["ACCEPTED"]),
  getDeletion: successEnvelope(DeletionView, ["OK"]),
};

/** `GET /v1/openapi.json` answers the document itself, bare, as generators and linters read it. */
const OPENAPI_DOCUMENT_SCHEMA = {
  type: "object",
  required: ["openapi", "info", "paths"],
  properties: { openapi: { const: "3.1.0" }, info: { type: "object" }, paths: { type: "object" } },
};

type Json = Record<string, unknown>;

export interface OpenApiOptions {
  /**
   * Close every object of the answers' schemas (`additionalProperties: false`,
   * as zod converts them): what the tests validate real answers with, so a
   * field the code sends and the schemas do not name fails. The published
   * document leaves them open — a client should tolerate a field added later.
   */
  readonly closed?: boolean;
}

/** The answers' JSON Schemas, converted in one pass so components refer to each other by `$ref`. */
const answerSchemas = (closed: boolean) => {
  const registry = z.registry<{ id: string }>();
  for (const [id, schema] of Object.entries({ ...COMPONENTS, ...ERROR_COMPONENTS, ...SUCCESSES }))
    registry.add(schema, { id });
  const { schemas } = z.toJSONSchema(registry, {
    uri: (id) => `#/components/schemas/${id}`,
    override: ({ jsonSchema }) => {
      // `format` says it; zod's kilobyte of pattern per timestamp adds nothing.
      if (jsonSchema.format === "date-time") delete jsonSchema.pattern;
      if (!closed && jsonSchema.additionalProperties === false) delete jsonSchema.additionalProperties;
    },
  });
  const plain = (id: string): Json => {
    const { $schema: _s, $id: _i, ...rest } = schemas[id] as Json;
    return rest;
  };
  return {
    components: Object.fromEntries(
      [...Object.keys(COMPONENTS), ...Object.keys(ERROR_COMPONENTS)].map((id) => [id, plain(id)]),
    ) as Record<keyof typeof COMPONENTS, Json> & Record<string, Json>,
    success: (id: keyof typeof SUCCESSES) => plain(id),
  };
};

const ref = (id: keyof typeof COMPONENTS) => ({ $ref: `#/components/schemas/${id}` });

const ok = (description: string, schema: Json) => ({ description, content: { "application/json": { schema } } });

/**
 * The error responses of an operation that answers `codes` (and, like every
 * operation, INTERNAL_ERROR): one per status, its text and the codes it
 * carries from HTTP_ERRORS, and API Gateway's own body where the gateway
 * answers that status too.
 */
/** The `WWW-Authenticate` header of a 401 or 403 (RFC 6750): `Bearer error="…" error_description="…"[ scope="…"]`. */
const WWW_AUTHENTICATE = {
  description:
    'On a refused token and a missing scope, a Bearer challenge: `error="invalid_token"` with why (401), or `error="insufficient_scope"` with the scopes needed (403)',
  schema: { type: "string" },
};

const errors = (...codes: HttpErrorCode[]) => {
  const byStatus = new Map<number, HttpErrorCode[]>();
  // Every route refuses a query parameter it does not take (VALIDATION_ERROR naming it), and every
  // route runs after the function's cold start and reads a dependency, so may answer 503.
  for (const code of new Set([
    "VALIDATION_ERROR" as const,
    ...codes,
    "INTERNAL_ERROR" as const,
    "DEPENDENCY_UNAVAILABLE" as const,
  ])) {
    const { status } = httpError(code);
    byStatus.set(status, [...(byStatus.get(status) ?? []), code]);
  }
  return Object.fromEntries(
    [...byStatus].map(([status, group]) => {
      const gateway = group.flatMap((c) => {
        const refusal = httpError(c).gateway;
        return refusal ? [`the gateway's {"message":"${refusal.message}"}: ${refusal.description}`] : [];
      });
      const answers = group.map((c) => ({ $ref: `#/components/schemas/${errorComponentName(c)}` }));
      const bodies = gateway.length > 0 ? [...answers, ref("GatewayError")] : answers;
      return [
        String(status),
        {
          description: [...gateway, ...group.map((c) => `${c}: ${httpError(c).description}`)].join("; "),
          // A refused token is told why (401) or which scope it lacks (403), as RFC 6750 writes it.
          ...(status === 401 || status === 403 ? { headers: { "WWW-Authenticate": WWW_AUTHENTICATE } } : {}),
          content: {
            "application/json": { schema: bodies.length === 1 ? bodies[0] : { oneOf: bodies } },
          },
        },
      ];
    }),
  );
};

const cvIdParameter = {
  name: "cvId",
  in: "path",
  required: true,
  schema: { type: "string" },
  description: "as POST /v1/cvs returned it",
};

const idempotencyKeyParameter = (what: string) => ({
  name: api.idempotencyKey.header,
  in: "header",
  required: false,
  schema: { type: "string", pattern: api.idempotencyKey.pattern.source },
  description: `${api.idempotencyKey.rule}. Scoped to the caller: the same key and body return the ${what} first stored; the same key with another body is a 409.`,
});

const cvBody = {
  required: true,
  content: { "application/json": { schema: { $ref: "#/components/schemas/CvUpload" } } },
};

const listParameters = [
  {
    name: "limit",
    in: "query",
    schema: { type: "integer", minimum: api.listLimit.min, maximum: api.listLimit.max, default: api.listLimit.default },
  },
  {
    name: "cursor",
    in: "query",
    schema: { type: "string" },
    description:
      "the `cursor` of the previous page, as given: it is sealed and bound to the caller, so an edited or another user's cursor is a 400 (`query.cursor`)",
  },
];

/** A HEAD operation's error answers: the GET's statuses and texts, no body. */
const withoutBodies = (responses: Record<string, { description: string }>) =>
  Object.fromEntries(Object.entries(responses).map(([status, r]) => [status, { description: r.description }]));

/** The codes every operation behind the JWT authorizer may answer, besides its own. */
const AUTHORIZED: HttpErrorCode[] = ["UNAUTHORIZED", "FORBIDDEN"];

/** What a write carrying a CV (a job, an upload, a new version) may answer besides its success. */
const CV_WRITE_ERRORS: HttpErrorCode[] = [
  "VALIDATION_ERROR",
  "INVALID_CV",
  ...AUTHORIZED,
  "CV_NOT_FOUND",
  "IDEMPOTENCY_KEY_REUSED",
  "PAYLOAD_TOO_LARGE",
  "UNSUPPORTED_MEDIA_TYPE",
  "DEPENDENCY_UNAVAILABLE",
];

/** The id an answer names: always one of the well-formed ones (the caller's, the request id, or a UUID). */
const CORRELATION_ID_ANSWERED = {
  description:
    "The correlation id of the request: on every log line of the functions that handled it (the job's worker, its analytics).",
  schema: { type: "string", pattern: CORRELATION_ID_PATTERN.source },
};

/**
 * What the caller may send: anything (one that is not well-formed is ignored, never refused, so the
 * parameter's schema accepts every string and the rule is in words).
 */
const CORRELATION_ID_SENT = {
  description: `Follows the request into the logs of every function that handles it. Send your own (an id matching ${CORRELATION_ID_PATTERN.source}) or let the API use its request id; one that does not match is ignored, never refused. Every answer of the API names the id used (the gateway's own 401, 403 and 413 do not).`,
  schema: { type: "string" },
};

/** Every operation takes and every answer names the correlation id (ingress sets it on all of them). */
const withCorrelationIds = <P extends Record<string, Record<string, { parameters?: unknown[]; responses: object }>>>(
  paths: P,
): P => {
  for (const operations of Object.values(paths)) {
    for (const operation of Object.values(operations)) {
      operation.parameters = [...(operation.parameters ?? []), { $ref: "#/components/parameters/CorrelationId" }];
      for (const response of Object.values(operation.responses) as Array<{ headers?: object }>) {
        response.headers = {
          ...response.headers,
          [api.correlationIdHeader]: { $ref: "#/components/headers/CorrelationId" },
        };
      }
    }
  }
  return paths;
};

/**
 * Each JWT route's scopes from the topology, as alternatives (a token needs one
 * of them, as the authorizer checks); public routes keep `security: []`.
 */
const withRouteScopes = <P extends object>(paths: P): P => {
  const operations = paths as Record<string, Record<string, { security?: unknown[] }> | undefined>;
  for (const route of api.routes) {
    const operation = operations[route.path]?.[route.method.toLowerCase()];
    if (!operation) throw new Error(`the document has no operation for ${route.method} ${route.path}`);
    if (route.auth) operation.security = route.scopes.map((scope) => ({ jwt: [scope] }));
  }
  return paths;
};

/** OpenAPI 3.1 document generated from the zod schemas the handlers validate requests with and type answers by. */
export const openApiDocument = (options: OpenApiOptions = {}) => {
  const answers = answerSchemas(options.closed ?? false);
  /** What a CV write (`POST /v1/cvs`, `PUT /v1/cvs/{cvId}`) answers; `created` describes its 201. */
  const cvWritten = (created: string) => ({
    "201": ok(created, answers.success("cvStored")),
    "200": ok(
      `ALREADY_CREATED: an earlier request with the same ${api.idempotencyKey.header} stored it`,
      answers.success("cvStored"),
    ),
    ...errors(...CV_WRITE_ERRORS),
  });
  return {
    openapi: "3.1.0",
    info: {
      title: "cvpipe",
      version: "1.0.0",
      // The repository grants no licence (it has no LICENSE file): the API and its document are the owners'.
      license: { name: "Proprietary: no licence is granted", identifier: "LicenseRef-Proprietary" },
      description: `Tailors CVs to job descriptions and records usage analytics. Every request except health and this document needs a JWT bearer token carrying "${api.tenantClaim}" and "sub" claims. Retention: a job and its result are kept ${retention.jobTtlDays} days from submission (the deployment's ${SETTING.jobTtlDays}; at most the payload bucket's ${buckets.payloads.expireAfterDays}), then GET answers 404; a library CV is kept until it is deleted; analytics events ${retention.eventTtlDays} days.`,
    },
    // Relative: the document is served by the API it describes, on AWS and locally alike.
    servers: [
      { url: "/", description: "the API's own origin: the stage's API URL on AWS, http://127.0.0.1:3000 locally" },
    ],
    components: {
      securitySchemes: { jwt: { type: "http", scheme: "bearer", bearerFormat: "JWT" } },
      parameters: {
        CorrelationId: { name: api.correlationIdHeader, in: "header", required: false, ...CORRELATION_ID_SENT },
      },
      headers: { CorrelationId: CORRELATION_ID_ANSWERED },
      schemas: {
        JobRequest: z.toJSONSchema(JobRequest, { io: "input", unrepresentable: "any" }),
        EventsRequest: z.toJSONSchema(EventsRequest, { io: "input", unrepresentable: "any" }),
        CvUpload: z.toJSONSchema(CvUpload, { io: "input", unrepresentable: "any" }),
        FeedbackRequest: z.toJSONSchema(FeedbackRequest, { io: "input", unrepresentable: "any" }),
        ...answers.components,
      },
    },
    security: [{ jwt: [] }],
    paths: withRouteScopes(
      withCorrelationIds({
        "/v1/jobs": {
          post: {
            operationId: "submitJob",
            summary: "Submit a tailoring job",
            description:
              "The CV inline (`cv`) or from the caller's library (`cvRef`). A job by reference reads the library, so its token needs `cvpipe/cvs.read` as well as `cvpipe/jobs.write`; without it the answer is 403 FORBIDDEN, with `www-authenticate` naming the scope, and no job is created.",
            parameters: [
              {
                name: api.idempotencyKey.header,
                in: "header",
                required: false,
                schema: { type: "string", pattern: api.idempotencyKey.pattern.source },
                description: `${api.idempotencyKey.rule}. Scoped to the caller (tenant + user): the same key and body returns the first job, however late the retry; the same key with another body is a 409. The job id is derived from the key with a server-side secret, so nobody can compute it from the key.`,
              },
              {
                name: "Prefer",
                in: "header",
                required: false,
                schema: { type: "string", examples: ["wait=10"] },
                description: `RFC 7240 \`wait=N\` (N seconds, at most ${api.maxPreferWaitSeconds}; more waits ${api.maxPreferWaitSeconds}): when the job finishes within N seconds the answer is 200 with the finished job and \`Preference-Applied: wait=N\`; otherwise 202 as without the header. Other preferences, and a malformed wait, are ignored.`,
              },
            ],
            requestBody: {
              required: true,
              content: { "application/json": { schema: { $ref: "#/components/schemas/JobRequest" } } },
            },
            responses: {
              "200": {
                ...ok(
                  "with `Prefer: wait=N`: the job finished within N seconds (SUCCEEDED or FAILED), as GET /v1/jobs/{jobId} shows it",
                  answers.success("getJob"),
                ),
                headers: {
                  "Preference-Applied": {
                    description: "`wait=N`: the wait that was applied",
                    schema: { type: "string" },
                  },
                },
              },
              "202": ok(
                `accepted (ALREADY_ACCEPTED: an earlier request with the same ${api.idempotencyKey.header} created the job)`,
                answers.success("submitJob"),
              ),
              ...errors(...CV_WRITE_ERRORS),
            },
          },
          get: {
            operationId: "listJobs",
            summary: "List the caller's jobs, newest first",
            parameters: [
              ...listParameters,
              {
                name: "status",
                in: "query",
                schema: { type: "string", enum: [...JOB_STATUSES] },
                description: "only jobs in this status",
              },
              {
                name: "applicationId",
                in: "query",
                schema: { type: "string", pattern: APPLICATION_ID.source },
                description:
                  "only jobs submitted with this `applicationId`. Filters apply to each page as read, so a page may hold fewer than `limit` jobs (even none) and still have a `cursor`",
              },
            ],
            responses: {
              "200": ok(
                "the caller's jobs, without results and with errors' code and message only; `cursor` when there are more",
                answers.success("listJobs"),
              ),
              ...errors("VALIDATION_ERROR", ...AUTHORIZED),
            },
          },
        },
        "/v1/jobs/{jobId}": {
          get: {
            operationId: "getJob",
            summary: "A job's status; the tailored CV, match and verification reports when done",
            parameters: [{ name: "jobId", in: "path", required: true, schema: { type: "string" } }],
            responses: {
              "200": ok("the job", answers.success("getJob")),
              ...errors(...AUTHORIZED, "NOT_FOUND"),
            },
          },
        },
        "/v1/events": {
          post: {
            operationId: "submitEvents",
            summary: `Record 1-${MAX_EVENTS_PER_REQUEST} analytics events`,
            requestBody: {
              required: true,
              content: { "application/json": { schema: { $ref: "#/components/schemas/EventsRequest" } } },
            },
            responses: {
              "202": ok(
                "accepted; each eventId is stored once per tenant, so re-sending is safe",
                answers.success("submitEvents"),
              ),
              ...errors(
                "VALIDATION_ERROR",
                ...AUTHORIZED,
                "PAYLOAD_TOO_LARGE",
                "UNSUPPORTED_MEDIA_TYPE",
                "DEPENDENCY_UNAVAILABLE",
              ),
            },
          },
        },
        "/v1/jobs/{jobId}/feedback": {
          post: {
            operationId: "submitFeedback",
            summary: "Rate a tailored CV's relevance (the job's owner; the job must have SUCCEEDED)",
            parameters: [{ name: "jobId", in: "path", required: true, schema: { type: "string" } }],
            requestBody: {
              required: true,
              content: { "application/json": { schema: { $ref: "#/components/schemas/FeedbackRequest" } } },
            },
            responses: {
              "201": ok(
                "stored; the week's report counts it once (count, mean rating, distribution). Each POST is one rating: a retry after a lost answer is a second one",
                answers.success("feedbackStored"),
              ),
              ...errors(
                "VALIDATION_ERROR",
                ...AUTHORIZED,
                "NOT_FOUND",
                "PAYLOAD_TOO_LARGE",
                "UNSUPPORTED_MEDIA_TYPE",
                "DEPENDENCY_UNAVAILABLE",
              ),
            },
          },
        },
        "/v1/users/{userId}/data": {
          delete: {
            operationId: "deleteUserData",
            summary: `Delete a user's data on request: the caller's own, or any user's of the tenant for its analysts and admins (the token's "${api.roleClaim}" claim holds "${api.analystRole}" or "${api.adminRole}")`,
            description:
              "Carried out asynchronously, within minutes: every CV and version, job, result, stored request, feedback record and raw analytics event of the user received until now is removed (the weekly aggregates keep only counts). From this request on, the user's jobs still queued are not tailored and their queued events are not stored. Data sent later is new and stays. Each request is a deletion of its own, covering what was given until it. Follow it at `Location`.",
            parameters: [{ name: "userId", in: "path", required: true, schema: { type: "string" } }],
            responses: {
              "202": ok("accepted; `Location` names the deletion", answers.success("deletionAccepted")),
              ...errors("VALIDATION_ERROR", ...AUTHORIZED, "DEPENDENCY_UNAVAILABLE"),
            },
          },
        },
        "/v1/deletions/{deletionId}": {
          get: {
            operationId: "getDeletion",
            summary:
              "A deletion's progress and what it removed (the user it deleted, or the tenant's analysts and admins)",
            parameters: [{ name: "deletionId", in: "path", required: true, schema: { type: "string" } }],
            responses: {
              "200": ok(
                "the deletion; the user id is not shown, nor kept once it is COMPLETED",
                answers.success("getDeletion"),
              ),
              ...errors(...AUTHORIZED, "NOT_FOUND", "DEPENDENCY_UNAVAILABLE"),
            },
          },
        },
        "/v1/feedback": {
          get: {
            operationId: "listFeedback",
            summary: `The tenant's relevance feedback, for its analysts (the token's "${api.roleClaim}" claim holds "${api.analystRole}")`,
            parameters: [
              {
                name: "since",
                in: "query",
                schema: { type: "string", format: "date-time" },
                description: "only feedback received at or after this time",
              },
              ...listParameters,
            ],
            responses: {
              "200": ok(
                "the tenant's feedback, by job; `cursor` when there may be more",
                answers.success("listFeedback"),
              ),
              ...errors("VALIDATION_ERROR", ...AUTHORIZED, "DEPENDENCY_UNAVAILABLE"),
            },
          },
        },
        "/v1/cvs": {
          post: {
            operationId: "uploadCv",
            summary: "Upload a CV to the caller's library (version 1)",
            parameters: [idempotencyKeyParameter("CV")],
            requestBody: cvBody,
            responses: cvWritten("stored as version 1; `Location` names the CV"),
          },
          get: {
            operationId: "listCvs",
            summary: "List the caller's CVs (no bodies)",
            parameters: listParameters,
            responses: {
              "200": ok("the caller's CVs; `cursor` when there may be more", answers.success("listCvs")),
              ...errors("VALIDATION_ERROR", ...AUTHORIZED, "DEPENDENCY_UNAVAILABLE"),
            },
          },
        },
        "/v1/cvs/{cvId}": {
          get: {
            operationId: "getCv",
            summary: "A CV of the caller's library: the latest version, or `version`",
            parameters: [
              cvIdParameter,
              { name: "version", in: "query", required: false, schema: { type: "integer", minimum: 1 } },
            ],
            responses: {
              "200": ok("the CV and every version's facts", answers.success("getCv")),
              ...errors("VALIDATION_ERROR", ...AUTHORIZED, "CV_NOT_FOUND", "DEPENDENCY_UNAVAILABLE"),
            },
          },
          put: {
            operationId: "addCvVersion",
            summary: "Store a new version of a CV; earlier versions stay readable, and finished jobs keep theirs",
            parameters: [cvIdParameter, idempotencyKeyParameter("version")],
            requestBody: cvBody,
            responses: cvWritten("stored as the next version"),
          },
          delete: {
            operationId: "deleteCv",
            summary: "Delete a CV and every version of it (jobs already submitted keep their copy)",
            parameters: [cvIdParameter],
            responses: {
              "204": { description: "deleted" },
              ...errors(...AUTHORIZED, "CV_NOT_FOUND", "DEPENDENCY_UNAVAILABLE"),
            },
          },
        },
        "/v1/health": {
          get: {
            operationId: "getHealth",
            summary: "Liveness and dependency checks",
            security: [],
            responses: {
              "200": ok(
                'the API takes work: status "ok" (every check passed) or "degraded" (a dependency only the workers need is down: SES, Bedrock; work waits for it)',
                answers.success("health"),
              ),
              ...errors("DEPENDENCY_UNAVAILABLE"),
            },
          },
          head: {
            operationId: "headHealth",
            summary:
              "The same checks as GET, answered without a body: the status says it (200, or 503 when the API cannot take work)",
            security: [],
            responses: {
              "200": { description: "the API takes work (ok or degraded)" },
              ...withoutBodies(errors("DEPENDENCY_UNAVAILABLE")),
            },
          },
        },
        "/v1/openapi.json": {
          get: {
            operationId: "getOpenApiDocument",
            summary: "This document",
            security: [],
            responses: {
              "200": ok("this OpenAPI 3.1 document, bare (no envelope)", OPENAPI_DOCUMENT_SCHEMA),
              ...errors(),
            },
          },
        },
      }),
    ),
  };
};
