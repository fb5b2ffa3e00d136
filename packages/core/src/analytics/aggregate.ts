/**
 * The weekly aggregate: what one analytics event adds to the aggregate of its
 * ISO week and how aggregate items merge (testing/recount.ts computes the same
 * aggregates by brute force, to check both).
 *
 * Storage shape (one item per week and shard, every counter a top-level number
 * attribute so a single `ADD` applies an event):
 *
 *   n_events n_outcome n_producer          totals
 *   o:<outcome>  e:<engine>  x:<errorCode> tailoring outcomes by result, engine, failure code
 *   t:<tenant>   tj:<tenant>               events / tailoring jobs per tenant
 *   y:<type>                               producer events per type
 *   lat_bNN lat_sum  sc_bNN sc_sum sc_n    latency and match-score histograms (+ sums for means)
 *   tok_in tok_out                         token usage
 *   kwc_NNNN (number) kwn_NNNN (string)    missing keywords, hashed into KEYWORD_SLOTS slots
 *
 * Missing keywords are bounded by construction, and counted as a count-min
 * sketch of two rows of KEYWORD_SLOTS: a keyword adds 1 to its slot of row 1
 * (`kwc_NNNN`, which also keeps the first keyword name it saw:
 * `SET kwn = if_not_exists(kwn, :name)`) and to its slot of row 2
 * (`kwd_NNNN`, an independent hash; counts only). An item therefore never
 * holds more than 3 × 1024 keyword attributes (≈ 130 KB at the 100-character
 * keyword limit, far under DynamoDB's 400 KB item limit) however many distinct
 * keywords a week sees. A named keyword's count is the smaller of its two
 * slots' week totals: never less than its own count, and exact unless both
 * slots are shared with other keywords. With row 1 alone, a single shared
 * slot added one keyword's count to another's (seen in the chaos run: "react"
 * and "write" shared slot 860, and the report showed react 946 for 473). A
 * keyword whose row-1 slot another keyword named first in every shard is
 * counted but not named.
 *
 * Row 1 is the single row the aggregate had before row 2 existed (same
 * attributes, same hash), and `kwd_n` counts the outcome events folded with
 * both rows. A week whose outcome events were not all folded with both
 * (`kwd_n` ≠ `n_outcome`: the week of the upgrade, and every week before it)
 * is read from row 1 alone, as it was written.
 *
 * A cap on distinct names would need a read before every write (or could not
 * be expressed as a condition at all), and sharding keywords across more
 * items would break "one UpdateItem per event".
 *
 * Outcome, engine, error-code and tenant labels come from cvpipe itself (enums,
 * JWT claims), so they stay few. Producer event types are producer-chosen
 * (validated, ≤ 64 chars); they are counted exactly — see the report notes.
 */
import {
  type AnalyticsEvent,
  FEEDBACK_RATINGS,
  isFeedbackEvent,
  isOutcomeEvent,
  isRetractionEvent,
} from "../contracts/analytics-event.ts";
import type { AnalyticsEventMessage } from "../contracts/analytics-event-message.ts";
import { fromCounters, type Histogram, LATENCY_MS, MATCH_SCORE, observe } from "./histogram.ts";
import { type IsoWeek, isoWeekOf } from "./iso-week.ts";

/** Aggregate items per week. The reporter reads exactly this many items per week, whatever the volume. */
export const SHARD_COUNT = 16;
export const KEYWORD_SLOTS = 1024;

/** Fence counters per aggregate item (see fold-event.ts): more slots, fewer unrelated fold retries. */
export const FENCE_SLOTS = 256;

/** Attributes of an aggregate item that are not counters. */
export const AGGREGATE_META_ATTRIBUTES = ["week", "shard", "pending", "expiresAt", "updatedAt"] as const;

/** Fence attributes (`f_NNN`) are bookkeeping too, not counters. */
export const isMetaAttribute = (name: string): boolean =>
  (AGGREGATE_META_ATTRIBUTES as readonly string[]).includes(name) || /^f_\d{3}$/.test(name);

export const counterAttribute = {
  events: "n_events",
  outcomeEvents: "n_outcome",
  producerEvents: "n_producer",
  outcome: (o: string) => `o:${o}`,
  engine: (e: string) => `e:${e}`,
  errorCode: (c: string) => `x:${c}`,
  tenant: (t: string) => `t:${t}`,
  tenantJobs: (t: string) => `tj:${t}`,
  type: (t: string) => `y:${t}`,
  latencySum: "lat_sum",
  scoreSum: "sc_sum",
  scoreCount: "sc_n",
  inputTokens: "tok_in",
  outputTokens: "tok_out",
  keywordCount: (slot: number) => `kwc_${String(slot).padStart(4, "0")}`,
  keywordName: (slot: number) => `kwn_${String(slot).padStart(4, "0")}`,
  /** Row 2 of the keyword sketch (counts only). */
  keywordCount2: (slot: number) => `kwd_${String(slot).padStart(4, "0")}`,
  /** Outcome events folded with both rows of the keyword sketch. */
  keywordSketchEvents: "kwd_n",
  /** Relevance feedback: how many, the sum of ratings (for the mean), and one counter per rating. */
  feedbackCount: "fb_n",
  feedbackRatingSum: "fb_sum",
  feedbackRating: (r: number) => `fb_r${r}`,
} as const;

/** 32-bit FNV-1a over UTF-16 code units: stable, fast, good enough to spread keys. */
export const fnv1a = (text: string): number => {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
};

/** Identity of an event across every message that may carry it (eventId never contains `#`). */
export const eventKey = (tenantId: string, eventId: string): string => `${tenantId}#${eventId}`;

/**
 * The aggregate item an event folds into. Derived from the event's identity,
 * not from the message carrying it, so a redelivery, a redrive or a producer
 * resend of the same event always lands on the same item.
 */
export const shardOf = (tenantId: string, eventId: string): string =>
  `s${String(fnv1a(eventKey(tenantId, eventId)) % SHARD_COUNT).padStart(2, "0")}`;

/** The fence slot of an event inside its item; hashed apart from the shard so slots spread within an item. */
export const fenceAttribute = (key: string): string =>
  `f_${String(fnv1a(`fence:${key}`) % FENCE_SLOTS).padStart(3, "0")}`;

export const allShards = (): string[] =>
  Array.from({ length: SHARD_COUNT }, (_, i) => `s${String(i).padStart(2, "0")}`);

export const normalizeKeyword = (keyword: string): string =>
  keyword.normalize("NFKC").trim().replace(/\s+/g, " ").toLowerCase();

/** A normalized keyword's slot in row 1 (named, `kwc_`/`kwn_`) and in row 2 (counts only, `kwd_`): two independent hashes. */
export const keywordSlots = (normalized: string): readonly [number, number] => [
  fnv1a(normalized) % KEYWORD_SLOTS,
  fnv1a(`kw2:${normalized}`) % KEYWORD_SLOTS,
];

/** What one event adds to the aggregate item `(week, shard)`. */
export interface AggregateIncrements {
  readonly week: IsoWeek;
  readonly shard: string;
  readonly eventKey: string;
  /** Attribute → amount to `ADD`. */
  readonly counters: Readonly<Record<string, number>>;
  /** Attribute → value to set only if absent (keyword slot names). */
  readonly names: Readonly<Record<string, string>>;
}

/** The week an event belongs to: the ISO week (UTC) of when it happened, not of when it arrived. */
export const weekOfEvent = (event: AnalyticsEvent): IsoWeek => isoWeekOf(new Date(event.occurredAt));

/** The keywords of one event, normalized, each once (an outcome counts a keyword once). */
export const distinctKeywords = (keywords: readonly string[]): string[] => [
  ...new Set(keywords.map(normalizeKeyword).filter((k) => k.length > 0)),
];

/**
 * What one event adds to its week. A retraction adds the negation of the
 * outcome it supersedes (in that outcome's week), under its own event key.
 */
export const incrementsFor = (message: AnalyticsEventMessage): AggregateIncrements => {
  const { event, tenantId } = message;
  if (isRetractionEvent(event)) {
    const taken = incrementsFor({ ...message, event: event.supersedes });
    const counters: Record<string, number> = {};
    for (const [k, v] of Object.entries(taken.counters)) counters[k] = -v;
    return {
      week: taken.week,
      shard: shardOf(tenantId, event.eventId),
      eventKey: eventKey(tenantId, event.eventId),
      counters,
      names: {},
    };
  }
  const counters: Record<string, number> = {};
  const names: Record<string, string> = {};
  const add = (name: string, n: number): void => {
    if (n !== 0) counters[name] = (counters[name] ?? 0) + n;
  };
  add(counterAttribute.events, 1);
  add(counterAttribute.tenant(tenantId), 1);
  if (isOutcomeEvent(event)) {
    add(counterAttribute.outcomeEvents, 1);
    add(counterAttribute.tenantJobs(tenantId), 1);
    add(counterAttribute.outcome(event.outcome), 1);
    add(counterAttribute.engine(event.engine), 1);
    if (event.outcome === "failed") add(counterAttribute.errorCode(event.errorCode ?? "UNKNOWN"), 1);
    for (const [k, v] of Object.entries(observe(LATENCY_MS, event.latencyMs))) add(k, v);
    add(counterAttribute.latencySum, event.latencyMs);
    if (event.matchScore !== undefined) {
      for (const [k, v] of Object.entries(observe(MATCH_SCORE, event.matchScore))) add(k, v);
      add(counterAttribute.scoreSum, event.matchScore);
      add(counterAttribute.scoreCount, 1);
    }
    add(counterAttribute.inputTokens, event.inputTokens ?? 0);
    add(counterAttribute.outputTokens, event.outputTokens ?? 0);
    add(counterAttribute.keywordSketchEvents, 1);
    for (const keyword of distinctKeywords(event.missingKeywords)) {
      const [first, second] = keywordSlots(keyword);
      add(counterAttribute.keywordCount(first), 1);
      names[counterAttribute.keywordName(first)] ??= keyword;
      add(counterAttribute.keywordCount2(second), 1);
    }
  } else if (isFeedbackEvent(event)) {
    add(counterAttribute.feedbackCount, 1);
    add(counterAttribute.feedbackRatingSum, event.rating);
    add(counterAttribute.feedbackRating(event.rating), 1);
  } else {
    add(counterAttribute.producerEvents, 1);
    add(counterAttribute.type(event.type), 1);
  }
  return {
    week: weekOfEvent(event),
    shard: shardOf(tenantId, event.eventId),
    eventKey: eventKey(tenantId, event.eventId),
    counters,
    names,
  };
};

/** One stored aggregate item, decoded: numbers are counters, `kwn_*` strings are keyword names. */
export interface AggregateItem {
  readonly week: IsoWeek;
  readonly shard: string;
  readonly counters: Readonly<Record<string, number>>;
  readonly names: Readonly<Record<string, string>>;
}

/** Pure fold of increments into an item, exactly as the conditional UpdateItem does it. */
export const applyIncrements = (item: AggregateItem | undefined, inc: AggregateIncrements): AggregateItem => {
  const counters: Record<string, number> = { ...item?.counters };
  for (const [k, v] of Object.entries(inc.counters)) counters[k] = (counters[k] ?? 0) + v;
  const names: Record<string, string> = { ...item?.names };
  for (const [k, v] of Object.entries(inc.names)) names[k] ??= v;
  return { week: inc.week, shard: inc.shard, counters, names };
};

export interface Ranked {
  readonly label: string;
  readonly count: number;
}

/** The week's numbers, merged over its shards: what the report is built from. */
export interface WeeklyAggregate {
  readonly week: IsoWeek;
  readonly events: number;
  readonly outcomeEvents: number;
  readonly producerEvents: number;
  readonly byOutcome: Readonly<Record<string, number>>;
  readonly byEngine: Readonly<Record<string, number>>;
  readonly byErrorCode: Readonly<Record<string, number>>;
  readonly byTenant: Readonly<Record<string, number>>;
  readonly jobsByTenant: Readonly<Record<string, number>>;
  readonly byType: Readonly<Record<string, number>>;
  readonly latency: Histogram;
  readonly latencySumMs: number;
  readonly score: Histogram;
  readonly scoreSum: number;
  readonly scoreCount: number;
  readonly tokens: { readonly input: number; readonly output: number };
  /** Every named keyword with a count (the smaller of its two rows' slots), largest first (ties by name). */
  readonly missingKeywords: readonly Ranked[];
  /** Relevance feedback: count, sum of ratings, and count per rating ("1" … "5"). */
  readonly feedback: {
    readonly count: number;
    readonly ratingSum: number;
    readonly byRating: Readonly<Record<string, number>>;
  };
}

/** The week's feedback figures from its counters (every rating present, 0 when none). */
export const feedbackOf = (count: number, ratingSum: number, byRating: (r: number) => number) => ({
  count,
  ratingSum,
  byRating: Object.fromEntries(FEEDBACK_RATINGS.map((r) => [String(r), byRating(r)])),
});

const labelled = (counters: Readonly<Record<string, number>>, prefix: string): Record<string, number> => {
  const out: Record<string, number> = {};
  for (const [k, v] of Object.entries(counters)) {
    if (k.startsWith(prefix) && v !== 0) out[k.slice(prefix.length)] = v;
  }
  return out;
};

export const rankDescending = (entries: Iterable<[string, number]>): Ranked[] =>
  [...entries]
    .filter(([, count]) => count !== 0)
    .map(([label, count]) => ({ label, count }))
    .sort((a, b) => b.count - a.count || (a.label < b.label ? -1 : a.label > b.label ? 1 : 0));

/** Merges a week's shard items (any number, including none) into the week's numbers. */
export const mergeAggregates = (week: IsoWeek, items: readonly AggregateItem[]): WeeklyAggregate => {
  const counters: Record<string, number> = {};
  /** Every keyword that named a row-1 slot in some shard (each shard names its slots on its own). */
  const named = new Set<string>();
  /** Each row-1 slot's name in the first shard that has one (how a row-1-only week was read). */
  const firstNames: Record<string, string> = {};
  const sorted = [...items].sort((a, b) => (a.shard < b.shard ? -1 : 1));
  for (const item of sorted) {
    if (item.week !== week) throw new RangeError(`mergeAggregates: item of ${item.week} in ${week}`);
    for (const [k, v] of Object.entries(item.counters)) counters[k] = (counters[k] ?? 0) + v;
    for (const [k, v] of Object.entries(item.names)) {
      named.add(v);
      firstNames[k] ??= v;
    }
  }
  const n = (name: string): number => counters[name] ?? 0;
  const keywords = new Map<string, number>();
  if (n(counterAttribute.keywordSketchEvents) === n(counterAttribute.outcomeEvents)) {
    // Every outcome event of the week was folded with both rows: the smaller slot of the two.
    for (const keyword of named) {
      const [first, second] = keywordSlots(keyword);
      const count = Math.min(n(counterAttribute.keywordCount(first)), n(counterAttribute.keywordCount2(second)));
      if (count > 0) keywords.set(keyword, count);
    }
  } else {
    // Some were folded with row 1 alone (the week of the upgrade, or before): row 1, as it was read then.
    for (let slot = 0; slot < KEYWORD_SLOTS; slot++) {
      const count = n(counterAttribute.keywordCount(slot));
      if (count > 0) keywords.set(firstNames[counterAttribute.keywordName(slot)] ?? `#${slot}`, count);
    }
  }
  return {
    week,
    events: n(counterAttribute.events),
    outcomeEvents: n(counterAttribute.outcomeEvents),
    producerEvents: n(counterAttribute.producerEvents),
    byOutcome: labelled(counters, "o:"),
    byEngine: labelled(counters, "e:"),
    byErrorCode: labelled(counters, "x:"),
    byTenant: labelled(counters, "t:"),
    jobsByTenant: labelled(counters, "tj:"),
    byType: labelled(counters, "y:"),
    latency: fromCounters(LATENCY_MS, counters),
    latencySumMs: n(counterAttribute.latencySum),
    score: fromCounters(MATCH_SCORE, counters),
    scoreSum: n(counterAttribute.scoreSum),
    scoreCount: n(counterAttribute.scoreCount),
    tokens: { input: n(counterAttribute.inputTokens), output: n(counterAttribute.outputTokens) },
    missingKeywords: rankDescending(keywords),
    feedback: feedbackOf(n(counterAttribute.feedbackCount), n(counterAttribute.feedbackRatingSum), (r) =>
      n(counterAttribute.feedbackRating(r)),
    ),
  };
};
