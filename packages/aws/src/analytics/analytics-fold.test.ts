/**
 * The exactly-once fold against a real DynamoDB protocol server (dynalite).
 */
import { type DynamoDBDocumentClient, GetCommand, ScanCommand } from "@aws-sdk/lib-dynamodb";
import { fenceAttribute, incrementsFor, mergeAggregates, SHARD_COUNT } from "@cvpipe/core/analytics/aggregate";
import { foldAnalyticsRecord } from "@cvpipe/core/analytics/fold-event";
import { diffAggregates } from "@cvpipe/core/analytics/testing/compare";
import { CRASH_POINTS, simulateFifo } from "@cvpipe/core/analytics/testing/fifo-simulation";
import { recount } from "@cvpipe/core/analytics/testing/recount";
import { sampleMessages } from "@cvpipe/core/analytics/testing/sample-events";
import { MAX_OUTCOME_KEYWORDS } from "@cvpipe/core/contracts/analytics-event";
import type { AggregateStore } from "@cvpipe/core/ports/analytics-stores";
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

/** Pending markers left in the aggregates (of one week, or all). */
const pendingMarkers = async (week?: string): Promise<number> => {
  const out = await db.documentClient.send(new ScanCommand({ TableName: tables.aggregates.name }));
  return (out.Items ?? [])
    .filter((i) => week === undefined || i["week"] === week)
    .reduce((n, i) => n + ((i["pending"] as Set<string> | undefined)?.size ?? 0), 0);
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

test("an outcome at the schema's most keywords, each at its longest, folds in one update (DynamoDB's 4 KB expression limit)", async () => {
  const now = new Date("2026-11-20T12:00:00Z");
  const fold = new AnalyticsFold(db.documentClient, foldOptions({ now: () => now }));
  const [m] = sampleMessages({ week: WEEK, count: 1, seed: 7, idPrefix: "widest", outcomeShare: 1 });
  const keywords = Array.from(
    { length: MAX_OUTCOME_KEYWORDS },
    (_, i) => `${String(i).padStart(2, "0")}${"k".repeat(98)}`,
  );
  const body = { ...m!.body, event: { ...m!.body.event, missingKeywords: keywords } } as NonNullable<typeof m>["body"];
  assert.is(
    await fold.fold({ body, sequenceNumber: "18000000000000000009", messageGroupId: m!.messageGroupId }),
    "folded",
  );
  const merged = mergeAggregates(WEEK, await fold.aggregates.readWeek(WEEK));
  for (const k of keywords)
    assert.ok(
      merged.missingKeywords.some((r) => r.label === k && r.count === 1),
      k.slice(0, 4),
    );
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
  assert.is(await pendingMarkers("2026-W37"), 0);
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
  assert.is(await pendingMarkers(week), 0);
});

/** The document client, counting the commands sent through it by name. */
const countingClient = (calls: Map<string, number>): DynamoDBDocumentClient =>
  new Proxy(db.documentClient, {
    get(target, key) {
      if (key !== "send") return Reflect.get(target, key, target);
      return (command: { constructor: { name: string } }, ...rest: unknown[]) => {
        const name = command.constructor.name.replace(/Command$/, "");
        calls.set(name, (calls.get(name) ?? 0) + 1);
        return (target.send as (...a: unknown[]) => unknown).call(target, command, ...rest);
      };
    },
  });

test("a batch of 10 new events of one week: 10 conditional puts, one BatchGetItem, 2 UpdateItems, one BatchWriteItem", async () => {
  const week = "2026-W30";
  const now = new Date("2026-07-22T12:00:00Z");
  const calls = new Map<string, number>();
  const fold = new AnalyticsFold(countingClient(calls), foldOptions({ now: () => now }));
  const messages = sampleMessages({ week, count: 10, seed: 30, idPrefix: "batch", outcomeShare: 0.5 });
  const records = messages.map((m, i) => ({
    body: { ...m.body, receivedAt: now.toISOString() },
    sequenceNumber: String(18_200_000_000_000_000_000n + BigInt(i)),
    messageGroupId: m.messageGroupId,
  }));
  const results = await fold.foldBatch(records);
  assert.equal(
    results.map((r) => (r.status === "fulfilled" ? r.value : String(r.reason))),
    Array(10).fill("folded"),
  );
  assert.equal(Object.fromEntries(calls), { BatchGet: 1, Put: 10, Update: 2, BatchWrite: 1 });
  const items = await fold.aggregates.readWeek(week);
  assert.is(items.length, 1);
  assert.equal(diffAggregates(mergeAggregates(week, items), recount(records.map((r) => r.body)).get(week)!), []);
  const raw = await db.documentClient.send(
    new GetCommand({ TableName: tables.events.name, Key: { tenantId: records[3]!.body.tenantId, eventId: "batch-3" } }),
  );
  assert.is(raw.Item?.["folded"], true, "marked by the BatchWriteItem");
  assert.is(raw.Item?.["body"], JSON.stringify(records[3]!.body), "written back as stored");
  assert.is(await pendingMarkers(week), 0);
  // Redelivered together: all duplicates, one settle write, nothing added (the fences are remembered).
  calls.clear();
  const again = await fold.foldBatch(records);
  assert.equal(
    again.map((r) => (r.status === "fulfilled" ? r.value : "rejected")),
    Array(10).fill("duplicate"),
  );
  assert.equal(Object.fromEntries(calls), { Put: 10, Get: 10, Update: 1 });
  assert.equal(
    diffAggregates(
      mergeAggregates(week, await fold.aggregates.readWeek(week)),
      recount(records.map((r) => r.body)).get(week)!,
    ),
    [],
  );
});

test("a combined apply refused by one event sorts each out: pending → already-applied, moved fence → fence-moved, the rest written", async () => {
  const week = "2026-W31";
  const store = new DynamoAggregateStore(db.documentClient, { tableName: tables.aggregates.name, clock: systemClock });
  const [x, y, z] = sampleMessages({ week, count: 3, seed: 31, idPrefix: "sort", outcomeShare: 0 }).map((m) => ({
    ...incrementsFor(m.body),
    shard: "s03",
  }));
  // x applied by someone else (pending); y's fence slot moved by a settle of another event of its slot.
  assert.is(await store.apply(x!, 0), "applied");
  const other = `${y!.eventKey}-neighbour`;
  let neighbour = other;
  for (let i = 0; fenceAttribute(neighbour) !== fenceAttribute(y!.eventKey); i++) neighbour = `${other}${i}`;
  assert.is(await store.apply({ ...y!, eventKey: neighbour, counters: {}, names: {} }, 0), "applied");
  await store.settle(week, "s03", neighbour);
  const results = await store.applyEach([
    { inc: x!, fence: 0 },
    { inc: y!, fence: 0 },
    { inc: z!, fence: 0 },
  ]);
  assert.equal(results, ["already-applied", "fence-moved", "applied"]);
  const merged = mergeAggregates(week, await store.readWeek(week));
  assert.is(merged.events, 2, "x once (by the first apply) and z");
  await store.settleEach([x!, z!].map((inc) => ({ week, shard: "s03", eventKey: inc.eventKey })));
  assert.is(
    await store.fence(week, "s03", z!.eventKey),
    fenceAttribute(z!.eventKey) === fenceAttribute(x!.eventKey) ? 2 : 1,
  );
});

test("marks: the store's own fresh copies are written back whole; others (another instance's, or old) get the conditional update", async () => {
  let now = new Date("2026-07-29T12:00:00Z");
  const clock = { now: () => now };
  const calls = new Map<string, number>();
  const options = { tableName: tables.events.name, ttlDays: 14, tailorTtlDays: 45, clock };
  const mine = new DynamoEventStore(countingClient(calls), options);
  const theirs = new DynamoEventStore(db.documentClient, options);
  const [a, b, c] = sampleMessages({ week: "2026-W31", count: 3, seed: 32, idPrefix: "mark", outcomeShare: 0 });
  const stored = (m: typeof a, seq: string) => ({
    tenantId: m!.body.tenantId,
    eventId: m!.body.event.eventId,
    groupId: m!.messageGroupId,
    sequenceNumber: seq.padStart(40, "0"),
    week: "2026-W31",
    shard: "s00",
    message: m!.body,
  });
  await mine.putEach([stored(a, "1"), stored(c, "3")]);
  await theirs.putOnce(stored(b, "2"));
  calls.clear();
  await mine.markFoldedEach([a!, b!].map((m) => ({ tenantId: m.body.tenantId, eventId: m.body.event.eventId })));
  assert.equal(Object.fromEntries(calls), { BatchWrite: 1, Update: 1 });
  now = new Date(now.getTime() + 2 * 3_600_000); // c was stored more than an hour ago: not written back whole
  calls.clear();
  await mine.markFoldedEach([{ tenantId: c!.body.tenantId, eventId: c!.body.event.eventId }]);
  assert.equal(Object.fromEntries(calls), { Update: 1 });
  for (const m of [a, b, c]) assert.is((await mine.get(m!.body.tenantId, m!.body.event.eventId))?.folded, true);
});

test("FIFO run in batches of 8, two invocations at once, crashes at every step, DLQ and redrive: equals the recount", async () => {
  const fold = new AnalyticsFold(db.documentClient, foldOptions(systemClock));
  const base = sampleMessages({ week: "2026-W43", count: 400, seed: 41, idPrefix: "bsim", usersPerTenant: 6 });
  const resends = base.filter((_, i) => i % 17 === 0);
  const foreign = base.slice(0, 4).map((m) => ({ ...m, messageGroupId: `${m.body.tenantId}#other-user` }));
  const stats = await simulateFifo(
    { events: fold.events, aggregates: fold.aggregates },
    [...base, ...resends, ...foreign],
    { seed: 9, crashRate: 0.1, batchSize: 8, perGroup: 2, concurrency: 2 },
  );
  for (const point of CRASH_POINTS) assert.ok(stats.crashes[point] > 0, `no crash ${point}`);
  assert.ok(stats.outcomes.recovered > 0 && stats.outcomes.duplicate > 0);
  const items = await fold.aggregates.readWeek("2026-W43");
  assert.ok(items.length <= SHARD_COUNT);
  assert.equal(
    diffAggregates(mergeAggregates("2026-W43", items), recount(base.map((m) => m.body)).get("2026-W43")!),
    [],
  );
  assert.is(await pendingMarkers("2026-W43"), 0, "every pending marker was settled");
  console.log(
    `  batch fold run: ${stats.deliveries} deliveries in ${stats.invocations} invocations, crashes ${JSON.stringify(stats.crashes)}, DLQ ${stats.movedToDlq}`,
  );
});

test("overlapping batches at once (the same events in 4 batches of 10, as redeliveries past the visibility timeout) count each once", async () => {
  const week = "2026-W35";
  const now = new Date("2026-08-28T12:00:00Z");
  const fold = new AnalyticsFold(db.documentClient, foldOptions({ now: () => now }));
  const messages = sampleMessages({ week, count: 20, seed: 35, idPrefix: "obatch" });
  const batches = Array.from({ length: 4 }, (_, b) =>
    // Each batch: 10 of the 20 events, starting at a different one (so they choose different shards).
    Array.from({ length: 10 }, (_, k) => messages[(b * 5 + k) % 20]!).map((m, k) => ({
      body: m.body,
      sequenceNumber: String(18_300_000_000_000_000_000n + BigInt(b * 100 + k)),
      messageGroupId: m.messageGroupId,
    })),
  );
  const results = (await Promise.all(batches.map((batch) => fold.foldBatch(batch)))).flat();
  assert.ok(
    results.every((r) => r.status === "fulfilled"),
    String(results.find((r) => r.status === "rejected")),
  );
  assert.is(results.filter((r) => r.status === "fulfilled" && r.value === "folded").length, 20);
  const got = mergeAggregates(week, await fold.aggregates.readWeek(week));
  assert.equal(diffAggregates(got, recount(messages.map((m) => m.body)).get(week)!), []);
  assert.is(await pendingMarkers(week), 0);
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
