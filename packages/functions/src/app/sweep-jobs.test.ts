/**
 * sweepStuckJobs against in-memory ports: which jobs it closes, what it
 * records on them (the public NOT_STARTED text, retryable), what it counts
 * (JobsFailed by code, once per job it closed) and the correlation id its
 * outcomes carry (the job's request's, else `sweep-<jobId>`).
 */
import { MemoryJobStore } from "@cvpipe/core/jobs/testing/memory-job-store";
import { queuedJob } from "@cvpipe/core/jobs/testing/sample-job";
import { MemoryMetrics, Outbox } from "@cvpipe/core/testing/memory-ports";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { PUBLIC_JOB_MESSAGES } from "./job-error.ts";
import { type SweepJobsDeps, sweepStuckJobs } from "./sweep-jobs.ts";

const NOW = new Date("2026-11-18T10:00:00Z");
const clock = { now: () => NOW };
/** Created this many minutes before NOW (the store lists by createdAt). */
const ago = (minutes: number) => new Date(NOW.getTime() - minutes * 60_000);

const setup = (over: Partial<SweepJobsDeps> = {}) => {
  const jobs = new MemoryJobStore({ clock });
  const queue = new Outbox();
  const metrics = new MemoryMetrics();
  const deps: SweepJobsDeps = { jobs, queue, clock, stuckAfterMinutes: 120, batchLimit: 50, metrics, ...over };
  return { deps, jobs, queue, metrics };
};

/** A QUEUED job created `minutes` before NOW (queuedJob puts createdAt a minute before its `at`). */
const stuck = (jobId: string, minutes: number, correlationId?: string) =>
  queuedJob(jobId, correlationId === undefined ? {} : { correlationId }, new Date(ago(minutes).getTime() + 60_000));

test("a job QUEUED past the bound is failed NOT_STARTED with the public text; a young one is left alone", async () => {
  const { deps, jobs } = setup();
  jobs.put(stuck("old", 180));
  jobs.put(stuck("young", 30));
  const result = await sweepStuckJobs(deps);
  assert.equal(result, { examined: 1, failed: ["old"], published: 1 });
  const old = await jobs.get("acme", "old");
  assert.is(old?.status, "FAILED");
  assert.equal(old?.error, { code: "NOT_STARTED", message: PUBLIC_JOB_MESSAGES.NOT_STARTED, retryable: true });
  assert.is((await jobs.get("acme", "young"))?.status, "QUEUED");
});

test("JobsFailed counts each job the sweep closed, by code; a job that started meanwhile is not counted", async () => {
  const { deps, jobs, metrics } = setup();
  jobs.put(stuck("a", 180));
  jobs.put(stuck("b", 200));
  jobs.put(stuck("running", 190));
  await jobs.start("acme", "running", NOW.toISOString());
  await sweepStuckJobs(deps);
  assert.equal(metrics.lines(), ["JobsFailed ErrorCode=NOT_STARTED 1", "JobsFailed ErrorCode=NOT_STARTED 1"]);
  assert.is(metrics.total("JobsFailed", { ErrorCode: "NOT_STARTED" }), 2);
  // A second run finds nothing left to close, and counts nothing.
  await sweepStuckJobs(deps);
  assert.is(metrics.points.length, 2);
});

test("the outcome carries the job's request's correlation id, else sweep-<jobId>", async () => {
  const { deps, jobs, queue } = setup();
  jobs.put(stuck("traced", 180, "req-abc-123"));
  jobs.put(stuck("untraced", 181));
  await sweepStuckJobs(deps);
  const byJob = Object.fromEntries(
    queue.to("analyticsEvents").map((m) => [JSON.parse(m.body).event.jobId, m.correlationId]),
  );
  assert.equal(byJob, { traced: "req-abc-123", untraced: "sweep-untraced" });
});

test("a run that failed to publish is completed by the next one: published again, not failed or counted again", async () => {
  const { deps, jobs, queue, metrics } = setup();
  jobs.put(stuck("flaky", 180));
  queue.failNext = 1;
  await sweepStuckJobs(deps).catch(() => undefined);
  assert.is((await jobs.get("acme", "flaky"))?.status, "FAILED");
  assert.equal(queue.sent, []);
  const again = await sweepStuckJobs(deps);
  assert.equal(again, { examined: 1, failed: [], published: 1 });
  assert.equal(
    queue.sent.map((m) => m.correlationId),
    ["sweep-flaky"],
  );
  assert.equal(metrics.lines(), ["JobsFailed ErrorCode=NOT_STARTED 1"]);
});

test.run();
