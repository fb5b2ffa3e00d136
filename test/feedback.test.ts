/**
 * Relevance feedback through the gateway: the job's owner rates a SUCCEEDED job; others get the
 * 404 of a missing job; the tenant's analysts (role claim) read it with GET /v1/feedback, nobody
 * else; the weekly figures count it exactly once, also when the same analytics message is
 * delivered again — and the week's report shows the count, mean rating and distribution.
 */
import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { SendMessageCommand } from "@aws-sdk/client-sqs";
import { createDocumentClient, createSqsClient } from "@cvpipe/aws/clients";
import { isoWeekOf } from "@cvpipe/core/analytics/iso-week";
import { clockFromEnv } from "@cvpipe/core/ports/clock";
import { api, tables } from "@cvpipe/core/topology";
import { mintToken } from "@cvpipe/local/jwt-keys";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { fixture } from "./support/fixtures.ts";
import { repoRoot, startTestStack, type TestStack, tempDataDir, until } from "./support/stack.ts";
import { weekFigures } from "./support/week-figures.ts";

const run = promisify(execFile);
const START = new Date("2026-11-18T10:00:00Z");
const week = isoWeekOf(START);
let stack: TestStack;
let jobId: string;
test.before(async () => {
  stack = await startTestStack({ clockStart: START });
  const res = await stack.api.request("POST", "/v1/jobs", { body: fixture("http/post-job.valid.json") });
  jobId = res.body.data.jobId;
  assert.is((await stack.api.waitForJob(jobId)).status, "SUCCEEDED");
});
test.after(async () => stack?.close());

const analystToken = (roles: unknown) =>
  mintToken(stack.keys, {
    tenantId: "acme",
    userId: "ana",
    scopes: ["cvpipe/feedback.read"],
    now: clockFromEnv(process.env).now(),
    extraClaims: { [api.roleClaim]: roles },
  });
const weekFeedback = async () => (await weekFigures(week, START)).feedback;

test("the owner rates a finished job: 201; it is folded once, also when its message is delivered again", async () => {
  const job = await stack.api.request("GET", `/v1/jobs/${jobId}`);
  const highlight = job.body.data.result.resume.work[0].highlights ? "work[0].highlights[0]" : "basics.summary";
  const res = await stack.api.request("POST", `/v1/jobs/${jobId}/feedback`, {
    body: { rating: 4, helpful: [highlight], comment: "the AWS highlights were spot on" },
  });
  assert.is(res.status, 201, JSON.stringify(res.body));
  assert.is(res.body.code, "CREATED");
  assert.is(res.body.data.rating, 4);
  await until("feedback folded", async () => ((await weekFeedback()).count === 1 ? true : undefined));

  // The same analytics message again (a redelivery past SQS's dedup window): still one.
  const item = (
    await createDocumentClient().send(
      new (
        await import("@aws-sdk/lib-dynamodb")
      ).ScanCommand({ TableName: tables.events.name }),
    )
  ).Items!.find((i) => String(i["eventId"]).startsWith("tailoring-feedback-"));
  assert.ok(item, "the feedback event is stored once in the events table");
  const again = {
    schema: "analytics-event.v1",
    tenantId: "acme",
    userId: "alice",
    source: "producer",
    receivedAt: res.body.data.receivedAt,
    event: {
      eventId: item!["eventId"],
      type: "tailoring.feedback",
      occurredAt: res.body.data.receivedAt,
      jobId,
      rating: 4,
    },
  };
  await createSqsClient().send(
    new SendMessageCommand({
      QueueUrl: stack.info.queues.analyticsEvents.url,
      MessageBody: JSON.stringify(again),
      MessageGroupId: "acme#alice",
      MessageDeduplicationId: "redelivered-feedback",
    }),
  );
  const second = await stack.api.request("POST", `/v1/jobs/${jobId}/feedback`, { body: { rating: 2 } });
  assert.is(second.status, 201);
  const figures = await until("second feedback folded", async () => {
    const f = await weekFeedback();
    return f.count === 2 ? f : undefined;
  });
  assert.equal(figures, { count: 2, ratingSum: 6, byRating: { "1": 0, "2": 1, "3": 0, "4": 1, "5": 0 } });

  const out = await run(
    process.execPath,
    [join(repoRoot, "packages/cli/src/cvpipe.ts"), "report", "preview", "--week", week, "--out", tempDataDir()],
    { env: { ...process.env, CVPIPE_DATA_DIR: stack.info.dataDir } },
  );
  const text = readFileSync(/html: (\S+)/.exec(out.stdout)![1]!.replace(/\.html$/, ".txt"), "utf8");
  assert.match(text, /Relevance feedback\s+2\b/);
  assert.match(text, /Mean rating \(1-5\)\s+3\.00/);
  assert.match(text, /4 of 5/);
});

test("only the owner rates, only a SUCCEEDED job, with a rating 1-5 and paths that exist", async () => {
  const post = (body: unknown, init: { user?: string } = {}) =>
    stack.api.request("POST", `/v1/jobs/${jobId}/feedback`, { body, ...init });
  assert.is((await post({ rating: 5 }, { user: "bob" })).status, 404, "someone else's job is not there");
  const bad = await post({ rating: 6, helpful: ["no such path!"], extra: 1 });
  assert.is(bad.status, 400);
  const paths = bad.body.details.map((d: { path: string }) => d.path).sort();
  assert.equal(paths, ["body", "body.helpful[0]", "body.rating"]);
  const missing = await post({ rating: 3, helpful: ["work[99].highlights[0]"] });
  assert.is(missing.body.details[0].path, "body.helpful[0]");
  assert.is(missing.body.details[0].rule, "exists");
});

test("GET /v1/feedback: the tenant's analysts only", async () => {
  const producer = await stack.api.request("GET", "/v1/feedback");
  assert.is(producer.status, 403, "a producer token has no feedback.read scope");
  const noRole = await stack.api.request("GET", "/v1/feedback", { token: await analystToken("viewer") });
  assert.is(noRole.status, 403);
  assert.is(noRole.body.code, "FORBIDDEN");
  assert.match(noRole.body.error, /analyst/);
  const analyst = await stack.api.request("GET", `/v1/feedback?since=${encodeURIComponent(START.toISOString())}`, {
    token: await analystToken(["analyst"]),
  });
  assert.is(analyst.status, 200, JSON.stringify(analyst.body));
  assert.equal(analyst.body.data.items.map((f: { rating: number }) => f.rating).sort(), [2, 4]);
  assert.is(
    analyst.body.data.items.find((f: { rating: number }) => f.rating === 4).comment,
    "the AWS highlights were spot on",
  );
  const later = await stack.api.request("GET", "/v1/feedback?since=2030-01-01T00:00:00Z", {
    token: await analystToken("analyst reporter"),
  });
  assert.equal(later.body.data.items, []);
  const other = await stack.api.request("GET", "/v1/feedback", {
    token: await mintToken(stack.keys, {
      tenantId: "globex",
      userId: "ana",
      scopes: ["cvpipe/feedback.read"],
      now: clockFromEnv(process.env).now(),
      extraClaims: { [api.roleClaim]: ["analyst"] },
    }),
  });
  assert.equal(other.body.data.items, [], "another tenant's analyst sees none of it");
});

test.run();
