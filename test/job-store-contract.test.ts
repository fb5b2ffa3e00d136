/**
 * The in-memory jobs table (core jobs/testing/memory-job-store.ts), which the
 * use-case unit tests run on, behaves as the DynamoDB store does against a
 * DynamoDB protocol server (dynalite): each scenario runs on both and must
 * leave the same trace — and the trace the JobStore contract promises.
 */
import { createTables, type DynamoEmulator, startDynalite } from "@cvpipe/aws/analytics/testing/emulators";
import { DynamoJobStore } from "@cvpipe/aws/dynamo-job-store";
import { InvalidCursorError } from "@cvpipe/core/errors";
import type { JobRecord } from "@cvpipe/core/jobs/job-record";
import { MemoryJobStore } from "@cvpipe/core/jobs/testing/memory-job-store";
import { queuedJob } from "@cvpipe/core/jobs/testing/sample-job";
import type { JobStore } from "@cvpipe/core/ports/job-store";
import { tables } from "@cvpipe/core/topology";
import { test } from "uvu";
import * as assert from "uvu/assert";

const NOW = new Date("2026-11-18T10:00:00Z");
const clock = { now: () => NOW };
const NOW_S = NOW.getTime() / 1000;
const AT = NOW.toISOString();
let db: DynamoEmulator;
let run = 0;

test.before(async () => {
  db = await startDynalite();
  await createTables(db.client, ["jobs"]);
});
test.after(async () => db?.close());

/** Both stores, each on its own tenant (the dynalite table is shared by the scenarios). */
const stores = (): Array<[string, JobStore, string]> => {
  run++;
  const options = { clock, indexes: { byUser: "byUser", queued: "queued" } };
  return [
    ["memory", new MemoryJobStore({ clock }), `mem${run}`],
    ["dynamodb", new DynamoJobStore(db.documentClient, tables.jobs.name, options), `ddb${run}`],
  ];
};

const record = (tenantId: string, jobId: string, over: Partial<JobRecord> = {}): JobRecord =>
  queuedJob(jobId, {
    tenantId,
    createdAt: "2026-11-18T09:00:00.000Z",
    updatedAt: "2026-11-18T09:00:00.000Z",
    expiresAt: NOW_S + 3_600,
    requestHash: "h1",
    queuedShard: "q1",
    ...over,
  });

/** Runs the scenario on both stores; both traces must equal `expected`. */
const same = async (scenario: (store: JobStore, tenant: string) => Promise<unknown[]>, expected: unknown[]) => {
  for (const [name, store, tenant] of stores()) assert.equal(await scenario(store, tenant), expected, name);
};

test("create: once; an expired job is replaced; the existing one is returned", async () => {
  await same(
    async (s, t) => {
      const first = await s.create(record(t, "a"));
      const again = await s.create(record(t, "a", { requestHash: "h2" }));
      await s.create(record(t, "old", { expiresAt: NOW_S - 10 }));
      const absent = await s.get(t, "old");
      const replaced = await s.create(record(t, "old", { requestHash: "h3" }));
      return [
        first.created,
        again.created,
        !again.created && again.existing.requestHash,
        absent,
        replaced.created,
        (await s.get(t, "old"))?.requestHash,
      ];
    },
    [true, false, "h1", undefined, true, "h3"],
  );
});

test("attempts: a takeover fences the older attempt; a finished job does not start again", async () => {
  await same(
    async (s, t) => {
      await s.create(record(t, "j"));
      const one = await s.start(t, "j", AT);
      const two = await s.start(t, "j", AT);
      const oldSucceeds = await s.succeed(t, "j", 1, {}, AT);
      const oldFails = await s.fail(t, "j", { code: "INTERNAL_ERROR", message: "x" }, AT, { attempt: 1 });
      const newSucceeds = await s.succeed(
        t,
        "j",
        2,
        { usage: { inputTokens: 1, outputTokens: 2, totalTokens: 3 } },
        AT,
      );
      const again = await s.start(t, "j", AT);
      const done = await s.get(t, "j");
      return [
        one.started && one.record.attempts,
        two.started && two.record.attempts,
        one.started && one.record.queuedShard,
        oldSucceeds,
        oldFails,
        newSucceeds,
        again.started,
        again.record?.status,
        done?.status,
        done?.usage,
        await s.fail(t, "j", { code: "INTERNAL_ERROR", message: "x" }, AT),
      ];
    },
    [
      1,
      2,
      undefined,
      false,
      false,
      true,
      false,
      "SUCCEEDED",
      "SUCCEEDED",
      { inputTokens: 1, outputTokens: 2, totalTokens: 3 },
      false,
    ],
  );
});

test("a retryable failure starts again with its outcome superseded; a final one and a stale message never do", async () => {
  await same(
    async (s, t) => {
      await s.create(record(t, "r"));
      await s.start(t, "r", AT);
      await s.fail(t, "r", { code: "DEPENDENCY_UNAVAILABLE", message: "x", retryable: true }, AT, { attempt: 1 });
      const redrive = await s.start(t, "r", AT);
      await s.create(record(t, "f"));
      await s.start(t, "f", AT);
      await s.fail(t, "f", { code: "INVALID_CV", message: "x" }, AT, { attempt: 1 });
      const final = await s.start(t, "f", AT);
      await s.create(record(t, "s"));
      const stale = await s.start(t, "s", AT, "2026-11-16T09:00:00.000Z");
      return [
        redrive.started && redrive.record.attempts,
        redrive.started && redrive.record.error,
        redrive.started && redrive.record.supersededOutcomes?.map((o) => [o.eventId.replace(t, "T"), o.outcome]),
        final.started,
        final.record?.status,
        stale.started,
        stale.record?.status,
      ];
    },
    [2, undefined, [["tailoring-outcome-r-1", "failed"]], false, "FAILED", false, "QUEUED"],
  );
});

test("the sweep index: fail('QUEUED') keeps the mark until cleared; a QUEUED job keeps it", async () => {
  await same(
    async (s, t) => {
      await s.create(record(t, "q1", { createdAt: "2026-11-18T08:00:00.000Z" }));
      await s.create(record(t, "q2", { createdAt: "2026-11-18T08:30:00.000Z" }));
      const closed = await s.fail(t, "q1", { code: "NOT_STARTED", message: "x" }, AT, "QUEUED");
      const listed = (await s.listAwaitingSweep("2026-11-18T09:00:00.000Z", 10))
        .filter((r) => r.tenantId === t)
        .map((r) => [r.jobId, r.status]);
      await s.clearSweepMark(t, "q1");
      await s.clearSweepMark(t, "q2");
      const after = (await s.listAwaitingSweep("2026-11-18T09:00:00.000Z", 10))
        .filter((r) => r.tenantId === t)
        .map((r) => r.jobId);
      await s.start(t, "q2", AT);
      const startedMark = (await s.get(t, "q2"))?.queuedShard;
      return [closed, listed, after, startedMark];
    },
    [
      true,
      [
        ["q1", "FAILED"],
        ["q2", "QUEUED"],
      ],
      ["q2"],
      undefined,
    ],
  );
});

test("listByUser: newest first, a cursor while a page is full, another user's cursor refused", async () => {
  await same(
    async (s, t) => {
      for (let i = 1; i <= 3; i++) await s.create(record(t, `p${i}`, { createdAt: `2026-11-18T09:0${i}:00.000Z` }));
      const first = await s.listByUser(t, "alice", 2);
      const second = await s.listByUser(t, "alice", 2, first.cursor);
      // The port's error: the ingress turns it into a 400 naming query.cursor.
      const refused = await s.listByUser(t, "bob", 2, first.cursor).then(
        () => "accepted",
        (error: unknown) => (error instanceof InvalidCursorError ? "refused" : String(error)),
      );
      return [
        first.items.map((r) => r.jobId),
        first.cursor !== undefined,
        second.items.map((r) => r.jobId),
        second.cursor !== undefined,
        refused,
      ];
    },
    [["p3", "p2"], true, ["p1"], false, "refused"],
  );
});

test.run();
