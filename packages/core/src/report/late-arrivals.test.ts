/**
 * Late events (issue 8 item 5): an event for week W folded after W's email
 * went out. The next report compares with the figures W's email showed, and
 * says how many events arrived late and for which week — once.
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { applyIncrements, incrementsFor, SHARD_COUNT } from "../analytics/aggregate.ts";
import { MemoryAggregateStore } from "../analytics/testing/memory-stores.ts";
import { sampleMessages } from "../analytics/testing/sample-events.ts";
import type { AggregateReader } from "../ports/analytics-stores.ts";
import { sendWeeklyReport } from "./send-weekly-report.ts";
import { MemoryMailer, MemoryReportLedger } from "./testing/memory-ledger.ts";

const recipients = ["reports@example.com"];
const sender = "cvpipe@example.com";

/** Folds `count` more events into `week`, adding to what is there (as the analytics worker does). */
const fold = (store: MemoryAggregateStore, week: string, count: number, prefix: string): void => {
  for (const m of sampleMessages({ week, count, seed: prefix.length, idPrefix: prefix })) {
    const inc = incrementsFor(m.body);
    store.put(applyIncrements(store.items.get(`${inc.week}|${inc.shard}`), inc));
  }
};

/** Monday 07:00 UTC of the week after `week`'s, as the schedule runs it. */
const mondayAfter = (week: string): Date =>
  ({
    "2026-W45": new Date("2026-11-09T07:00:00Z"),
    "2026-W46": new Date("2026-11-16T07:00:00Z"),
    "2026-W47": new Date("2026-11-23T07:00:00Z"),
    "2026-W48": new Date("2026-11-30T07:00:00Z"),
    "2026-W49": new Date("2026-12-07T07:00:00Z"),
  })[week]!;

const setup = () => {
  const aggregates = new MemoryAggregateStore();
  const ledger = new MemoryReportLedger();
  const mailer = new MemoryMailer();
  let now = new Date(0);
  const send = async (week: string) => {
    now = mondayAfter(week);
    const result = await sendWeeklyReport(
      { aggregates, ledger, mailer, clock: { now: () => now }, sleep: async () => {} },
      { week, recipients, sender },
    );
    assert.is(result.status, "sent");
    return mailer.sent.at(-1)!;
  };
  return { aggregates, ledger, mailer, send };
};

test("the next week compares with the figures that were sent, and shows the late arrivals with their week", async () => {
  const { aggregates, send } = setup();
  fold(aggregates, "2026-W46", 1000, "w46");
  const w46 = await send("2026-W46");
  assert.match(w46.text, /Analytics events\s+1,000\b/);
  // After W46's email: 30 more events that happened in W46 arrive (a redrive, a slow producer).
  fold(aggregates, "2026-W46", 30, "w46-late");
  fold(aggregates, "2026-W47", 1200, "w47");
  const w47 = await send("2026-W47");
  // Last week = what W46's email said (1,000), not its total now (1,030).
  assert.match(w47.text, /Analytics events\s+1,200\s+1,000\s+\+200 \(\+20\.0%\)/);
  assert.match(w47.text, /Late arrivals: 30 events for 2026-W46 \(after its report was sent\)/);
  assert.match(w47.html, /Late arrivals: 30 events for 2026-W46 \(after its report was sent\)/);
});

test("late arrivals are reported once: the next report shows only what arrived since, for each week", async () => {
  const { aggregates, send } = setup();
  fold(aggregates, "2026-W46", 400, "w46");
  await send("2026-W46");
  fold(aggregates, "2026-W46", 12, "w46-late-1");
  fold(aggregates, "2026-W47", 500, "w47");
  const w47 = await send("2026-W47");
  assert.match(w47.text, /Late arrivals: 12 events for 2026-W46/);
  fold(aggregates, "2026-W46", 3, "w46-late-2");
  fold(aggregates, "2026-W47", 7, "w47-late");
  fold(aggregates, "2026-W48", 450, "w48");
  const w48 = await send("2026-W48");
  assert.match(w48.text, /Late arrivals: 7 events for 2026-W47 \(after its report was sent\)/);
  assert.match(w48.text, /3 events for 2026-W46\b/);
  assert.not.match(w48.text, /1[25] events for 2026-W46/);
  // Last week = W47 as sent (500), not 507.
  assert.match(w48.text, /Analytics events\s+450\s+500\b/);
  // Nothing new arrived: no late-arrivals line at all.
  fold(aggregates, "2026-W49", 10, "w49");
  const w49 = await send("2026-W49");
  assert.not.match(w49.text, /Late arrivals/i);
  assert.not.match(w49.html, /Late arrivals/i);
});

test("a previous week that was never sent is compared with its totals now, and has no late arrivals", async () => {
  const { aggregates, send } = setup();
  fold(aggregates, "2026-W46", 300, "w46");
  fold(aggregates, "2026-W47", 200, "w47");
  const w47 = await send("2026-W47");
  assert.match(w47.text, /Analytics events\s+200\s+300\b/);
  assert.not.match(w47.text, /Late arrivals/i);
});

test("an empty week still shows the late arrivals of the weeks before it", async () => {
  const { aggregates, send } = setup();
  fold(aggregates, "2026-W46", 80, "w46");
  await send("2026-W46");
  fold(aggregates, "2026-W46", 4, "w46-late");
  const w47 = await send("2026-W47");
  assert.match(w47.text, /No activity/);
  assert.match(w47.text, /Previous week \(2026-W46\): 80 events\./);
  assert.match(w47.text, /Late arrivals: 4 events for 2026-W46/);
  assert.match(w47.html, /Late arrivals: 4 events for 2026-W46/);
});

test("reads stay bounded with late-arrival checks: the same items for 100 or 20,000 events a week", async () => {
  const itemsRead = async (events: number): Promise<number> => {
    const { aggregates, ledger, mailer } = setup();
    for (const week of ["2026-W45", "2026-W46", "2026-W47", "2026-W48"]) fold(aggregates, week, events, week);
    let read = 0;
    const counting: AggregateReader = {
      readWeek: async (week) => {
        const items = await aggregates.readWeek(week);
        read += items.length;
        return items;
      },
    };
    for (const week of ["2026-W45", "2026-W46", "2026-W47", "2026-W48"]) {
      read = 0;
      await sendWeeklyReport(
        { aggregates: counting, ledger, mailer, clock: { now: () => mondayAfter(week) }, sleep: async () => {} },
        { week, recipients, sender },
      );
    }
    return read;
  };
  const small = await itemsRead(100);
  const large = await itemsRead(20_000);
  assert.ok(large <= small, `${large} items for 20k events vs ${small} for 100`);
  // This week, last week and the three sent weeks before it: shard items only.
  assert.ok(large <= 5 * SHARD_COUNT, `${large} items`);
});

test.run();
