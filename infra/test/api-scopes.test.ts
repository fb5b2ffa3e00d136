/**
 * The HTTP API's routes ask the JWT authorizer for the scopes the topology
 * names (API Gateway: any one of a route's authorizationScopes suffices), so
 * the deployed API and the local gateway enforce one fact.
 */
import { api, type RouteSpec } from "@cvpipe/core/topology";
import { Template } from "aws-cdk-lib/assertions";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { buildTestApp } from "./build-app.ts";
import { resourcesOf } from "./template-query.ts";

const { service } = buildTestApp({ stage: "qa" });
const routes = Object.values(resourcesOf(Template.fromStack(service), "AWS::ApiGatewayV2::Route"));
const routeFor = (key: string) => {
  const found = routes.filter((r) => r.Properties?.["RouteKey"] === key);
  assert.is(found.length, 1, key);
  return found[0]!;
};

test("each JWT route carries the authorizationScopes the producer contract names", () => {
  const expected: Record<string, readonly string[] | undefined> = {
    "POST /v1/jobs": ["cvpipe/jobs.write"],
    "GET /v1/jobs": ["cvpipe/jobs.read"],
    "GET /v1/jobs/{jobId}": ["cvpipe/jobs.read"],
    "POST /v1/events": ["cvpipe/events.write"],
    "POST /v1/jobs/{jobId}/feedback": ["cvpipe/jobs.write"],
    "GET /v1/feedback": ["cvpipe/feedback.read"],
    "POST /v1/cvs": ["cvpipe/cvs.write"],
    "GET /v1/cvs": ["cvpipe/cvs.read"],
    "GET /v1/cvs/{cvId}": ["cvpipe/cvs.read"],
    "PUT /v1/cvs/{cvId}": ["cvpipe/cvs.write"],
    "DELETE /v1/cvs/{cvId}": ["cvpipe/cvs.write"],
    "DELETE /v1/users/{userId}/data": ["cvpipe/users.delete"],
    "GET /v1/deletions/{deletionId}": ["cvpipe/users.delete"],
    "GET /v1/health": undefined,
    "HEAD /v1/health": undefined,
    "GET /v1/openapi.json": undefined,
  };
  assert.equal(routes.map((r) => r.Properties?.["RouteKey"]).sort(), Object.keys(expected).sort());
  for (const [key, scopes] of Object.entries(expected)) {
    assert.equal(routeFor(key).Properties?.["AuthorizationScopes"], scopes, key);
  }
});

test("the template's scopes are the topology's, route by route (one source for CDK and the local gateway)", () => {
  for (const spec of api.routes as readonly RouteSpec[]) {
    const route = routeFor(`${spec.method} ${spec.path}`);
    assert.equal(route.Properties?.["AuthorizationScopes"] ?? [], [...spec.scopes], `${spec.method} ${spec.path}`);
    assert.is(route.Properties?.["AuthorizationType"], spec.auth ? "JWT" : "NONE");
  }
});

test.run();
