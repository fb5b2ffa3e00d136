import { test } from "uvu";
import * as assert from "uvu/assert";
import type { AnalyticsEventMessage } from "../contracts/messages.ts";
import {
  type AggregateItem,
  allShards,
  applyIncrements,
  incrementsFor,
  KEYWORD_SLOTS,
  keywordSlot,
  mergeAggregates,
  normalizeKeyword,
  SHARD_COUNT,
  shardOf,
} from "./aggregate.ts";
import { diffAggregates } from "./testing/compare.ts";
import { recount } from "./testing/recount.ts";
import { SAMPLE_KEYWORDS, sampleMessages } from "./testing/sample-events.ts";

const outcome = (over: Partial<Record<string, unknown>> = {}): AnalyticsEventMessage =>
  ({
    schema: "analytics-event.v1",
    tenantId: "acme",
    userId: "u1",
    source: "tailor",
    receivedAt: "2026-11-23T00:00:05Z",
    event: {
      eventId: "out-1",
      type: "tailoring.outcome",
      occurredAt: "2026-11-22T23:59:59Z",
      jobId: "job-1",
      engine: "bedrock",
      outcome: "succeeded",
      latencyMs: 1234,
      matchScore: 72,
      inputTokens: 2000,
      outputTokens: 500,
      missingKeywords: ["Kubernetes", "kubernetes ", "Go"],
      ...over,
    },
  }) as AnalyticsEventMessage;

test("increments of a tailoring outcome", () => {
  const inc = incrementsFor(outcome());
  assert.is(inc.week, "2026-W47", "week of occurredAt, not of receivedAt");
  assert.is(inc.shard, shardOf("acme", "out-1"));
  assert.is(inc.eventKey, "acme#out-1");
  const k8s = keywordSlot("kubernetes");
  const go = keywordSlot("go");
  const kc = (s: number) => `kwc_${String(s).padStart(4, "0")}`;
  const kn = (s: number) => `kwn_${String(s).padStart(4, "0")}`;
  assert.equal(inc.counters, {
    n_events: 1,
    "t:acme": 1,
    n_outcome: 1,
    "tj:acme": 1,
    "o:succeeded": 1,
    "e:bedrock": 1,
    lat_b10: 1,
    lat_sum: 1234,
    sc_b14: 1,
    sc_sum: 72,
    sc_n: 1,
    tok_in: 2000,
    tok_out: 500,
    [kc(k8s)]: 1, // "Kubernetes" and "kubernetes " are one keyword, counted once per event
    [kc(go)]: 1,
  });
  assert.equal(inc.names, { [kn(k8s)]: "kubernetes", [kn(go)]: "go" });
});

test("a failed outcome counts its error code and has no score", () => {
  const inc = incrementsFor(
    outcome({ outcome: "failed", errorCode: "UNGROUNDED_CLAIM", matchScore: undefined, missingKeywords: [] }),
  );
  assert.is(inc.counters["x:UNGROUNDED_CLAIM"], 1);
  assert.is(inc.counters["o:failed"], 1);
  assert.is(inc.counters["sc_n"], undefined);
});

test("increments of a producer event", () => {
  const inc = incrementsFor({
    schema: "analytics-event.v1",
    tenantId: "globex",
    source: "producer",
    receivedAt: "2027-01-01T10:00:00Z",
    event: { eventId: "p-1", type: "cv.downloaded", occurredAt: "2027-01-01T09:00:00+02:00" },
  });
  assert.is(inc.week, "2026-W53");
  assert.equal(inc.counters, { n_events: 1, "t:globex": 1, n_producer: 1, "y:cv.downloaded": 1 });
  assert.equal(inc.names, {});
});

test("shards: deterministic by event identity, all SHARD_COUNT used, none outside", () => {
  const shards = allShards();
  assert.is(shards.length, SHARD_COUNT);
  const seen = new Set<string>();
  for (let i = 0; i < 2000; i++) {
    const s = shardOf("acme", `ev-${i}`);
    assert.ok(shards.includes(s), s);
    assert.is(shardOf("acme", `ev-${i}`), s);
    seen.add(s);
  }
  assert.is(seen.size, SHARD_COUNT);
});

test("folding increments shard by shard and merging equals the brute-force recount", () => {
  const messages = [
    ...sampleMessages({ week: "2026-W47", count: 1500, seed: 5 }),
    ...sampleMessages({ week: "2026-W46", count: 700, seed: 6, idPrefix: "prev" }),
  ].map((m) => m.body);
  const items = new Map<string, AggregateItem>();
  for (const m of messages) {
    const inc = incrementsFor(m);
    const key = `${inc.week}|${inc.shard}`;
    items.set(key, applyIncrements(items.get(key), inc));
  }
  const expected = recount(messages);
  assert.equal([...expected.keys()].sort(), ["2026-W46", "2026-W47"]);
  for (const [week, want] of expected) {
    const shardItems = [...items.values()].filter((i) => i.week === week);
    assert.ok(shardItems.length <= SHARD_COUNT);
    const got = mergeAggregates(week, shardItems);
    assert.equal(diffAggregates(got, want), [], week);
    assert.ok(got.events > 0);
  }
});

test("the sample vocabulary has no keyword-slot collisions (so recount comparisons are exact)", () => {
  const slots = new Set(SAMPLE_KEYWORDS.map((k) => keywordSlot(normalizeKeyword(k))));
  assert.is(slots.size, SAMPLE_KEYWORDS.length);
});

test("keyword attributes per item are bounded however many distinct keywords arrive", () => {
  let item: AggregateItem | undefined;
  for (let i = 0; i < 400; i++) {
    const keywords = Array.from({ length: 50 }, (_, k) => `skill-${i}-${k}`);
    item = applyIncrements(item, { ...incrementsFor(outcome({ missingKeywords: keywords })), shard: "s00" });
  }
  const keywordAttributes =
    Object.keys(item!.counters).filter((k) => k.startsWith("kwc_")).length + Object.keys(item!.names).length;
  assert.ok(keywordAttributes <= 2 * KEYWORD_SLOTS, String(keywordAttributes));
  const merged = mergeAggregates("2026-W47", [item!]);
  assert.is(
    merged.missingKeywords.reduce((s, k) => s + k.count, 0),
    20_000,
    "every occurrence is still counted, in some slot",
  );
});

test("an empty week merges to zeros", () => {
  const empty = mergeAggregates("2026-W47", []);
  assert.is(empty.events, 0);
  assert.equal(empty.byTenant, {});
  assert.equal(empty.missingKeywords, []);
});

test.run();
