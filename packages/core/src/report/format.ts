import type { Metric, MetricFormat } from "./report-model.ts";

export const formatCount = (n: number): string => Math.round(n).toLocaleString("en-US");

export const formatValue = (format: MetricFormat, value: number | undefined, atLeast = false): string => {
  if (value === undefined) return "–";
  const prefix = atLeast ? "≥ " : "";
  switch (format) {
    case "count":
      return formatCount(value);
    case "percent":
      return `${(value * 100).toFixed(1)}%`;
    case "score":
      return value.toFixed(1);
    case "rating":
      return value.toFixed(2);
    case "ms":
      return value < 1000
        ? `${prefix}${Math.round(value)} ms`
        : `${prefix}${(value / 1000).toFixed(value < 10_000 ? 2 : 1)} s`;
  }
};

export type Tone = "good" | "bad" | "flat";

export interface Change {
  readonly text: string;
  readonly tone: Tone;
}

/** `+134 (+12.2%)`, `−3.1 pp`, `new`, `–`. */
export const formatChange = (m: Pick<Metric, "format" | "value" | "previous" | "better">): Change => {
  if (m.value === undefined || m.previous === undefined) {
    return { text: m.value !== undefined && m.previous === undefined ? "new" : "–", tone: "flat" };
  }
  const delta = m.value - m.previous;
  const sign = delta > 0 ? "+" : delta < 0 ? "−" : "±";
  const tone: Tone =
    delta === 0 || m.better === "neutral" ? "flat" : delta > 0 === (m.better === "up") ? "good" : "bad";
  const abs = Math.abs(delta);
  switch (m.format) {
    case "percent":
      return { text: `${sign}${(abs * 100).toFixed(1)} pp`, tone };
    case "score":
      return { text: `${sign}${abs.toFixed(1)}`, tone };
    case "rating":
      return { text: `${sign}${abs.toFixed(2)}`, tone };
    case "ms":
      return { text: `${sign}${formatValue("ms", abs)}`, tone };
    case "count": {
      if (m.previous === 0) return { text: delta === 0 ? "±0" : "new", tone };
      return { text: `${sign}${formatCount(abs)} (${sign}${((abs / m.previous) * 100).toFixed(1)}%)`, tone };
    }
  }
};

/** Change of a table row's count: `+12`, `−3`, `new`. */
export const formatRowChange = (count: number, previous: number): Change => {
  if (previous === 0) return { text: count === 0 ? "±0" : "new", tone: "flat" };
  const delta = count - previous;
  return { text: delta === 0 ? "±0" : `${delta > 0 ? "+" : "−"}${formatCount(Math.abs(delta))}`, tone: "flat" };
};

/** `Late arrivals: 30 events for 2026-W46 (after its report was sent)`. */
export const formatLateArrival = (late: { readonly week: string; readonly events: number }): string =>
  `Late arrivals: ${formatCount(late.events)} ${late.events === 1 ? "event" : "events"} for ${late.week} (after its report was sent)`;
