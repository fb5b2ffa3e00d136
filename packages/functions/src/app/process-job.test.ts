/**
 * processJob against in-memory ports: each outcome it can return, what it
 * writes for each, when it throws (so the queue redelivers), the claim check
 * both ways, overlapping attempts, and the retraction of a superseded outcome.
 */
import { TailoringJobMessage } from "@cvpipe/core/contracts/tailoring-job-message";
import {
  CvpipeError,
  DependencyError,
  EngineOutputInvalidError,
  InternalError,
  InvalidCvError,
} from "@cvpipe/core/errors";
import type { JobRecord } from "@cvpipe/core/jobs/job-record";
import { MemoryJobStore } from "@cvpipe/core/jobs/testing/memory-job-store";
import { queuedJob } from "@cvpipe/core/jobs/testing/sample-job";
import type { JobStore } from "@cvpipe/core/ports/job-store";
import type { TailoringEngine } from "@cvpipe/core/ports/tailoring-engine";
import type { EngineOutput, TailorRequest } from "@cvpipe/core/tailoring/types";
import { fixture } from "@cvpipe/core/testing/fixtures";
import { MemoryBlobs, MemoryMetrics, Outbox } from "@cvpipe/core/testing/memory-ports";
import { rejects } from "@cvpipe/core/testing/rejects";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { type ProcessJobDeps, processJob } from "./process-job.ts";

const NOW = new Date("2026-11-18T10:00:00Z");
const clock = { now: () => NOW };
const sample = fixture("http/post-job.valid.json");

/** Returns the CV as it is (always grounded); `before` runs first (a takeover, a failure). */
const engine = (before?: () => Promise<void>): TailoringEngine => ({
  name: "local",
  async tailor(request: TailorRequest): Promise<EngineOutput> {
    await before?.();
    return { resume: request.cv, usage: { inputTokens: 10, outputTokens: 2, totalTokens: 12 } };
  },
});

const setup = (over: Partial<ProcessJobDeps> = {}) => {
  const jobs = new MemoryJobStore({ clock });
  const blobs = new MemoryBlobs();
  const queue = new Outbox();
  const logged: string[] = [];
  const deps: ProcessJobDeps = {
    jobs,
    blobs,
    queue,
    clock,
    engines: { local: engine() },
    bannedClaims: [],
    maxReceiveCount: 3,
    inlineResultLimitBytes: 400_000,
    logger: { warn: (m) => logged.push(`warn ${m}`), error: (m) => logged.push(`error ${m}`) },
    ...over,
  };
  return { deps, jobs, blobs, queue, logged };
};

const record = (jobId: string, over: Partial<JobRecord> = {}): JobRecord => queuedJob(jobId, over, NOW);

const messageFor = (jobId: string, over: Partial<TailoringJobMessage> = {}): TailoringJobMessage => ({
  schema: "tailoring-job.v1",
  jobId,
  tenantId: "acme",
  userId: "alice",
  submittedAt: "2026-11-18T09:59:00.000Z",
  input: { inline: { cv: sample.cv, posting: sample.job, options: { engine: "local" } } },
  ...over,
});

const first = { receiveCount: 1 };

test("a queued job succeeds: result inline, usage, one outcome event in the job's group", async () => {
  const { deps, jobs, queue } = setup();
  jobs.put(record("j1"));
  assert.is(await processJob(deps, messageFor("j1"), first), "succeeded");
  const done = await jobs.get("acme", "j1");
  assert.is(done?.status, "SUCCEEDED");
  assert.is(done?.attempts, 1);
  assert.is(done?.queuedShard, undefined, "out of the sweep's index");
  assert.is(done?.result?.resume.basics?.name, "Dana Okafor");
  assert.equal(done?.usage, { inputTokens: 10, outputTokens: 2, totalTokens: 12 });
  assert.equal(
    queue.events().map((e) => [e.eventId, e.type]),
    [["tailoring-outcome-j1-1", "tailoring.outcome"]],
  );
  assert.equal(
    queue.log.map((l) => [l.queue, l.message.groupId, l.message.deduplicationId]),
    [["analyticsEvents", "acme#alice", "tailoring-outcome-j1-1"]],
  );
});

test("metrics of a success: JobsSucceeded, the engine's latency and tokens by engine; a redelivery adds none", async () => {
  let now = NOW.getTime();
  const ticking = { now: () => new Date(now) };
  const slow = engine(async () => {
    now += 250;
  });
  const metrics = new MemoryMetrics();
  const { deps, jobs, queue } = setup({ engines: { local: slow }, clock: ticking, metrics });
  jobs.put(record("m1"));
  assert.is(await processJob(deps, messageFor("m1"), { receiveCount: 1, correlationId: "corr-m1" }), "succeeded");
  assert.is(await processJob(deps, messageFor("m1"), { receiveCount: 2, correlationId: "corr-m1" }), "already-done");
  assert.equal(metrics.lines(), [
    "EngineLatency Engine=local 250",
    "JobsSucceeded 1",
    "InputTokens Engine=local 10",
    "OutputTokens Engine=local 2",
  ]);
  assert.equal(
    metrics.points.map((p) => p.unit),
    ["Milliseconds", "Count", "Count", "Count"],
  );
  // The job's outcome events carry its correlation id on, the re-published copy too.
  assert.equal(
    queue.sent.map((m) => [m.deduplicationId, m.correlationId]),
    [
      ["tailoring-outcome-m1-1", "corr-m1"],
      ["tailoring-outcome-m1-1", "corr-m1"],
    ],
  );
});

test("metrics of failures: VerificationRejections and JobsFailed by code; a retry left to redelivery is no failure", async () => {
  const inventing: TailoringEngine = {
    name: "local",
    async tailor(request) {
      const work = [...(request.cv.work ?? []), { name: "Invented Industries", position: "Chief Everything Officer" }];
      return { resume: { ...request.cv, work } };
    },
  };
  const down = engine(async () => {
    throw new DependencyError("Bedrock throttled");
  });
  const metrics = new MemoryMetrics();
  const { deps, jobs } = setup({ engines: { local: inventing }, metrics });
  jobs.put(record("ungrounded"));
  assert.is(await processJob(deps, messageFor("ungrounded"), first), "failed");
  const banned = { ...deps, engines: { local: engine() }, bannedClaims: [sample.cv.basics.name] };
  jobs.put(record("banned"));
  assert.is(await processJob(banned, messageFor("banned"), first), "failed");
  const throttled = { ...deps, engines: { local: down } };
  jobs.put(record("throttled"));
  await rejects(() => processJob(throttled, messageFor("throttled"), first));
  await rejects(() => processJob(throttled, messageFor("throttled"), { receiveCount: 3 }));
  assert.equal(
    metrics.lines().filter((l) => !l.startsWith("EngineLatency")),
    [
      "VerificationRejections ErrorCode=UNGROUNDED_CLAIM 1",
      "JobsFailed ErrorCode=UNGROUNDED_CLAIM 1",
      "VerificationRejections ErrorCode=BANNED_CLAIM 1",
      "JobsFailed ErrorCode=BANNED_CLAIM 1",
      "JobsFailed ErrorCode=DEPENDENCY_UNAVAILABLE 1",
    ],
  );
  assert.is(metrics.points.filter((p) => p.name === "EngineLatency").length, 4, "every engine call, failed ones too");
});

test("a result over the inline limit is stored under the attempt's own key and pointed at", async () => {
  const { deps, jobs, blobs } = setup({ inlineResultLimitBytes: 1_000 });
  jobs.put(record("big"));
  assert.is(await processJob(deps, messageFor("big"), first), "succeeded");
  const done = await jobs.get("acme", "big");
  assert.is(done?.result, undefined);
  assert.is(done?.resultBlob?.key, "results/acme/big/attempt-1.json");
  assert.is(
    blobs.owners.get("results/acme/big/attempt-1.json"),
    "acme",
    "written under its tenant's encryption context",
  );
  const stored = JSON.parse(await blobs.get(done!.resultBlob!));
  assert.is(stored.resume.basics.name, "Dana Okafor");
});

test("a claim-checked request is read from the bucket; a deleted one fails the job (INPUT_MISSING, not retried)", async () => {
  const { deps, jobs, blobs } = setup();
  const input = { cv: sample.cv, posting: sample.job, options: { engine: "local" } };
  const blob = await blobs.put("requests/acme/cc.json", JSON.stringify(input), "application/json");
  jobs.put(record("cc"));
  assert.is(await processJob(deps, messageFor("cc", { input: { blob } }), first), "succeeded");

  jobs.put(record("gone"));
  const missing = { bucket: "payloads", key: "requests/acme/gone.json", bytes: 10 };
  assert.is(await processJob(deps, messageFor("gone", { input: { blob: missing } }), first), "failed");
  const failed = await jobs.get("acme", "gone");
  assert.is(failed?.error?.code, "INPUT_MISSING");
  assert.is.not(failed?.error?.retryable, true);
});

test("an old-shape message (the posting as `job`, as queued, dead-lettered or claim-checked before the rename) still processes", async () => {
  const { deps, jobs, blobs } = setup();
  const old = { cv: sample.cv, job: sample.job, options: { engine: "local" } };
  const body = JSON.stringify({ ...messageFor("old-inline"), input: { inline: old } });
  jobs.put(record("old-inline"));
  assert.is(await processJob(deps, TailoringJobMessage.parse(JSON.parse(body)), first), "succeeded");

  const blob = await blobs.put("requests/acme/old-cc.json", JSON.stringify(old), "application/json");
  jobs.put(record("old-cc"));
  assert.is(await processJob(deps, messageFor("old-cc", { input: { blob } }), first), "succeeded");
  const done = await jobs.get("acme", "old-cc");
  assert.is(done?.status, "SUCCEEDED", JSON.stringify(done?.error));
});

test("a finished job is not run again: already-done, and its outcome is published again with the same id", async () => {
  const { deps, jobs, queue } = setup();
  jobs.put(record("j2"));
  await processJob(deps, messageFor("j2"), first);
  const before = await jobs.get("acme", "j2");
  assert.is(await processJob(deps, messageFor("j2"), { receiveCount: 2 }), "already-done");
  assert.equal(await jobs.get("acme", "j2"), before, "nothing written");
  assert.equal(
    queue.sent.map((m) => m.deduplicationId),
    ["tailoring-outcome-j2-1", "tailoring-outcome-j2-1"],
  );
});

test("missing, expired and stale-message: nothing runs and nothing is published", async () => {
  const { deps, jobs, queue } = setup();
  assert.is(await processJob(deps, messageFor("nope"), first), "missing");
  jobs.put(record("old", { expiresAt: NOW.getTime() / 1000 - 1 }));
  assert.is(await processJob(deps, messageFor("old"), first), "missing", "an expired job is absent");
  // The id was reused (Idempotency-Key after expiry): this message is two days older than the job.
  jobs.put(record("reused", { createdAt: "2026-11-18T09:00:00.000Z" }));
  const stale = messageFor("reused", { submittedAt: "2026-11-16T09:00:00.000Z" });
  assert.is(await processJob(deps, stale, first), "stale-message");
  assert.is((await jobs.get("acme", "reused"))?.status, "QUEUED", "the new job is left for its own message");
  assert.equal(queue.sent, []);
});

test("an attempt overtaken by a newer one is superseded: the newer result stands, the older writes nothing", async () => {
  const { deps, jobs, queue } = setup();
  jobs.put(record("race"));
  let newer: Promise<unknown> | undefined;
  const slow = engine(async () => {
    // While attempt 1 tailors, a redelivery starts attempt 2 and finishes first.
    newer ??= processJob({ ...deps, engines: { local: engine() } }, messageFor("race"), { receiveCount: 2 });
    await newer;
  });
  const outcome = await processJob({ ...deps, engines: { local: slow } }, messageFor("race"), first);
  assert.is(outcome, "superseded");
  assert.is(await newer, "succeeded");
  const done = await jobs.get("acme", "race");
  assert.is(done?.status, "SUCCEEDED");
  assert.is(done?.attempts, 2);
  assert.equal(
    queue.sent.map((m) => m.deduplicationId),
    ["tailoring-outcome-race-2"],
    "only the winner's outcome",
  );
});

test("an attempt whose job was taken over mid-run (the newer still running) writes neither result nor failure", async () => {
  const { deps, jobs, queue } = setup();
  jobs.put(record("fence"));
  const takeover = engine(async () => {
    await jobs.start("acme", "fence", NOW.toISOString());
  });
  assert.is(await processJob({ ...deps, engines: { local: takeover } }, messageFor("fence"), first), "superseded");
  const current = await jobs.get("acme", "fence");
  assert.is(current?.status, "PROCESSING");
  assert.is(current?.attempts, 2);
  assert.is(current?.result, undefined);

  const failing = engine(async () => {
    await jobs.start("acme", "fence", NOW.toISOString());
    throw new CvpipeError("bad output", { code: "ENGINE_OUTPUT_INVALID" });
  });
  assert.is(await processJob({ ...deps, engines: { local: failing } }, messageFor("fence"), first), "superseded");
  assert.is((await jobs.get("acme", "fence"))?.status, "PROCESSING", "attempt 3's failure did not touch attempt 4");
  assert.equal(queue.sent, []);
});

test("a dependency failure is thrown for redelivery while attempts remain; the last one records FAILED (retryable)", async () => {
  const down = engine(async () => {
    throw new DependencyError("Bedrock throttled");
  });
  const { deps, jobs, queue, logged } = setup({ engines: { local: down } });
  jobs.put(record("dep"));
  assert.instance(await rejects(() => processJob(deps, messageFor("dep"), first)), DependencyError);
  assert.is((await jobs.get("acme", "dep"))?.status, "PROCESSING", "left for the redelivery");
  assert.equal(queue.sent, []);

  assert.instance(await rejects(() => processJob(deps, messageFor("dep"), { receiveCount: 3 })), DependencyError);
  const failed = await jobs.get("acme", "dep");
  assert.is(failed?.status, "FAILED");
  assert.is(failed?.error?.code, "DEPENDENCY_UNAVAILABLE");
  assert.is(failed?.error?.retryable, true);
  assert.equal(
    queue.events().map((e) => e.eventId),
    ["tailoring-outcome-dep-2"],
  );
  assert.equal(logged, ["error job failed"]);
});

test("a content failure is not retried: FAILED at once, logged as a warning", async () => {
  const { deps, jobs, logged } = setup({ engines: {} });
  jobs.put(record("noengine"));
  assert.is(await processJob(deps, messageFor("noengine"), first), "failed");
  assert.is((await jobs.get("acme", "noengine"))?.error?.code, "ENGINE_NOT_CONFIGURED");
  assert.equal(logged, ["warn job failed"]);
});

test("a redriven retryable failure runs again; its ending retracts the failure's outcome before the new one", async () => {
  let down = true;
  const flaky = engine(async () => {
    if (down) throw new DependencyError("Bedrock down");
  });
  const { deps, jobs, queue } = setup({ engines: { local: flaky }, maxReceiveCount: 1 });
  jobs.put(record("redrive"));
  await rejects(() => processJob(deps, messageFor("redrive"), first));
  assert.is((await jobs.get("acme", "redrive"))?.status, "FAILED");
  queue.take();

  down = false;
  // The operator's DLQ redrive: a fresh receive count.
  assert.is(await processJob(deps, messageFor("redrive"), first), "succeeded");
  const done = await jobs.get("acme", "redrive");
  assert.is(done?.attempts, 2);
  assert.equal(
    done?.supersededOutcomes?.map((o) => [o.eventId, o.outcome]),
    [["tailoring-outcome-redrive-1", "failed"]],
  );
  assert.equal(
    queue.events().map((e) => e.eventId),
    ["tailoring-retraction-redrive-1", "tailoring-outcome-redrive-2"],
  );
});

test("a failure that is not the job's (a poison CV) never runs a job that is not retryable-FAILED again", async () => {
  const { deps, jobs } = setup();
  jobs.put(record("final", { status: "FAILED", attempts: 1, error: { code: "INVALID_CV", message: "x" } }));
  assert.is(await processJob(deps, messageFor("final"), first), "already-done");
  assert.is((await jobs.get("acme", "final"))?.attempts, 1);
  const failing = engine(async () => {
    throw new CvpipeError("no", { code: "ENGINE_OUTPUT_INVALID" });
  });
  const second = setup({ engines: { local: failing } });
  second.jobs.put(record("bad"));
  assert.is(await processJob(second.deps, messageFor("bad"), first), "failed");
  assert.is((await second.jobs.get("acme", "bad"))?.error?.code, "ENGINE_OUTPUT_INVALID");
});

test("a content failure is logged by code and field path only: the CV's and the model's text never reach the log", async () => {
  const invented = {
    name: "local" as const,
    async tailor(request: TailorRequest): Promise<EngineOutput> {
      const resume = structuredClone(request.cv);
      resume.basics = { ...resume.basics, phone: "+1 555 0100 9999", name: "Morgan Invented-Name" };
      resume.work = [{ name: "Globex Fabricated Corp", position: "Chief Everything", startDate: "2001-01" }];
      return { resume };
    },
  };
  const lines: unknown[] = [];
  const { deps, jobs } = setup({
    engines: { local: invented },
    logger: { warn: (...args: unknown[]) => lines.push(args), error: (...args: unknown[]) => lines.push(args) },
  });
  jobs.put(record("leaky"));
  assert.is(await processJob(deps, messageFor("leaky"), first), "failed");
  assert.is((await jobs.get("acme", "leaky"))?.error?.code, "UNGROUNDED_CLAIM");
  const logged = JSON.stringify(lines);
  assert.ok(logged.includes("UNGROUNDED_CLAIM") && logged.includes("work[0]"), logged);
  for (const text of ["555 0100", "Invented-Name", "Globex", "Chief Everything", sample.cv.basics.name]) {
    assert.not.ok(logged.includes(text), `the log quotes ${text}: ${logged}`);
  }
});

test("the error's class decides its log line: content withheld (warn), internal an error, other refusals a warning", async () => {
  const throwing = (error: Error) =>
    engine(async () => {
      throw error;
    });
  const cases: Array<[string, Error, string, string]> = [
    [
      "model-text",
      new EngineOutputInvalidError("the model's answer is not a JSON Resume: Globex Fabricated Corp", [
        { path: "resume.work[0].name", rule: "type", message: "Globex Fabricated Corp is not a string" },
      ]),
      "warn",
      "ENGINE_OUTPUT_INVALID",
    ],
    ["cv-text", new InvalidCvError("basics.name Morgan Invented-Name is too long"), "warn", "INVALID_CV"],
    ["bug", new InternalError("unsafe key part: is dots only"), "error", "INTERNAL_ERROR"],
    [
      "refused",
      new CvpipeError("Bedrock rejected the request", { code: "ENGINE_REJECTED" }),
      "warn",
      "ENGINE_REJECTED",
    ],
  ];
  for (const [jobId, error, level, code] of cases) {
    const lines: Array<{ level: string; fields: unknown }> = [];
    const { deps, jobs } = setup({
      engines: { local: throwing(error) },
      logger: {
        warn: (_m: string, fields?: unknown) => lines.push({ level: "warn", fields }),
        error: (_m: string, fields?: unknown) => lines.push({ level: "error", fields }),
      },
    });
    jobs.put(record(jobId));
    assert.is(await processJob(deps, messageFor(jobId), first), "failed", jobId);
    assert.is((await jobs.get("acme", jobId))?.error?.code, code, jobId);
    assert.equal(
      lines.map((l) => l.level),
      [level],
      jobId,
    );
    const logged = JSON.stringify(lines);
    assert.ok(logged.includes(code), logged);
    for (const text of ["Globex", "Invented-Name"]) assert.not.ok(logged.includes(text), `${jobId} logs ${text}`);
  }
});

/** The store, its reads counted: the worker publishes an ending's outcome without reading the job back. */
const countingReads = (jobs: MemoryJobStore): { store: JobStore; reads: () => number } => {
  let reads = 0;
  return {
    store: {
      listForErasure: (tenantId, userId) => jobs.listForErasure(tenantId, userId),
      remove: (tenantId, jobId) => jobs.remove(tenantId, jobId),
      create: (r) => jobs.create(r),
      get: (tenantId, jobId) => {
        reads++;
        return jobs.get(tenantId, jobId);
      },
      start: (tenantId, jobId, at, submittedAt) => jobs.start(tenantId, jobId, at, submittedAt),
      succeed: (tenantId, jobId, attempt, completion, at) => jobs.succeed(tenantId, jobId, attempt, completion, at),
      fail: (tenantId, jobId, error, at, only) => jobs.fail(tenantId, jobId, error, at, only),
      listAwaitingSweep: (createdBefore, limit) => jobs.listAwaitingSweep(createdBefore, limit),
      clearSweepMark: (tenantId, jobId) => jobs.clearSweepMark(tenantId, jobId),
      listByUser: (tenantId, userId, limit, cursor) => jobs.listByUser(tenantId, userId, limit, cursor),
    },
    reads: () => reads,
  };
};

test("an ending's outcome is published from what the attempt wrote, no read back: the same messages the stored job gives", async () => {
  let down = true;
  const flaky = engine(async () => {
    if (down) throw new DependencyError("Bedrock down");
  });
  const { deps, jobs, queue } = setup({ inlineResultLimitBytes: 400_000 });
  const counted = countingReads(jobs);
  const cases: Array<[string, Partial<ProcessJobDeps>, string]> = [
    ["inline", {}, "succeeded"],
    ["blob", { inlineResultLimitBytes: 1_000 }, "succeeded"],
    ["refused", { bannedClaims: [sample.cv.basics.name] }, "failed"],
    ["retryable", { engines: { local: flaky }, maxReceiveCount: 1 }, "threw"],
  ];
  for (const [jobId, over, expected] of cases) {
    jobs.put(record(jobId));
    const outcome = await processJob({ ...deps, jobs: counted.store, ...over }, messageFor(jobId), {
      receiveCount: 1,
      correlationId: `corr-${jobId}`,
    }).catch(() => "threw");
    assert.is(outcome, expected, jobId);
  }
  // The retryable failure redriven: its ending carries the retraction of the failure's outcome.
  down = false;
  assert.is(
    await processJob({ ...deps, jobs: counted.store, engines: { local: flaky } }, messageFor("retryable"), first),
    "succeeded",
  );
  assert.is(counted.reads(), 0, "no job read back after an ending");
  const published = queue.take();
  assert.equal(
    published.map((m) => m.deduplicationId),
    [
      "tailoring-outcome-inline-1",
      "tailoring-outcome-blob-1",
      "tailoring-outcome-refused-1",
      "tailoring-outcome-retryable-1",
      "tailoring-retraction-retryable-1",
      "tailoring-outcome-retryable-2",
    ],
  );
  // What a redelivery of each finished job publishes again, from the stored job: the same messages, byte for byte.
  for (const jobId of ["inline", "blob", "refused", "retryable"]) {
    const correlationId = jobId === "retryable" ? undefined : `corr-${jobId}`;
    assert.is(
      await processJob(deps, messageFor(jobId), { receiveCount: 2, ...(correlationId ? { correlationId } : {}) }),
      "already-done",
    );
  }
  assert.equal(
    queue.take(),
    published.filter((m) => m.deduplicationId !== "tailoring-outcome-retryable-1"),
  );
});

/**
 * The store says the write did not happen although it did: what a conditional write looks like when
 * its answer timed out and the SDK's retry found the job already ended by the first try.
 */
const lostAnswers = (jobs: MemoryJobStore): JobStore => ({
  listForErasure: (tenantId, userId) => jobs.listForErasure(tenantId, userId),
  remove: (tenantId, jobId) => jobs.remove(tenantId, jobId),
  create: (record) => jobs.create(record),
  get: (tenantId, jobId) => jobs.get(tenantId, jobId),
  start: (tenantId, jobId, at, submittedAt) => jobs.start(tenantId, jobId, at, submittedAt),
  succeed: async (tenantId, jobId, attempt, completion, at) => {
    await jobs.succeed(tenantId, jobId, attempt, completion, at);
    return false;
  },
  fail: async (tenantId, jobId, error, at, only) => {
    await jobs.fail(tenantId, jobId, error, at, only);
    return false;
  },
  listAwaitingSweep: (createdBefore, limit) => jobs.listAwaitingSweep(createdBefore, limit),
  clearSweepMark: (tenantId, jobId) => jobs.clearSweepMark(tenantId, jobId),
  listByUser: (tenantId, userId, limit, cursor) => jobs.listByUser(tenantId, userId, limit, cursor),
});

test("an ending that landed but was answered as refused (an SDK retry after a timeout) is the attempt's own: outcome published", async () => {
  const { deps, jobs, queue } = setup();
  const retrying = { ...deps, jobs: lostAnswers(jobs) };
  jobs.put(record("lost-ok"));
  assert.is(await processJob(retrying, messageFor("lost-ok"), first), "succeeded");
  assert.is((await jobs.get("acme", "lost-ok"))?.status, "SUCCEEDED");

  jobs.put(record("lost-fail"));
  const banned = { ...retrying, bannedClaims: [sample.cv.basics.name] };
  assert.is(await processJob(banned, messageFor("lost-fail"), first), "failed");
  assert.is((await jobs.get("acme", "lost-fail"))?.error?.code, "BANNED_CLAIM");
  assert.equal(
    queue.sent.map((m) => m.deduplicationId),
    ["tailoring-outcome-lost-ok-1", "tailoring-outcome-lost-fail-1"],
    "each job's outcome, once",
  );
});

test("a refused ending after a newer attempt took over is still superseded", async () => {
  const { deps, jobs, queue } = setup();
  jobs.put(record("over"));
  const takeover = engine(async () => {
    await jobs.start("acme", "over", NOW.toISOString());
  });
  const outcome = await processJob(
    { ...deps, jobs: lostAnswers(jobs), engines: { local: takeover } },
    messageFor("over"),
    first,
  );
  assert.is(outcome, "superseded");
  assert.is((await jobs.get("acme", "over"))?.attempts, 2);
  assert.equal(queue.sent, []);
});

test("a job submitted before its user asked for their data to be deleted is removed, not tailored", async () => {
  let tailored = 0;
  const { deps, jobs, blobs, queue } = setup({
    engines: { local: engine(async () => void tailored++) },
    suppressedSince: async (tenantId, userId) =>
      tenantId === "acme" && userId === "alice" ? "2026-11-18T09:59:30.000Z" : undefined,
  });
  jobs.put(record("j-before"));
  await blobs.put("requests/acme/j-before.json", "{}", "application/json", { tenantId: "acme" });
  assert.is(await processJob(deps, messageFor("j-before"), first), "erased");
  assert.is(tailored, 0);
  assert.is(jobs.all().length, 0, "the record is gone");
  assert.is(blobs.objects.size, 0, "and its claim-checked request");
  assert.equal(queue.sent, [], "no outcome");
  // A job submitted after the request is new data: done as any.
  jobs.put(record("j-after", { createdAt: "2026-11-18T09:59:40.000Z" }));
  assert.is(
    await processJob(deps, messageFor("j-after", { submittedAt: "2026-11-18T09:59:40.000Z" }), first),
    "succeeded",
  );
  assert.is(tailored, 1);
  // A message of the erased job arriving once its id was taken again (the Idempotency-Key used after the
  // deletion): the new job stays.
  jobs.put(record("j-before", { createdAt: "2026-11-18T09:59:50.000Z" }));
  assert.is(await processJob(deps, messageFor("j-before"), first), "stale-message");
  assert.ok(await jobs.get("acme", "j-before"), "the new job with that id is not removed");
});

test("a job deleted while it is tailored leaves no stored result behind", async () => {
  const { deps, jobs, blobs } = setup({ inlineResultLimitBytes: 10 });
  deps.engines.local = engine(async () => jobs.remove("acme", "j-gone"));
  jobs.put(record("j-gone"));
  assert.is(await processJob(deps, messageFor("j-gone"), first), "superseded");
  assert.equal([...blobs.objects.keys()], [], "the attempt's result blob, never pointed at, is removed");
});

test.run();
