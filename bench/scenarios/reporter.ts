/**
 * Issue 12 §1.5, reporter scaling: the weekly report of a week of 1k, 10k and
 * 100k events (and a previous week of as many, for the deltas), items read
 * and build time, each size against the 1k week measured in the same run.
 *
 * The aggregates are written as the fold writes them, through its store
 * (DynamoAggregateStore.applyEach and settleEach into dynalite): each event's
 * increments (incrementsFor) summed per aggregate item, one conditional apply
 * per item — the items the fold would leave, without folding 222,000 events
 * one batch at a time first. The report is then built as the reporter builds
 * it (renderWeeklyReport: the report ledger's lookback records, the week's and
 * the previous week's shard items, merge, model, text and HTML), through a
 * reader that counts the items it returns. Sizes are timed in turns (1k, 10k,
 * 100k; then 10k, 100k, 1k; …), so a change of load weighs on all of them
 * alike; median of the turns.
 *
 * Targets: items read the same whatever the week's volume (ratio ≤ 1), build
 * time of the 100k week ≤ 1.5 × the 1k week's.
 */
import { performance } from "node:perf_hooks";
import { DynamoAggregateStore } from "@cvpipe/aws/analytics/dynamo-aggregate-store";
import { createTables, startDynalite } from "@cvpipe/aws/analytics/testing/emulators";
import { DynamoReportLedger } from "@cvpipe/aws/report/dynamo-report-ledger";
import { type AggregateIncrements, incrementsFor, mergeAggregates, shardOf } from "@cvpipe/core/analytics/aggregate";
import { type IsoWeek, previousIsoWeek } from "@cvpipe/core/analytics/iso-week";
import { sampleMessages } from "@cvpipe/core/analytics/testing/sample-events";
import type { AggregateReader } from "@cvpipe/core/ports/analytics-stores";
import { renderWeeklyReport } from "@cvpipe/core/report/send-weekly-report";
import { tables } from "@cvpipe/core/topology";
import type { Scenario, ScenarioRow } from "../scenario.ts";

/** Each size's week: far apart, so no size's lookback reads another's items. */
const WEEKS: Readonly<Record<number, IsoWeek>> = { 1000: "2026-W10", 10000: "2026-W20", 100000: "2026-W30" };

const median = (values: readonly number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
};

/** Every event's increments summed per aggregate item, as the fold's applies leave them. */
const itemIncrements = (week: IsoWeek, count: number, seed: number): AggregateIncrements[] => {
  const byItem = new Map<string, { counters: Record<string, number>; names: Record<string, string> }>();
  for (const { body } of sampleMessages({ week, count, seed, idPrefix: `r${seed}`, usersPerTenant: 40 })) {
    const inc = incrementsFor(body);
    // The shard of a fold of the event on its own; a batch stores its events under one of the same 16.
    const shard = shardOf(body.tenantId, body.event.eventId);
    const item = byItem.get(shard) ?? { counters: {}, names: {} };
    for (const [k, v] of Object.entries(inc.counters)) item.counters[k] = (item.counters[k] ?? 0) + v;
    for (const [k, v] of Object.entries(inc.names)) item.names[k] ??= v;
    byItem.set(shard, item);
  }
  return [...byItem].map(([shard, item]) => ({
    week,
    shard,
    eventKey: `bench#${week}#${shard}`,
    counters: item.counters,
    names: item.names,
  }));
};

/** An AggregateReader that counts the items it hands out. */
class CountingReader implements AggregateReader {
  readonly #inner: AggregateReader;
  items = 0;
  constructor(inner: AggregateReader) {
    this.#inner = inner;
  }
  async readWeek(week: IsoWeek) {
    const items = await this.#inner.readWeek(week);
    this.items += items.length;
    return items;
  }
}

const scenario: Scenario = {
  id: "reporter",
  title: "Reporter scaling: weeks of 1k, 10k, 100k events",
  async run(context) {
    const sizes = context.quick ? [1_000, 10_000] : [1_000, 10_000, 100_000];
    const turns = context.quick ? 3 : Number(process.env["BENCH_REPORTER_TURNS"] ?? 15);
    const db = await startDynalite();
    try {
      await createTables(db.client, ["aggregates", "reports"]);
      const clock = { now: () => new Date("2026-12-01T07:00:00Z") };
      const store = new DynamoAggregateStore(db.documentClient, { tableName: tables.aggregates.name, clock });
      const ledger = new DynamoReportLedger(db.documentClient, { tableName: tables.reports.name });
      for (const [i, size] of sizes.entries()) {
        const week = WEEKS[size]!;
        for (const [w, seed] of [
          [week, 2 * i + 1],
          [previousIsoWeek(week), 2 * i + 2],
        ] as const) {
          context.progress(`reporter: writing ${size} events of ${w} through the aggregate store`);
          const incs = itemIncrements(w, size, seed);
          const applied = await store.applyEach(incs.map((inc) => ({ inc, fence: 0 })));
          if (applied.some((a) => a !== "applied")) throw new Error(`applying ${w}: ${JSON.stringify(applied)}`);
          await store.settleEach(incs);
          const counted = mergeAggregates(w, await store.readWeek(w)).events;
          if (counted !== size) throw new Error(`${w} holds ${counted} events, ${size} were written`);
        }
      }
      const reader = new CountingReader(store);
      const deps = { aggregates: reader, clock, ledger };
      const times = new Map<number, number[]>(sizes.map((s) => [s, []]));
      const itemsRead = new Map<number, number>();
      for (let turn = 0; turn <= turns; turn++) {
        // Each turn starts with another size: no size always runs first, or last.
        const order = sizes.map((_, i) => sizes[(i + turn) % sizes.length]!);
        for (const size of order) {
          reader.items = 0;
          const started = performance.now();
          await renderWeeklyReport(deps, WEEKS[size]!);
          const ms = performance.now() - started;
          if (turn === 0) {
            // The first turn warms up (JIT, connections); it is not timed.
            itemsRead.set(size, reader.items);
            continue;
          }
          times.get(size)!.push(ms);
        }
        if (turn > 0 && turn % 5 === 0) context.progress(`reporter: ${turn}/${turns} turns`);
      }
      const small = sizes[0]!;
      const label = (n: number) => `${n / 1000}k events`;
      const rows: ScenarioRow[] = [];
      for (const size of sizes.slice(1)) {
        rows.push({
          case: `reporter: items read, ${label(size)} vs ${label(small)}`,
          subject: { label: label(size), value: itemsRead.get(size)!, unit: "items" },
          baseline: { label: label(small), value: itemsRead.get(small)!, unit: "items" },
          ratio: itemsRead.get(size)! / itemsRead.get(small)!,
          target: { ratio: 1, better: "lower" },
          notes: "aggregate items of the week and the previous week (ledger: 4 lookback records, none sent)",
        });
      }
      for (const size of sizes.slice(1)) {
        const subject = median(times.get(size)!);
        const baseline = median(times.get(small)!);
        rows.push({
          case: `reporter: build time, ${label(size)} vs ${label(small)}`,
          subject: { label: label(size), value: subject, unit: "ms" },
          baseline: { label: label(small), value: baseline, unit: "ms" },
          ratio: subject / baseline,
          target: { ratio: 1.5, better: "lower" },
          notes: `median of ${turns} turns (sizes in turn); read, merge, model, text and HTML`,
        });
      }
      return rows;
    } finally {
      await db.close();
    }
  },
};

export default scenario;

if (import.meta.main) {
  const rows = await scenario.run({ progress: (m) => console.error(m), quick: process.env["BENCH_QUICK"] === "1" });
  for (const row of rows) console.log(JSON.stringify(row));
}
