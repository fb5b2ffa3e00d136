/**
 * The weekly report as data: headline metrics with week-over-week deltas and
 * ranked tables, built from two merged weeks. Rendering (text, HTML) only
 * formats this model, so both parts of the email say the same thing.
 *
 * "Last week" is what last week's email showed when it was sent (its figures
 * from the report ledger), not last week's total now: events that arrived for
 * it afterwards are listed as late arrivals instead (see sent-figures.ts).
 */
import { type Ranked, rankDescending, type WeeklyAggregate } from "../analytics/aggregate.ts";
import { type HistogramSpec, isOpenEnded, LATENCY_MS, MATCH_SCORE, quantile } from "../analytics/histogram.ts";
import { describeIsoWeek, type IsoWeek } from "../analytics/iso-week.ts";
import type { LateArrival, SentFigures } from "./sent-figures.ts";

export const reportSubject = (week: IsoWeek): string => `CV Analytics Weekly Report - Week ${week}`;

export type MetricFormat = "count" | "percent" | "ms" | "score" | "rating";

export interface Metric {
  /** Stable name, as the report ledger records the figure. */
  readonly key: string;
  readonly label: string;
  readonly format: MetricFormat;
  /** undefined when there is nothing to measure (no jobs → no latency). */
  readonly value: number | undefined;
  readonly previous: number | undefined;
  /** Which direction is good news, for colouring the change. */
  readonly better: "up" | "down" | "neutral";
  /** The value is a lower bound (quantile in the open-ended last bucket). */
  readonly atLeast?: boolean;
}

export interface Row {
  readonly label: string;
  readonly count: number;
  /** count / total of the table, 0..1: the bar's width. */
  readonly share: number;
  /** Same label last week (0 when absent). */
  readonly previous: number;
}

export interface Table {
  /** Stable name, as the report ledger records the rows. */
  readonly key: string;
  readonly title: string;
  readonly note?: string;
  readonly columns: { readonly label: string; readonly count: string };
  readonly rows: readonly Row[];
  /** Rows left out by the top-N cut. */
  readonly more: number;
}

export interface WeeklyReport {
  readonly week: IsoWeek;
  readonly previousWeek: IsoWeek;
  readonly period: string;
  readonly subject: string;
  readonly generatedAt: string;
  readonly empty: boolean;
  readonly metrics: readonly Metric[];
  readonly tables: readonly Table[];
  /** Events counted for earlier weeks after their emails went out, newest week first. */
  readonly lateArrivals: readonly LateArrival[];
  readonly notes: readonly string[];
}

export interface BuildOptions {
  /** Rows per ranked table. Default 10. */
  readonly topN?: number;
  readonly generatedAt: Date;
  /** What the previous week's email showed; the "Last week" column then uses these, not `previous`. */
  readonly previousShown?: SentFigures;
  readonly lateArrivals?: readonly LateArrival[];
}

/** Last week's count of a row: as shown in its email when there is one, else as counted now. */
type PreviousOf = (label: string, live: number) => number;

const previousOf = (shown: SentFigures | undefined, key: string): PreviousOf => {
  if (!shown) return (_label, live) => live;
  const table = shown.tables[key];
  // Not in last week's email: the table had no rows, every count was 0.
  if (!table) return () => 0;
  const counts = new Map(table.rows);
  // A label the email did not show was 0 unless the top-N cut hid it; then only its count now is known.
  return (label, live) => counts.get(label) ?? (table.more === 0 ? 0 : live);
};

const rows = (
  current: Readonly<Record<string, number>>,
  previous: Readonly<Record<string, number>>,
  topN: number,
  prev: PreviousOf,
): { rows: Row[]; more: number } => {
  const ranked: Ranked[] = rankDescending(Object.entries(current));
  const total = ranked.reduce((s, r) => s + r.count, 0);
  return {
    rows: ranked.slice(0, topN).map((r) => ({
      label: r.label,
      count: r.count,
      share: total > 0 ? r.count / total : 0,
      previous: prev(r.label, previous[r.label] ?? 0),
    })),
    more: Math.max(0, ranked.length - topN),
  };
};

const successRate = (a: WeeklyAggregate): number | undefined =>
  a.outcomeEvents > 0 ? (a.byOutcome["succeeded"] ?? 0) / a.outcomeEvents : undefined;

/** Mean relevance rating (1-5) of the week's feedback; undefined without any. */
const meanRating = (a: WeeklyAggregate): number | undefined =>
  a.feedback.count > 0 ? a.feedback.ratingSum / a.feedback.count : undefined;

const bucketLabel = (lower: number, upper: number | undefined, unit: string): string =>
  upper === undefined
    ? `≥ ${lower.toLocaleString("en-US")}${unit}`
    : `${lower.toLocaleString("en-US")}–${upper.toLocaleString("en-US")}${unit}`;

const distribution = (
  spec: HistogramSpec,
  current: readonly number[],
  previous: readonly number[],
  unit: string,
  prevOf: PreviousOf,
  groupBy = 1,
): Row[] => {
  const total = current.reduce((a, b) => a + b, 0);
  const out: Row[] = [];
  for (let i = 0; i < current.length; i += groupBy) {
    const last = Math.min(i + groupBy, current.length) - 1;
    let count = 0;
    let prev = 0;
    for (let j = i; j <= last; j++) {
      count += current[j] ?? 0;
      prev += previous[j] ?? 0;
    }
    const lower = i === 0 ? spec.min : spec.bounds[i - 1]!;
    const upper = last < spec.bounds.length ? spec.bounds[last]! : spec.max;
    const label = bucketLabel(lower, upper, unit);
    out.push({ label, count, share: total > 0 ? count / total : 0, previous: prevOf(label, prev) });
  }
  // Trim empty buckets at both ends; keep gaps inside so the shape reads right.
  const first = out.findIndex((r) => r.count > 0 || r.previous > 0);
  if (first === -1) return [];
  let end = out.length;
  while (end > first && out[end - 1]!.count === 0 && out[end - 1]!.previous === 0) end--;
  return out.slice(first, end);
};

export const buildWeeklyReport = (
  current: WeeklyAggregate,
  previous: WeeklyAggregate,
  options: BuildOptions,
): WeeklyReport => {
  const topN = options.topN ?? 10;
  const shown = options.previousShown;
  const q = (a: WeeklyAggregate, spec: HistogramSpec, which: "latency" | "score", p: number) =>
    quantile(spec, a[which], p);
  const live: Metric[] = [
    {
      key: "events",
      label: "Analytics events",
      format: "count",
      value: current.events,
      previous: previous.events,
      better: "up",
    },
    {
      key: "jobs",
      label: "Tailoring jobs finished",
      format: "count",
      value: current.outcomeEvents,
      previous: previous.outcomeEvents,
      better: "up",
    },
    {
      key: "successRate",
      label: "Success rate",
      format: "percent",
      value: successRate(current),
      previous: successRate(previous),
      better: "up",
    },
    {
      key: "latencyP50",
      label: "Latency p50",
      format: "ms",
      value: q(current, LATENCY_MS, "latency", 0.5),
      previous: q(previous, LATENCY_MS, "latency", 0.5),
      better: "down",
      atLeast: isOpenEnded(LATENCY_MS, current.latency, 0.5),
    },
    {
      key: "latencyP95",
      label: "Latency p95",
      format: "ms",
      value: q(current, LATENCY_MS, "latency", 0.95),
      previous: q(previous, LATENCY_MS, "latency", 0.95),
      better: "down",
      atLeast: isOpenEnded(LATENCY_MS, current.latency, 0.95),
    },
    {
      key: "scoreP50",
      label: "Match score p50",
      format: "score",
      value: q(current, MATCH_SCORE, "score", 0.5),
      previous: q(previous, MATCH_SCORE, "score", 0.5),
      better: "up",
    },
    {
      key: "scoreP95",
      label: "Match score p95",
      format: "score",
      value: q(current, MATCH_SCORE, "score", 0.95),
      previous: q(previous, MATCH_SCORE, "score", 0.95),
      better: "up",
    },
    {
      key: "inputTokens",
      label: "Input tokens",
      format: "count",
      value: current.tokens.input,
      previous: previous.tokens.input,
      better: "neutral",
    },
    {
      key: "outputTokens",
      label: "Output tokens",
      format: "count",
      value: current.tokens.output,
      previous: previous.tokens.output,
      better: "neutral",
    },
    {
      key: "producerEvents",
      label: "Producer events",
      format: "count",
      value: current.producerEvents,
      previous: previous.producerEvents,
      better: "up",
    },
    {
      key: "feedback",
      label: "Relevance feedback",
      format: "count",
      value: current.feedback.count,
      previous: previous.feedback.count,
      better: "up",
    },
    {
      key: "meanRating",
      label: "Mean rating (1-5)",
      format: "rating",
      value: meanRating(current),
      previous: meanRating(previous),
      better: "up",
    },
  ];
  // Last week as its email showed it; a metric that email did not carry keeps its count now.
  const metrics = shown
    ? live.map((m) => (m.key in shown.metrics ? { ...m, previous: shown.metrics[m.key] ?? undefined } : m))
    : live;
  const tables: Table[] = [];
  const add = (
    key: string,
    title: string,
    columns: Table["columns"],
    cur: Readonly<Record<string, number>>,
    prev: Readonly<Record<string, number>>,
    note?: string,
  ) => {
    const r = rows(cur, prev, topN, previousOf(shown, key));
    if (r.rows.length > 0) tables.push({ key, title, columns, ...r, ...(note ? { note } : {}) });
  };
  add("outcomes", "Tailoring outcomes", { label: "Outcome", count: "Jobs" }, current.byOutcome, previous.byOutcome);
  add("engines", "Jobs by engine", { label: "Engine", count: "Jobs" }, current.byEngine, previous.byEngine);
  add(
    "errorCodes",
    "Failures by error code",
    { label: "Error code", count: "Jobs" },
    current.byErrorCode,
    previous.byErrorCode,
  );
  add("tenants", "Activity by tenant", { label: "Tenant", count: "Events" }, current.byTenant, previous.byTenant);
  add("types", "Producer events by type", { label: "Event type", count: "Events" }, current.byType, previous.byType);
  if (current.feedback.count > 0) {
    // Each rating given this week, 5 first, with its share of the week's feedback.
    const byRating = (a: WeeklyAggregate) =>
      Object.fromEntries(Object.entries(a.feedback.byRating).map(([r, n]) => [`${r} of 5`, n]));
    const r = rows(byRating(current), byRating(previous), 5, previousOf(shown, "ratings"));
    const order = (label: string) => -Number(label.charAt(0));
    tables.push({
      key: "ratings",
      title: "Relevance feedback by rating",
      columns: { label: "Rating", count: "Ratings" },
      rows: [...r.rows].sort((a, b) => order(a.label) - order(b.label)),
      more: 0,
    });
  }
  /** A histogram as a table of its buckets (every one: `more` is 0), when the week measured anything. */
  const addDistribution = (
    key: "latency" | "score",
    title: string,
    label: string,
    spec: HistogramSpec,
    measured: number,
    unit: string,
    groupBy = 1,
  ) => {
    const r = distribution(spec, current[key], previous[key], unit, previousOf(shown, key), groupBy);
    if (measured > 0 && r.length > 0) {
      tables.push({ key, title, columns: { label, count: "Jobs" }, rows: r, more: 0 });
    }
  };
  addDistribution("latency", "Latency distribution", "Latency", LATENCY_MS, current.outcomeEvents, " ms");
  addDistribution("score", "Match score distribution", "Score", MATCH_SCORE, current.scoreCount, "", 2);
  const keywords = Object.fromEntries(current.missingKeywords.map((k) => [k.label, k.count]));
  const previousKeywords = Object.fromEntries(previous.missingKeywords.map((k) => [k.label, k.count]));
  const kw = rows(keywords, previousKeywords, topN, previousOf(shown, "keywords"));
  const succeeded = current.byOutcome["succeeded"] ?? 0;
  if (kw.rows.length > 0) {
    tables.push({
      key: "keywords",
      title: "Top missing keywords",
      note: "Job requirements most often absent from the CVs tailored this week; bar = share of successful jobs missing it.",
      columns: { label: "Keyword", count: "Jobs" },
      // The bar of a keyword is its share of successful jobs, not of all keyword mentions.
      rows: kw.rows.map((r) => ({ ...r, share: succeeded > 0 ? Math.min(1, r.count / succeeded) : 0 })),
      more: kw.more,
    });
  }
  const notes = [
    "Weeks are ISO 8601 weeks in UTC (Monday to Sunday); changes compare with the previous ISO week.",
    "Latency and score percentiles are estimated from fixed histogram buckets.",
  ];
  if (shown) {
    notes.push(`"Last week" is what the ${previous.week} report showed (figures read ${shown.at}), not its total now.`);
  }
  const late = options.lateArrivals ?? [];
  if (late.length > 0) {
    notes.push("Late arrivals count in the week they happened in; that week's report is not sent again.");
  }
  return {
    week: current.week,
    previousWeek: previous.week,
    period: describeIsoWeek(current.week),
    subject: reportSubject(current.week),
    generatedAt: options.generatedAt.toISOString(),
    empty: current.events === 0,
    metrics,
    tables,
    lateArrivals: late,
    notes,
  };
};
