/**
 * Exactly-once under adversarial schedules: the attacks of the issue-8 review
 * (fold fences, retractions, attempt-fenced tailor writes, the stuck-job sweep),
 * kept as regressions. Exhaustive interleavings over the in-memory stores; real
 * conditional writes against dynalite with a movable clock for the day-scale
 * scenarios (redrives days apart, re-publishes, TTLs).
 */

import { PutCommand } from "@aws-sdk/lib-dynamodb";
import { AnalyticsFold } from "@cvpipe/aws/analytics/analytics-fold";
import { createTables, type DynamoEmulator, startDynalite } from "@cvpipe/aws/analytics/testing/emulators";
import { foldOptions } from "@cvpipe/aws/analytics/testing/topology-options";
import { DynamoJobStore } from "@cvpipe/aws/dynamo-job-store";
import {
  type AggregateIncrements,
  eventKey,
  fenceAttribute,
  mergeAggregates,
  shardOf,
  weekOfEvent,
} from "@cvpipe/core/analytics/aggregate";
import { type FoldDeps, foldAnalyticsRecord } from "@cvpipe/core/analytics/fold-event";
import type { IsoWeek } from "@cvpipe/core/analytics/iso-week";
import { MemoryAggregateStore, MemoryEventStore } from "@cvpipe/core/analytics/testing/memory-stores";
import type { TailoringOutcomeEvent } from "@cvpipe/core/contracts/analytics-event";
import { AnalyticsEventMessage } from "@cvpipe/core/contracts/analytics-event-message";
import { idSecret } from "@cvpipe/core/contracts/canonical-json";
import type { TailoringInput, TailoringJobMessage } from "@cvpipe/core/contracts/tailoring-job-message";
import { MemoryCvStore } from "@cvpipe/core/cvs/testing/memory-cv-store";
import { DependencyError } from "@cvpipe/core/errors";
import { retractionEvent } from "@cvpipe/core/jobs/job-outcome";
import { type JobRecord, queuedShard, userKey } from "@cvpipe/core/jobs/job-record";
import type { ApplyOutcome } from "@cvpipe/core/ports/analytics-stores";
import type { OutgoingMessage, QueuePublisher } from "@cvpipe/core/ports/queue-publisher";
import type { EngineOutput, TailoringEngine, TailorRequest } from "@cvpipe/core/tailoring/types";
import { seededRandom } from "@cvpipe/core/testing/random";
import { type Exploration, exploreSchedules, flush, gated, StepScheduler } from "@cvpipe/core/testing/step-scheduler";
import { jobIndexes, tables } from "@cvpipe/core/topology";
import { type ProcessJobDeps, processJob } from "@cvpipe/functions/app/process-job";
import { submitJob } from "@cvpipe/functions/app/submit-job";
import { sweepStuckJobs } from "@cvpipe/functions/app/sweep-jobs";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { MemoryBlobs, Outbox } from "./support/fakes.ts";
import { fixture } from "./support/fixtures.ts";

const sample = fixture("http/post-job.valid.json");
const DAY = 86_400_000;

// ───────────────────────── Part 1: fold interleavings over the memory stores ─────────────────────────

interface Stores {
  readonly events: MemoryEventStore;
  readonly aggregates: MemoryAggregateStore;
}

interface Scenario {
  readonly name: string;
  /** One record per processor (several processors may carry the same record). */
  readonly records: readonly AnalyticsEventMessage[];
  readonly crashAt?: ReadonlyMap<number, number>;
  readonly check: (stores: Stores) => string | undefined;
}

interface RunResult {
  readonly stores: Stores;
  readonly errors: unknown[];
}

const runOnce = async (sc: Scenario, pick: (enabled: readonly number[]) => number): Promise<RunResult> => {
  const stores: Stores = { events: new MemoryEventStore(), aggregates: new MemoryAggregateStore() };
  const s = new StepScheduler(sc.crashAt ?? new Map());
  const errors: unknown[] = [];
  sc.records.forEach((body, pid) => {
    const deps: FoldDeps = { events: gated(stores.events, s, pid), aggregates: gated(stores.aggregates, s, pid) };
    foldAnalyticsRecord(deps, {
      body,
      sequenceNumber: String(1000 + pid),
      messageGroupId: `${body.tenantId}#${body.userId ?? "-"}`,
    }).catch((e: unknown) => errors.push(e));
  });
  for (;;) {
    await flush();
    const enabled = [...s.waiting.keys()].sort((a, b) => a - b);
    if (enabled.length === 0) break;
    const pid = pick(enabled);
    const release = s.waiting.get(pid);
    s.waiting.delete(pid);
    release?.();
  }
  return { stores, errors };
};

/** Every interleaving of `sc` (up to `limit` runs), each checked by the scenario. */
const explore = (sc: Scenario, limit: number): Promise<Exploration> =>
  exploreSchedules(
    (pick) => runOnce(sc, pick),
    ({ stores, errors }) => (errors.length > 0 ? `threw ${String(errors[0])}` : sc.check(stores)),
    limit,
  );

const randomRuns = async (sc: Scenario, runs: number, seed: number): Promise<string[]> => {
  const rand = seededRandom(seed);
  const bad: string[] = [];
  for (let r = 0; r < runs; r++) {
    const order: number[] = [];
    const { stores, errors } = await runOnce(sc, (enabled) => {
      const pid = enabled[Math.floor(rand() * enabled.length)] ?? 0;
      order.push(pid);
      return pid;
    });
    const problem = errors.length > 0 ? `threw ${String(errors[0])}` : sc.check(stores);
    if (problem && bad.length < 3) bad.push(`${problem} — schedule ${order.join("")}`);
  }
  return bad;
};

const totals = (stores: Stores): Record<string, number> => {
  const weeks = new Set([...stores.aggregates.items.values()].map((i) => i.week));
  const out: Record<string, number> = {};
  for (const week of weeks) {
    const items = [...stores.aggregates.items.values()].filter((i) => i.week === week);
    for (const [k, v] of Object.entries(mergeAggregates(week, items).byOutcome))
      out[`o:${k}`] = (out[`o:${k}`] ?? 0) + v;
    for (const item of items) out[`events@${week}`] = (out[`events@${week}`] ?? 0) + (item.counters["n_events"] ?? 0);
    out["events"] = (out["events"] ?? 0) + items.reduce((n, i) => n + (i.counters["n_events"] ?? 0), 0);
  }
  return out;
};

const producer = (eventId: string, occurredAt: string, type = "cv.downloaded"): AnalyticsEventMessage => ({
  schema: "analytics-event.v1",
  tenantId: "t1",
  userId: "u1",
  source: "producer",
  receivedAt: occurredAt,
  event: { eventId, type, occurredAt },
});

const failedOutcome = (jobId: string, attempt: number, at: string): TailoringOutcomeEvent => ({
  eventId: `tailoring-outcome-${jobId}-${attempt}`,
  type: "tailoring.outcome",
  occurredAt: at,
  jobId,
  engine: "local",
  outcome: "failed",
  errorCode: "DEPENDENCY_UNAVAILABLE",
  latencyMs: 1000,
  missingKeywords: [],
});

const asMessage = (event: AnalyticsEventMessage["event"], receivedAt: string): AnalyticsEventMessage => ({
  schema: "analytics-event.v1",
  tenantId: "t1",
  userId: "u1",
  source: "tailor",
  receivedAt,
  event,
});

const A = producer("ev-1", "2026-11-18T10:00:00.000Z");
const A_OTHER_WEEK = producer("ev-1", "2026-11-25T10:00:00.000Z", "job.viewed"); // same id, W48, other type
const F1 = failedOutcome("job-x", 1, "2026-11-18T10:00:00.000Z");
const F1_MSG = asMessage(F1, F1.occurredAt);
const R1_MSG = asMessage(retractionEvent(F1), "2026-11-19T10:00:00.000Z");

const exactlyOneEvent = (stores: Stores): string | undefined => {
  const t = totals(stores);
  return t["events"] === 1 ? undefined : `events counted ${t["events"] ?? 0} (want 1) ${JSON.stringify(t)}`;
};
const failureNetZero = (stores: Stores): string | undefined => {
  const t = totals(stores);
  return (t["o:failed"] ?? 0) === 0 && (t["events"] ?? 0) === 0 ? undefined : `net ${JSON.stringify(t)} (want 0)`;
};

test("every interleaving of two processors of one event, with a crash of one at any step", async () => {
  const report: string[] = [];
  for (const crash of [undefined, 0, 1, 2, 3, 4, 5]) {
    const sc: Scenario = {
      name: `dup crash@${crash}`,
      records: [A, A],
      ...(crash === undefined ? {} : { crashAt: new Map([[0, crash]]) }),
      check: exactlyOneEvent,
    };
    const r = await explore(sc, 20_000);
    assert.ok(r.exhausted, `${sc.name}: explored ${r.runs}`);
    console.log(`  [explore] ${sc.name}: ${r.runs} interleavings`);
    report.push(...r.bad.map((b) => `${sc.name}: ${b}`));
  }
  assert.equal(report, []);
});

test("a resend of the same eventId in another week (sameSlot branch), every interleaving, crashes too", async () => {
  const report: string[] = [];
  for (const crash of [undefined, ...[0, 1, 2, 3, 4, 5, 6].flatMap((k) => [`0:${k}`, `1:${k}`])]) {
    const crashAt = crash === undefined ? undefined : new Map([crash.split(":").map(Number) as [number, number]]);
    const sc: Scenario = {
      name: `resend crash ${crash}`,
      records: [A, A_OTHER_WEEK],
      ...(crashAt ? { crashAt } : {}),
      check: (stores) => {
        const t = totals(stores);
        // Exactly one of the two weeks, and it is the week of whichever copy was stored.
        const stored = stores.events.items.get("t1#ev-1");
        const week = stored ? weekOfEvent(stored.message.event) : "?";
        if (t["events"] !== 1 || t[`events@${week}`] !== 1) return `counted ${JSON.stringify(t)}; stored ${week}`;
        return undefined;
      },
    };
    const r = await explore(sc, 50_000);
    assert.ok(r.exhausted, `${sc.name}: explored ${r.runs}`);
    console.log(`  [explore] ${sc.name}: ${r.runs} interleavings`);
    report.push(...r.bad.map((b) => `${sc.name}: ${b}`));
  }
  assert.equal(report, []);
});

test("outcome and its retraction folded concurrently, every interleaving (and crashes of either + a rerun)", async () => {
  const full = await explore({ name: "F1 || R1", records: [F1_MSG, R1_MSG], check: failureNetZero }, 200_000);
  assert.ok(full.exhausted, `explored ${full.runs}`);
  console.log(`  [explore] F1 || R1: ${full.runs} interleavings`);
  assert.equal(full.bad, []);
  const bad: string[] = [];
  for (let k = 0; k < 12; k++) {
    // The crashed processor's record is redelivered: a third processor carries it again.
    bad.push(
      ...(await randomRuns(
        { name: "", records: [R1_MSG, F1_MSG, R1_MSG], crashAt: new Map([[0, k]]), check: failureNetZero },
        300,
        k + 1,
      )),
      ...(await randomRuns(
        { name: "", records: [F1_MSG, R1_MSG, F1_MSG], crashAt: new Map([[0, k]]), check: failureNetZero },
        300,
        k + 101,
      )),
    );
  }
  // Duplicated retraction, three processors, random schedules.
  bad.push(...(await randomRuns({ name: "", records: [R1_MSG, R1_MSG, F1_MSG], check: failureNetZero }, 2000, 7)));
  assert.equal(bad, []);
});

/** Event ids of tenant t1 that share one (week, shard, fence slot) with `ev-fence-0`. */
const collidingIds = (n: number, occurredAt: string): string[] => {
  const target = (id: string) => `${shardOf("t1", id)}|${fenceAttribute(eventKey("t1", id))}`;
  const want = target("ev-fence-0");
  const ids = ["ev-fence-0"];
  for (let i = 1; ids.length < n; i++) if (target(`ev-fence-${i}`) === want) ids.push(`ev-fence-${i}`);
  void occurredAt;
  return ids;
};

test("fence-moved retry limit — a processor starved by 8 settles of its slot throws (retry, not miscount)", async () => {
  const at = "2026-11-18T10:00:00.000Z";
  const ids = collidingIds(9, at);
  const events = new MemoryEventStore();
  const inner = new MemoryAggregateStore();
  let adversary = 1;
  // Before each of the victim's applies, another event of the same fence slot folds start to finish.
  const victimAggregates = {
    fence: (w: IsoWeek, s: string, k: string) => inner.fence(w, s, k),
    settle: (w: IsoWeek, s: string, k: string) => inner.settle(w, s, k),
    apply: async (inc: AggregateIncrements, fence: number): Promise<ApplyOutcome> => {
      const id = ids[adversary++];
      if (id) {
        await foldAnalyticsRecord(
          { events, aggregates: inner },
          { body: producer(id, at), sequenceNumber: "1", messageGroupId: "g" },
        );
      }
      return inner.apply(inc, fence);
    },
  };
  const victim = producer(ids[0] ?? "", at);
  let error: unknown;
  try {
    await foldAnalyticsRecord(
      { events, aggregates: victimAggregates },
      { body: victim, sequenceNumber: "2", messageGroupId: "g" },
    );
  } catch (e) {
    error = e;
  }
  assert.instance(error, DependencyError, "starved after 8 rounds: retryable");
  // The redelivery, without contention, folds it once; the 8 others count once each.
  assert.is(
    await foldAnalyticsRecord(
      { events, aggregates: inner },
      { body: victim, sequenceNumber: "3", messageGroupId: "g" },
    ),
    "folded",
  );
  assert.is(totals({ events, aggregates: inner })["events"], 9);
  // Ten processors on ten events of ONE slot, random schedules: count any that give up (liveness only).
  const gaveUp: string[] = [];
  const records = collidingIds(10, at).map((id) => producer(id, at));
  gaveUp.push(
    ...(await randomRuns(
      {
        name: "",
        records,
        check: (s) => (totals(s)["events"] === 10 ? undefined : `events ${totals(s)["events"]}`),
      },
      300,
      42,
    )),
  );
  assert.equal(gaveUp, [], "10 contending processors on one fence slot, 300 random schedules");
});

// ───────────────────────── Part 2: the pipeline against dynalite (jobs, events, aggregates) ─────────────────────────

let db: DynamoEmulator;
let now = new Date("2027-01-04T10:00:00.000Z");
const clock = { now: () => now };
let jobs: DynamoJobStore;
let fold: AnalyticsFold;
let seq = 5000;

test.before(async () => {
  db = await startDynalite();
  await createTables(db.client, ["jobs", "events", "aggregates"]);
  jobs = new DynamoJobStore(db.documentClient, tables.jobs.name, { clock, indexes: jobIndexes });
  fold = new AnalyticsFold(db.documentClient, foldOptions(clock, { eventTtlDays: 14 }));
});
test.after(async () => db?.close());

const okEngine = (seen?: (r: TailorRequest) => void, before?: () => Promise<void>): TailoringEngine => ({
  name: "local",
  async tailor(request: TailorRequest): Promise<EngineOutput> {
    seen?.(request);
    await before?.();
    return { resume: request.cv, usage: { inputTokens: 10, outputTokens: 1, totalTokens: 11 } };
  },
});
const downEngine: TailoringEngine = {
  name: "local",
  async tailor(): Promise<EngineOutput> {
    throw new DependencyError("Bedrock throttled");
  },
};

const deps = (queue: QueuePublisher, engine: TailoringEngine): ProcessJobDeps => ({
  jobs,
  blobs: new MemoryBlobs(),
  queue,
  clock,
  logger: { warn: () => {}, error: () => {} },
  engines: { local: engine },
  bannedClaims: [],
  maxReceiveCount: 3,
  inlineResultLimitBytes: 400_000,
});

const putJob = async (tenantId: string, jobId: string, over: Partial<JobRecord> = {}): Promise<TailoringJobMessage> => {
  const record: JobRecord = {
    tenantId,
    jobId,
    userId: "alice",
    userKey: userKey(tenantId, "alice"),
    status: "QUEUED",
    engine: "local",
    createdAt: now.toISOString(),
    updatedAt: now.toISOString(),
    expiresAt: Math.floor(now.getTime() / 1000) + 30 * 86_400, // JOB_TTL_DAYS default
    requestHash: "h",
    attempts: 0,
    ...over,
  };
  await db.documentClient.send(new PutCommand({ TableName: tables.jobs.name, Item: record }));
  return message(tenantId, jobId, sample.job);
};

const message = (tenantId: string, jobId: string, posting: TailoringInput["posting"]): TailoringJobMessage => ({
  schema: "tailoring-job.v1",
  jobId,
  tenantId,
  userId: "alice",
  submittedAt: now.toISOString(),
  input: { inline: { cv: sample.cv, posting: posting, options: { engine: "local" } } },
});

/** The analytics worker folding what the tailor published; returns the fold outcomes. */
const foldAll = async (messages: readonly OutgoingMessage[]): Promise<string[]> => {
  const out: string[] = [];
  for (const m of messages) {
    const body = AnalyticsEventMessage.parse(JSON.parse(m.body));
    out.push(
      `${body.event.eventId}:${await fold.fold({ body, sequenceNumber: String(seq++), messageGroupId: m.groupId })}`,
    );
  }
  return out;
};

/** The job's outcomes summed over every week its events fell in. */
const figures = async (weeks: Iterable<IsoWeek>): Promise<Record<string, number>> => {
  const out: Record<string, number> = {};
  for (const week of new Set(weeks)) {
    const w = mergeAggregates(week, await fold.aggregates.readWeek(week));
    for (const [k, v] of Object.entries(w.byOutcome)) out[k] = (out[k] ?? 0) + v;
  }
  return out;
};

const weeksOf = (messages: readonly OutgoingMessage[]): IsoWeek[] =>
  messages.map((m) => weekOfEvent(AnalyticsEventMessage.parse(JSON.parse(m.body)).event));

const ends = async (p: Promise<unknown>): Promise<unknown> => p.catch((e: unknown) => e);

/** Waits for one delivery of a job (its failure is the scenario's, not the test's); returns what it published, noting the weeks. */
const published = async (outbox: Outbox, weeks: IsoWeek[], delivery: Promise<unknown>): Promise<OutgoingMessage[]> => {
  await ends(delivery);
  const batch = outbox.take();
  weeks.push(...weeksOf(batch));
  return batch;
};

/** A delivery that must succeed. */
const succeeded = async (delivery: Promise<unknown>): Promise<void> => assert.is(await delivery, "succeeded");

test("failed → redriven (day 13) → failed → redriven (day 26) → succeeded, folded promptly: counted once, as succeeded", async () => {
  now = new Date("2027-01-04T10:00:00.000Z");
  const t0 = now.getTime();
  const msg = await putJob("chain", "chain-1");
  const outbox = new Outbox();
  const weeks: IsoWeek[] = [];
  const log: string[] = [];
  // Day 0: out of attempts on a retryable failure → FAILED, outcome-1 published, message to the DLQ.
  let batch = await published(outbox, weeks, processJob(deps(outbox, downEngine), msg, { receiveCount: 3 }));
  now = new Date(now.getTime() + 60_000);
  log.push(...(await foldAll(batch)));
  // Day 13: an operator redrives the DLQ (a FIFO DLQ resets the enqueue time); it fails again → DLQ again.
  now = new Date(t0 + 13 * DAY);
  batch = await published(outbox, weeks, processJob(deps(outbox, downEngine), msg, { receiveCount: 3 }));
  now = new Date(now.getTime() + 60_000);
  log.push(...(await foldAll(batch)));
  // Day 26 (the job lives 30 days): redriven again, the dependency is back: SUCCEEDED.
  now = new Date(t0 + 26 * DAY);
  batch = await published(outbox, weeks, succeeded(processJob(deps(outbox, okEngine()), msg, { receiveCount: 1 })));
  now = new Date(now.getTime() + 60_000);
  log.push(...(await foldAll(batch)));
  // Every event folded within a minute of being published; nothing stale.
  assert.ok(!log.some((l) => l.endsWith(":stale")), log.join(", "));
  // outcome-1's raw event (stored day 0) expired on day 14; the day-26 copy of retraction-1
  // carries receivedAt = day 26, so it is not stale, re-stores outcome-1 and counts it again,
  // while retraction-1 itself (stored day 13, alive until day 27) is a duplicate.
  assert.equal(await figures(weeks), { succeeded: 1 }, `fold log: ${log.join(", ")}`);
});

test("failed → redriven on day 13 → succeeded, its analytics folded a day late (analytics DLQ redrive): the failure is taken back", async () => {
  now = new Date("2027-03-01T10:00:00.000Z");
  const t0 = now.getTime();
  const msg = await putJob("late", "late-1");
  const outbox = new Outbox();
  const weeks: IsoWeek[] = [];
  const log: string[] = [];
  let batch = await published(outbox, weeks, processJob(deps(outbox, downEngine), msg, { receiveCount: 3 }));
  log.push(...(await foldAll(batch)));
  now = new Date(t0 + 13 * DAY);
  batch = await published(outbox, weeks, succeeded(processJob(deps(outbox, okEngine()), msg, { receiveCount: 1 })));
  // The analytics worker failed on this group (throttling) and an operator redrove its DLQ 1.5 days later:
  // 1.5 days after receivedAt, far inside the 14-day window.
  now = new Date(t0 + 14.5 * DAY);
  log.push(...(await foldAll(batch)));
  assert.ok(!log.some((l) => l.endsWith(":stale")), log.join(", "));
  assert.equal(await figures(weeks), { succeeded: 1 }, `fold log: ${log.join(", ")}`);
});

test("a retraction folded 15 days after the failure (inside the 45-day window of outcome events) still takes it back", async () => {
  now = new Date("2027-05-03T10:00:00.000Z");
  const t0 = now.getTime();
  const msg = await putJob("stale", "stale-1");
  const outbox = new Outbox();
  const weeks: IsoWeek[] = [];
  let batch = await published(outbox, weeks, processJob(deps(outbox, downEngine), msg, { receiveCount: 3 }));
  await foldAll(batch);
  now = new Date(t0 + DAY);
  batch = await published(outbox, weeks, succeeded(processJob(deps(outbox, okEngine()), msg, { receiveCount: 1 })));
  // analytics queue retention 4 d + FIFO DLQ 14 d (enqueue time reset): foldable up to ~18 d after receivedAt.
  now = new Date(t0 + 16 * DAY);
  const log = await foldAll(batch);
  assert.equal(await figures(weeks), { succeeded: 1 }, `fold log: ${log.join(", ")}`);
});

test("NOT_STARTED by the sweep, late message runs the job: counted once as succeeded; sweep never fails a started job", async () => {
  now = new Date("2027-07-05T10:00:00.000Z");
  const createdAt = new Date(now.getTime() - 3 * 3_600_000).toISOString();
  const msg = await putJob("sweep", "sweep-1", {
    createdAt,
    updatedAt: createdAt,
    queuedShard: queuedShard("sweep-1"),
  });
  await putJob("sweep", "sweep-2", { createdAt, updatedAt: createdAt, queuedShard: queuedShard("sweep-2") });
  const outbox = new Outbox();
  // sweep-2 starts between the sweep's listing and its conditional fail.
  const listed = await jobs.listAwaitingSweep(new Date(now.getTime() - 120 * 60_000).toISOString(), 10);
  assert.equal(listed.map((j: { jobId: string }) => j.jobId).sort(), ["sweep-1", "sweep-2"]);
  assert.ok((await jobs.start("sweep", "sweep-2", now.toISOString())).started);
  assert.is(
    await jobs.fail(
      "sweep",
      "sweep-2",
      { code: "NOT_STARTED", message: "x", retryable: true },
      now.toISOString(),
      "QUEUED",
    ),
    false,
  );
  assert.is((await jobs.get("sweep", "sweep-2"))?.status, "PROCESSING");
  const result = await sweepStuckJobs({ jobs, queue: outbox, clock, stuckAfterMinutes: 120, batchLimit: 10 });
  assert.equal(result.failed, ["sweep-1"]);
  const weeks: IsoWeek[] = [];
  let batch = outbox.take();
  weeks.push(...weeksOf(batch));
  await foldAll(batch);
  now = new Date(now.getTime() + 3_600_000);
  batch = await published(outbox, weeks, succeeded(processJob(deps(outbox, okEngine()), msg, { receiveCount: 1 })));
  await foldAll(batch);
  assert.equal(await figures(weeks), { succeeded: 1 });
});

test("the sweep's NOT_STARTED outcome is published by the next run when its publish fails once", async () => {
  now = new Date("2027-08-02T10:00:00.000Z");
  const createdAt = new Date(now.getTime() - 3 * 3_600_000).toISOString();
  await putJob("sweeplost", "lost-1", { createdAt, updatedAt: createdAt, queuedShard: queuedShard("lost-1") });
  const outbox = new Outbox();
  outbox.failNext = 1; // one throttled SendMessageBatch
  const first = await ends(sweepStuckJobs({ jobs, queue: outbox, clock, stuckAfterMinutes: 120, batchLimit: 10 }));
  assert.instance(first, DependencyError, "the sweep run fails (EventBridge retries it)");
  now = new Date(now.getTime() + 15 * 60_000);
  const second = await sweepStuckJobs({ jobs, queue: outbox, clock, stuckAfterMinutes: 120, batchLimit: 10 });
  assert.is((await jobs.get("sweeplost", "lost-1"))?.error?.code, "NOT_STARTED");
  assert.equal(
    { examined: second.examined, published: outbox.sent.length },
    { examined: 1, published: 1 },
    "the FAILED NOT_STARTED job's outcome must be published by some run",
  );
});

test("submit-job's fail() after an ambiguous send failure leaves a job the worker already started alone", async () => {
  now = new Date("2027-09-06T10:00:00.000Z");
  const ingressQueue = new Outbox();
  const analytics = new Outbox();
  let release!: () => void;
  const gate = new Promise<void>((r) => (release = r));
  let worker: Promise<unknown> | undefined;
  // SQS accepted the message (the worker got it at once) but the client saw a timeout.
  ingressQueue.onSend = async (m) => {
    const msg = JSON.parse(m.body) as TailoringJobMessage;
    let entered!: () => void;
    const inEngine = new Promise<void>((r) => (entered = r));
    worker = processJob(
      deps(
        analytics,
        okEngine(undefined, async () => {
          entered();
          await gate;
        }),
      ),
      msg,
      { receiveCount: 1 },
    );
    await inEngine;
    throw new DependencyError("SQS SendMessage: socket timeout");
  };
  const submitted = await ends(
    submitJob(
      {
        jobs,
        queue: ingressQueue,
        blobs: new MemoryBlobs(),
        clock,
        newId: () => "ambig-1",
        defaultEngine: "local",
        jobTtlDays: 30,
        idSecret: idSecret("a-test-only-secret-of-32-characters!"),
        cvs: new MemoryCvStore(),
        cvBlobs: new MemoryBlobs(),
      },
      { tenantId: "ambig", userId: "alice" },
      sample,
      undefined,
    ),
  );
  assert.instance(submitted, DependencyError);
  release();
  const outcome = await worker;
  const job = await jobs.get("ambig", "ambig-1");
  assert.equal(
    { worker: outcome, status: job?.status, error: job?.error?.code, published: analytics.sent.length },
    { worker: "succeeded", status: "SUCCEEDED", error: undefined, published: 1 },
  );
});

test("an old message of an expired job never runs the job re-created under the same id (Idempotency-Key reused after expiry)", async () => {
  now = new Date("2027-10-04T10:00:00.000Z");
  const oldMessage = message("reuse", "reuse-1", { ...sample.job, title: "OLD REQUEST" });
  await putJob("reuse", "reuse-1", { requestHash: "old" });
  // 31 days later the job has expired; the same key creates a new job with the same derived id.
  now = new Date(now.getTime() + 31 * DAY);
  const fresh: JobRecord = {
    tenantId: "reuse",
    jobId: "reuse-1",
    userId: "alice",
    userKey: userKey("reuse", "alice"),
    status: "QUEUED",
    engine: "local",
    createdAt: now.toISOString(),
    updatedAt: now.toISOString(),
    expiresAt: Math.floor(now.getTime() / 1000) + 30 * 86_400,
    requestHash: "new",
    attempts: 0,
  };
  assert.equal(await jobs.create(fresh), { created: true });
  // The old message (kept alive by DLQ round trips, FIFO DLQ resets enqueue time) is redriven now.
  let tailoredFor: string | undefined;
  const outcome = await processJob(
    deps(
      new Outbox(),
      okEngine((r) => (tailoredFor = r.posting.title)),
    ),
    oldMessage,
    { receiveCount: 1 },
  );
  assert.equal(
    { outcome, tailoredFor },
    { outcome: "stale-message", tailoredFor: undefined },
    "old input ran the new job",
  );
});

test("overlapping attempts — the loser's retryable failure at the last receive neither overwrites nor publishes", async () => {
  now = new Date("2027-11-01T10:00:00.000Z");
  const msg = await putJob("overlap", "ov-1");
  let release!: () => void;
  const gate = new Promise<void>((r) => (release = r));
  let entered!: () => void;
  const inEngine = new Promise<void>((r) => (entered = r));
  const loserOut = new Outbox();
  const loser = processJob(
    deps(loserOut, {
      name: "local",
      async tailor(): Promise<EngineOutput> {
        entered();
        await gate;
        throw new DependencyError("Bedrock throttled");
      },
    }),
    msg,
    { receiveCount: 3 },
  );
  await inEngine;
  const winnerOut = new Outbox();
  assert.is(await processJob(deps(winnerOut, okEngine()), msg, { receiveCount: 3 }), "succeeded");
  release();
  assert.is(await loser, "superseded");
  const job = await jobs.get("overlap", "ov-1");
  assert.equal(
    { status: job?.status, attempts: job?.attempts, loser: loserOut.sent.length },
    {
      status: "SUCCEEDED",
      attempts: 2,
      loser: 0,
    },
  );
  // A third delivery of the finished job only re-publishes the same ids.
  const again = new Outbox();
  assert.is(await processJob(deps(again, okEngine()), msg, { receiveCount: 1 }), "already-done");
  assert.equal(
    again.sent.map((m) => m.deduplicationId),
    winnerOut.sent.map((m) => m.deduplicationId),
  );
});

test("a finished job re-published a week after it succeeded (a later delivery of its message) does not re-count its retracted failure", async () => {
  now = new Date("2027-12-06T10:00:00.000Z");
  const t0 = now.getTime();
  const msg = await putJob("republish", "rp-1");
  const outbox = new Outbox();
  const weeks: IsoWeek[] = [];
  let batch = await published(outbox, weeks, processJob(deps(outbox, downEngine), msg, { receiveCount: 3 }));
  await foldAll(batch);
  now = new Date(t0 + 13 * DAY);
  batch = await published(outbox, weeks, succeeded(processJob(deps(outbox, okEngine()), msg, { receiveCount: 1 })));
  await foldAll(batch);
  assert.equal(await figures(weeks), { succeeded: 1 }, "right after the redrive: correct");
  // Day 20: another copy of the job's message arrives (e.g. the DLQ redriven again); the job is done, so
  // processJob only re-publishes its events — same ids, "the fold counts each once".
  now = new Date(t0 + 20 * DAY);
  assert.is(await processJob(deps(outbox, okEngine()), msg, { receiveCount: 1 }), "already-done");
  batch = outbox.take();
  const log = await foldAll(batch);
  assert.equal(await figures(weeks), { succeeded: 1 }, `after the re-publish: ${log.join(", ")}`);
});

test("failure on Sunday 23:59 of one ISO week, redriven success on Monday of the next: each week right", async () => {
  now = new Date("2028-01-09T23:59:00.000Z"); // Sunday, 2028-W01
  const msg = await putJob("weeks", "wk-1");
  const outbox = new Outbox();
  await ends(processJob(deps(outbox, downEngine), msg, { receiveCount: 3 }));
  await foldAll(outbox.take());
  now = new Date("2028-01-10T08:00:00.000Z"); // Monday, 2028-W02
  assert.is(await processJob(deps(outbox, okEngine()), msg, { receiveCount: 1 }), "succeeded");
  const batch = outbox.take();
  // Retraction and outcome folded out of order and twice.
  await foldAll([...batch].reverse());
  await foldAll(batch);
  assert.equal(await figures(["2028-W01"]), {});
  assert.equal(await figures(["2028-W02"]), { succeeded: 1 });
});

test("dynalite, natural concurrency — outcome, its retraction twice and the outcome again folded at once, 25 jobs", async () => {
  now = new Date("2028-03-06T10:00:00.000Z");
  const at = now.toISOString();
  const weeks = new Set<IsoWeek>();
  await Promise.all(
    Array.from({ length: 25 }, async (_, i) => {
      const f = failedOutcome(`conc-${i}`, 1, at);
      const fm = asMessage(f, at);
      const rm = asMessage(retractionEvent(f), at);
      weeks.add(weekOfEvent(f));
      await Promise.all(
        [fm, rm, rm, fm, rm].map((body) => fold.fold({ body, sequenceNumber: String(seq++), messageGroupId: "t1#u1" })),
      );
    }),
  );
  assert.equal(await figures(weeks), {});
});

test.run();
