/**
 * What `pnpm bench` writes: the terminal table, bench/results/latest.json and
 * the README's table between its markers. One row per ScenarioRow.
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { type Measure, meetsTarget, type ScenarioRow } from "../scenario.ts";

export interface ScenarioResult {
  readonly id: string;
  readonly title: string;
  /** When this scenario was last measured (ISO 8601), and how long it took. */
  readonly measuredAt: string;
  readonly seconds: number;
  readonly rows: readonly ScenarioRow[];
  /** Set when the scenario failed: its rows are then missing or partial. */
  readonly error?: string;
}

export interface BenchResults {
  readonly generatedAt: string;
  readonly commit: string;
  readonly node: string;
  readonly machine: { readonly cpus: number; readonly model: string; readonly loadAverage: readonly number[] };
  readonly quick: boolean;
  readonly scenarios: readonly ScenarioResult[];
}

const BENCH_START = "<!-- bench:start -->";
const BENCH_END = "<!-- bench:end -->";

const number = (value: number): string => {
  if (!Number.isFinite(value)) return String(value);
  const abs = Math.abs(value);
  if (abs >= 100) return value.toFixed(0);
  if (abs >= 10) return value.toFixed(1);
  if (abs >= 1) return value.toFixed(2);
  if (abs >= 0.01) return value.toFixed(3);
  return value.toPrecision(2);
};

export const formatMeasure = (m: Measure): string => `${number(m.value)} ${m.unit}`;

const latency = (m: Measure): string =>
  m.p50Ms === undefined && m.p99Ms === undefined
    ? ""
    : `${m.p50Ms === undefined ? "–" : number(m.p50Ms)}/${m.p99Ms === undefined ? "–" : number(m.p99Ms)} ms`;

const targetText = (row: ScenarioRow): string =>
  row.target === undefined ? "" : `${row.target.better === "higher" ? "≥" : "≤"} ${number(row.target.ratio)}`;

const metText = (row: ScenarioRow): string => {
  const met = meetsTarget(row);
  return met === undefined ? "" : met ? "yes" : "NO";
};

/** The columns, shared by the terminal and the README. */
const cells = (scenario: ScenarioResult, row: ScenarioRow): string[] => [
  scenario.id,
  row.case,
  `${formatMeasure(row.subject)}`,
  `${formatMeasure(row.baseline)}`,
  `${number(row.ratio)}×`,
  targetText(row),
  metText(row),
  latency(row.subject),
  latency(row.baseline),
];

const HEADER = ["scenario", "case", "subject", "baseline", "ratio", "target", "met", "p50/p99", "baseline p50/p99"];

export const terminalTable = (results: readonly ScenarioResult[]): string => {
  const rows: string[][] = [HEADER];
  for (const s of results) {
    for (const r of s.rows) rows.push(cells(s, r));
    if (s.error) rows.push([s.id, `FAILED: ${s.error.split("\n")[0]}`, "", "", "", "", "", "", ""]);
  }
  const widths = HEADER.map((_, i) => Math.max(...rows.map((r) => [...(r[i] ?? "")].length)));
  const line = (r: string[]) =>
    r
      .map((c, i) => (i >= 2 && i <= 5 ? c.padStart(widths[i]!) : c.padEnd(widths[i]!)))
      .join("  ")
      .trimEnd();
  return [line(rows[0]!), widths.map((w) => "-".repeat(w)).join("  "), ...rows.slice(1).map(line)].join("\n");
};

const escapeCell = (text: string): string => text.replaceAll("|", "\\|");

export const markdownTable = (results: BenchResults): string => {
  const lines = [
    `Measured ${results.generatedAt.slice(0, 16).replace("T", " ")} UTC at ${results.commit.slice(0, 10)}${results.commit.endsWith("+changes") ? " (with uncommitted changes)" : ""} on ${results.machine.cpus} × ${results.machine.model}, Node ${results.node} (load average at start ${results.machine.loadAverage.map((l) => l.toFixed(1)).join(", ")}). Ratios are subject ÷ baseline measured side by side in the same run; details and what limits each row: [bench/README.md](bench/README.md).`,
    "",
    `| ${HEADER.join(" | ")} |`,
    `| ${HEADER.map((_, i) => (i >= 2 && i <= 5 ? "---:" : "---")).join(" | ")} |`,
  ];
  for (const s of results.scenarios) {
    for (const r of s.rows) lines.push(`| ${cells(s, r).map(escapeCell).join(" | ")} |`);
    if (s.error) lines.push(`| ${s.id} | FAILED: ${escapeCell(s.error.split("\n")[0] ?? "")} |  |  |  |  |  |  |  |`);
  }
  return lines.join("\n");
};

/** Rewrites the part of `file` between the bench markers; false when the file has no markers. */
export const rewriteReadme = (file: string, results: BenchResults): boolean => {
  if (!existsSync(file)) return false;
  const text = readFileSync(file, "utf8");
  const start = text.indexOf(BENCH_START);
  const end = text.indexOf(BENCH_END);
  if (start < 0 || end < start) return false;
  const next = `${text.slice(0, start + BENCH_START.length)}\n${markdownTable(results)}\n${text.slice(end)}`;
  if (next !== text) writeFileSync(file, next);
  return true;
};

/** Merges this run's scenarios into the previous results: a run of some scenarios keeps the others' last figures. */
export const mergeResults = (
  previous: BenchResults | undefined,
  run: Omit<BenchResults, "scenarios">,
  measured: readonly ScenarioResult[],
  order: readonly string[],
): BenchResults => {
  const byId = new Map((previous?.scenarios ?? []).map((s) => [s.id, s]));
  for (const s of measured) byId.set(s.id, s);
  const rank = (id: string) => {
    const i = order.indexOf(id);
    return i < 0 ? order.length : i;
  };
  const scenarios = [...byId.values()].sort((a, b) => rank(a.id) - rank(b.id) || a.id.localeCompare(b.id));
  return { ...run, scenarios };
};

export const readResults = (file: string): BenchResults | undefined => {
  if (!existsSync(file)) return undefined;
  try {
    return JSON.parse(readFileSync(file, "utf8")) as BenchResults;
  } catch {
    return undefined;
  }
};
