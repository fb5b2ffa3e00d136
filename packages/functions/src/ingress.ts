/**
 * Ingress λ: the HTTP API's only integration. Parses, calls the use case,
 * maps the result to the `{success, code, data}` envelope.
 *
 * Every read of a job goes through own-jobs.ts: a caller sees their own jobs
 * only, and anyone else's is the same 404 as a missing one.
 */

import middy from "@middy/core";
import type { APIGatewayProxyStructuredResultV2 } from "aws-lambda";
import { jobLinks } from "./app/job-view.ts";
import { getJob, listJobs } from "./app/own-jobs.ts";
import { submitEvents } from "./app/submit-events.ts";
import { submitJob } from "./app/submit-job.ts";
import { type IngressDeps, ingressDeps } from "./composition.ts";
import { type ApiEvent, callerOf, header, jsonBody } from "./http/api-request.ts";
import { errorResponse, failure, LAMBDA_RESPONSE_LIMIT_BYTES, payloadBytes, success } from "./http/api-response.ts";
import { openApiDocument } from "./http/openapi.ts";
import { createLogger, withLambdaContext } from "./logger.ts";

const logger = createLogger("ingress");
let deps: Promise<IngressDeps> | undefined;

const route = async (d: IngressDeps, event: ApiEvent): Promise<APIGatewayProxyStructuredResultV2> => {
  switch (event.routeKey) {
    case "GET /v1/health":
      return health(d);
    case "GET /v1/openapi.json":
      return success(200, "OK", openApiDocument());
    case "POST /v1/jobs": {
      const job = await submitJob(d, callerOf(event), jsonBody(event), header(event, "idempotency-key"));
      return success(
        202,
        job.created ? "ACCEPTED" : "ALREADY_ACCEPTED",
        {
          jobId: job.jobId,
          status: job.status,
          links: jobLinks(job.jobId),
        },
        { location: jobLinks(job.jobId).self },
      );
    }
    case "GET /v1/jobs": {
      const query = event.queryStringParameters ?? {};
      return success(200, "OK", await listJobs(d, callerOf(event), { limit: query["limit"], cursor: query["cursor"] }));
    }
    case "GET /v1/jobs/{jobId}": {
      const fits = (data: unknown) => payloadBytes(success(200, "OK", data)) <= d.maxResponseBytes;
      return success(200, "OK", await getJob(d, callerOf(event), event.pathParameters?.["jobId"] ?? "", fits));
    }
    case "POST /v1/events": {
      const accepted = await submitEvents(d, callerOf(event), jsonBody(event));
      return success(202, "ACCEPTED", accepted);
    }
    default:
      return failure(404, "NOT_FOUND", `no route ${event.routeKey}`);
  }
};

const health = async (d: IngressDeps): Promise<APIGatewayProxyStructuredResultV2> => {
  const checks = await Promise.all(
    d.health.map(async (c) => {
      try {
        await c.run();
        return { name: c.name, ok: true };
      } catch (error) {
        return { name: c.name, ok: false, error: (error as Error).name };
      }
    }),
  );
  const healthy = checks.every((c) => c.ok);
  return healthy
    ? success(200, "OK", { status: "ok", checks })
    : failure(503, "DEPENDENCY_UNAVAILABLE", "a dependency is unavailable", { checks });
};

/** Built once per cold start; a failed start (the secret unreadable) is retried by the next request. */
const coldStart = (): Promise<IngressDeps> => {
  deps ??= ingressDeps().catch((error: unknown) => {
    deps = undefined;
    throw error;
  });
  return deps;
};

const ingress = async function ingress(event: ApiEvent): Promise<APIGatewayProxyStructuredResultV2> {
  let response: APIGatewayProxyStructuredResultV2;
  try {
    response = await route(await coldStart(), event);
  } catch (error) {
    response = errorResponse(error);
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

export const handler = withLambdaContext(middy(ingress), logger);
