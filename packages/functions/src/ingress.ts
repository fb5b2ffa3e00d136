/**
 * Ingress λ: the HTTP API's only integration. Parses, calls the use case,
 * maps the result to the `{success, code, data}` envelope.
 */

import { CvpipeError, ValidationError } from "@cvpipe/core/errors";
import middy from "@middy/core";
import type { APIGatewayProxyStructuredResultV2 } from "aws-lambda";
import { jobLinks, jobView } from "./app/job-view.ts";
import { submitEvents } from "./app/submit-events.ts";
import { submitJob } from "./app/submit-job.ts";
import { type IngressDeps, ingressDeps } from "./composition.ts";
import { type ApiEvent, callerOf, header, jsonBody } from "./http/api-request.ts";
import { errorResponse, failure, success } from "./http/api-response.ts";
import { openApiDocument } from "./http/openapi.ts";
import { createLogger } from "./logger.ts";

const logger = createLogger("ingress");
const JOB_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
let deps: IngressDeps | undefined;

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
      const caller = callerOf(event);
      const rawLimit = event.queryStringParameters?.["limit"] ?? "20";
      const limit = Number(rawLimit);
      if (!/^\d{1,3}$/.test(rawLimit) || limit < 1 || limit > 100) {
        throw new ValidationError([
          { path: "query.limit", rule: "range", message: "must be an integer from 1 to 100" },
        ]);
      }
      const page = await d.jobs.listByUser(
        caller.tenantId,
        caller.userId,
        limit,
        event.queryStringParameters?.["cursor"],
      );
      const items = await Promise.all(page.items.map((r) => jobView(r, d.blobs, false)));
      return success(200, "OK", { items, ...(page.cursor ? { cursor: page.cursor } : {}) });
    }
    case "GET /v1/jobs/{jobId}": {
      const caller = callerOf(event);
      const jobId = event.pathParameters?.["jobId"] ?? "";
      // Job ids are UUID-shaped; anything else cannot exist (and must not reach DynamoDB's key limits).
      const record = JOB_ID.test(jobId) ? await d.jobs.get(caller.tenantId, jobId) : undefined;
      // Another tenant's job is indistinguishable from a missing one.
      if (!record) throw new CvpipeError(`no job ${jobId}`, { code: "NOT_FOUND" });
      return success(200, "OK", await jobView(record, d.blobs));
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

const ingress = async function ingress(event: ApiEvent): Promise<APIGatewayProxyStructuredResultV2> {
  deps ??= ingressDeps();
  try {
    return await route(deps, event);
  } catch (error) {
    const response = errorResponse(error);
    if ((response.statusCode ?? 500) >= 500)
      logger.error("request failed", { routeKey: event.routeKey, error: error as Error });
    return response;
  }
};

export const handler = middy(ingress);
