/**
 * Ingress λ: the HTTP API's only integration. Parses, calls the use case,
 * maps the result to the `{success, code, data}` envelope (the OpenAPI document is answered bare).
 *
 * Every read of a job goes through own-jobs.ts: a caller sees their own jobs
 * only, and anyone else's is the same 404 as a missing one.
 *
 * Every answer names the request's correlation id (`X-Correlation-Id`: the
 * caller's, when well-formed, or API Gateway's request id); it is on every
 * line logged for the request and on every message the request enqueues, so
 * the workers' lines for the job or event carry it too.
 */

import { ValidationError } from "@cvpipe/core/errors";
import type { RequestContext } from "@cvpipe/core/jobs/caller";
import { type ApiScope, api, type RouteSpec } from "@cvpipe/core/topology";
import middy from "@middy/core";
import type { APIGatewayProxyStructuredResultV2 } from "aws-lambda";
import { addCvVersion, deleteCv, getCv, listCvs, type StoredCv, uploadCv } from "./app/cv-library.ts";
import { listFeedback, submitFeedback } from "./app/feedback.ts";
import { checkHealth } from "./app/health.ts";
import { jobAccepted } from "./app/job-view.ts";
import { getJob, listJobs, waitForOwnJob } from "./app/own-jobs.ts";
import { submitEvents } from "./app/submit-events.ts";
import { submitJob } from "./app/submit-job.ts";
import { getUserDeletion, requestUserDeletion } from "./app/user-deletion.ts";
import { type IngressDeps, ingressDeps } from "./composition/ingress.ts";
import {
  type ApiEvent,
  CORRELATION_ID_HEADER,
  callerOf,
  correlationIdOf,
  header,
  jsonBody,
  preferredWaitSeconds,
  rolesOf,
  scopesOf,
} from "./http/api-request.ts";
import {
  errorResponse,
  failure,
  json,
  LAMBDA_RESPONSE_LIMIT_BYTES,
  payloadBytes,
  success,
} from "./http/api-response.ts";
import { openApiDocument } from "./http/openapi.ts";
import type { CvStored, DeletionAccepted, Health } from "./http/response-schemas.ts";
import { CORRELATION_ID_KEY, createLogger, withLambdaContext } from "./logger.ts";
import { createMetrics, withMetrics } from "./metrics.ts";

const logger = createLogger("ingress");
const HEALTH_ROUTE = "GET /v1/health";
const HEALTH_HEAD_ROUTE = "HEAD /v1/health";
const metrics = createMetrics();
let ready: Promise<IngressDeps> | undefined;

const route = async (
  deps: IngressDeps,
  event: ApiEvent,
  request: RequestContext,
): Promise<APIGatewayProxyStructuredResultV2> => {
  // The caller first (a bad token is a 401 whatever else is wrong), then the query.
  if (QUERY_BY_ROUTE.get(event.routeKey)?.auth) callerOf(event);
  refuseUnknownQuery(event);
  switch (event.routeKey) {
    case HEALTH_ROUTE:
      return health(deps);
    case HEALTH_HEAD_ROUTE:
      return health(deps);
    case "GET /v1/openapi.json":
      return json(200, openApiDocument());
    case "POST /v1/jobs": {
      const caller = callerOf(event);
      const wait = preferredWaitSeconds(event);
      const body = jsonBody(event);
      // A job by reference reads the caller's library (and answers with that CV tailored): it needs the
      // library's read scope as well as the route's, or jobs.write alone would read what GET /v1/cvs refuses.
      if (refersToLibrary(body) && !scopesOf(event).includes(LIBRARY_READ)) return libraryReadRefused();
      const job = await submitJob(deps, caller, body, header(event, "idempotency-key"), request);
      logger.info("job accepted", { jobId: job.jobId, created: job.created, status: job.status });
      const accepted = jobAccepted(job);
      if (wait !== undefined) {
        // RFC 7240: the job finished within the wait, so the answer is the job itself; else 202 as without it.
        const finished = await waitForOwnJob(deps, caller, job.jobId, wait, fitsIn(deps));
        if (finished) {
          return success(200, "OK", finished, { location: accepted.links.self, "preference-applied": `wait=${wait}` });
        }
      }
      return success(202, job.created ? "ACCEPTED" : "ALREADY_ACCEPTED", accepted, { location: accepted.links.self });
    }
    case "GET /v1/jobs": {
      const query = event.queryStringParameters ?? {};
      const { limit, cursor, status, applicationId } = query;
      return success(200, "OK", await listJobs(deps, callerOf(event), { limit, cursor, status, applicationId }));
    }
    case "GET /v1/jobs/{jobId}": {
      return success(
        200,
        "OK",
        await getJob(deps, callerOf(event), event.pathParameters?.["jobId"] ?? "", fitsIn(deps)),
      );
    }
    case "POST /v1/jobs/{jobId}/feedback": {
      const jobId = event.pathParameters?.["jobId"] ?? "";
      const stored = await submitFeedback(deps, callerOf(event), jobId, jsonBody(event));
      logger.info("feedback stored", { jobId: stored.jobId, feedbackId: stored.feedbackId });
      return success(201, "CREATED", stored);
    }
    case "GET /v1/feedback": {
      const { since, limit, cursor } = event.queryStringParameters ?? {};
      return success(200, "OK", await listFeedback(deps, callerOf(event), rolesOf(event), { since, limit, cursor }));
    }
    case "POST /v1/cvs": {
      const stored = await uploadCv(deps, callerOf(event), jsonBody(event), header(event, "idempotency-key"));
      logger.info("cv stored", { cvId: stored.cvId, version: stored.version, created: stored.created });
      return cvStoredAnswer(stored);
    }
    case "PUT /v1/cvs/{cvId}": {
      const stored = await addCvVersion(
        deps,
        callerOf(event),
        event.pathParameters?.["cvId"] ?? "",
        jsonBody(event),
        header(event, "idempotency-key"),
      );
      logger.info("cv stored", { cvId: stored.cvId, version: stored.version, created: stored.created });
      return cvStoredAnswer(stored);
    }
    case "GET /v1/cvs": {
      const query = event.queryStringParameters ?? {};
      return success(
        200,
        "OK",
        await listCvs(deps, callerOf(event), { limit: query["limit"], cursor: query["cursor"] }),
      );
    }
    case "GET /v1/cvs/{cvId}":
      return success(
        200,
        "OK",
        await getCv(
          deps,
          callerOf(event),
          event.pathParameters?.["cvId"] ?? "",
          event.queryStringParameters?.["version"],
        ),
      );
    case "DELETE /v1/cvs/{cvId}":
      await deleteCv(deps, callerOf(event), event.pathParameters?.["cvId"] ?? "");
      logger.info("cv deleted", { cvId: event.pathParameters?.["cvId"] });
      return { statusCode: 204 };
    case "DELETE /v1/users/{userId}/data": {
      const accepted = await requestUserDeletion(
        deps,
        callerOf(event),
        rolesOf(event),
        event.pathParameters?.["userId"] ?? "",
      );
      logger.info("deletion requested", { deletionId: accepted.deletionId });
      const self = `/v1/deletions/${accepted.deletionId}`;
      const data: DeletionAccepted = {
        deletionId: accepted.deletionId,
        status: accepted.status,
        requestedAt: accepted.requestedAt,
        links: { self },
      };
      return success(202, "ACCEPTED", data, { location: self });
    }
    case "GET /v1/deletions/{deletionId}":
      return success(
        200,
        "OK",
        await getUserDeletion(deps, callerOf(event), rolesOf(event), event.pathParameters?.["deletionId"] ?? ""),
      );
    case "POST /v1/events": {
      const accepted = await submitEvents(deps, callerOf(event), jsonBody(event), request);
      logger.info("events accepted", { accepted: accepted.accepted });
      return success(202, "ACCEPTED", accepted);
    }
    default:
      return failure(404, "NOT_FOUND", `no route ${event.routeKey}`);
  }
};

/** Query parameters each route takes (topology `api.routes[].query`); none for a route that lists none. */
const QUERY_BY_ROUTE = new Map<string, { readonly auth: boolean; readonly query: readonly string[] }>(
  (api.routes as readonly RouteSpec[]).map((r) => [`${r.method} ${r.path}`, { auth: r.auth, query: r.query ?? [] }]),
);

/** A query parameter the route does not take is refused, naming it, rather than silently ignored. */
const refuseUnknownQuery = (event: ApiEvent): void => {
  const allowed = QUERY_BY_ROUTE.get(event.routeKey)?.query;
  if (!allowed) return;
  const unknown = Object.keys(event.queryStringParameters ?? {}).filter((name) => !allowed.includes(name));
  if (unknown.length === 0) return;
  const takes = allowed.length > 0 ? `it takes ${allowed.join(", ")}` : "it takes none";
  throw new ValidationError(
    unknown.map((name) => ({
      path: `query.${name}`,
      rule: "unknown",
      message: `is not a parameter of ${event.routeKey} (${takes})`,
    })),
  );
};

/** Whether a 200 carrying `data` stays within the response limit (else a job's result travels by link). */
const fitsIn =
  (deps: IngressDeps) =>
  (data: unknown): boolean =>
    payloadBytes(success(200, "OK", data)) <= deps.maxResponseBytes;

/** 201 with the stored version (200 ALREADY_CREATED for a repeated Idempotency-Key), `Location` its CV. */
const cvStoredAnswer = (stored: StoredCv): APIGatewayProxyStructuredResultV2 => {
  const self = `/v1/cvs/${stored.cvId}`;
  const data: CvStored = {
    cvId: stored.cvId,
    version: stored.version,
    links: { self },
    ...(stored.warnings ? { warnings: stored.warnings } : {}),
  };
  return stored.created
    ? success(201, "CREATED", data, { location: self })
    : success(200, "ALREADY_CREATED", data, { location: self });
};

/** 503 naming what is down when the API cannot take work; otherwise 200, "ok" or "degraded". */
const health = async (deps: IngressDeps): Promise<APIGatewayProxyStructuredResultV2> => {
  const verdict = await checkHealth(deps.health, { timer: deps.timer });
  const checks = [...verdict.checks];
  if (verdict.status === "unavailable") {
    const down = verdict.requiredDown.join(", ");
    return failure(503, "DEPENDENCY_UNAVAILABLE", `a dependency is unavailable: ${down}`, { checks });
  }
  return success(200, "OK", { status: verdict.status, checks } satisfies Health);
};

/** Built once per cold start; a failed start (the secret unreadable) is retried by the next request. */
const coldStart = (): Promise<IngressDeps> => {
  ready ??= ingressDeps(process.env, metrics).catch((error: unknown) => {
    ready = undefined;
    throw error;
  });
  return ready;
};

const ingress = async function ingress(event: ApiEvent): Promise<APIGatewayProxyStructuredResultV2> {
  const correlationId = correlationIdOf(event);
  // Removed after the invocation with the other per-invocation keys (withLambdaContext's resetKeys).
  logger.appendKeys({ [CORRELATION_ID_KEY]: correlationId });
  const requestId = event.requestContext.requestId;
  logger.appendKeys({ requestId });
  const full = await respond(event, { correlationId });
  // A HEAD answer is its GET's status and headers without the body.
  const { body: _body, ...bodiless } = full;
  const answer = event.requestContext.http.method === "HEAD" ? bodiless : full;
  // x-request-id: API Gateway's id of the request (the local gateway's: the caller's, when well-formed).
  return {
    ...answer,
    headers: { ...answer.headers, [CORRELATION_ID_HEADER]: correlationId, "x-request-id": requestId },
  };
};

/** The scope a job by reference needs besides the route's. */
const LIBRARY_READ: ApiScope = "cvpipe/cvs.read";
const refersToLibrary = (body: unknown): boolean =>
  body !== null && typeof body === "object" && !Array.isArray(body) && "cvRef" in body;
/** 403 as the gateway answers a missing scope, naming the scope in `www-authenticate`. */
const libraryReadRefused = (): APIGatewayProxyStructuredResultV2 => {
  const refused = failure(
    403,
    "FORBIDDEN",
    `a job by reference (cvRef) reads the CV library: the token needs ${LIBRARY_READ}`,
  );
  return {
    ...refused,
    headers: {
      ...refused.headers,
      "www-authenticate": `Bearer error="insufficient_scope" error_description="a job by reference needs the CV library's read scope" scope="${LIBRARY_READ}"`,
    },
  };
};

const respond = async (event: ApiEvent, request: RequestContext): Promise<APIGatewayProxyStructuredResultV2> => {
  let response: APIGatewayProxyStructuredResultV2;
  let deps: IngressDeps | undefined;
  try {
    deps = await coldStart();
    response = await route(deps, event, request);
  } catch (error) {
    // The health route still answers when the API cannot start (its id secret unreadable, its
    // configuration refused): a 503 that says so by the error's name, not a 500.
    response =
      deps === undefined && (event.routeKey === HEALTH_ROUTE || event.routeKey === HEALTH_HEAD_ROUTE)
        ? failure(503, "DEPENDENCY_UNAVAILABLE", `the API could not start (${(error as Error)?.name ?? "Error"})`, {
            checks: [],
          })
        : errorResponse(error);
    if ((response.statusCode ?? 500) >= 500)
      logger.error("request failed", { routeKey: event.routeKey, error: error as Error });
  }
  // Last line of defence: Lambda would refuse the payload and the caller would get a bare 502.
  const bytes = payloadBytes(response);
  if (bytes > LAMBDA_RESPONSE_LIMIT_BYTES) {
    logger.error("response over Lambda's payload limit", { routeKey: event.routeKey, bytes });
    return failure(500, "INTERNAL_ERROR", "internal error");
  }
  return response;
};

export const handler = withMetrics(withLambdaContext(middy(ingress), logger), metrics);
