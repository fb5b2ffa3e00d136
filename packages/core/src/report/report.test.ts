import { test } from "uvu";
import * as assert from "uvu/assert";
import {
  type AggregateItem,
  applyIncrements,
  incrementsFor,
  mergeAggregates,
  SHARD_COUNT,
} from "../analytics/aggregate.ts";
import { histogramOf, LATENCY_MS, MATCH_SCORE } from "../analytics/histogram.ts";
import { MemoryAggregateStore } from "../analytics/testing/memory-stores.ts";
import { sampleMessages } from "../analytics/testing/sample-events.ts";
import { CvpipeError, ValidationError } from "../errors.ts";
import type { AggregateReader } from "../ports/analytics-stores.ts";
import { realTimer } from "../ports/timer.ts";
import { formatChange } from "./format.ts";
import { renderReportHtml } from "./render-html.ts";
import { renderReportText } from "./render-text.ts";
import { buildWeeklyReport, reportSubject } from "./report-model.ts";
import { renderWeeklyReport, reportWeekFor, sendWeeklyReport } from "./send-weekly-report.ts";
import { MemoryMailer, MemoryReportLedger } from "./testing/memory-ledger.ts";

const WEEK = "2026-W47";
const clock = { now: () => new Date("2026-11-23T07:00:00Z") };

const foldInMemory = (store: MemoryAggregateStore, week: string, count: number, seed: number): void => {
  const items = new Map<string, AggregateItem>();
  for (const m of sampleMessages({ week, count, seed, idPrefix: `${week}-${seed}` })) {
    const inc = incrementsFor(m.body);
    items.set(inc.shard, applyIncrements(items.get(inc.shard), inc));
  }
  for (const item of items.values()) store.put(item);
};

const realisticStore = (): MemoryAggregateStore => {
  const store = new MemoryAggregateStore();
  foldInMemory(store, WEEK, 1200, 1);
  foldInMemory(store, "2026-W46", 1000, 2);
  return store;
};

test("subject and report week", () => {
  assert.is(reportSubject(WEEK), "CV Analytics Weekly Report - Week 2026-W47");
  assert.is(reportWeekFor(new Date("2026-11-23T07:00:00Z")), "2026-W47");
  assert.is(reportWeekFor(new Date("2027-01-04T07:00:00Z")), "2026-W53");
});

test("the model carries week-over-week deltas and top-N tables", async () => {
  const store = realisticStore();
  const current = mergeAggregates(WEEK, await store.readWeek(WEEK));
  const previous = mergeAggregates("2026-W46", await store.readWeek("2026-W46"));
  const report = buildWeeklyReport(current, previous, { generatedAt: clock.now(), topN: 3 });
  assert.is(report.empty, false);
  const events = report.metrics.find((m) => m.label === "Analytics events")!;
  assert.is(events.value, 1200);
  assert.is(events.previous, 1000);
  assert.equal(formatChange(events), { text: "+200 (+20.0%)", tone: "good" });
  const tenants = report.tables.find((t) => t.title === "Activity by tenant")!;
  assert.is(
    tenants.rows.reduce((s, r) => s + r.count, 0),
    1200,
  );
  const keywords = report.tables.find((t) => t.title === "Top missing keywords")!;
  assert.is(keywords.rows.length, 3);
  assert.ok(keywords.more > 0);
  assert.ok(keywords.rows[0]!.count >= keywords.rows[1]!.count);
  const p95 = report.metrics.find((m) => m.label === "Latency p95")!;
  assert.ok(p95.value! > report.metrics.find((m) => m.label === "Latency p50")!.value!);
});

test("distribution tables: a row per bucket (scores two buckets a row), empty ends trimmed, gaps kept, last week beside", () => {
  const week = (name: string, latencies: number[], scores: number[]) => ({
    ...mergeAggregates(name, []),
    outcomeEvents: latencies.length,
    latency: histogramOf(LATENCY_MS, latencies),
    score: histogramOf(MATCH_SCORE, scores),
    scoreCount: scores.length,
  });
  const report = buildWeeklyReport(week(WEEK, [3, 4, 30, 900_000], [12, 14, 71]), week("2026-W46", [7], [33]), {
    generatedAt: clock.now(),
  });
  const rowsOf = (key: string) => {
    const t = report.tables.find((x) => x.key === key)!;
    return [t.title, t.columns.label, t.columns.count, t.more, t.rows.map((r) => [r.label, r.count, r.previous])];
  };
  /** Buckets without a job either week, inside the shape (kept, not trimmed). */
  const gaps = (labels: readonly string[], unit = "") => labels.map((l) => [`${l}${unit}`, 0, 0]);
  const wide = ["50–100", "100–200", "200–500", "500–1,000", "1,000–2,000", "2,000–5,000", "5,000–10,000"];
  const wider = ["10,000–20,000", "20,000–50,000", "50,000–100,000", "100,000–200,000", "200,000–500,000"];
  assert.equal(rowsOf("latency"), [
    "Latency distribution",
    "Latency",
    "Jobs",
    0,
    [
      ["2–5 ms", 2, 0],
      ["5–10 ms", 0, 1],
      ["10–20 ms", 0, 0],
      ["20–50 ms", 1, 0],
      ...gaps([...wide, ...wider], " ms"),
      ["≥ 500,000 ms", 1, 0],
    ],
  ]);
  assert.equal(rowsOf("score"), [
    "Match score distribution",
    "Score",
    "Jobs",
    0,
    [["10–20", 2, 0], ...gaps(["20–30"]), ["30–40", 0, 1], ...gaps(["40–50", "50–60", "60–70"]), ["70–80", 1, 0]],
  ]);
  const none = buildWeeklyReport(week(WEEK, [], []), week("2026-W46", [7], [33]), { generatedAt: clock.now() });
  assert.equal(
    none.tables.map((t) => t.key),
    [],
    "a week without jobs has no distribution, whatever last week had",
  );
});

test("latency going up is bad news, success rate down is bad news", () => {
  assert.is(formatChange({ format: "ms", value: 900, previous: 400, better: "down" }).tone, "bad");
  assert.equal(formatChange({ format: "percent", value: 0.8, previous: 0.9, better: "up" }), {
    text: "−10.0 pp",
    tone: "bad",
  });
  assert.is(formatChange({ format: "count", value: 5, previous: 0, better: "up" }).text, "new");
  assert.is(formatChange({ format: "ms", value: undefined, previous: 10, better: "down" }).text, "–");
});

test("HTML: tables, % bars, no images or data URIs, escaped labels, under 100 KB", async () => {
  const store = realisticStore();
  const [m] = sampleMessages({ week: WEEK, count: 1, seed: 5 });
  const evil = { ...m!.body, tenantId: `<script>alert("x")</script>` };
  store.put(applyIncrements(undefined, { ...incrementsFor(evil), shard: "s99" }));
  const { html, text, subject } = await renderWeeklyReport({ aggregates: store, clock }, WEEK);
  assert.is(subject, "CV Analytics Weekly Report - Week 2026-W47");
  assert.ok(Buffer.byteLength(html) < 100_000, `${Buffer.byteLength(html)} bytes`);
  assert.not.match(html, /<img|data:|<script|url\(|<style|<link/i);
  assert.match(html, /&lt;script&gt;alert\(&quot;x&quot;\)&lt;\/script&gt;/);
  assert.match(html, /<table/);
  assert.match(html, /width:\d+(\.\d)?%;background-color:#4338ca/);
  assert.match(html, /<h2[^>]*>Top missing keywords<\/h2>/);
  assert.match(text, /^CV Analytics Weekly Report - Week 2026-W47\n/);
  assert.match(text, /Summary\n-------/);
  assert.match(text, /Analytics events\s+1,201\s+1,000\s+\+201 \(\+20\.1%\)/);
});

test("worst case (every table full, longest labels) stays well under 100 KB", () => {
  const many = (prefix: string, width: number) =>
    Object.fromEntries(Array.from({ length: 40 }, (_, i) => [`${prefix}${i}`.padEnd(width, "x"), 1000 + i]));
  const full = {
    ...mergeAggregates(WEEK, []),
    events: 1_000_000,
    outcomeEvents: 600_000,
    producerEvents: 400_000,
    byOutcome: { succeeded: 500_000, failed: 100_000 },
    byEngine: { local: 400_000, bedrock: 200_000 },
    byErrorCode: many("ERROR_", 24),
    byTenant: many("tenant-", 64),
    jobsByTenant: many("tenant-", 64),
    byType: many("event.type", 64),
    latency: Array.from({ length: 19 }, () => 1000),
    score: Array.from({ length: 20 }, () => 1000),
    tokens: { input: 9e9, output: 3e9 },
    missingKeywords: Array.from({ length: 40 }, (_, i) => ({
      label: `keyword ${i} `.padEnd(100, "y"),
      count: 100 + i,
    })),
  };
  const report = buildWeeklyReport(full, { ...full, week: "2026-W46" }, { generatedAt: clock.now() });
  const bytes = Buffer.byteLength(renderReportHtml(report));
  assert.ok(bytes < 75_000, `${bytes} bytes`);
  console.log(`  worst-case HTML: ${bytes} bytes`);
  assert.ok(Buffer.byteLength(renderReportText(report)) < 30_000);
});

test("an empty week renders a short no-activity report", async () => {
  const store = new MemoryAggregateStore();
  foldInMemory(store, "2026-W46", 50, 3);
  const { html, text, report } = await renderWeeklyReport({ aggregates: store, clock }, WEEK);
  assert.ok(report.empty);
  assert.match(text, /No activity: no analytics events were recorded in week 2026-W47\./);
  assert.match(text, /Previous week \(2026-W46\): 50 events\./);
  assert.match(html, /No activity\./);
  assert.ok(html.length < 5000);
});

test("duplicate triggers send one email; concurrent triggers too", async () => {
  const ledger = new MemoryReportLedger();
  const mailer = new MemoryMailer();
  const deps = { aggregates: realisticStore(), ledger, mailer, clock, sleep: realTimer.sleep };
  const input = { week: WEEK, recipients: ["reports@example.com"], sender: "cvpipe@example.com" };
  const results = await Promise.all(Array.from({ length: 10 }, () => sendWeeklyReport(deps, input)));
  assert.is(mailer.sent.length, 1);
  assert.is(results.filter((r) => r.status === "sent").length, 1);
  const again = await sendWeeklyReport(deps, input);
  assert.equal(again, { status: "skipped", week: WEEK, reason: "already-sent", messageId: "mem-1" });
  assert.is(mailer.sent.length, 1);
  const forced = await sendWeeklyReport(deps, { ...input, force: true });
  assert.is(forced.status, "sent");
  assert.is(mailer.sent.length, 2);
});

test("a failed send leaves the week retryable; the retry sends once", async () => {
  const ledger = new MemoryReportLedger();
  const mailer = new MemoryMailer();
  mailer.failNext = 1;
  const deps = { aggregates: realisticStore(), ledger, mailer, clock, sleep: realTimer.sleep };
  const input = { week: WEEK, recipients: ["reports@example.com"], sender: "cvpipe@example.com" };
  try {
    await sendWeeklyReport(deps, input);
    assert.unreachable("the first send fails");
  } catch (error) {
    assert.ok(error instanceof CvpipeError && error.retryable);
  }
  assert.is(ledger.entries.get(WEEK)?.status, "FAILED");
  const retry = await sendWeeklyReport(deps, input);
  assert.is(retry.status, "sent");
  assert.is(retry.status === "sent" && retry.attempt, 2);
  assert.is(mailer.sent.length, 1);
});

test("a claim held by a dead run is taken over after its lease", async () => {
  const ledger = new MemoryReportLedger();
  const mailer = new MemoryMailer();
  let now = new Date("2026-11-23T07:00:00Z");
  const deps = { aggregates: realisticStore(), ledger, mailer, clock: { now: () => now }, sleep: realTimer.sleep };
  await ledger.claim(WEEK, { owner: "dead", now, leaseUntil: new Date(now.getTime() + 600_000), force: false });
  const input = { week: WEEK, recipients: ["r@example.com"], sender: "s@example.com" };
  assert.equal(await sendWeeklyReport(deps, input), { status: "skipped", week: WEEK, reason: "in-progress" });
  now = new Date(now.getTime() + 601_000);
  assert.is((await sendWeeklyReport(deps, input)).status, "sent");
  assert.is(mailer.sent.length, 1);
});

test("input is validated", async () => {
  const deps = {
    aggregates: new MemoryAggregateStore(),
    ledger: new MemoryReportLedger(),
    mailer: new MemoryMailer(),
    clock,
    sleep: realTimer.sleep,
  };
  for (const input of [
    { week: "2026-W54", recipients: ["r@example.com"], sender: "s@example.com" },
    { week: WEEK, recipients: [], sender: "s@example.com" },
  ]) {
    try {
      await sendWeeklyReport(deps, input);
      assert.unreachable();
    } catch (error) {
      assert.ok(error instanceof ValidationError);
    }
  }
});

test("reads are bounded: a week of 100,000 events reads no more items than a week of 100", async () => {
  const itemsRead = async (events: number): Promise<number> => {
    const store = new MemoryAggregateStore();
    foldInMemory(store, WEEK, events, 7);
    let read = 0;
    const counting: AggregateReader = {
      readWeek: async (week) => {
        const items = await store.readWeek(week);
        read += items.length;
        return items;
      },
    };
    await sendWeeklyReport(
      {
        aggregates: counting,
        ledger: new MemoryReportLedger(),
        mailer: new MemoryMailer(),
        clock,
        sleep: realTimer.sleep,
      },
      { week: WEEK, recipients: ["r@example.com"], sender: "s@example.com" },
    );
    return read;
  };
  const small = await itemsRead(100);
  const large = await itemsRead(100_000);
  assert.ok(large <= small, `${large} items for 100k events vs ${small} for 100`);
  assert.ok(large <= 2 * SHARD_COUNT, "this week's and last week's shards at most");
});

test.run();
