/**
 * Issue 9 item 3: no answer grows past Lambda's 6 MB response limit because of
 * what a caller sent. The two inputs, through the embedded stack's
 * HTTP API: a 1 MiB array of invalid work entries (400 with every issue), and
 * a 1.0 MB CV of `&` characters whose result HTML-escapes to 11 MB.
 */
import { api } from "@cvpipe/core/topology";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { checkedFetch } from "./support/answer-contract.ts";
import { fixture } from "./support/fixtures.ts";
import { startTestStack, type TestStack } from "./support/stack.ts";

let stack: TestStack;

/** Lambda's limit on a synchronous invocation's response payload. */
const LAMBDA_RESPONSE_LIMIT = 6 * 1024 * 1024;
/**
 * What the body weighs inside the Lambda response payload: the proxy result
 * carries it as a JSON string, so quotes and backslashes are escaped once more.
 */
const payloadBytes = (text: string): number => Buffer.byteLength(JSON.stringify(text));

test.before(async () => {
  stack = await startTestStack();
});
test.after(async () => stack?.close());

const rawRequest = async (method: string, path: string, body?: string) => {
  const res = await checkedFetch(`${stack.info.apiUrl}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${await stack.api.token("bounds", "ann")}`,
      ...(body === undefined ? {} : { "content-type": "application/json" }),
    },
    ...(body === undefined ? {} : { body }),
  });
  return { status: res.status, text: await res.text() };
};

test('a 1 MiB {"cv":{"work":[1,1,…]}} answers a small 400: the first 100 issues and their total', async () => {
  const head = '{"cv":{"work":[';
  const tail = "]}}";
  const count = Math.floor((api.maxBodyBytes - head.length - tail.length + 1) / 2);
  const body = `${head}${Array.from({ length: count }, () => "1").join(",")}${tail}`;
  assert.ok(Buffer.byteLength(body) <= api.maxBodyBytes && Buffer.byteLength(body) > api.maxBodyBytes - 2);

  const res = await rawRequest("POST", "/v1/jobs", body);
  assert.is(res.status, 400);
  assert.ok(Buffer.byteLength(res.text) < 64 * 1024, `${Buffer.byteLength(res.text)} bytes`);
  const parsed = JSON.parse(res.text);
  assert.is(parsed.code, "VALIDATION_ERROR");
  assert.is(parsed.details.length, 100);
  assert.ok(parsed.detailsTotal > count, `${parsed.detailsTotal} issues in total (one per entry at least)`);
  assert.is(parsed.details[0].path.startsWith("body."), true);
});

test("a 1.0 MB CV of & characters: GET /v1/jobs/{id} stays under the limit and links the full result", async () => {
  const amp = "&".repeat(20_000);
  const cv = {
    basics: { name: "Amp", summary: amp },
    work: Array.from({ length: 50 }, (_, i) => ({ name: `Co ${i}`, position: "Engineer", summary: amp })),
  };
  const request = JSON.stringify({ cv, job: fixture("http/post-job.valid.json").job });
  assert.ok(Buffer.byteLength(request) > 1_000_000 && Buffer.byteLength(request) <= api.maxBodyBytes);

  const posted = await rawRequest("POST", "/v1/jobs", request);
  assert.is(posted.status, 202, posted.text.slice(0, 300));
  const jobId: string = JSON.parse(posted.text).data.jobId;
  const done = await stack.api.waitForJob(jobId, { tenant: "bounds", user: "ann", timeoutMs: 60_000 });
  assert.is(done.status, "SUCCEEDED", JSON.stringify(done.error));

  const res = await rawRequest("GET", `/v1/jobs/${jobId}`);
  assert.is(res.status, 200);
  assert.ok(payloadBytes(res.text) < 5_100_000, `${payloadBytes(res.text)} bytes in the Lambda payload`);
  assert.ok(payloadBytes(res.text) < LAMBDA_RESPONSE_LIMIT);
  const job = JSON.parse(res.text).data;
  assert.is(job.status, "SUCCEEDED");
  assert.is(job.result, undefined, "too large to travel inline");
  assert.ok(job.resultTooLarge.bytes > job.resultTooLarge.limitBytes, JSON.stringify(job.resultTooLarge));
  assert.ok(
    Date.parse(job.resultTooLarge.linkExpiresAt) > Date.parse(job.finishedAt),
    "the link has a stated expiry, after the job finished",
  );
  assert.type(job.links.result, "string");

  // The link is a presigned GET of the stored result: no token, the whole result.
  const linked = await fetch(job.links.result);
  assert.is(linked.status, 200);
  const full = JSON.parse(await linked.text());
  assert.is(full.resume.basics.name, "Amp");
  assert.ok(full.html.includes("&amp;&amp;"), "the escaped HTML is all there");
  assert.is(Buffer.byteLength(JSON.stringify(full)), job.resultTooLarge.bytes);
});

test("a result that fits is still answered inline, without a link", async () => {
  const posted = await stack.api.request("POST", "/v1/jobs", {
    body: fixture("http/post-job.valid.json"),
    tenant: "bounds",
    user: "ann",
  });
  const done = await stack.api.waitForJob(posted.body.data.jobId, { tenant: "bounds", user: "ann" });
  assert.is(done.status, "SUCCEEDED");
  assert.type(done.result.markdown, "string");
  assert.is(done.links.result, undefined);
  assert.is(done.resultTooLarge, undefined);
});

test.run();
