import { test } from "uvu";
import * as assert from "uvu/assert";
import type { TailoringOutcomeEvent } from "../contracts/analytics-event.ts";
import type { AnalyticsEventMessage } from "../contracts/analytics-event-message.ts";
import { retractionEvent } from "../jobs/job-outcome.ts";
import {
  type AggregateIncrements,
  type AggregateItem,
  allShards,
  applyIncrements,
  incrementsFor,
  KEYWORD_SLOTS,
  keywordSlots,
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
  const k8s = keywordSlots("kubernetes");
  const go = keywordSlots("go");
  const kc = (s: number) => `kwc_${String(s).padStart(4, "0")}`;
  const kn = (s: number) => `kwn_${String(s).padStart(4, "0")}`;
  const kd = (s: number) => `kwd_${String(s).padStart(4, "0")}`;
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
    // "Kubernetes" and "kubernetes " are one keyword, counted once per event (in each row of the sketch)
    [kc(k8s[0])]: 1,
    [kd(k8s[1])]: 1,
    [kc(go[0])]: 1,
    [kd(go[1])]: 1,
    kwd_n: 1,
  });
  assert.equal(inc.names, { [kn(k8s[0])]: "kubernetes", [kn(go[0])]: "go" });
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
  for (const row of [0, 1]) {
    const slots = new Set(SAMPLE_KEYWORDS.map((k) => keywordSlots(normalizeKeyword(k))[row]));
    assert.is(slots.size, SAMPLE_KEYWORDS.length, `row ${row + 1}`);
  }
});

const foldAll = (incs: readonly AggregateIncrements[]): AggregateItem[] => {
  const items = new Map<string, AggregateItem>();
  for (const inc of incs) items.set(inc.shard, applyIncrements(items.get(inc.shard), inc));
  return [...items.values()];
};
const outcomesOf = (keyword: string, n: number, shard: string) =>
  Array.from({ length: n }, (_, i) => ({
    ...incrementsFor(outcome({ eventId: `${shard}-${keyword}-${i}`, missingKeywords: [keyword] })),
    shard,
  }));

test("two keywords sharing a row-1 slot: the named one is counted exactly, not with the other's (the chaos run's react and write)", () => {
  const [reactFirst, reactSecond] = keywordSlots("react");
  const [writeFirst, writeSecond] = keywordSlots("write");
  assert.is(reactFirst, writeFirst, "the pair the chaos run found shares its row-1 slot");
  assert.is.not(reactSecond, writeSecond);
  const incs = Array.from({ length: 473 }, (_, i) => [
    ...outcomesOf("React", 1, "s00").map((inc) => ({ ...inc, eventKey: `r${i}` })),
    ...outcomesOf("write", 1, "s00").map((inc) => ({ ...inc, eventKey: `w${i}` })),
  ]).flat();
  // One shard: "react" named the shared slot first, "write" is counted but not named.
  assert.equal(mergeAggregates("2026-W47", foldAll(incs)).missingKeywords, [{ label: "react", count: 473 }]);
});

test("a keyword named in one shard and not in another is counted across both", () => {
  // Shard s00 sees "react" first (it names the shared slot), s01 sees "write" first.
  const merged = mergeAggregates(
    "2026-W47",
    foldAll([
      ...outcomesOf("react", 3, "s00"),
      ...outcomesOf("write", 5, "s00"),
      ...outcomesOf("write", 2, "s01"),
      ...outcomesOf("react", 7, "s01"),
    ]),
  );
  assert.equal(merged.missingKeywords, [
    { label: "react", count: 10 },
    { label: "write", count: 7 },
  ]);
});

test("a week folded (partly) before row 2 existed is read from row 1 alone, as it was then", () => {
  /** What the one-row fold added: row 1 and the name, no row 2, no kwd_n. */
  const oneRow = (inc: AggregateIncrements): AggregateIncrements => ({
    ...inc,
    counters: Object.fromEntries(Object.entries(inc.counters).filter(([k]) => !k.startsWith("kwd_"))),
  });
  const before = outcomesOf("kubernetes", 6, "s00").map(oneRow);
  const after = outcomesOf("kubernetes", 4, "s01");
  assert.equal(mergeAggregates("2026-W47", foldAll(before)).missingKeywords, [{ label: "kubernetes", count: 6 }]);
  assert.equal(mergeAggregates("2026-W47", foldAll([...before, ...after])).missingKeywords, [
    { label: "kubernetes", count: 10 },
  ]);
  // A retraction, folded now, of an outcome folded before: row 1 is right, and the week stays on row 1.
  const first = outcome({ eventId: "s00-kubernetes-0", missingKeywords: ["kubernetes"] });
  const retracted = incrementsFor({ ...first, event: retractionEvent(first.event as TailoringOutcomeEvent) });
  assert.equal(mergeAggregates("2026-W47", foldAll([...before, ...after, retracted])).missingKeywords, [
    { label: "kubernetes", count: 9 },
  ]);
});

test("keyword attributes per item are bounded however many distinct keywords arrive", () => {
  let item: AggregateItem | undefined;
  for (let i = 0; i < 400; i++) {
    const keywords = Array.from({ length: 50 }, (_, k) => `skill-${i}-${k}`);
    item = applyIncrements(item, { ...incrementsFor(outcome({ missingKeywords: keywords })), shard: "s00" });
  }
  const keywordAttributes =
    Object.keys(item!.counters).filter((k) => /^kw[cd]_\d/.test(k)).length + Object.keys(item!.names).length;
  assert.ok(keywordAttributes <= 3 * KEYWORD_SLOTS, String(keywordAttributes));
  const rowTotal = (prefix: string) =>
    Object.entries(item!.counters)
      .filter(([k]) => k.startsWith(prefix) && k !== "kwd_n")
      .reduce((s, [, v]) => s + v, 0);
  assert.is(rowTotal("kwc_"), 20_000, "every occurrence is still counted, in row 1");
  assert.is(rowTotal("kwd_"), 20_000, "and in row 2");
  const merged = mergeAggregates("2026-W47", [item!]);
  // With 20 times more distinct keywords than slots, a named keyword's count is an overcount, never less.
  for (const k of merged.missingKeywords) assert.ok(k.count >= 1, k.label);
});

test("an empty week merges to zeros", () => {
  const empty = mergeAggregates("2026-W47", []);
  assert.is(empty.events, 0);
  assert.equal(empty.byTenant, {});
  assert.equal(empty.missingKeywords, []);
});

test.run();
