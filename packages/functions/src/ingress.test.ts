/**
 * The ingress handler when it cannot start: the health route answers 503
 * naming the failure (by the error's name), every other route a plain 500.
 * No AWS service is called: the cold start fails before any client is used.
 */
import { bucketNameEnv, queueUrlEnv, SETTING, tableNameEnv } from "@cvpipe/core/topology";
import type { APIGatewayProxyEventV2 } from "aws-lambda";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { lambdaContext } from "./testing/lambda-context.ts";

const env = {
  AWS_REGION: "us-east-1",
  AWS_ACCESS_KEY_ID: "test",
  AWS_SECRET_ACCESS_KEY: "test",
  [queueUrlEnv("tailoringJobs")]: "http://127.0.0.1:9/000000000000/tailoring-jobs.fifo",
  [queueUrlEnv("analyticsEvents")]: "http://127.0.0.1:9/000000000000/analytics-events.fifo",
  [tableNameEnv("jobs")]: "jobs",
  [bucketNameEnv("payloads")]: "payloads",
  [tableNameEnv("cvs")]: "cvs",
  [bucketNameEnv("cvs")]: "cvs",
  [tableNameEnv("feedback")]: "feedback",
  [tableNameEnv("deletions")]: "deletions",
  // Unreadable: the cold start fails.
  [SETTING.idSecretFile]: "/nonexistent/cvpipe-id-secret",
};
Object.assign(process.env, env);
const { handler } = await import("./ingress.ts");

const request = (routeKey: string, path: string): APIGatewayProxyEventV2 =>
  ({
    version: "2.0",
    routeKey,
    rawPath: path,
    rawQueryString: "",
    headers: {},
    isBase64Encoded: false,
    requestContext: { requestId: "r-1", http: { method: routeKey.split(" ")[0], path } },
  }) as unknown as APIGatewayProxyEventV2;

type Answer = { statusCode: number; body: string };
const call = async (routeKey: string, path: string): Promise<Answer> =>
  (await (handler as unknown as (e: unknown, c: unknown) => Promise<Answer>)(
    request(routeKey, path),
    lambdaContext("ingress"),
  )) as Answer;

test("GET /v1/health when the API cannot start: 503 DEPENDENCY_UNAVAILABLE naming the failure, not a 500", async () => {
  const res = await call("GET /v1/health", "/v1/health");
  assert.is(res.statusCode, 503);
  const body = JSON.parse(res.body);
  assert.is(body.code, "DEPENDENCY_UNAVAILABLE");
  assert.match(body.error, /could not start \(IdSecretError\)/);
  assert.not.match(res.body, /nonexistent/, "no path or message in the answer");
  assert.equal(body.details, { checks: [] });
});

test("another route when the API cannot start: 500 INTERNAL_ERROR", async () => {
  const res = await call("GET /v1/openapi.json", "/v1/openapi.json");
  assert.is(res.statusCode, 500);
  assert.is(JSON.parse(res.body).code, "INTERNAL_ERROR");
});

test.run();
