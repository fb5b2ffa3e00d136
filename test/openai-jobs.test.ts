/**
 * The openai engine end to end, as a producer uses it: jobs with
 * `options.engine: "openai"` through the API on the embedded stack (and on
 * moto), against a Chat Completions stand-in this test starts and names in
 * OPENAI_BASE_URL — so the stack starts none of its own, and every request the
 * engine sends is in `server.requests`. One stack, one model: each job picks
 * its scenario by `cvpipe-scenario-<name>` in its posting's title.
 */
import { createSqsClient } from "@cvpipe/aws/clients";
import { type OpenAiServer, startOpenAiServer } from "@cvpipe/local/openai-server";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { fixture } from "./support/fixtures.ts";
import { waitForJobInDlq } from "./support/queues.ts";
import { startTestStack, type TestStack } from "./support/stack.ts";

const body = fixture("http/post-job.valid.json");
let stack: TestStack;
let server: OpenAiServer;

/** The fixture's job for the openai engine, its title naming a stand-in scenario when given. */
const job = (scenario?: string) => ({
  ...body,
  job: { ...body.job, ...(scenario ? { title: `${body.job.title} cvpipe-scenario-${scenario}` } : {}) },
  options: { engine: "openai" },
});

/** The requests the stand-in got for one job: its title's scenario marker is in the prompt. */
const requestsFor = (scenario: string) =>
  server.requests.filter((r) => JSON.stringify(r.body).includes(`cvpipe-scenario-${scenario}`));

test.before(async () => {
  // No wait on throttling: the engine honours Retry-After, and 0 keeps the test quick.
  server = await startOpenAiServer({ apiKey: "sk-local-test", retryAfter: "0" });
  stack = await startTestStack({
    visibilityTimeoutSeconds: { tailoringJobs: 2 },
    env: {
      OPENAI_BASE_URL: `${server.url}/v1`,
      OPENAI_MODEL: "llama3.1:8b",
      OPENAI_API_KEY: "sk-local-test",
    },
  });
});
test.after(async () => {
  await stack.close();
  await server.close();
});

test("the stack uses the configured server and starts no stand-in of its own", () => {
  assert.equal(stack.info.openai, { source: "configured", baseUrl: `${server.url}/v1`, model: "llama3.1:8b" });
  assert.ok(
    stack.lines.includes(`openai: user-configured (OPENAI_BASE_URL) ${server.url}/v1, no stand-in`),
    stack.lines.join("\n"),
  );
});

test("good: SUCCEEDED with the model, token usage, a passed verification; the key and json_schema were sent", async () => {
  const res = await stack.api.request("POST", "/v1/jobs", { body: job() });
  assert.is(res.status, 202, JSON.stringify(res.body));
  const done = await stack.api.waitForJob(res.body.data.jobId);
  assert.is(done.status, "SUCCEEDED", JSON.stringify(done.error));
  assert.is(done.engine, "openai");
  assert.is(done.result.modelId, "llama3.1:8b");
  assert.ok(done.result.verification.passed);
  assert.ok(done.usage.inputTokens > 0 && done.usage.outputTokens > 0, JSON.stringify(done.usage));
  assert.is(done.usage.totalTokens, done.usage.inputTokens + done.usage.outputTokens);
  assert.is(done.result.resume.basics.name, body.cv.basics.name);
  const sent = server.requests.filter((r) => r.status === 200);
  assert.is(sent.length, 1);
  assert.is(sent[0]!.authorization, "Bearer sk-local-test");
  assert.is(sent[0]!.mode, "json_schema");
  assert.is((sent[0]!.body as { model: string }).model, "llama3.1:8b");
});

test("hallucinating: FAILED with UNGROUNDED_CLAIM naming the invented employer, nothing stored, not retried", async () => {
  const res = await stack.api.request("POST", "/v1/jobs", { body: job("hallucinating") });
  const done = await stack.api.waitForJob(res.body.data.jobId);
  assert.is(done.status, "FAILED");
  assert.is(done.error.code, "UNGROUNDED_CLAIM");
  assert.is(done.result, undefined);
  const texts = (done.error.details as { text: string }[]).map((v) => v.text);
  assert.ok(texts.includes("Globex Corporation"), texts.join(" | "));
  assert.ok(done.error.retryable !== true);
  assert.is(done.attempts, 1);
  assert.is(requestsFor("hallucinating").length, 1);
});

test("throttled twice (429, Retry-After: 0): the engine retries within the attempt and the job SUCCEEDS", async () => {
  const res = await stack.api.request("POST", "/v1/jobs", { body: job("throttled-2") });
  const done = await stack.api.waitForJob(res.body.data.jobId);
  assert.is(done.status, "SUCCEEDED", JSON.stringify(done.error));
  assert.is(done.attempts, 1);
  assert.equal(
    requestsFor("throttled-2").map((r) => r.status),
    [429, 429, 200],
  );
});

test("malformed: FAILED with ENGINE_OUTPUT_INVALID after asking once more", async () => {
  const res = await stack.api.request("POST", "/v1/jobs", { body: job("malformed") });
  const done = await stack.api.waitForJob(res.body.data.jobId);
  assert.is(done.status, "FAILED");
  assert.is(done.error.code, "ENGINE_OUTPUT_INVALID");
  assert.is(requestsFor("malformed").length, 2);
});

test("unavailable: retried by the engine and by the queue, then FAILED (ENGINE_UNAVAILABLE, retryable) and in the DLQ", async () => {
  const res = await stack.api.request("POST", "/v1/jobs", { body: job("unavailable"), tenant: "outage" });
  const jobId: string = res.body.data.jobId;
  const done = await stack.api.waitForJob(jobId, { tenant: "outage", timeoutMs: 40_000 });
  assert.is(done.status, "FAILED");
  assert.is(done.error.code, "ENGINE_UNAVAILABLE");
  assert.is(done.error.retryable, true);
  assert.is(done.attempts, 3, "maxReceiveCount deliveries");
  const statuses = requestsFor("unavailable").map((r) => r.status);
  assert.equal(statuses, Array(9).fill(503), "three calls per delivery");
  // Never lost: the message waits in the DLQ for a redrive once the server is back.
  await waitForJobInDlq(createSqsClient(), stack.info.queues.tailoringJobs.dlqUrl, jobId, 20_000);
});

test.run();
