/**
 * `Prefer: wait=N` on POST /v1/jobs (RFC 7240) through the gateway: a job that finishes within N
 * seconds is answered 200 with the finished job and `Preference-Applied`; one that cannot (its
 * worker stopped) is the 202 it is without the header, and the job is still taken.
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { fixture } from "./support/fixtures.ts";
import { startTestStack, type TestStack } from "./support/stack.ts";

let stack: TestStack;
test.before(async () => {
  stack = await startTestStack({ clockStart: new Date("2026-11-18T10:00:00Z") });
});
test.after(async () => stack?.close());

const body = fixture("http/post-job.valid.json");

test("a job that finishes within the wait: 200 with the finished job, Preference-Applied", async () => {
  const res = await stack.api.request("POST", "/v1/jobs", { body, headers: { prefer: "wait=20" } });
  assert.is(res.status, 200, JSON.stringify(res.body));
  assert.is(res.body.code, "OK");
  assert.is(res.headers.get("preference-applied"), "wait=20");
  assert.is(res.body.data.status, "SUCCEEDED");
  assert.is(res.body.data.result.resume.basics.name, "Dana Okafor");
  assert.is(res.headers.get("location"), `/v1/jobs/${res.body.data.jobId}`);
  // The same as GET shows it.
  const got = await stack.api.request("GET", `/v1/jobs/${res.body.data.jobId}`);
  assert.equal(res.body.data, got.body.data);
});

test("a job that cannot finish in time: 202 as without the header; it completes later", async () => {
  await stack.pollers.tailoringJobs!.stop();
  try {
    const res = await stack.api.request("POST", "/v1/jobs", {
      body,
      headers: { prefer: "respond-async, wait=1" },
      user: "waiting",
    });
    assert.is(res.status, 202, JSON.stringify(res.body));
    assert.is(res.body.code, "ACCEPTED");
    assert.is(res.headers.get("preference-applied"), null);
    stack.pollers.tailoringJobs!.start();
    const job = await stack.api.waitForJob(res.body.data.jobId, { user: "waiting" });
    assert.is(job.status, "SUCCEEDED");
  } finally {
    stack.pollers.tailoringJobs!.start();
  }
});

test("without the header, or with a malformed wait, nothing changes: 202", async () => {
  for (const headers of [{}, { prefer: "wait=soon" }, { prefer: "handling=strict" }]) {
    const res = await stack.api.request("POST", "/v1/jobs", { body, headers, user: "plain" });
    assert.is(res.status, 202, JSON.stringify(headers));
  }
});

test.run();
