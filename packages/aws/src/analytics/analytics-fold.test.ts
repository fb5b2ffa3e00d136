/**
 * The exactly-once fold against a real DynamoDB protocol server (dynalite).
 */
import { GetCommand, ScanCommand } from "@aws-sdk/lib-dynamodb";
import { mergeAggregates, SHARD_COUNT } from "@cvpipe/core/analytics/aggregate";
import { foldAnalyticsRecord } from "@cvpipe/core/analytics/fold-event";
import type { AggregateStore } from "@cvpipe/core/analytics/ports";
import { diffAggregates } from "@cvpipe/core/analytics/testing/compare";
import { CRASH_POINTS, simulateFifo } from "@cvpipe/core/analytics/testing/fifo-simulation";
import { recount } from "@cvpipe/core/analytics/testing/recount";
import { sampleMessages } from "@cvpipe/core/analytics/testing/sample-events";
import { systemClock } from "@cvpipe/core/ports/clock";
import { rejects } from "@cvpipe/core/testing/rejects";
import { tables } from "@cvpipe/core/topology";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { AnalyticsFold } from "./analytics-fold.ts";
import { DynamoAggregateStore } from "./dynamo-aggregate-store.ts";
import { DynamoEventStore } from "./dynamo-event-store.ts";
import { createTables, type DynamoEmulator, startDynalite } from "./testing/emulators.ts";
import { foldOptions } from "./testing/topology-options.ts";

const WEEK = "2026-W47";
let db: DynamoEmulator;

test.before(async () => {
  db = await startDynalite();
  await createTables(db.client, ["events", "aggregates"]);
});
test.after(async () => {
  await db.close();
});

const pendingMarkers = async (): Promise<number> => {
  const out = await db.documentClient.send(new ScanCommand({ TableName: tables.aggregates.name }));
  return (out.Items ?? []).reduce((n, i) => n + ((i["pending"] as Set<string> | undefined)?.size ?? 0), 0);
};

test("a record is stored with a TTL and folded; a redelivery is a duplicate", async () => {
  const now = new Date("2026-11-20T12:00:00Z");
  const fold = new AnalyticsFold(db.documentClient, foldOptions({ now: () => now }));
  const [m] = sampleMessages({ week: WEEK, count: 1, seed: 2, idPrefix: "single" });
  const record = { body: m!.body, sequenceNumber: "18000000000000000001", messageGroupId: m!.messageGroupId };
  assert.is(await fold.fold(record), "folded");
  assert.is(await fold.record(record.body, record), "duplicate");
  const raw = await db.documentClient.send(
    new GetCommand({ TableName: tables.events.name, Key: { tenantId: m!.body.tenantId, eventId: "single-0" } }),
  );
  assert.is(raw.Item?.["folded"], true);
  assert.is(raw.Item?.["seq"], "0000000000000000000018000000000000000001");
  // Producer events live 14 days; cvpipe's own outcomes 45 (a job's life plus a DLQ stay).
  const ttlDays = m!.body.source === "tailor" ? 45 : 14;
  assert.is(raw.Item?.["expiresAt"], Math.floor(now.getTime() / 1000) + ttlDays * 86_400);
  const items = await fold.aggregates.readWeek(WEEK);
  assert.is(mergeAggregates(WEEK, items).events, 1);
  assert.is(await pendingMarkers(), 0);
});

test("the event TTL is configurable, and an expired raw event counts as absent", async () => {
  let now = new Date("2026-11-20T12:00:00Z");
  const clock = { now: () => now };
  const events = new DynamoEventStore(db.documentClient, {
    tableName: tables.events.name,
    ttlDays: 1,
    tailorTtlDays: 1,
    clock,
  });
  const [m] = sampleMessages({ week: WEEK, count: 1, seed: 3, idPrefix: "ttl" });
  const stored = {
    tenantId: m!.body.tenantId,
    eventId: m!.body.event.eventId,
    groupId: m!.messageGroupId,
    sequenceNumber: "1".padStart(40, "0"),
    week: WEEK,
    shard: "s00",
    message: m!.body,
  };
  assert.equal(await events.putOnce(stored), { created: true });
  const again = await events.putOnce(stored);
  assert.is(again.created, false);
  now = new Date(now.getTime() + 86_400_000 + 1000);
  assert.is(await events.get(stored.tenantId, stored.eventId), undefined, "expired: reads filter it out");
  assert.equal(await events.putOnce(stored), { created: true }, "expired: the put replaces it");
});

test("crash between the raw write and the fold, then DLQ redrive with a new SequenceNumber: counted once", async () => {
  const week = "2026-W40";
  const [m] = sampleMessages({ week, count: 1, seed: 4, idPrefix: "crash", outcomeShare: 1 });
  // The redrive comes a day after the event was received: well inside the dedup window.
  const fold = new AnalyticsFold(
    db.documentClient,
    foldOptions({ now: () => new Date(Date.parse(m!.body.receivedAt) + 86_400_000) }),
  );
  const record = { body: m!.body, sequenceNumber: "18000000000000000100", messageGroupId: m!.messageGroupId };
  const crashBeforeFold: AggregateStore = {
    fence: (w, s, k) => fold.aggregates.fence(w, s, k),
    apply: async () => {
      throw new Error("Lambda timed out before the fold");
    },
    settle: (w, s, k) => fold.aggregates.settle(w, s, k),
  };
  for (let receive = 1; receive <= 3; receive++) {
    await rejects(() => foldAnalyticsRecord({ events: fold.events, aggregates: crashBeforeFold }, record));
  }
  assert.is(mergeAggregates(week, await fold.aggregates.readWeek(week)).events, 0);
  // Redriven from the DLQ: new messageId, new and higher SequenceNumber, same group.
  assert.is(await fold.fold({ ...record, sequenceNumber: "18000000000000999999" }), "folded");
  assert.is(await fold.fold({ ...record, sequenceNumber: "18000000000000999999" }), "duplicate");
  assert.is(mergeAggregates(week, await fold.aggregates.readWeek(week)).events, 1);
});

test("FIFO run with redeliveries, crashes at every step, DLQ and redrive equals the brute-force recount", async () => {
  const fold = new AnalyticsFold(db.documentClient, foldOptions(systemClock));
  const current = sampleMessages({ week: "2026-W45", count: 300, seed: 21, idPrefix: "sim", usersPerTenant: 4 });
  const previous = sampleMessages({ week: "2026-W44", count: 120, seed: 22, idPrefix: "simprev", usersPerTenant: 4 });
  const base = [...current, ...previous];
  const resends = base.filter((_, i) => i % 29 === 0);
  const foreign = base.slice(0, 4).map((m) => ({ ...m, messageGroupId: `${m.body.tenantId}#other-user` }));
  const stats = await simulateFifo(
    { events: fold.events, aggregates: fold.aggregates },
    [...base, ...resends, ...foreign],
    { seed: 8, crashRate: 0.1 },
  );
  for (const point of CRASH_POINTS) assert.ok(stats.crashes[point] > 0, `no crash ${point}`);
  assert.ok(stats.movedToDlq > 0 && stats.redriven > 0);
  assert.ok(stats.outcomes.recovered > 0);
  assert.ok(stats.outcomes.duplicate > 0);

  const expected = recount(base.map((m) => m.body));
  assert.equal([...expected.keys()].sort(), ["2026-W44", "2026-W45"]);
  for (const [week, want] of expected) {
    const items = await fold.aggregates.readWeek(week);
    assert.ok(items.length <= SHARD_COUNT);
    assert.equal(diffAggregates(mergeAggregates(week, items), want), [], week);
  }
  assert.is(await pendingMarkers(), 0, "every pending marker was settled");
  console.log(
    `  fold run: ${stats.deliveries} deliveries, crashes ${JSON.stringify(stats.crashes)}, DLQ ${stats.movedToDlq}, outcomes ${JSON.stringify(stats.outcomes)}`,
  );
});

test("an attempt that stalls before its write while another runs start to finish adds nothing (real conditional writes)", async () => {
  const now = new Date("2026-09-10T12:00:00Z");
  const fold = new AnalyticsFold(db.documentClient, foldOptions({ now: () => now }));
  const [m] = sampleMessages({ week: "2026-W37", count: 1, seed: 5, idPrefix: "stall" });
  const record = { body: m!.body, sequenceNumber: "18000000000000000300", messageGroupId: m!.messageGroupId };
  let resume!: () => void;
  const gate = new Promise<void>((r) => (resume = r));
  let reached!: () => void;
  const atApply = new Promise<void>((r) => (reached = r));
  const stalled: AggregateStore = {
    fence: (w, s, k) => fold.aggregates.fence(w, s, k),
    apply: async (inc, fence) => {
      reached();
      await gate;
      return fold.aggregates.apply(inc, fence);
    },
    settle: (w, s, k) => fold.aggregates.settle(w, s, k),
  };
  const b = foldAnalyticsRecord({ events: fold.events, aggregates: stalled }, record);
  await atApply;
  assert.is(await fold.fold(record), "folded");
  resume();
  assert.is(await b, "duplicate");
  assert.is(mergeAggregates("2026-W37", await fold.aggregates.readWeek("2026-W37")).events, 1);
  assert.is(await pendingMarkers(), 0);
});

test("overlapping processors (8 at once per record, as after deliveries past the visibility timeout) count each event once", async () => {
  const week = "2026-W36"; // a week no other test here writes
  const now = new Date("2026-09-06T12:00:00Z");
  const fold = new AnalyticsFold(db.documentClient, foldOptions({ now: () => now }));
  const messages = sampleMessages({ week, count: 40, seed: 21, idPrefix: "overlap" });
  const outcomes = await Promise.all(
    messages.flatMap((m, i) =>
      Array.from({ length: 8 }, (_, copy) =>
        fold.fold({
          body: m.body,
          sequenceNumber: String(18_100_000_000_000_000_000n + BigInt(i * 10 + copy)),
          messageGroupId: copy % 2 === 0 ? m.messageGroupId : `${m.body.tenantId}#redrive`,
        }),
      ),
    ),
  );
  // "folded" = this processor's increments went in: once per event. (Others see it pending or folded.)
  assert.is(outcomes.filter((o) => o === "folded").length, 40);
  const got = mergeAggregates(week, await fold.aggregates.readWeek(week));
  assert.equal(diffAggregates(got, recount(messages.map((m) => m.body)).get(week)!), []);
  assert.is(got.events, 40);
  assert.is(await pendingMarkers(), 0);
});

test("reads filter expired aggregate items", async () => {
  const later = new Date("2030-01-01T00:00:00Z");
  const reader = new DynamoAggregateStore(db.documentClient, {
    tableName: tables.aggregates.name,
    clock: { now: () => later },
  });
  assert.ok(
    (
      await new DynamoAggregateStore(db.documentClient, {
        tableName: tables.aggregates.name,
        clock: systemClock,
      }).readWeek("2026-W45")
    ).length > 0,
  );
  assert.equal(await reader.readWeek("2026-W45"), []);
});

test.run();
