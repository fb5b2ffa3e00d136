import { test } from "uvu";
import * as assert from "uvu/assert";
import { ValidationError } from "../errors.ts";
import { rejects } from "../testing/rejects.ts";
import { mergeAggregates, recount } from "./aggregate.ts";
import { foldAnalyticsRecord, padSequenceNumber } from "./fold-event.ts";
import type { AggregateStore, EventStore } from "./ports.ts";
import { diffAggregates } from "./testing/compare.ts";
import { CRASH_POINTS, simulateFifo } from "./testing/fifo-simulation.ts";
import { MemoryAggregateStore, MemoryEventStore } from "./testing/memory-stores.ts";
import { sampleMessages } from "./testing/sample-events.ts";

const WEEK = "2026-W47";
const setup = () => {
  const events = new MemoryEventStore();
  const aggregates = new MemoryAggregateStore();
  return { events, aggregates, ports: { events, aggregates } };
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
  const { aggregates, ports } = setup();
  assert.is(await foldAnalyticsRecord(ports, record("100")), "folded");
  assert.is(await foldAnalyticsRecord(ports, record("100")), "duplicate");
  assert.is(await eventsCounted(aggregates), 1);
  assert.equal(
    [...aggregates.pending.values()].flatMap((s) => [...s]),
    [],
    "no pending marker left",
  );
});

test("crash between the raw write and the fold: the rerun folds", async () => {
  const { aggregates, events, ports } = setup();
  const crashing: AggregateStore = {
    apply: async () => {
      throw new Error("crash before the fold");
    },
    settle: (w, s, k) => aggregates.settle(w, s, k),
  };
  await rejects(() => foldAnalyticsRecord({ events, aggregates: crashing }, record("100")));
  assert.is((await events.get(one!.body.tenantId, one!.body.event.eventId))?.folded, false);
  assert.is(await foldAnalyticsRecord(ports, record("100")), "folded");
  assert.is(await eventsCounted(aggregates), 1);
});

test("crash between the fold and the mark, then DLQ redrive with a new, higher SequenceNumber: counted once", async () => {
  const { aggregates, events, ports } = setup();
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
  assert.is(await foldAnalyticsRecord(ports, record("5000")), "recovered");
  assert.is(await eventsCounted(aggregates), 1);
  assert.is((await events.get(one!.body.tenantId, one!.body.event.eventId))?.folded, true);
  assert.equal(
    [...aggregates.pending.values()].flatMap((s) => [...s]),
    [],
  );
});

test("the same event from another message group is left to its owner", async () => {
  const { aggregates, events, ports } = setup();
  const crashing: AggregateStore = {
    apply: async () => {
      throw new Error("owner crashes before the fold");
    },
    settle: (w, s, k) => aggregates.settle(w, s, k),
  };
  await rejects(() => foldAnalyticsRecord({ events, aggregates: crashing }, record("100")));
  assert.is(await foldAnalyticsRecord(ports, record("200", "acme#someone-else")), "owned-elsewhere");
  assert.is(await eventsCounted(aggregates), 0);
  assert.is(await foldAnalyticsRecord(ports, record("100")), "folded");
  assert.is(await foldAnalyticsRecord(ports, record("300", "acme#someone-else")), "duplicate");
  assert.is(await eventsCounted(aggregates), 1);
});

test("a resend with different content counts the stored copy", async () => {
  const { aggregates, ports } = setup();
  await foldAnalyticsRecord(ports, record("100"));
  const altered = {
    ...one!.body,
    tenantId: one!.body.tenantId,
    event: { ...one!.body.event, occurredAt: "2026-11-30T10:00:00Z" },
  };
  assert.is(
    await foldAnalyticsRecord(ports, { body: altered, sequenceNumber: "900", messageGroupId: one!.messageGroupId }),
    "duplicate",
  );
  assert.is(await eventsCounted(aggregates), 1);
  assert.is((await aggregates.readWeek("2026-W49")).length, 0);
});

test("FIFO simulation with crashes at every step, redeliveries, DLQ and redrive equals the recount", async () => {
  const { aggregates, ports } = setup();
  const base = sampleMessages({ week: WEEK, count: 600, seed: 11, usersPerTenant: 4 });
  // Producer resends (same eventId, later, same group) and one under another user's group.
  const resends = base.filter((_, i) => i % 37 === 0);
  const foreign = base.slice(0, 5).map((m) => ({ ...m, messageGroupId: `${m.body.tenantId}#intruder` }));
  const stats = await simulateFifo(ports, [...base, ...resends, ...foreign], { seed: 3, crashRate: 0.1 });
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
  const { aggregates, ports } = setup();
  const received = Date.parse(one!.body.receivedAt);
  const window = { dedupWindowMs: 14 * 86_400_000 };
  assert.is(await foldAnalyticsRecord(ports, record("100"), { ...window, now: new Date(received + 60_000) }), "folded");
  // 15 days later the raw event (the dedup record) may be gone; the FIFO DLQ reset the message's clock.
  const late = { ...window, now: new Date(received + 15 * 86_400_000) };
  assert.is(await foldAnalyticsRecord(ports, record("900"), late), "stale");
  assert.is(await eventsCounted(aggregates), 1);
  // Inside the window the ordinary dedup answers.
  assert.is(
    await foldAnalyticsRecord(ports, record("950"), { ...window, now: new Date(received + 13 * 86_400_000) }),
    "duplicate",
  );
});

test.run();
