import { test } from "uvu";
import * as assert from "uvu/assert";
import { fixture } from "./support/fixtures.ts";
import { startTestStack, type TestStack } from "./support/stack.ts";

const body = fixture("http/post-job.valid.json");
let stack: TestStack;

test.before(async () => {
  stack = await startTestStack({ env: { BEDROCK_MODEL_ID: "local.cvpipe-scenario-hallucinating" } });
});
test.after(async () => stack?.close());

test("a hallucinated employer and an inflated metric fail the job with the offending text", async () => {
  const res = await stack.api.request("POST", "/v1/jobs", { body: { ...body, options: { engine: "bedrock" } } });
  assert.is(res.status, 202);
  const job = await stack.api.waitForJob(res.body.data.jobId);
  assert.is(job.status, "FAILED");
  assert.is(job.error.code, "UNGROUNDED_CLAIM");
  assert.is(job.result, undefined, "nothing of the answer is stored");
  const texts = (job.error.details as Array<{ path: string; text: string }>).map((v) => v.text);
  assert.ok(texts.includes("Globex Corporation"), texts.join(" | "));
  assert.ok(job.error.retryable !== true, "not retried: the same model would invent again");
  assert.is(job.attempts, 1);
});

test("the local engine on the same stack is unaffected", async () => {
  const res = await stack.api.request("POST", "/v1/jobs", { body });
  const job = await stack.api.waitForJob(res.body.data.jobId);
  assert.is(job.status, "SUCCEEDED");
});

test.run();
