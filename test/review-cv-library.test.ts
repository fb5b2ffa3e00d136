/**
 * Adversarial review of the CV library (d23ec42) and the query refusal (bd80a20), on the embedded
 * stack: each test reproduces a bug found in review and fails until it is fixed.
 */
import { ListObjectsV2Command } from "@aws-sdk/client-s3";
import { createS3Client } from "@cvpipe/aws/clients";
import { buckets } from "@cvpipe/core/topology";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { checkedFetch } from "./support/answer-contract.ts";
import { fixture } from "./support/fixtures.ts";
import { startTestStack, type TestStack } from "./support/stack.ts";

let stack: TestStack;
test.before(async () => {
  stack = await startTestStack({ clockStart: new Date("2026-11-18T10:00:00Z") });
});
test.after(async () => stack?.close());

const sample = fixture("http/post-job.valid.json") as { cv: Record<string, any>; job: Record<string, unknown> };
const cvWithLabel = (label: string) => ({ ...sample.cv, basics: { ...sample.cv.basics, label } });

/** A request without the answer-contract check (so an undocumented answer is seen, not thrown). */
const call = async (
  method: string,
  path: string,
  init: { body?: unknown; headers?: Record<string, string>; tenant?: string } = {},
) => {
  const token = await stack.api.token(init.tenant ?? "review", "alice");
  const res = await checkedFetch(`${stack.info.apiUrl}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json", ...init.headers },
    ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
  });
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : undefined) as any };
};

const objectsOf = async (cvId: string) =>
  ((await createS3Client().send(new ListObjectsV2Command({ Bucket: buckets.cvs.name }))).Contents ?? [])
    .map((o) => o.Key!)
    .filter((k) => k.includes(cvId));

test("concurrent PUTs of one CV never answer 500 INTERNAL_ERROR (cv-library.ts: the 'kept changing' error is a CvpipeError, not a DependencyError)", async () => {
  const up = await call("POST", "/v1/cvs", { body: { cv: cvWithLabel("base") } });
  const cvId: string = up.body.data.cvId;
  const puts = await Promise.all(
    Array.from({ length: 12 }, (_, i) => call("PUT", `/v1/cvs/${cvId}`, { body: { cv: cvWithLabel(`v${i}`) } })),
  );
  const answers = puts.map((p) => `${p.status} ${p.body?.code}`);
  assert.not.ok(
    answers.some((a) => a.startsWith("500")),
    `concurrent PUTs answered ${answers.join(", ")}`,
  );
});

test("POST /v1/cvs racing with one Idempotency-Key and different bodies: after DELETE no body of that cvId stays in the bucket", async () => {
  const headers = { "idempotency-key": "review-race-1" };
  const posts = await Promise.all(
    [1, 2, 3, 4].map((i) => call("POST", "/v1/cvs", { headers, body: { cv: cvWithLabel(`race ${i}`) } })),
  );
  const winner = posts.find((p) => p.status === 201);
  assert.ok(winner, JSON.stringify(posts.map((p) => p.status)));
  const cvId: string = winner!.body.data.cvId;
  assert.is((await call("DELETE", `/v1/cvs/${cvId}`)).status, 204);
  // The losers' bodies (CV text a user asked to delete) are named by nothing and kept for ever (no expiry).
  assert.equal(await objectsOf(cvId), [], "bodies of the deleted CV left in the CV bucket");
});

test("POST /v1/jobs by cvRef repeated with its Idempotency-Key after the CV is deleted answers the job, not CV_NOT_FOUND (submit-job.ts resolves the ref before the key)", async () => {
  const up = await call("POST", "/v1/cvs", { body: { cv: sample.cv } });
  const cvId: string = up.body.data.cvId;
  const headers = { "idempotency-key": "review-job-by-ref-1" };
  const body = { cvRef: { cvId }, job: sample.job };
  const first = await call("POST", "/v1/jobs", { headers, body });
  assert.is(first.status, 202, JSON.stringify(first.body));
  assert.is((await call("DELETE", `/v1/cvs/${cvId}`)).status, 204);
  // The job exists (GET shows it); the retry of the same request must find it.
  assert.is((await call("GET", `/v1/jobs/${first.body.data.jobId}`)).status, 200);
  const again = await call("POST", "/v1/jobs", { headers, body });
  assert.equal(
    [again.status, again.body?.code, again.body?.data?.jobId],
    [202, "ALREADY_ACCEPTED", first.body.data.jobId],
  );
});

test("a query parameter named __proto__ is refused like any other unknown one (local gateway: http-api-event.ts builds the query by assignment)", async () => {
  const res = await call("GET", "/v1/cvs?__proto__=1");
  assert.is(res.status, 400, JSON.stringify(res.body));
  assert.is(res.body.details[0].path, "query.__proto__");
});

test("two identical PUTs racing (a retry with its Idempotency-Key) keep the stored version's body (cv-library.ts: the loser removes the object it shares with the winner)", async () => {
  const broken: string[] = [];
  for (let round = 0; round < 3; round++) {
    const up = await call("POST", "/v1/cvs", { body: { cv: sample.cv } });
    const cvId: string = up.body.data.cvId;
    const headers = { "idempotency-key": `review-same-put-${round}` };
    const body = { cv: cvWithLabel("Two") };
    const puts = await Promise.all([
      call("PUT", `/v1/cvs/${cvId}`, { headers, body }),
      call("PUT", `/v1/cvs/${cvId}`, { headers, body }),
    ]);
    assert.ok(
      puts.every((p) => p.status === 201 || p.status === 200),
      JSON.stringify(puts.map((p) => p.status)),
    );
    const latest = await call("GET", `/v1/cvs/${cvId}`);
    if (latest.status !== 200 || latest.body.data.cv.basics.label !== "Two")
      broken.push(`${latest.status} ${latest.body?.code}`);
  }
  assert.equal(broken, [], "the version both PUTs were told is stored cannot be read");
});

test.run();
