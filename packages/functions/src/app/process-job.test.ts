/**
 * processJob against in-memory ports: each outcome it can return, what it
 * writes for each, when it throws (so the queue redelivers), the claim check
 * both ways, overlapping attempts, and the retraction of a superseded outcome.
 */
import type { TailoringJobMessage } from "@cvpipe/core/contracts/messages";
import { CvpipeError, DependencyError } from "@cvpipe/core/errors";
import type { JobRecord } from "@cvpipe/core/jobs/job-record";
import { MemoryJobStore } from "@cvpipe/core/jobs/testing/memory-job-store";
import { queuedJob } from "@cvpipe/core/jobs/testing/sample-job";
import type { EngineOutput, TailoringEngine, TailorRequest } from "@cvpipe/core/tailoring/types";
import { fixture } from "@cvpipe/core/testing/fixtures";
import { MemoryBlobs, Outbox } from "@cvpipe/core/testing/memory-ports";
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
  input: { inline: { cv: sample.cv, job: sample.job, options: { engine: "local" } } },
  ...over,
});

const first = { receiveCount: 1 };

/** The error `run` rejects with (fails the test when it resolves). */
const rejection = async (run: () => Promise<unknown>): Promise<unknown> => {
  try {
    await run();
  } catch (error) {
    return error;
  }
  assert.unreachable("expected a rejection");
  return undefined;
};

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

test("a result over the inline limit is stored under the attempt's own key and pointed at", async () => {
  const { deps, jobs, blobs } = setup({ inlineResultLimitBytes: 1_000 });
  jobs.put(record("big"));
  assert.is(await processJob(deps, messageFor("big"), first), "succeeded");
  const done = await jobs.get("acme", "big");
  assert.is(done?.result, undefined);
  assert.is(done?.resultBlob?.key, "results/acme/big/attempt-1.json");
  const stored = JSON.parse(await blobs.get(done!.resultBlob!));
  assert.is(stored.resume.basics.name, "Dana Okafor");
});

test("a claim-checked request is read from the bucket; a deleted one fails the job (INPUT_MISSING, not retried)", async () => {
  const { deps, jobs, blobs } = setup();
  const input = { cv: sample.cv, job: sample.job, options: { engine: "local" } };
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
  assert.instance(await rejection(() => processJob(deps, messageFor("dep"), first)), DependencyError);
  assert.is((await jobs.get("acme", "dep"))?.status, "PROCESSING", "left for the redelivery");
  assert.equal(queue.sent, []);

  assert.instance(await rejection(() => processJob(deps, messageFor("dep"), { receiveCount: 3 })), DependencyError);
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
  assert.is((await jobs.get("acme", "noengine"))?.error?.code, "ENGINE_UNAVAILABLE");
  assert.equal(logged, ["warn job failed"]);
});

test("a redriven retryable failure runs again; its ending retracts the failure's outcome before the new one", async () => {
  let down = true;
  const flaky = engine(async () => {
    if (down) throw new DependencyError("Bedrock down");
  });
  const { deps, jobs, queue } = setup({ engines: { local: flaky }, maxReceiveCount: 1 });
  jobs.put(record("redrive"));
  await rejection(() => processJob(deps, messageFor("redrive"), first));
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

test.run();
