/**
 * listJobs against the in-memory job store: a page size outside 1..100 is an
 * InvalidLimitError and a cursor not issued to the caller an InvalidCursorError
 * (domain errors: the use case names no request field), and a cursor it issued
 * pages on for its caller only.
 */

import { InvalidCursorError, InvalidLimitError } from "@cvpipe/core/errors";
import { MemoryJobStore } from "@cvpipe/core/jobs/testing/memory-job-store";
import { queuedJob } from "@cvpipe/core/jobs/testing/sample-job";
import type { Timer } from "@cvpipe/core/ports/timer";
import { MemoryBlobs } from "@cvpipe/core/testing/memory-ports";
import { rejects } from "@cvpipe/core/testing/rejects";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { TEST_ID_SECRET } from "../testing/app-deps.ts";
import { sealCursor } from "./list-cursor.ts";
import { listJobs, waitForOwnJob } from "./own-jobs.ts";

const NOW = new Date("2026-11-18T10:00:00Z");
const alice = { tenantId: "acme", userId: "alice" };
const bob = { tenantId: "acme", userId: "bob" };

const setup = () => {
  const jobs = new MemoryJobStore({ clock: { now: () => NOW } });
  for (let i = 0; i < 5; i++) {
    jobs.put(queuedJob(`job-${i}`, {}, new Date(NOW.getTime() - (5 - i) * 60_000)));
  }
  return { jobs, deps: { jobs, blobs: new MemoryBlobs(), idSecret: TEST_ID_SECRET } };
};

test("a limit that is not a whole number from 1 to 100 is an InvalidLimitError (1..100)", async () => {
  const { deps } = setup();
  for (const limit of ["0", "101", "-1", "1.5", "1e2", " 5", "abc", "", "0100"]) {
    const error = await rejects(() => listJobs(deps, alice, { limit }));
    assert.instance(error, InvalidLimitError, `limit ${JSON.stringify(limit)}`);
    assert.equal([(error as InvalidLimitError).min, (error as InvalidLimitError).max], [1, 100]);
  }
  assert.is((await listJobs(deps, alice, {})).items.length, 5, "20 by default");
  assert.is((await listJobs(deps, alice, { limit: "100" })).items.length, 5);
});

test("a cursor not issued to the caller is an InvalidCursorError: forged, another user's, or refused by the store", async () => {
  const { deps } = setup();
  const first = await listJobs(deps, alice, { limit: "2" });
  assert.equal(
    first.items.map((j) => j.jobId),
    ["job-4", "job-3"],
  );
  const next = await listJobs(deps, alice, { limit: "2", cursor: first.cursor });
  assert.equal(
    next.items.map((j) => j.jobId),
    ["job-2", "job-1"],
  );
  for (const [who, cursor] of [
    [alice, "forged"],
    [alice, "A".repeat(3_000)],
    [bob, first.cursor],
    // Sealed for alice, but not a cursor the store issued: the store's own refusal, the same error.
    [alice, sealCursor(TEST_ID_SECRET, alice, "not-a-store-cursor")],
  ] as const) {
    assert.instance(await rejects(() => listJobs(deps, who, { cursor })), InvalidCursorError, String(cursor));
  }
});

/** A timer whose time moves only when the waiter sleeps; `onSleep` runs at each sleep. */
const fakeTimer = (onSleep: (n: number) => void): Timer & { slept: number[] } => {
  let now = 0;
  const slept: number[] = [];
  return {
    slept,
    elapsedMs: () => now,
    sleep: async (ms) => {
      slept.push(ms);
      now += ms;
      onSleep(slept.length);
    },
  };
};

const JOB_ID = "0b6c6f2e-5d0a-4e55-9c3e-6a1f2b3c4d5e";
const detailDeps = (jobs: MemoryJobStore) => ({
  jobs,
  blobs: new MemoryBlobs(),
  links: { presignedGetUrl: async () => ({ url: "https://x", expiresAt: NOW }) },
  maxResponseBytes: 5_000_000,
  resultLinkTtlSeconds: 900,
});

test("waitForOwnJob: the finished job once it ends within the wait, read again with growing pauses", async () => {
  const jobs = new MemoryJobStore({ clock: { now: () => NOW } });
  jobs.put(queuedJob(JOB_ID));
  const timer = fakeTimer((n) => {
    if (n === 4) {
      jobs.put(
        queuedJob(JOB_ID, {
          status: "FAILED",
          error: { code: "INVALID_CV", message: "x" },
          finishedAt: NOW.toISOString(),
        }),
      );
    }
  });
  const job = await waitForOwnJob({ ...detailDeps(jobs), timer }, alice, JOB_ID, 10, () => true);
  assert.is(job?.status, "FAILED");
  assert.equal(timer.slept, [50, 75, 112.5, 168.75]);
});

test("waitForOwnJob: undefined when the wait ends first (never sleeping past it); another user's job is never waited for", async () => {
  const jobs = new MemoryJobStore({ clock: { now: () => NOW } });
  jobs.put(queuedJob(JOB_ID));
  const timer = fakeTimer(() => {});
  assert.is(await waitForOwnJob({ ...detailDeps(jobs), timer }, alice, JOB_ID, 2, () => true), undefined);
  assert.is(
    timer.slept.reduce((a, b) => a + b, 0),
    2000,
  );
  assert.ok(timer.slept.every((ms) => ms <= 500));
  jobs.put(queuedJob(JOB_ID, { status: "FAILED", error: { code: "INVALID_CV", message: "x" } }));
  assert.is(
    await waitForOwnJob({ ...detailDeps(jobs), timer: fakeTimer(() => {}) }, bob, JOB_ID, 1, () => true),
    undefined,
  );
});

test.run();
