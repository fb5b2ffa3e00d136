import { ListObjectsV2Command } from "@aws-sdk/client-s3";
import { SendMessageCommand } from "@aws-sdk/client-sqs";
import { GetCommand, QueryCommand } from "@aws-sdk/lib-dynamodb";
import { DynamoAggregateStore } from "@cvpipe/aws/analytics/dynamo-aggregate-store";
import { createDocumentClient, createS3Client, createSqsClient } from "@cvpipe/aws/clients";
import { peekDlq, redriveDlq } from "@cvpipe/aws/dlq";
import { mergeAggregates } from "@cvpipe/core/analytics/aggregate";
import { isoWeekOf } from "@cvpipe/core/analytics/iso-week";
import type { TailoringJobMessage } from "@cvpipe/core/contracts/tailoring-job-message";
import { systemClock } from "@cvpipe/core/ports/clock";
import { tables } from "@cvpipe/core/topology";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { fixture } from "./support/fixtures.ts";
import { isJobMessage, queueDepth, waitForJobInDlq } from "./support/queues.ts";
import { startTestStack, type TestStack, until } from "./support/stack.ts";

const body = fixture("http/post-job.valid.json");
let stack: TestStack;

test.before(async () => {
  stack = await startTestStack({
    visibilityTimeoutSeconds: { tailoringJobs: 3 },
    // Nine throttled answers, then good ones: three deliveries x three engine attempts run out.
    env: { BEDROCK_MODEL_ID: "local.cvpipe-scenario-throttled-9", INLINE_RESULT_LIMIT_BYTES: "20000" },
  });
});
test.after(async () => stack?.close());

const outcomeEvents = async (tenant: string, jobId: string) => {
  const out = await createDocumentClient().send(
    new QueryCommand({
      TableName: tables.events.name,
      KeyConditionExpression: "tenantId = :t AND eventId = :e",
      ExpressionAttributeValues: { ":t": tenant, ":e": `tailoring-outcome-${jobId}-1` },
    }),
  );
  return out.Items ?? [];
};

test("redelivering a finished job's message produces no second result and no second outcome", async () => {
  const res = await stack.api.request("POST", "/v1/jobs", { body, tenant: "idem" });
  const jobId = res.body.data.jobId;
  const done = await stack.api.waitForJob(jobId, { tenant: "idem" });
  assert.is(done.status, "SUCCEEDED");

  // The same job arrives again with a fresh messageId — as after a Lambda retry or a redrive.
  const message: TailoringJobMessage = {
    schema: "tailoring-job.v1",
    jobId,
    tenantId: "idem",
    userId: "alice",
    submittedAt: done.createdAt,
    input: { inline: { cv: body.cv, posting: body.job, options: {} } },
  };
  await createSqsClient().send(
    new SendMessageCommand({
      QueueUrl: stack.info.queues.tailoringJobs.url,
      MessageBody: JSON.stringify(message),
      MessageGroupId: "idem#alice",
      MessageDeduplicationId: "replay-1",
    }),
  );
  await new Promise((r) => setTimeout(r, 300));
  await until("queue drained", async () =>
    (await queueDepth(createSqsClient(), stack.info.queues.tailoringJobs.url)) === 0 ? true : undefined,
  );
  const again = await stack.api.waitForJob(jobId, { tenant: "idem" });
  assert.is(again.attempts, 1, "never started again");
  assert.is(again.finishedAt, done.finishedAt, "the result was not rewritten");
  await until("outcome stored", async () => ((await outcomeEvents("idem", jobId)).length === 1 ? true : undefined));
  assert.is((await outcomeEvents("idem", jobId)).length, 1);
});

test("a poison message reaches the DLQ after maxReceiveCount; other groups carry on", async () => {
  const sqs = createSqsClient();
  await sqs.send(
    new SendMessageCommand({
      QueueUrl: stack.info.queues.tailoringJobs.url,
      MessageBody: JSON.stringify({ schema: "tailoring-job.v9", jobId: "x" }),
      MessageGroupId: "poison#p",
      MessageDeduplicationId: "poison-1",
    }),
  );
  const res = await stack.api.request("POST", "/v1/jobs", { body, tenant: "healthy" });
  const job = await stack.api.waitForJob(res.body.data.jobId, { tenant: "healthy" });
  assert.is(job.status, "SUCCEEDED", "another group is not blocked by the poison message");

  const dead = await until(
    "poison in the DLQ",
    async () => {
      const messages = await peekDlq(sqs, stack.info.queues.tailoringJobs.dlqUrl);
      return messages.find((m) => m.groupId === "poison#p");
    },
    30_000,
  );
  assert.is(dead.receiveCount >= 1, true);
  assert.equal(dead.json, { schema: "tailoring-job.v9", jobId: "x" }, "body kept as sent");
  assert.ok(
    stack.lines.some((l) => l.includes("tailor: batch")),
    "failures were logged by the poller",
  );
});

test("poison skips the visibility timeout: it reaches the DLQ in seconds, not maxReceiveCount x 180 s", async () => {
  const sqs = createSqsClient();
  const q = stack.info.queues.analyticsEvents; // production visibility timeout (180 s) in this stack
  await sqs.send(
    new SendMessageCommand({
      QueueUrl: q.url,
      MessageBody: "not json at all",
      MessageGroupId: "poison#a",
      MessageDeduplicationId: "poison-a",
    }),
  );
  const dead = await until(
    "poison in the analytics DLQ",
    async () => (await peekDlq(sqs, q.dlqUrl)).find((m) => m.groupId === "poison#a"),
    20_000,
  );
  assert.is(dead.body, "not json at all");
});

test("a job that exhausted its attempts on throttling completes once after a DLQ redrive", async () => {
  const res = await stack.api.request("POST", "/v1/jobs", {
    body: { ...body, options: { engine: "bedrock" } },
    tenant: "throttle",
  });
  const jobId: string = res.body.data.jobId;
  const failed = await stack.api.waitForJob(jobId, { tenant: "throttle", timeoutMs: 40_000 });
  assert.is(failed.status, "FAILED");
  assert.is(failed.error.code, "ENGINE_UNAVAILABLE");
  assert.is(failed.error.retryable, true);
  assert.is(failed.attempts, 3);

  const sqs = createSqsClient();
  const q = stack.info.queues.tailoringJobs;
  await waitForJobInDlq(sqs, q.dlqUrl, jobId);
  const report = await redriveDlq(sqs, {
    sourceUrl: q.url,
    sourceArn: q.arn,
    dlqUrl: q.dlqUrl,
    dlqArn: q.dlqArn,
    filter: isJobMessage(jobId),
  });
  assert.is(report.method, "send-then-delete", "fauxqs has no move tasks");
  assert.is(report.moved.length, 1);
  assert.ok(report.skipped.length >= 1, "the poison message was left alone");

  const done = await until(
    "redriven job done",
    async () => {
      const r = await stack.api.request("GET", `/v1/jobs/${jobId}`, { tenant: "throttle" });
      return r.body.data.status === "SUCCEEDED" ? r.body.data : undefined;
    },
    30_000,
  );
  assert.is(done.attempts, 4);
  assert.is(done.error, undefined, "the earlier failure is cleared");
  assert.ok(done.usage.inputTokens > 0);

  // The week's figures show the job's final outcome once: succeeded, with its tokens — the
  // failure that preceded the redrive is taken back.
  const weeks = [...new Set([isoWeekOf(new Date(failed.finishedAt)), isoWeekOf(new Date(done.finishedAt))])];
  const store = new DynamoAggregateStore(createDocumentClient(), {
    tableName: tables.aggregates.name,
    clock: systemClock,
  });
  const counted = async () => {
    const merged = await Promise.all(weeks.map(async (w) => mergeAggregates(w, await store.readWeek(w))));
    const sum = (f: (a: (typeof merged)[number]) => number | undefined) => merged.reduce((n, a) => n + (f(a) ?? 0), 0);
    return {
      jobs: sum((a) => a.jobsByTenant["throttle"]),
      succeeded: sum((a) => a.byOutcome["succeeded"]),
      failed: sum((a) => a.byOutcome["failed"]),
      engineUnavailable: sum((a) => a.byErrorCode["ENGINE_UNAVAILABLE"]),
      inputTokens: sum((a) => a.tokens.input),
    };
  };
  const figures = await until(
    "the success folded",
    async () => {
      const c = await counted();
      return c.succeeded > 0 && c.failed === 0 ? c : undefined;
    },
    20_000,
  ).catch(async () => counted());
  assert.is(figures.jobs, 1, `the job counts once: ${JSON.stringify(figures)}`);
  assert.is(figures.failed, 0, "the superseded failure is retracted");
  assert.is(figures.engineUnavailable, 0);
  assert.ok(figures.succeeded >= 1);
  assert.ok(figures.inputTokens >= done.usage.inputTokens, "the success's tokens are counted");
});

test("large requests travel by claim check and large results are stored in S3; the API reads both back", async () => {
  // ~260 KB of CV: over the inline message limit (200 KB), under the API's 1 MiB.
  const padding = Array.from({ length: 120 }, (_, i) => ({
    name: `Contract client ${i + 1}`,
    position: "Consultant",
    startDate: "2015-01",
    endDate: "2015-12",
    highlights: Array.from(
      { length: 6 },
      (_, j) =>
        `Delivered engagement ${i + 1}.${j + 1} for the client, covering ${"requirements analysis and delivery planning ".repeat(6)}`,
    ),
  }));
  const big = { ...body, cv: { ...body.cv, work: [...body.cv.work, ...padding] } };
  assert.ok(Buffer.byteLength(JSON.stringify(big)) > 200_000);
  const res = await stack.api.request("POST", "/v1/jobs", { body: big, tenant: "bigco" });
  assert.is(res.status, 202);
  const jobId = res.body.data.jobId;
  const job = await stack.api.waitForJob(jobId, { tenant: "bigco", timeoutMs: 30_000 });
  assert.is(job.status, "SUCCEEDED", JSON.stringify(job.error));
  assert.is(job.result.resume.basics.name, "Dana Okafor");

  const s3 = createS3Client();
  const objects = await s3.send(new ListObjectsV2Command({ Bucket: stack.info.bucket }));
  const keys = (objects.Contents ?? []).map((o) => o.Key);
  assert.ok(keys.includes(`requests/bigco/${jobId}.json`), `claim-checked request in ${keys.join(", ")}`);
  assert.ok(keys.includes(`results/bigco/${jobId}/attempt-1.json`), "result stored in S3, under its attempt");
  const item = await createDocumentClient().send(
    new GetCommand({ TableName: tables.jobs.name, Key: { tenantId: "bigco", jobId } }),
  );
  assert.is(item.Item?.["result"], undefined, "the job item holds a pointer, not the result");
  assert.is(item.Item?.["resultBlob"].key, `results/bigco/${jobId}/attempt-1.json`);
});

test.run();
