/**
 * The text/html part. Email clients ignore <style> blocks and most layout CSS,
 * so everything is tables with inline styles (plus `bgcolor`/`width`
 * attributes Outlook honours); bars are two table cells whose widths are
 * percentages. No images, no data URIs, no scripts, no external resources.
 */
import {
  type Change,
  formatChange,
  formatCount,
  formatLateArrival,
  formatRowChange,
  formatValue,
  type Tone,
} from "./format.ts";
import type { Table, WeeklyReport } from "./report-model.ts";

const escapeHtml = (text: string): string =>
  text
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&#39;");

const FONT = "font-family:Arial,Helvetica,sans-serif;";
const INK = "#111827";
const MUTED = "#6b7280";
const RULE = "#e5e7eb";
const ACCENT = "#4338ca";
const TRACK = "#e0e7ff";
const TONE: Record<Tone, string> = { good: "#047857", bad: "#b91c1c", flat: MUTED };

/** Cells inherit font and colour from their table (set on every table: Outlook does not inherit across tables). */
const cell = (content: string, style = "", attrs = ""): string =>
  `<td${attrs} style="padding:6px 8px;border-bottom:1px solid ${RULE};${style}">${content}</td>`;

const TABLE = `<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="border-collapse:collapse;width:100%;${FONT}font-size:14px;color:${INK};">`;

const headCell = (content: string, align = "left", width?: string): string =>
  `<th align="${align}"${width ? ` width="${width}"` : ""} style="font-size:12px;color:${MUTED};text-transform:uppercase;padding:6px 8px;border-bottom:2px solid ${RULE};text-align:${align};">${content}</th>`;

const change = (c: Change): string =>
  `<span style="color:${TONE[c.tone]};white-space:nowrap;">${escapeHtml(c.text)}</span>`;

/** A horizontal bar: filled cell NN% wide, track cell the rest. */
const bar = (share: number): string => {
  const pct = Math.round(Math.max(0, Math.min(1, share)) * 1000) / 10;
  const filled =
    pct > 0
      ? `<td width="${pct}%" bgcolor="${ACCENT}" style="width:${pct}%;background-color:${ACCENT};height:12px;font-size:0;">&nbsp;</td>`
      : "";
  const track =
    pct < 100 ? `<td bgcolor="${TRACK}" style="background-color:${TRACK};height:12px;font-size:0;">&nbsp;</td>` : "";
  return `<table width="100%" cellpadding="0" cellspacing="0" border="0" style="border-collapse:collapse;"><tr>${filled}${track}</tr></table>`;
};

const section = (title: string, note?: string): string =>
  `<h2 style="${FONT}font-size:17px;line-height:1.3;color:${INK};margin:28px 0 4px 0;">${escapeHtml(title)}</h2>${
    note ? `<p style="${FONT}font-size:13px;color:${MUTED};margin:0 0 8px 0;">${escapeHtml(note)}</p>` : ""
  }`;

const renderTable = (t: Table): string => {
  const body = t.rows
    .map(
      (r) =>
        `<tr>${cell(escapeHtml(r.label), "word-break:break-word;")}${cell(formatCount(r.count), "white-space:nowrap;", ' align="right"')}${cell(`${(r.share * 100).toFixed(1)}%`, `color:${MUTED};white-space:nowrap;`, ' align="right"')}${cell(bar(r.share))}${cell(change(formatRowChange(r.count, r.previous)), "", ' align="right"')}</tr>`,
    )
    .join("");
  const more =
    t.more > 0
      ? `<tr><td colspan="5" style="font-size:13px;color:${MUTED};padding:6px 8px;">… and ${t.more} more</td></tr>`
      : "";
  // Column widths live on the header row only; the body cells follow it.
  return `${section(t.title, t.note)}${TABLE}<tr>${headCell(escapeHtml(t.columns.label), "left", "34%")}${headCell(escapeHtml(t.columns.count), "right", "12%")}${headCell("Share", "right", "10%")}${headCell("", "left", "30%")}${headCell("Change", "right", "14%")}</tr>${body}${more}</table>`;
};

const shell = (report: WeeklyReport, inner: string): string =>
  `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><meta name="color-scheme" content="light"><title>${escapeHtml(report.subject)}</title></head>` +
  `<body style="margin:0;padding:0;background-color:#f3f4f6;">` +
  `<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" bgcolor="#f3f4f6" style="background-color:#f3f4f6;"><tr><td align="center" style="padding:24px 12px;">` +
  `<table role="presentation" width="640" cellpadding="0" cellspacing="0" border="0" bgcolor="#ffffff" style="width:100%;max-width:640px;background-color:#ffffff;border:1px solid ${RULE};border-radius:8px;"><tr><td style="padding:28px 32px;">` +
  `<p style="${FONT}font-size:12px;font-weight:bold;letter-spacing:0.08em;text-transform:uppercase;color:${ACCENT};margin:0 0 6px 0;">cvpipe · weekly analytics</p>` +
  `<h1 style="${FONT}font-size:24px;line-height:1.25;color:${INK};margin:0 0 4px 0;">${escapeHtml(report.subject)}</h1>` +
  `<p style="${FONT}font-size:14px;color:${MUTED};margin:0;">${escapeHtml(report.period)} (UTC) · compared with ${escapeHtml(report.previousWeek)}</p>` +
  inner +
  `<p style="${FONT}font-size:12px;line-height:1.5;color:${MUTED};margin:32px 0 0 0;border-top:1px solid ${RULE};padding-top:12px;">${report.notes.map(escapeHtml).join("<br>")}<br>Generated ${escapeHtml(report.generatedAt)}.</p>` +
  `</td></tr></table></td></tr></table></body></html>`;

/** One line per earlier week whose total grew after its email went out; nothing when none did. */
const lateArrivals = (report: WeeklyReport): string =>
  report.lateArrivals
    .map(
      (late) =>
        `<p style="${FONT}font-size:14px;color:${INK};margin:16px 0 0 0;padding:8px 12px;border-left:3px solid ${ACCENT};background-color:#f9fafb;">${escapeHtml(formatLateArrival(late))}</p>`,
    )
    .join("");

export const renderReportHtml = (report: WeeklyReport): string => {
  if (report.empty) {
    const previous = report.metrics.find((m) => m.key === "events")?.previous ?? 0;
    return shell(
      report,
      `<p style="${FONT}font-size:16px;color:${INK};margin:28px 0 8px 0;"><strong>No activity.</strong> No analytics events were recorded in week ${escapeHtml(report.week)}.</p>` +
        `<p style="${FONT}font-size:14px;color:${MUTED};margin:0;">Previous week (${escapeHtml(report.previousWeek)}): ${formatCount(previous)} events.</p>` +
        lateArrivals(report),
    );
  }
  const summary = report.metrics
    .map(
      (m) =>
        `<tr>${cell(escapeHtml(m.label))}${cell(`<strong>${escapeHtml(formatValue(m.format, m.value, m.atLeast))}</strong>`, "white-space:nowrap;", ' align="right"')}${cell(escapeHtml(formatValue(m.format, m.previous)), `color:${MUTED};white-space:nowrap;`, ' align="right"')}${cell(change(formatChange(m)), "", ' align="right"')}</tr>`,
    )
    .join("");
  const summaryTable = `${section("Summary")}${TABLE}<tr>${headCell("Metric")}${headCell("This week", "right")}${headCell("Last week", "right")}${headCell("Change", "right")}</tr>${summary}</table>`;
  return shell(report, summaryTable + lateArrivals(report) + report.tables.map(renderTable).join(""));
};
