/**
 * The stuck-job sweep on the embedded stack: a job whose message never reached
 * the queue (the ingress died between writing it and sending) is closed as
 * FAILED NOT_STARTED; a job that is merely waiting is left alone; and if the
 * message turns up after all, the job still runs and counts once.
 */

import { SendMessageCommand } from "@aws-sdk/client-sqs";
import { PutCommand } from "@aws-sdk/lib-dynamodb";
import { DynamoAggregateStore } from "@cvpipe/aws/analytics/dynamo-aggregate-store";
import { createDocumentClient, createSqsClient } from "@cvpipe/aws/clients";
import { mergeAggregates } from "@cvpipe/core/analytics/aggregate";
import { messageBody } from "@cvpipe/core/contracts/message-envelope";
import type { TailoringJobMessage } from "@cvpipe/core/contracts/tailoring-job-message";
import { type JobRecord, queuedShard, userKey } from "@cvpipe/core/jobs/job-record";
import { systemClock } from "@cvpipe/core/ports/clock";
import { tables } from "@cvpipe/core/topology";
import { expiresAt } from "@cvpipe/core/ttl";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { fixture } from "./support/fixtures.ts";
import { startTestStack, type TestStack, until } from "./support/stack.ts";

const body = fixture("http/post-job.valid.json");
const START = new Date("2026-11-18T10:00:00Z"); // a Wednesday of 2026-W47
let stack: TestStack;

test.before(async () => {
  stack = await startTestStack({ clockStart: START });
});
test.after(async () => stack?.close());

/** The row the ingress writes before it sends the message — and nothing else, as if it died there. */
const orphan = async (jobId: string, createdAt: string): Promise<void> => {
  const record: JobRecord = {
    tenantId: "sweep",
    jobId,
    userId: "alice",
    userKey: userKey("sweep", "alice"),
    status: "QUEUED",
    engine: "local",
    createdAt,
    updatedAt: createdAt,
    expiresAt: expiresAt(START, 30),
    requestHash: "0".repeat(64),
    attempts: 0,
    queuedShard: queuedShard(jobId),
  };
  await createDocumentClient().send(new PutCommand({ TableName: tables.jobs.name, Item: record }));
};

test("a job never enqueued is failed NOT_STARTED; a young one is left alone; a late message still runs it, counted once", async () => {
  await orphan("0a1d0000-0000-4000-8000-000000000001", "2026-11-18T07:00:00.000Z"); // 3 h before "now": past the 2 h bound
  await orphan("0a1d0000-0000-4000-8000-000000000002", "2026-11-18T09:30:00.000Z"); // 30 min: may still be on its way

  const result = (await stack.schedulers.jobSweep.trigger()) as { examined: number; failed: number };
  assert.equal(result, { examined: 1, failed: 1, published: 1 });

  const old = await stack.api.request("GET", "/v1/jobs/0a1d0000-0000-4000-8000-000000000001", { tenant: "sweep" });

  assert.is(old.body.data.status, "FAILED");
  assert.is(old.body.data.error.code, "NOT_STARTED");
  assert.match(old.body.data.error.message, /submit it again/);
  const young = await stack.api.request("GET", "/v1/jobs/0a1d0000-0000-4000-8000-000000000002", { tenant: "sweep" });
  assert.is(young.body.data.status, "QUEUED");

  // A second sweep finds nothing new: the failed job left the sparse index.
  assert.equal(await stack.schedulers.jobSweep.trigger(), { examined: 0, failed: 0, published: 0 });

  // The message existed after all (a long backlog): the worker takes the job over and finishes it.
  const message: TailoringJobMessage = {
    schema: "tailoring-job.v1",
    jobId: "0a1d0000-0000-4000-8000-000000000001",
    tenantId: "sweep",
    userId: "alice",
    submittedAt: "2026-11-18T07:00:00.000Z",
    input: { inline: { cv: body.cv, posting: body.job, options: {} } },
  };
  await createSqsClient().send(
    new SendMessageCommand({
      QueueUrl: stack.info.queues.tailoringJobs.url,
      MessageBody: messageBody(message),
      MessageGroupId: "sweep#alice",
      MessageDeduplicationId: "0a1d0000-0000-4000-8000-000000000001",
    }),
  );
  const done = await until("the late job done", async () => {
    const r = await stack.api.request("GET", "/v1/jobs/0a1d0000-0000-4000-8000-000000000001", { tenant: "sweep" });
    return r.body.data.status === "SUCCEEDED" ? r.body.data : undefined;
  });
  assert.is(done.error, undefined);

  // The week counts the job once, as what it finally was.
  const store = new DynamoAggregateStore(createDocumentClient(), {
    tableName: tables.aggregates.name,
    clock: systemClock,
  });
  const week = await until("outcome folded", async () => {
    const w = mergeAggregates("2026-W47", await store.readWeek("2026-W47"));
    return (w.jobsByTenant["sweep"] ?? 0) === 1 && w.byOutcome["succeeded"] === 1 ? w : undefined;
  }).catch(async () => mergeAggregates("2026-W47", await store.readWeek("2026-W47")));
  assert.is(week.jobsByTenant["sweep"], 1, JSON.stringify(week.byOutcome));
  assert.equal(week.byOutcome, { succeeded: 1 });
  assert.equal(week.byErrorCode, {});
});

test.run();
