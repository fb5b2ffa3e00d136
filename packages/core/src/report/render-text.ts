import { formatChange, formatCount, formatLateArrival, formatRowChange, formatValue } from "./format.ts";
import type { Table, WeeklyReport } from "./report-model.ts";

const BAR_WIDTH = 20;

const bar = (share: number): string => {
  const filled = Math.round(Math.max(0, Math.min(1, share)) * BAR_WIDTH);
  return `${"#".repeat(filled)}${".".repeat(BAR_WIDTH - filled)}`;
};

const pad = (text: string, width: number): string =>
  text.length >= width ? text : text + " ".repeat(width - text.length);
const padStart = (text: string, width: number): string =>
  text.length >= width ? text : " ".repeat(width - text.length) + text;

const renderTable = (t: Table): string[] => {
  const labelWidth = Math.min(32, Math.max(t.columns.label.length, ...t.rows.map((r) => r.label.length)));
  const lines = [t.title, "-".repeat(t.title.length)];
  if (t.note) lines.push(t.note);
  lines.push(
    `${pad(t.columns.label, labelWidth)}  ${padStart(t.columns.count, 8)}  ${pad("Share", 7)} ${pad("", BAR_WIDTH)}  Change`,
  );
  for (const r of t.rows) {
    const label = r.label.length > labelWidth ? `${r.label.slice(0, labelWidth - 1)}…` : r.label;
    lines.push(
      `${pad(label, labelWidth)}  ${padStart(formatCount(r.count), 8)}  ${padStart(`${(r.share * 100).toFixed(1)}%`, 6)}  ${bar(r.share)}  ${formatRowChange(r.count, r.previous).text}`,
    );
  }
  if (t.more > 0) lines.push(`… and ${t.more} more`);
  return lines;
};

const lateArrivals = (report: WeeklyReport): string[] =>
  report.lateArrivals.length === 0 ? [] : ["", ...report.lateArrivals.map(formatLateArrival)];

/** The text/plain part: aligned columns and `#` bars, readable in any mail client. */
export const renderReportText = (report: WeeklyReport): string => {
  const lines = [report.subject, `${report.period} (UTC)`, ""];
  if (report.empty) {
    const previous = report.metrics.find((m) => m.key === "events")?.previous ?? 0;
    lines.push(
      `No activity: no analytics events were recorded in week ${report.week}.`,
      `Previous week (${report.previousWeek}): ${formatCount(previous)} events.`,
      ...lateArrivals(report),
      "",
      `Generated ${report.generatedAt}.`,
    );
    return `${lines.join("\n")}\n`;
  }
  const labelWidth = Math.max(...report.metrics.map((m) => m.label.length));
  lines.push("Summary", "-------");
  lines.push(`${pad("", labelWidth)}  ${padStart("This week", 12)}  ${padStart("Last week", 12)}  Change`);
  for (const m of report.metrics) {
    lines.push(
      `${pad(m.label, labelWidth)}  ${padStart(formatValue(m.format, m.value, m.atLeast), 12)}  ${padStart(formatValue(m.format, m.previous), 12)}  ${formatChange(m).text}`,
    );
  }
  lines.push(...lateArrivals(report));
  for (const t of report.tables) lines.push("", ...renderTable(t));
  lines.push("", ...report.notes, `Generated ${report.generatedAt}.`);
  return `${lines.join("\n")}\n`;
};
