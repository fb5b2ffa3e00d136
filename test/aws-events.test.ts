/**
 * The AWS-shaped events in events/ (API Gateway HTTP API v2 requests with a
 * JWT authorizer, SQS FIFO batches for both queues, the EventBridge scheduled
 * event) fed to the real handlers — the files the CDK app deploys — with the
 * embedded stack's environment (emulators, tables, queues, id secret). The
 * pollers are off: each handler sees exactly the fixture, as Lambda would.
 */

import { GetCommand } from "@aws-sdk/lib-dynamodb";
import { createDocumentClient } from "@cvpipe/aws/clients";
import { DynamoJobStore } from "@cvpipe/aws/dynamo-job-store";
import { TailoringJobMessage } from "@cvpipe/core/contracts/tailoring-job-message";
import { type JobRecord, queuedShard, userKey } from "@cvpipe/core/jobs/job-record";
import { clockFromEnv } from "@cvpipe/core/ports/clock";
import { functions, jobIndexes, tables } from "@cvpipe/core/topology";
import { expiresAt } from "@cvpipe/core/ttl";
import { lambdaContext } from "@cvpipe/local/lambda-context";
import type { APIGatewayProxyEventV2WithJWTAuthorizer, ScheduledEvent, SQSEvent } from "aws-lambda";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { fixture } from "./support/fixtures.ts";
import { startTestStack, type TestStack } from "./support/stack.ts";

/** Monday 07:00:02 after 2026-W47: the week the scheduled event reports on has ended. */
const START = new Date("2026-11-23T07:00:02Z");
let stack: TestStack;
const context = (fn: keyof typeof functions) => lambdaContext(fn, functions[fn].timeoutSeconds, "us-east-1");

type Handler<E, R> = (event: E, context: ReturnType<typeof lambdaContext>) => Promise<R>;
interface HttpResult {
  statusCode: number;
  headers?: Record<string, string>;
  body: string;
}
let ingress: Handler<APIGatewayProxyEventV2WithJWTAuthorizer, HttpResult>;
let tailor: Handler<SQSEvent, { batchItemFailures: Array<{ itemIdentifier: string }> }>;
let analytics: Handler<SQSEvent, { batchItemFailures: Array<{ itemIdentifier: string }> }>;
let reporter: Handler<ScheduledEvent, { status: string; week: string }>;

test.before(async () => {
  stack = await startTestStack({ clockStart: START, pollers: false });
  // Imported after the stack set the environment, as a cold start reads it.
  ingress = (await import("@cvpipe/functions/ingress")).handler as unknown as typeof ingress;
  tailor = (await import("@cvpipe/functions/tailor")).handler as unknown as typeof tailor;
  analytics = (await import("@cvpipe/functions/analytics")).handler as unknown as typeof analytics;
  reporter = (await import("@cvpipe/functions/reporter")).handler as unknown as typeof reporter;
});
test.after(async () => stack?.close());

const now = () => clockFromEnv(process.env).now();

test("the fixtures have the shapes their sources document", () => {
  const post = fixture<APIGatewayProxyEventV2WithJWTAuthorizer>("apigw/post-job.json");
  assert.is(post.version, "2.0");
  assert.is(post.routeKey, "POST /v1/jobs");
  assert.is(post.requestContext.authorizer.jwt.claims["sub"], "alice");
  assert.ok(post.requestContext.authorizer.jwt.scopes?.includes("cvpipe/jobs.write"));
  assert.equal(JSON.parse(post.body!), fixture("http/post-job.valid.json"), "the body is the documented request");
  for (const name of ["tailoring-jobs", "analytics-events"]) {
    const batch = fixture<SQSEvent>(`sqs/${name}.batch.json`);
    for (const r of batch.Records) {
      assert.ok(r.eventSourceARN.endsWith(`:${name}.fifo`));
      for (const key of ["MessageGroupId", "MessageDeduplicationId", "SequenceNumber", "ApproximateReceiveCount"])
        assert.type(r.attributes[key as keyof typeof r.attributes], "string", `${name} ${key}`);
    }
  }
  const scheduled = fixture<ScheduledEvent>("eventbridge/weekly-report.json");
  assert.is(scheduled["detail-type"], "Scheduled Event");
  assert.is(scheduled.source, "aws.events");
});

test("API Gateway v2 POST /v1/jobs → 202 ACCEPTED; GET /v1/jobs lists it for the token's user", async () => {
  const res = await ingress(fixture("apigw/post-job.json"), context("ingress"));
  assert.is(res.statusCode, 202, res.body);
  const body = JSON.parse(res.body);
  assert.is(body.code, "ACCEPTED");
  assert.is(body.data.status, "QUEUED");
  assert.is(res.headers?.["location"], `/v1/jobs/${body.data.jobId}`);

  const list = await ingress(fixture("apigw/list-jobs.json"), context("ingress"));
  assert.is(list.statusCode, 200, list.body);
  assert.equal(
    JSON.parse(list.body).data.items.map((j: { jobId: string; status: string }) => [j.jobId, j.status]),
    [[body.data.jobId, "QUEUED"]],
  );
  // The same list as another user (claims changed): nothing.
  const bob = fixture<APIGatewayProxyEventV2WithJWTAuthorizer>("apigw/list-jobs.json");
  bob.requestContext.authorizer.jwt.claims["sub"] = "bob";
  assert.equal(JSON.parse((await ingress(bob, context("ingress"))).body).data.items, []);
});

test("API Gateway v2 POST /v1/events → 202 with the three event ids", async () => {
  const res = await ingress(fixture("apigw/post-events.json"), context("ingress"));
  assert.is(res.statusCode, 202, res.body);
  assert.equal(JSON.parse(res.body).data, { accepted: 3, eventIds: ["evt-0001", "evt-0002", "evt-0003"] });
});

test("SQS tailoring-jobs batch → no batch item failures; both jobs SUCCEEDED once, a redelivery changes nothing", async () => {
  const batch = fixture<SQSEvent>("sqs/tailoring-jobs.batch.json");
  const jobs = new DynamoJobStore(createDocumentClient(), tables.jobs.name, { clock: { now }, indexes: jobIndexes });
  for (const r of batch.Records) {
    const m = TailoringJobMessage.parse(JSON.parse(r.body));
    const row: JobRecord = {
      tenantId: m.tenantId,
      jobId: m.jobId,
      userId: m.userId,
      userKey: userKey(m.tenantId, m.userId),
      status: "QUEUED",
      engine: "local",
      createdAt: m.submittedAt,
      updatedAt: m.submittedAt,
      expiresAt: expiresAt(now(), 30),
      requestHash: "fixture",
      attempts: 0,
      queuedShard: queuedShard(m.jobId),
    };
    assert.ok((await jobs.create(row)).created);
  }
  assert.equal(await tailor(batch, context("tailor")), { batchItemFailures: [] });
  for (const r of batch.Records) {
    const m = TailoringJobMessage.parse(JSON.parse(r.body));
    const job = await jobs.get(m.tenantId, m.jobId);
    assert.is(job?.status, "SUCCEEDED", JSON.stringify(job?.error));
    assert.is(job?.attempts, 1);
    assert.is(job?.result?.resume.basics?.name, "Dana Okafor");
  }
  const redelivered = fixture<SQSEvent>("sqs/tailoring-jobs.batch.json");
  for (const r of redelivered.Records) r.attributes.ApproximateReceiveCount = "2";
  assert.equal(await tailor(redelivered, context("tailor")), { batchItemFailures: [] });
  for (const r of batch.Records) {
    const m = TailoringJobMessage.parse(JSON.parse(r.body));
    assert.is((await jobs.get(m.tenantId, m.jobId))?.attempts, 1, "not run again");
  }
});

test("SQS analytics-events batch → no batch item failures; each event stored under its tenant", async () => {
  const batch = fixture<SQSEvent>("sqs/analytics-events.batch.json");
  assert.equal(await analytics(batch, context("analytics")), { batchItemFailures: [] });
  const db = createDocumentClient();
  for (const eventId of ["evt-0001", "evt-0002", "evt-0003"]) {
    const out = await db.send(new GetCommand({ TableName: tables.events.name, Key: { tenantId: "acme", eventId } }));
    assert.is(
      out.Item?.["type"],
      fixture("http/post-events.valid.json").events.find((e: { eventId: string }) => e.eventId === eventId).type,
    );
  }
  assert.equal(await analytics(batch, context("analytics")), { batchItemFailures: [] }, "a redelivery is harmless");
});

test("EventBridge Scheduled Event → the report of the week before is sent once", async () => {
  const event = fixture<ScheduledEvent>("eventbridge/weekly-report.json");
  const first = await reporter(event, context("reporter"));
  assert.is(first.status, "sent", JSON.stringify(first));
  assert.is(first.week, "2026-W47");
  const again = await reporter(fixture("eventbridge/weekly-report.json"), context("reporter"));
  assert.is(again.status, "skipped", JSON.stringify(again));
  assert.is((await stack.sentEmails()).length, 1);
});

test.run();
