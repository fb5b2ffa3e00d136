import { test } from "uvu";
import * as assert from "uvu/assert";
import type { TailoringOutcomeEvent } from "../contracts/analytics-event.ts";
import type { AnalyticsEventMessage } from "../contracts/analytics-event-message.ts";
import { ValidationError } from "../errors.ts";
import type { AggregateStore, EventStore } from "../ports/analytics-stores.ts";
import { rejects } from "../testing/rejects.ts";
import { mergeAggregates } from "./aggregate.ts";
import { foldAnalyticsRecord, padSequenceNumber } from "./fold-event.ts";
import { diffAggregates } from "./testing/compare.ts";
import { CRASH_POINTS, simulateFifo } from "./testing/fifo-simulation.ts";
import { MemoryAggregateStore, MemoryEventStore } from "./testing/memory-stores.ts";
import { recount } from "./testing/recount.ts";
import { sampleMessages } from "./testing/sample-events.ts";

const WEEK = "2026-W47";
const setup = () => {
  const events = new MemoryEventStore();
  const aggregates = new MemoryAggregateStore();
  return { events, aggregates, deps: { events, aggregates } };
};
const [one] = sampleMessages({ week: WEEK, count: 1, seed: 9, outcomeShare: 1 });
const record = (seq: string, group = one!.messageGroupId) => ({
  body: one!.body,
  sequenceNumber: seq,
  messageGroupId: group,
});
const eventsCounted = async (agg: MemoryAggregateStore) => mergeAggregates(WEEK, await agg.readWeek(WEEK)).events;

test("SequenceNumbers pad to 40 digits and then compare as strings", () => {
  const small = padSequenceNumber("9");
  const big = padSequenceNumber("18446744073709551616000000000000000000"); // > 2^64
  assert.is(small.length, 40);
  assert.ok(small < big);
  assert.ok(padSequenceNumber("100") > padSequenceNumber("99"));
  assert.throws(
    () => padSequenceNumber("12a"),
    (e: unknown) => e instanceof ValidationError,
  );
  assert.throws(
    () => padSequenceNumber("1".repeat(41)),
    (e: unknown) => e instanceof ValidationError,
  );
});

test("a record folds once; its redelivery is a duplicate", async () => {
  const { aggregates, deps } = setup();
  assert.is(await foldAnalyticsRecord(deps, record("100")), "folded");
  assert.is(await foldAnalyticsRecord(deps, record("100")), "duplicate");
  assert.is(await eventsCounted(aggregates), 1);
  assert.equal(
    [...aggregates.pending.values()].flatMap((s) => [...s]),
    [],
    "no pending marker left",
  );
});

test("crash between the raw write and the fold: the rerun folds", async () => {
  const { aggregates, events, deps } = setup();
  const crashing: AggregateStore = {
    fence: (w, s, k) => aggregates.fence(w, s, k),
    apply: async () => {
      throw new Error("crash before the fold");
    },
    settle: (w, s, k) => aggregates.settle(w, s, k),
  };
  await rejects(() => foldAnalyticsRecord({ events, aggregates: crashing }, record("100")));
  assert.is((await events.get(one!.body.tenantId, one!.body.event.eventId))?.folded, false);
  assert.is(await foldAnalyticsRecord(deps, record("100")), "folded");
  assert.is(await eventsCounted(aggregates), 1);
});

test("crash between the fold and the mark, then DLQ redrive with a new, higher SequenceNumber: counted once", async () => {
  const { aggregates, events, deps } = setup();
  const crashing: EventStore = {
    putOnce: (e) => events.putOnce(e),
    get: (t, id) => events.get(t, id),
    markFolded: async () => {
      throw new Error("crash before marking");
    },
  };
  for (let receive = 0; receive < 3; receive++) {
    await rejects(() => foldAnalyticsRecord({ events: crashing, aggregates }, record("100")));
  }
  assert.is(await eventsCounted(aggregates), 1, "the fold landed on the first receive only");
  assert.is(await foldAnalyticsRecord(deps, record("5000")), "recovered");
  assert.is(await eventsCounted(aggregates), 1);
  assert.is((await events.get(one!.body.tenantId, one!.body.event.eventId))?.folded, true);
  assert.equal(
    [...aggregates.pending.values()].flatMap((s) => [...s]),
    [],
  );
});

test("the same event from another message group counts once, whichever group folds it", async () => {
  const { aggregates, events, deps } = setup();
  const crashing: AggregateStore = {
    fence: (w, s, k) => aggregates.fence(w, s, k),
    apply: async () => {
      throw new Error("the first carrier crashes before the fold");
    },
    settle: (w, s, k) => aggregates.settle(w, s, k),
  };
  await rejects(() => foldAnalyticsRecord({ events, aggregates: crashing }, record("100")));
  // Fences make the fold safe whoever runs it: the other group's message need not wait for the first.
  assert.is(await foldAnalyticsRecord(deps, record("200", "acme#someone-else")), "folded");
  assert.is(await foldAnalyticsRecord(deps, record("100")), "duplicate");
  assert.is(await foldAnalyticsRecord(deps, record("300", "acme#someone-else")), "duplicate");
  assert.is(await eventsCounted(aggregates), 1);
});

test("two overlapping deliveries of one record count it once (the second read 'unfolded' before the first settled)", async () => {
  const { aggregates, events, deps } = setup();
  let resume!: () => void;
  const gate = new Promise<void>((r) => (resume = r));
  let reached!: () => void;
  const atApply = new Promise<void>((r) => (reached = r));
  // Attempt B (a redelivery past the visibility timeout, or an overrunning local handler) stalls
  // just before its apply, after it has stored the event and seen it unfolded.
  const stalled: AggregateStore = {
    fence: (w, s, k) => aggregates.fence(w, s, k),
    apply: async (inc, fence) => {
      reached();
      await gate;
      return aggregates.apply(inc, fence);
    },
    settle: (w, s, k) => aggregates.settle(w, s, k),
  };
  const b = foldAnalyticsRecord({ events, aggregates: stalled }, record("100"));
  await atApply;
  // Attempt A runs start to finish meanwhile.
  assert.is(await foldAnalyticsRecord(deps, record("100")), "folded");
  resume();
  assert.is(await b, "duplicate");
  assert.is(await eventsCounted(aggregates), 1);
});

/** A job that failed (retryable, out of attempts), was redriven and succeeded: its three events. */
const redrivenJob = () => {
  const occurredAt = "2026-11-18T10:00:00.000Z";
  const failed: TailoringOutcomeEvent = {
    eventId: "tailoring-outcome-j1-3",
    type: "tailoring.outcome",
    occurredAt,
    jobId: "j1",
    engine: "bedrock",
    outcome: "failed",
    errorCode: "ENGINE_UNAVAILABLE",
    latencyMs: 40_000,
    missingKeywords: [],
  };
  const succeeded: TailoringOutcomeEvent = {
    eventId: "tailoring-outcome-j1-4",
    type: "tailoring.outcome",
    occurredAt: "2026-11-19T08:00:00.000Z",
    jobId: "j1",
    engine: "bedrock",
    outcome: "succeeded",
    latencyMs: 900_000,
    matchScore: 77,
    inputTokens: 1200,
    outputTokens: 300,
    missingKeywords: ["kubernetes"],
  };
  const msg = (event: AnalyticsEventMessage["event"]): AnalyticsEventMessage => ({
    schema: "analytics-event.v1",
    tenantId: "acme",
    userId: "alice",
    source: "tailor",
    receivedAt: event.occurredAt,
    event,
  });
  return {
    group: "acme#alice",
    failed: msg(failed),
    retraction: msg({
      eventId: "tailoring-retraction-j1-3",
      type: "tailoring.retraction",
      occurredAt,
      jobId: "j1",
      supersedes: failed,
    }),
    succeeded: msg(succeeded),
  };
};

test("a redriven job that then succeeds counts once, as succeeded, with its score and tokens", async () => {
  const { aggregates, deps } = setup();
  const job = redrivenJob();
  const fold = (body: AnalyticsEventMessage, seq: string) =>
    foldAnalyticsRecord(deps, { body, sequenceNumber: seq, messageGroupId: job.group });
  assert.is(await fold(job.failed, "100"), "folded");
  assert.is(mergeAggregates(WEEK, await aggregates.readWeek(WEEK)).byOutcome["failed"], 1);
  // The redriven success is published with the retraction of the failure before it; both may repeat.
  for (const seq of ["200", "250"]) {
    await fold(job.retraction, seq);
    await fold(job.succeeded, String(Number(seq) + 1));
  }
  const week = mergeAggregates(WEEK, await aggregates.readWeek(WEEK));
  assert.equal(week, recount([job.failed, job.retraction, job.succeeded]).get(WEEK));
  assert.equal(week.byOutcome, { succeeded: 1 });
  assert.equal(week.byErrorCode, {});
  assert.is(week.outcomeEvents, 1);
  assert.is(week.events, 1);
  assert.is(week.latencySumMs, 900_000);
  assert.is(week.scoreCount, 1);
  assert.equal(week.tokens, { input: 1200, output: 300 });
});

test("a retraction that arrives before the outcome it takes back (still in the DLQ): that outcome never counts", async () => {
  const { aggregates, deps } = setup();
  const job = redrivenJob();
  const fold = (body: AnalyticsEventMessage, seq: string) =>
    foldAnalyticsRecord(deps, { body, sequenceNumber: seq, messageGroupId: job.group });
  await fold(job.retraction, "200");
  await fold(job.succeeded, "201");
  assert.equal(mergeAggregates(WEEK, await aggregates.readWeek(WEEK)).byOutcome, { succeeded: 1 });
  // The failure's own message is redriven from the analytics DLQ afterwards.
  assert.is(await fold(job.failed, "900"), "duplicate");
  const week = mergeAggregates(WEEK, await aggregates.readWeek(WEEK));
  assert.equal(week.byOutcome, { succeeded: 1 });
  assert.is(week.events, 1);
});

test("a resend with different content counts the stored copy", async () => {
  const { aggregates, deps } = setup();
  await foldAnalyticsRecord(deps, record("100"));
  const altered = {
    ...one!.body,
    tenantId: one!.body.tenantId,
    event: { ...one!.body.event, occurredAt: "2026-11-30T10:00:00Z" },
  };
  assert.is(
    await foldAnalyticsRecord(deps, { body: altered, sequenceNumber: "900", messageGroupId: one!.messageGroupId }),
    "duplicate",
  );
  assert.is(await eventsCounted(aggregates), 1);
  assert.is((await aggregates.readWeek("2026-W49")).length, 0);
});

test("FIFO simulation with crashes at every step, redeliveries, DLQ and redrive equals the recount", async () => {
  const { aggregates, deps } = setup();
  const base = sampleMessages({ week: WEEK, count: 600, seed: 11, usersPerTenant: 4 });
  // Producer resends (same eventId, later, same group) and one under another user's group.
  const resends = base.filter((_, i) => i % 37 === 0);
  const foreign = base.slice(0, 5).map((m) => ({ ...m, messageGroupId: `${m.body.tenantId}#intruder` }));
  const stats = await simulateFifo(deps, [...base, ...resends, ...foreign], { seed: 3, crashRate: 0.1 });
  for (const point of CRASH_POINTS) assert.ok(stats.crashes[point] > 0, `no crash ${point}`);
  assert.ok(stats.movedToDlq > 0 && stats.redriven > 0, "exercised DLQ redrive");
  assert.ok(stats.outcomes.recovered > 0, "exercised recovery after a crash between fold and mark");
  const expected = recount(base.map((m) => m.body)).get(WEEK)!;
  const got = mergeAggregates(WEEK, await aggregates.readWeek(WEEK));
  assert.equal(diffAggregates(got, expected), []);
  assert.is(got.events, 600);
  assert.equal(
    [...aggregates.pending.values()].flatMap((s) => [...s]),
    [],
    "no pending marker left",
  );
});

test("a message received longer ago than the dedup window is not folded (a late DLQ redrive cannot double count)", async () => {
  const { aggregates, deps } = setup();
  const received = Date.parse(one!.body.receivedAt);
  const window = { dedupWindowMs: 14 * 86_400_000 };
  assert.is(await foldAnalyticsRecord(deps, record("100"), { ...window, now: new Date(received + 60_000) }), "folded");
  // 15 days later the raw event (the dedup record) may be gone; the FIFO DLQ reset the message's clock.
  const late = { ...window, now: new Date(received + 15 * 86_400_000) };
  assert.is(await foldAnalyticsRecord(deps, record("900"), late), "stale");
  assert.is(await eventsCounted(aggregates), 1);
  // Inside the window the ordinary dedup answers.
  assert.is(
    await foldAnalyticsRecord(deps, record("950"), { ...window, now: new Date(received + 13 * 86_400_000) }),
    "duplicate",
  );
});

test.run();
