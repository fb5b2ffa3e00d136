/**
 * What the fold counts in metrics: one point per record by outcome, with the
 * event's source — an event folded once is EventsFolded once however often it
 * is delivered, a crashed fold counts nothing until its rerun completes.
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import type { AnalyticsEventMessage } from "../contracts/analytics-event-message.ts";
import type { EventStore } from "../ports/analytics-stores.ts";
import { MemoryMetrics } from "../testing/memory-ports.ts";
import { rejects } from "../testing/rejects.ts";
import { foldAnalyticsRecord } from "./fold-event.ts";
import { MemoryAggregateStore, MemoryEventStore } from "./testing/memory-stores.ts";
import { sampleMessages } from "./testing/sample-events.ts";

const [outcome] = sampleMessages({ week: "2026-W47", count: 1, seed: 9, outcomeShare: 1 });
const producerBody: AnalyticsEventMessage = {
  schema: "analytics-event.v1",
  tenantId: "acme",
  userId: "alice",
  source: "producer",
  receivedAt: "2026-11-18T10:00:00.000Z",
  event: { eventId: "evt-1", type: "cv.viewed", occurredAt: "2026-11-18T09:00:00.000Z" },
};
const record = (body: AnalyticsEventMessage, seq: string) => ({
  body,
  sequenceNumber: seq,
  messageGroupId: "acme#alice",
});

test("folded once, then duplicates; stale when past the dedup window — each by source", async () => {
  const metrics = new MemoryMetrics();
  const deps = { events: new MemoryEventStore(), aggregates: new MemoryAggregateStore(), metrics };
  assert.is(await foldAnalyticsRecord(deps, record(producerBody, "1")), "folded");
  assert.is(await foldAnalyticsRecord(deps, record(producerBody, "1")), "duplicate");
  assert.is(await foldAnalyticsRecord(deps, record(outcome!.body, "2")), "folded");
  const late = { now: new Date(Date.parse(producerBody.receivedAt) + 15 * 86_400_000), dedupWindowMs: 14 * 86_400_000 };
  assert.is(await foldAnalyticsRecord(deps, record(producerBody, "3"), late), "stale");
  assert.equal(metrics.lines(), [
    "EventsFolded Source=producer 1",
    "EventsDuplicate Source=producer 1",
    "EventsFolded Source=tailor 1",
    "EventsStale Source=producer 1",
  ]);
});

test("a fold that crashes after counting counts no metric; its rerun counts it as folded, once", async () => {
  const metrics = new MemoryMetrics();
  const events = new MemoryEventStore();
  const aggregates = new MemoryAggregateStore();
  const crashing: EventStore = {
    putOnce: (e) => events.putOnce(e),
    get: (t, id) => events.get(t, id),
    markFolded: async () => {
      throw new Error("crash after the fold, before the mark");
    },
  };
  await rejects(() => foldAnalyticsRecord({ events: crashing, aggregates, metrics }, record(producerBody, "1")));
  assert.equal(metrics.lines(), []);
  assert.is(await foldAnalyticsRecord({ events, aggregates, metrics }, record(producerBody, "2")), "recovered");
  assert.equal(metrics.lines(), ["EventsFolded Source=producer 1"]);
});

test.run();
