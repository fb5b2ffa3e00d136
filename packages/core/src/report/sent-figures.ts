/**
 * The figures an email showed, kept in the report ledger (issue 8 item 5).
 *
 * A week's totals keep moving after its email went out: an event is counted in
 * the week it happened, and it can arrive days later (a slow producer, a DLQ
 * redrive). So the next report compares with what the previous email *said*,
 * not with the previous week's total now, and names the difference instead of
 * hiding it in a delta nobody can reproduce: "Late arrivals: 30 events for
 * 2026-W46 (after its report was sent)".
 *
 * What is kept is what the week-over-week columns use: the headline metrics
 * and each table's rows as shown (top N), plus the event totals of the earlier
 * weeks whose late arrivals the email accounted for. A few KB, whatever the
 * volume (topN rows per table, labels of at most 100 characters).
 */

import { type IsoWeek, isoWeekStart, previousIsoWeek } from "../analytics/iso-week.ts";
import * as z from "../contracts/zod.ts";
import type { ReportRecord } from "../ports/report-ledger.ts";
import type { WeeklyReport } from "./report-model.ts";

export interface ShownTable {
  /** `[label, count]` of every row the email showed, in its order. */
  readonly rows: readonly (readonly [string, number])[];
  /** Rows the top-N cut left out: 0 means a label not in `rows` had count 0. */
  readonly more: number;
}

export interface SentFigures {
  /** When the figures were read (the report's generatedAt). */
  readonly at: string;
  /** Headline metrics by key; null when there was nothing to measure. */
  readonly metrics: Readonly<Record<string, number | null>>;
  /** Tables by key. A table that is absent was not in the email: all its counts were 0. */
  readonly tables: Readonly<Record<string, ShownTable>>;
  /** Event totals of earlier weeks as this email saw them: its late-arrival lines accounted up to these. */
  readonly seen: Readonly<Record<IsoWeek, number>>;
}

const SentFiguresSchema = z.object({
  at: z.string(),
  metrics: z.record(z.string(), z.nullable(z.number())),
  tables: z.record(z.string(), z.object({ rows: z.array(z.tuple([z.string(), z.number()])), more: z.number() })),
  seen: z.record(z.string(), z.number()),
});

/** Figures read back from storage; undefined when absent or not in this shape (then nothing is assumed). */
export const parseSentFigures = (raw: unknown): SentFigures | undefined => {
  const parsed = SentFiguresSchema.safeParse(raw);
  return parsed.success ? parsed.data : undefined;
};

/** The figures of a report, as the ledger records them when its email is sent. */
export const figuresOf = (report: WeeklyReport, seen: Readonly<Record<IsoWeek, number>>): SentFigures => ({
  at: report.generatedAt,
  metrics: Object.fromEntries(report.metrics.map((m) => [m.key, m.value ?? null])),
  tables: Object.fromEntries(
    report.tables.map((t) => [t.key, { rows: t.rows.map((r) => [r.label, r.count] as const), more: t.more }]),
  ),
  seen,
});

/**
 * What a week's recipients were shown, judged from its ledger record: the sent
 * figures once SENT; for SENDING or UNCERTAIN the figures of the email whose
 * fate is unknown (it most likely went out — it reached SES); for FAILED or a
 * fresh claim the last email that did go out, if any (a failed forced re-send
 * showed nothing new).
 */
export const figuresShown = (record: ReportRecord | undefined): SentFigures | undefined => {
  if (!record) return undefined;
  if (record.status === "SENDING" || record.status === "UNCERTAIN") return record.sendingFigures ?? record.sentFigures;
  return record.sentFigures;
};

/**
 * How many weeks back the reporter looks for late arrivals. An event is
 * counted only while its message is younger than the dedup window (the raw
 * event TTL, 14 days by default; older messages are dropped as stale), and a
 * tailoring outcome is received when it happens, so outcomes for week W are
 * all counted by W's end + 14 days — before W+2's report runs. Four weeks
 * covers that with room for a report that ran late or a longer TTL, and keeps
 * the reporter's reads fixed: 4 ledger items and at most 4 × SHARD_COUNT more
 * aggregate items, whatever the volume. Producer events carry their own
 * occurredAt (any time since 2000): one about a week further back is counted
 * in that week but not flagged here.
 */
export const LATE_ARRIVAL_WEEKS = 4;

/** The weeks before `week` that a report checks for late arrivals, newest first. */
export const lookbackWeeks = (week: IsoWeek, count = LATE_ARRIVAL_WEEKS): IsoWeek[] => {
  const out: IsoWeek[] = [];
  let w = week;
  for (let i = 0; i < count; i++) {
    w = previousIsoWeek(w);
    out.push(w);
  }
  return out;
};

export interface LateArrival {
  readonly week: IsoWeek;
  /** Events counted for `week` since an email last accounted for it. */
  readonly events: number;
}

export interface LastShown {
  readonly events: number;
  readonly at: string;
}

/**
 * For each week in `shown` (a lookback window, any order), the last event total
 * an email told its readers: the week's own email, or a later report's
 * late-arrival accounting — whichever was read last.
 */
export const lastShownTotals = (shown: ReadonlyMap<IsoWeek, SentFigures | undefined>): Map<IsoWeek, LastShown> => {
  const out = new Map<IsoWeek, LastShown>();
  const offer = (week: IsoWeek, events: number | null | undefined, at: string): void => {
    if (typeof events !== "number") return;
    const known = out.get(week);
    if (!known || Date.parse(at) > Date.parse(known.at)) out.set(week, { events, at });
  };
  for (const [week, figures] of shown) {
    if (!figures) continue;
    offer(week, figures.metrics["events"], figures.at);
    for (const [earlier, events] of Object.entries(figures.seen)) {
      if (shown.has(earlier) && isoWeekStart(earlier) < isoWeekStart(week)) offer(earlier, events, figures.at);
    }
  }
  return out;
};

/** Late arrivals: what each week counts now beyond what was last shown (only increases). */
export const lateArrivals = (
  lastShown: ReadonlyMap<IsoWeek, LastShown>,
  totalsNow: ReadonlyMap<IsoWeek, number>,
): LateArrival[] => {
  const out: LateArrival[] = [];
  for (const [week, shown] of lastShown) {
    const now = totalsNow.get(week);
    if (now !== undefined && now > shown.events) out.push({ week, events: now - shown.events });
  }
  // Newest week first, as the lookback reads them.
  return out.sort((a, b) => (a.week < b.week ? 1 : a.week > b.week ? -1 : 0));
};
