/**
 * The batch fold's write pattern and its exactly-once guarantee: several
 * events per call, one aggregate write per item, failures kept per event,
 * and every interleaving of overlapping batches (with a crash of one at any
 * step, then its rerun) counting each event once.
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import type { TailoringOutcomeEvent } from "../contracts/analytics-event.ts";
import type { AnalyticsEventMessage } from "../contracts/analytics-event-message.ts";
import { DependencyError } from "../errors.ts";
import { retractionEvent } from "../jobs/job-outcome.ts";
import type { AggregateStore, EventStore } from "../ports/analytics-stores.ts";
import { seededRandom } from "../testing/random.ts";
import { exploreSchedules, flush, gated, StepScheduler } from "../testing/step-scheduler.ts";
import { eventKey, mergeAggregates, SHARD_COUNT, shardOf } from "./aggregate.ts";
import { type AnalyticsRecord, type FoldDeps, foldAnalyticsBatch } from "./fold-event.ts";
import { diffAggregates } from "./testing/compare.ts";
import { CRASH_POINTS, simulateFifo } from "./testing/fifo-simulation.ts";
import { MemoryAggregateStore, MemoryEventStore } from "./testing/memory-stores.ts";
import { recount } from "./testing/recount.ts";
import { sampleMessages } from "./testing/sample-events.ts";

const WEEK = "2026-W47";
const AT = "2026-11-18T10:00:00.000Z";

const producer = (eventId: string, occurredAt = AT, userId = "u1"): AnalyticsEventMessage => ({
  schema: "analytics-event.v1",
  tenantId: "t1",
  userId,
  source: "producer",
  receivedAt: occurredAt,
  event: { eventId, type: "cv.downloaded", occurredAt },
});

const records = (bodies: readonly AnalyticsEventMessage[], seq = 100): AnalyticsRecord[] =>
  bodies.map((body, i) => ({
    body,
    sequenceNumber: String(seq + i),
    messageGroupId: `${body.tenantId}#${body.userId ?? "-"}`,
  }));

/** Counts each port call by name. */
const counting = <T extends object>(target: T, calls: Map<string, number>): T =>
  new Proxy(target, {
    get(t, k) {
      const v = Reflect.get(t, k, t) as unknown;
      if (typeof v !== "function") return v;
      return (...args: unknown[]) => {
        calls.set(String(k), (calls.get(String(k)) ?? 0) + 1);
        return (v as (...a: unknown[]) => unknown).apply(t, args);
      };
    },
  });

const eventsIn = async (aggregates: MemoryAggregateStore, week = WEEK) =>
  mergeAggregates(week, await aggregates.readWeek(week)).events;

const pendingLeft = (aggregates: MemoryAggregateStore): string[] =>
  [...aggregates.pending.values()].flatMap((s) => [...s]);

test("a batch of new events of one week: one call per step, one aggregate item", async () => {
  const events = new MemoryEventStore();
  const aggregates = new MemoryAggregateStore();
  const calls = new Map<string, number>();
  const bodies = Array.from({ length: 10 }, (_, i) => producer(`b-${i}`, AT, `u${i}`));
  const results = await foldAnalyticsBatch(
    { events: counting(events, calls), aggregates: counting(aggregates, calls) },
    records(bodies),
  );
  assert.equal(
    results.map((r) => (r.status === "fulfilled" ? r.value : "rejected")),
    Array(10).fill("folded"),
  );
  assert.equal(Object.fromEntries(calls), {
    fences: 1,
    putEach: 1,
    applyEach: 1,
    markFoldedEach: 1,
    settleEach: 1,
  });
  const items = await aggregates.readWeek(WEEK);
  assert.is(items.length, 1, "stored with the shard of the batch's first event");
  assert.is(items[0]?.shard, shardOf("t1", "b-0"));
  assert.is(await eventsIn(aggregates), 10);
  assert.equal(pendingLeft(aggregates), []);
  // The stored copies name that shard: a redelivery of any of them, alone, is a duplicate there.
  assert.is(events.items.get("t1#b-7")?.shard, shardOf("t1", "b-0"));
  const again = await foldAnalyticsBatch({ events, aggregates }, records([bodies[7]!], 900));
  assert.equal(again, [{ status: "fulfilled", value: "duplicate" }]);
  assert.is(await eventsIn(aggregates), 10);
});

test("one batch carrying an event twice, an outcome and its retraction: each counted once, nets right", async () => {
  const events = new MemoryEventStore();
  const aggregates = new MemoryAggregateStore();
  const failed: TailoringOutcomeEvent = {
    eventId: "tailoring-outcome-j1-1",
    type: "tailoring.outcome",
    occurredAt: AT,
    jobId: "j1",
    engine: "local",
    outcome: "failed",
    errorCode: "DEPENDENCY_UNAVAILABLE",
    latencyMs: 1000,
    missingKeywords: [],
  };
  const tailor = (event: AnalyticsEventMessage["event"]): AnalyticsEventMessage => ({
    schema: "analytics-event.v1",
    tenantId: "t1",
    userId: "u1",
    source: "tailor",
    receivedAt: AT,
    event,
  });
  const retraction = tailor(retractionEvent(failed));
  const a = producer("dup-a");
  const results = await foldAnalyticsBatch(
    { events, aggregates },
    records([a, retraction, a, tailor(failed), retraction, producer("dup-b")]),
  );
  assert.equal(
    results.map((r) => (r.status === "fulfilled" ? r.value : "rejected")),
    ["folded", "folded", "duplicate", "duplicate", "duplicate", "folded"],
  );
  const week = mergeAggregates(WEEK, await aggregates.readWeek(WEEK));
  assert.is(week.events, 2, "dup-a and dup-b; the failure and its retraction net zero");
  assert.equal(week.byOutcome, {});
  assert.equal(pendingLeft(aggregates), []);
});

test("a failing write fails only the records whose events it carried", async () => {
  const events = new MemoryEventStore();
  const aggregates = new MemoryAggregateStore();
  const flaky: EventStore = {
    putOnce: async (e) => {
      if (e.eventId === "bad") throw new DependencyError("PutItem throttled");
      return events.putOnce(e);
    },
    get: (t, id) => events.get(t, id),
    markFolded: (t, id) => events.markFolded(t, id),
  };
  const results = await foldAnalyticsBatch(
    { events: flaky, aggregates },
    records([producer("ok-1"), producer("bad"), producer("ok-2")]),
  );
  assert.is(results[0]?.status, "fulfilled");
  assert.is(results[1]?.status, "rejected");
  assert.instance((results[1] as PromiseRejectedResult).reason, DependencyError);
  assert.is(results[2]?.status, "fulfilled");
  assert.is(await eventsIn(aggregates), 2);
  // The redelivery folds it.
  assert.equal(await foldAnalyticsBatch({ events, aggregates }, records([producer("bad")], 500)), [
    { status: "fulfilled", value: "folded" },
  ]);
  assert.is(await eventsIn(aggregates), 3);
});

test("a failed outcome's retraction never counts before the outcome does (its write waits)", async () => {
  const events = new MemoryEventStore();
  const inner = new MemoryAggregateStore();
  const failed: TailoringOutcomeEvent = {
    eventId: "tailoring-outcome-j2-1",
    type: "tailoring.outcome",
    occurredAt: AT,
    jobId: "j2",
    engine: "local",
    outcome: "failed",
    errorCode: "DEPENDENCY_UNAVAILABLE",
    latencyMs: 1000,
    missingKeywords: [],
  };
  const retraction: AnalyticsEventMessage = {
    schema: "analytics-event.v1",
    tenantId: "t1",
    userId: "u1",
    source: "tailor",
    receivedAt: AT,
    event: retractionEvent(failed),
  };
  // Every apply of the superseded outcome fails: the retraction's negation must not go in alone.
  const refusing: AggregateStore = {
    fence: (w, s, k) => inner.fence(w, s, k),
    settle: (w, s, k) => inner.settle(w, s, k),
    apply: async (inc, fence) => {
      if (inc.eventKey === eventKey("t1", failed.eventId)) throw new DependencyError("UpdateItem throttled");
      return inner.apply(inc, fence);
    },
  };
  const [result] = await foldAnalyticsBatch({ events, aggregates: refusing }, records([retraction]));
  assert.is(result?.status, "rejected");
  assert.equal(mergeAggregates(WEEK, await inner.readWeek(WEEK)).byOutcome, {}, "no negative count");
  assert.is(await eventsIn(inner), 0);
});

test("FIFO simulation, batches of 10 (one record per group), 2 invocations at once, crashes at every step", async () => {
  const events = new MemoryEventStore();
  const aggregates = new MemoryAggregateStore();
  const base = sampleMessages({ week: WEEK, count: 600, seed: 12, usersPerTenant: 8 });
  const resends = base.filter((_, i) => i % 31 === 0);
  const foreign = base.slice(0, 6).map((m) => ({ ...m, messageGroupId: `${m.body.tenantId}#intruder` }));
  const stats = await simulateFifo({ events, aggregates }, [...base, ...resends, ...foreign], {
    seed: 5,
    crashRate: 0.03,
    batchSize: 10,
    concurrency: 2,
  });
  for (const point of CRASH_POINTS) assert.ok(stats.crashes[point] > 0, `no crash ${point}`);
  assert.ok(stats.movedToDlq > 0 && stats.redriven > 0, "exercised DLQ redrive");
  assert.ok(stats.outcomes.recovered > 0, "exercised recovery after a crash between fold and mark");
  assert.ok(stats.deliveries / stats.invocations > 5, "batches were batches");
  const got = mergeAggregates(WEEK, await aggregates.readWeek(WEEK));
  assert.equal(diffAggregates(got, recount(base.map((m) => m.body)).get(WEEK)!), []);
  assert.ok((await aggregates.readWeek(WEEK)).length <= SHARD_COUNT);
  assert.equal(pendingLeft(aggregates), []);
});

test("FIFO simulation, AWS-style batches (up to 4 records of a group), crashes at every step", async () => {
  const events = new MemoryEventStore();
  const aggregates = new MemoryAggregateStore();
  const base = sampleMessages({ week: WEEK, count: 500, seed: 13, usersPerTenant: 3 });
  const resends = base.filter((_, i) => i % 23 === 0);
  const stats = await simulateFifo({ events, aggregates }, [...base, ...resends], {
    seed: 6,
    crashRate: 0.03,
    batchSize: 10,
    perGroup: 4,
    concurrency: 2,
  });
  for (const point of CRASH_POINTS) assert.ok(stats.crashes[point] > 0, `no crash ${point}`);
  const got = mergeAggregates(WEEK, await aggregates.readWeek(WEEK));
  assert.equal(diffAggregates(got, recount(base.map((m) => m.body)).get(WEEK)!), []);
  assert.equal(pendingLeft(aggregates), []);
});

// ───────────── every interleaving of overlapping batches (each port call a scheduling point) ─────────────

interface Interleaving {
  /** One batch per processor. */
  readonly batches: readonly (readonly AnalyticsEventMessage[])[];
  readonly crashAt?: ReadonlyMap<number, number>;
  /** Processors that start only once every other has finished or crashed (a rerun). */
  readonly after?: ReadonlySet<number>;
}

const run = async (sc: Interleaving, pick: (enabled: readonly number[]) => number) => {
  const events = new MemoryEventStore();
  const aggregates = new MemoryAggregateStore();
  const s = new StepScheduler(sc.crashAt ?? new Map());
  const errors: unknown[] = [];
  const start = (pid: number): void => {
    const deps: FoldDeps = { events: gated(events, s, pid), aggregates: gated(aggregates, s, pid) };
    foldAnalyticsBatch(deps, records(sc.batches[pid]!, 1000 + 100 * pid)).then(
      (results) => {
        for (const r of results) if (r.status === "rejected") errors.push(r.reason);
      },
      (e: unknown) => errors.push(e),
    );
  };
  sc.batches.forEach((_, pid) => {
    if (!sc.after?.has(pid)) start(pid);
  });
  let rerunsStarted = false;
  for (;;) {
    await flush();
    let enabled = [...s.waiting.keys()].sort((a, b) => a - b);
    if (enabled.length === 0 && !rerunsStarted && sc.after) {
      rerunsStarted = true;
      for (const pid of sc.after) start(pid);
      await flush();
      enabled = [...s.waiting.keys()].sort((a, b) => a - b);
    }
    if (enabled.length === 0) break;
    const pid = pick(enabled);
    const release = s.waiting.get(pid);
    s.waiting.delete(pid);
    release?.();
  }
  return { events, aggregates, errors };
};

const check = async (
  sc: Interleaving,
  outcome: Awaited<ReturnType<typeof run>>,
  expected: number,
): Promise<string | undefined> => {
  if (outcome.errors.length > 0) return `threw ${String(outcome.errors[0])}`;
  const counted = await eventsIn(outcome.aggregates);
  if (counted !== expected) return `counted ${counted}, want ${expected}`;
  // Without a crash, or after the crashed batch's rerun, no marker is left behind.
  if ((!sc.crashAt || sc.after) && pendingLeft(outcome.aggregates).length > 0) {
    return `pending left: ${pendingLeft(outcome.aggregates).join(",")}`;
  }
  return undefined;
};

/** Every schedule of `sc` (up to `limit` runs), each checked against `expected`. */
const explore = (sc: Interleaving, expected: number, limit: number) =>
  exploreSchedules(
    (pick) => run(sc, pick),
    (outcome) => check(sc, outcome, expected),
    limit,
  );

/** Event ids of t1 whose hash shard is (or is not) that of `first`. */
const idsWithShard = (first: string, same: boolean, n: number): string[] => {
  const ids: string[] = [];
  for (let i = 0; ids.length < n; i++) {
    const id = `${first}-x${i}`;
    if ((shardOf("t1", id) === shardOf("t1", first)) === same) ids.push(id);
  }
  return ids;
};

test("two batches sharing an event, their first events on different shards: every interleaving, crash of one at any step, then its rerun", async () => {
  // Batch 0 stores new events under shard(a), batch 1 under shard(c): b's item is whoever stores it first.
  const [c] = idsWithShard("a", false, 1);
  const batches = [
    [producer("a"), producer("b")],
    [producer(c!), producer("b")],
  ];
  const full = await explore({ batches }, 3, 100_000);
  assert.ok(full.exhausted, `explored ${full.runs}`);
  assert.equal(full.bad, []);
  const report: string[] = [];
  let runs = full.runs;
  for (let k = 0; k < 8; k++) {
    // Processor 0 crashes at its k-th call; processor 2 (its redelivery) starts once the others are done.
    const sc: Interleaving = { batches: [...batches, batches[0]!], crashAt: new Map([[0, k]]), after: new Set([2]) };
    const r = await explore(sc, 3, 100_000);
    assert.ok(r.exhausted, `crash@${k}: explored ${r.runs}`);
    runs += r.runs;
    report.push(...r.bad.map((b) => `crash@${k}: ${b}`));
  }
  console.log(`  [explore] overlapping batches, other shards: ${runs} interleavings`);
  assert.equal(report, []);
});

test("two batches sharing events in ONE item (combined applies contend on its fences): every interleaving, crashes too", async () => {
  // Both batches' first events hash to one shard: every new event of both lands in one item.
  const [a2, shared] = idsWithShard("a", true, 2);
  const batches = [
    [producer("a"), producer(shared!)],
    [producer(a2!), producer(shared!), producer("a")],
  ];
  const full = await explore({ batches }, 3, 200_000);
  assert.ok(full.exhausted, `explored ${full.runs}`);
  assert.equal(full.bad, []);
  const report: string[] = [];
  let runs = full.runs;
  for (let k = 0; k < 8; k++) {
    const sc: Interleaving = { batches: [...batches, batches[1]!], crashAt: new Map([[1, k]]), after: new Set([2]) };
    const r = await explore(sc, 3, 200_000);
    assert.ok(r.exhausted, `crash@${k}: explored ${r.runs}`);
    runs += r.runs;
    report.push(...r.bad.map((b) => `crash@${k}: ${b}`));
  }
  console.log(`  [explore] overlapping batches, one item: ${runs} interleavings`);
  assert.equal(report, []);
});

test("three batches over one event set with a resend in another week: random schedules count each once", async () => {
  const rand = seededRandom(77);
  const bad: string[] = [];
  const other = producer("r-1", "2026-11-25T10:00:00.000Z"); // same id, next week
  const batches = [
    [producer("r-1"), producer("r-2"), producer("r-3")],
    [producer("r-3"), other, producer("r-4")],
    [producer("r-4"), producer("r-2")],
  ];
  for (let i = 0; i < 1500; i++) {
    const outcome = await run({ batches }, (enabled) => enabled[Math.floor(rand() * enabled.length)] ?? 0);
    const stored = outcome.events.items.get("t1#r-1");
    const week = stored?.message.event.occurredAt.startsWith("2026-11-25") ? "2026-W48" : WEEK;
    const total = (await eventsIn(outcome.aggregates, WEEK)) + (await eventsIn(outcome.aggregates, "2026-W48"));
    if (outcome.errors.length > 0) bad.push(`threw ${String(outcome.errors[0])}`);
    else if (total !== 4) bad.push(`counted ${total}`);
    else if (week === "2026-W48" && (await eventsIn(outcome.aggregates, "2026-W48")) !== 1)
      bad.push("r-1 not in its stored week");
    else if (pendingLeft(outcome.aggregates).length > 0) bad.push("pending left");
    if (bad.length >= 3) break;
  }
  assert.equal(bad, []);
});

test.run();
