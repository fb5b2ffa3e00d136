/**
 * submitJob against in-memory ports: what is validated (by field), what is
 * recorded and sent, Idempotency-Key reuse, the claim check, and what a failed
 * send leaves behind.
 */

import { TailoringInput, TailoringJobMessage } from "@cvpipe/core/contracts/tailoring-job-message";
import { MemoryCvStore } from "@cvpipe/core/cvs/testing/memory-cv-store";
import { CvpipeError, DependencyError, InvalidIdempotencyKeyError, ValidationError } from "@cvpipe/core/errors";
import { queuedShard } from "@cvpipe/core/jobs/job-record";
import { MemoryJobStore } from "@cvpipe/core/jobs/testing/memory-job-store";
import type { OutgoingMessage, QueuePublisher } from "@cvpipe/core/ports/queue-publisher";
import { fixture } from "@cvpipe/core/testing/fixtures";
import { MemoryBlobs, MemoryMetrics, Outbox } from "@cvpipe/core/testing/memory-ports";
import { rejects } from "@cvpipe/core/testing/rejects";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { TEST_ID_SECRET } from "../testing/app-deps.ts";
import { publicJobError } from "./job-error.ts";
import { INLINE_MESSAGE_LIMIT_BYTES, type SubmitJobDeps, submitJob } from "./submit-job.ts";

const NOW = new Date("2026-11-18T10:00:00Z");
const alice = { tenantId: "acme", userId: "alice" };

const setup = (over: Partial<SubmitJobDeps> = {}) => {
  let n = 0;
  const jobs = new MemoryJobStore({ clock: { now: () => NOW } });
  const queue = new Outbox();
  const blobs = new MemoryBlobs();
  const deps: SubmitJobDeps = {
    jobs,
    queue,
    blobs,
    clock: { now: () => NOW },
    newId: () => `job-${++n}`,
    idSecret: TEST_ID_SECRET,
    defaultEngine: "local",
    jobTtlDays: 30,
    cvs: new MemoryCvStore(),
    cvBlobs: new MemoryBlobs(),
    ...over,
  };
  return { deps, jobs, queue, blobs };
};

const message = (m: OutgoingMessage) => TailoringJobMessage.parse(JSON.parse(m.body));

test("a valid request: the job is recorded QUEUED, then one message goes to the tailoring queue", async () => {
  const { deps, jobs, queue } = setup();
  const body = fixture("http/post-job.valid.json");
  const out = await submitJob(deps, alice, body, undefined);
  assert.equal(out, { jobId: "job-1", status: "QUEUED", created: true });

  const record = await jobs.get("acme", "job-1");
  assert.is(record?.status, "QUEUED");
  assert.is(record?.attempts, 0);
  assert.is(record?.userKey, "acme#alice");
  assert.is(record?.engine, "local");
  assert.is(record?.queuedShard, queuedShard("job-1"), "listed for the sweep while QUEUED");
  assert.is(record?.expiresAt, NOW.getTime() / 1000 + 30 * 86_400);
  assert.is(record?.idempotencyKey, undefined);

  assert.equal(
    queue.log.map((l) => [l.queue, l.message.groupId, l.message.deduplicationId]),
    [["tailoringJobs", "acme#alice", "job-1"]],
  );
  const sent = message(queue.sent[0]!);
  assert.is(sent.jobId, "job-1");
  assert.is(sent.submittedAt, NOW.toISOString());
  assert.ok("inline" in sent.input, "a normal request travels inline");
  if ("inline" in sent.input) {
    assert.equal(sent.input.inline.cv, body.cv);
    assert.is(sent.input.inline.options.engine, "local", "the default engine is written into the message");
  }
});

test("JobsAccepted counts each new job once (not a repeated key, not a refusal), JobsFailed a job closed unsent; messages and jobs carry the correlation id", async () => {
  const metrics = new MemoryMetrics();
  const { deps, jobs, queue } = setup({ metrics });
  const body = fixture("http/post-job.valid.json");
  await submitJob(deps, alice, body, "key-1", { correlationId: "corr-1" });
  await submitJob(deps, alice, body, "key-1", { correlationId: "corr-2" });
  await submitJob(deps, alice, body, undefined);
  await rejects(() => submitJob(deps, alice, { cv: {} }, undefined));
  queue.failNextSend = 1;
  await rejects(() => submitJob(deps, alice, body, undefined, { correlationId: "corr-3" }));
  assert.equal(metrics.lines(), ["JobsAccepted 1", "JobsAccepted 1", "JobsFailed ErrorCode=DEPENDENCY_UNAVAILABLE 1"]);
  assert.equal(
    jobs.all().map((r) => [r.jobId, r.correlationId]),
    [
      [jobs.all()[0]!.jobId, "corr-1"],
      ["job-1", undefined],
      ["job-2", "corr-3"],
    ],
    "the job keeps its first request's id",
  );
  // The re-send of a still-QUEUED job carries the retry's id (SQS keeps the first within its dedup window).
  assert.equal(
    queue.sent.map((m) => m.correlationId),
    ["corr-1", "corr-2", undefined],
  );
});

test("an invalid request names every field and rule; nothing is recorded or sent", async () => {
  const { deps, jobs, queue } = setup();
  const error = await rejects(() => submitJob(deps, alice, fixture("http/post-job.invalid.json"), undefined));
  assert.instance(error, ValidationError);
  const paths = (error as ValidationError).issues.map((i) => i.path);
  for (const p of ["body.job.description", "body.options.engine", "body.cv.basics.email", "body.cv.work[0].startDate"])
    assert.ok(paths.includes(p), `${p} in ${paths.join(", ")}`);
  assert.equal(jobs.all(), []);
  assert.equal(queue.sent, []);
});

test("the CV's own limits (nesting 8, strings 20,000 characters): the first place of each kind, nothing recorded; at the limit accepted", async () => {
  const { deps, jobs, queue } = setup();
  const sample = fixture("http/post-job.valid.json");
  const nested = (levels: number, leaf: unknown): unknown => (levels === 0 ? leaf : { n: nested(levels - 1, leaf) });
  const refused = async (change: (body: typeof sample) => void) => {
    const body = structuredClone(sample);
    change(body);
    const error = await rejects(() => submitJob(deps, alice, body, undefined));
    assert.instance(error, ValidationError);
    return (error as ValidationError).issues.filter((i) => i.rule === "max_depth" || i.rule === "max_length");
  };
  assert.equal(
    await refused((b) => {
      b.cv.meta = nested(7, { a: "x" });
      b.cv.basics.label = "w".repeat(20_001);
    }),
    [
      { path: "body.cv.meta.n.n.n.n.n.n.n", rule: "max_depth", message: "nests deeper than 8 levels" },
      { path: "body.cv.basics.label", rule: "max_length", message: "is 20001 characters; the limit is 20000" },
    ],
  );
  assert.equal(
    await refused((b) => {
      b.cv.work[0].highlights[0] = "y".repeat(20_001);
      b.cv.basics.summary = "z".repeat(25_000);
    }),
    [{ path: "body.cv.work[0].highlights[0]", rule: "max_length", message: "is 20001 characters; the limit is 20000" }],
  );
  assert.equal(jobs.all(), []);
  assert.equal(queue.sent, []);
  const atLimits = structuredClone(sample);
  atLimits.cv.meta = nested(6, "x");
  atLimits.cv.basics.summary = "s".repeat(20_000);
  assert.is((await submitJob(deps, alice, atLimits, undefined)).status, "QUEUED");
});

test("a CV with nothing to tailor and an unreadable text CV are refused here, at body.cv", async () => {
  const { deps } = setup();
  const job = fixture("http/post-job.valid.json").job;
  const empty = await rejects(() => submitJob(deps, alice, { cv: { basics: { name: "Nobody" } }, job }, undefined));
  assert.is((empty as CvpipeError).code, "VALIDATION_ERROR");
  assert.is((empty as ValidationError).issues[0]?.rule, "content");
  const text = await rejects(() =>
    submitJob(deps, alice, { cv: "lorem ipsum dolor sit amet ".repeat(4), job }, undefined),
  );
  assert.is((text as CvpipeError).code, "INVALID_CV");
});

test("an Idempotency-Key that is not 1-255 printable ASCII characters is refused (the HTTP layer names the header)", async () => {
  const { deps, jobs, queue } = setup();
  for (const key of ["", "has space", "x".repeat(256), "caf\u00e9"]) {
    const error = await rejects(() => submitJob(deps, alice, fixture("http/post-job.valid.json"), key));
    assert.instance(error, InvalidIdempotencyKeyError);
    assert.is((error as CvpipeError).message, "must be 1-255 printable ASCII characters, no spaces");
  }
  assert.equal(jobs.all(), []);
  assert.equal(queue.sent, []);
});

test("Idempotency-Key: the same request is the same job (re-sent only while QUEUED); another request is a 409", async () => {
  const { deps, jobs, queue } = setup();
  const body = fixture("http/post-job.valid.json");
  const first = await submitJob(deps, alice, body, "order-42");
  assert.is(first.created, true);
  assert.not.match(first.jobId, /order-42/, "the id is derived, not the key");

  const again = await submitJob(deps, alice, fixture("http/post-job.valid.json"), "order-42");
  assert.equal(again, { jobId: first.jobId, status: "QUEUED", created: false });
  assert.equal(
    queue.sent.map((m) => m.deduplicationId),
    [first.jobId, first.jobId],
    "re-sent with the same dedup id (the first send may never have happened)",
  );

  await jobs.start("acme", first.jobId, NOW.toISOString());
  const running = await submitJob(deps, alice, body, "order-42");
  assert.equal(running, { jobId: first.jobId, status: "PROCESSING", created: false });
  assert.is(queue.sent.length, 2, "a started job is not sent again");

  const changed = await rejects(() =>
    submitJob(deps, alice, { ...body, job: { ...body.job, title: "Staff Engineer" } }, "order-42"),
  );
  assert.instance(changed, CvpipeError);
  assert.is((changed as CvpipeError).code, "IDEMPOTENCY_KEY_REUSED");
  assert.equal((changed as CvpipeError).details, { jobId: first.jobId });

  const bob = await submitJob(deps, { tenantId: "acme", userId: "bob" }, body, "order-42");
  assert.is(bob.created, true, "keys are the caller's own");
  assert.is.not(bob.jobId, first.jobId);
  assert.is(jobs.all().length, 2);
});

test("a request over the inline limit travels by claim check: the input in the bucket, a pointer in the message", async () => {
  const { deps, blobs, queue } = setup();
  const body = fixture("http/post-job.valid.json");
  const line = "Designed and ran the event pipeline that moved payments between ledgers with exactly-once effects. ";
  body.cv.work[0].highlights = Array.from({ length: 16 }, () => line.repeat(150).slice(0, 15_000));
  const out = await submitJob(deps, alice, body, undefined);

  const sent = queue.sent[0]!;
  assert.ok(Buffer.byteLength(sent.body) < INLINE_MESSAGE_LIMIT_BYTES, `${Buffer.byteLength(sent.body)} bytes sent`);
  const parsed = message(sent);
  assert.ok("blob" in parsed.input, "a pointer, not the input");
  if ("blob" in parsed.input) {
    assert.is(parsed.input.blob.key, `requests/acme/${out.jobId}.json`);
    const stored = TailoringInput.parse(JSON.parse(await blobs.get(parsed.input.blob)));
    assert.equal(stored.cv, body.cv);
    assert.is(blobs.contentTypes.get(parsed.input.blob.key), "application/json");
    assert.is(blobs.owners.get(parsed.input.blob.key), "acme", "written under its tenant's encryption context");
  }
});

test("a failed send without a key closes the job (only while QUEUED); with a key it stays QUEUED for the retry", async () => {
  const { deps, jobs, queue } = setup();
  queue.failNextSend = 1;
  const error = await rejects(() => submitJob(deps, alice, fixture("http/post-job.valid.json"), undefined));
  assert.instance(error, DependencyError);
  const closed = await jobs.get("acme", "job-1");
  assert.is(closed?.status, "FAILED");
  assert.equal(closed?.error, publicJobError({ code: "DEPENDENCY_UNAVAILABLE", message: "" }), "the text it is shown");

  queue.failNextSend = 1;
  await rejects(() => submitJob(deps, alice, fixture("http/post-job.valid.json"), "retry-me"));
  const kept = jobs.all().find((r) => r.idempotencyKey === "retry-me");
  assert.is(kept?.status, "QUEUED");
  const retry = await submitJob(deps, alice, fixture("http/post-job.valid.json"), "retry-me");
  assert.equal(retry, { jobId: kept!.jobId, status: "QUEUED", created: false });
  assert.equal(
    queue.sent.map((m) => m.deduplicationId),
    [kept!.jobId],
  );
});

test("an ambiguous send (delivered, then an error) never fails a job a worker already started", async () => {
  const jobs = new MemoryJobStore({ clock: { now: () => NOW } });
  const ambiguous: QueuePublisher = {
    async send(_queue, m) {
      await jobs.start("acme", JSON.parse(m.body).jobId, NOW.toISOString());
      throw new DependencyError("SQS SendMessage timed out after the message was stored");
    },
    async sendBatch() {},
  };
  const { deps } = setup({ jobs, queue: ambiguous });
  await rejects(() => submitJob(deps, alice, fixture("http/post-job.valid.json"), undefined));
  const record = await jobs.get("acme", "job-1");
  assert.is(record?.status, "PROCESSING");
  assert.is(record?.error, undefined);
});

test.run();
