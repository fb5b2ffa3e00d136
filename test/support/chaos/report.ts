/**
 * The weekly report an operator would preview (`cvpipe report preview`, a
 * separate process against the running stack), held against the report
 * rendered from the raw events alone: each stored event folded once, in
 * memory, with the pure increments — no conditional writes, no crashes.
 */
import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import {
  type AggregateItem,
  applyIncrements,
  incrementsFor,
  mergeAggregates,
  type WeeklyAggregate,
} from "@cvpipe/core/analytics/aggregate";
import type { IsoWeek } from "@cvpipe/core/analytics/iso-week";
import type { AnalyticsEventMessage } from "@cvpipe/core/contracts/analytics-event-message";
import type { AggregateReader } from "@cvpipe/core/ports/analytics-stores";
import { renderWeeklyReport } from "@cvpipe/core/report/send-weekly-report";
import { repoRoot } from "../stack.ts";
import { compareWithRecount } from "./verify.ts";

const run = promisify(execFile);

/** Aggregate items from the stored events, each applied once. */
export const refold = (messages: readonly AnalyticsEventMessage[]): AggregateReader => {
  const items = new Map<string, AggregateItem>();
  for (const m of messages) {
    const inc = incrementsFor(m);
    const key = `${inc.week}|${inc.shard}`;
    items.set(key, applyIncrements(items.get(key), inc));
  }
  return { readWeek: async (week) => [...items.values()].filter((i) => i.week === week) };
};

export interface ReportCheck {
  readonly problems: string[];
  /** The preview's text part. */
  readonly text: string;
}

/**
 * Runs `cvpipe report preview --week <week>` against the stack on `dataDir`
 * and compares both parts of the email with the ones rendered from `messages`
 * (at the preview's own generatedAt); the refold must also equal the recount.
 */
export const checkReport = async (
  dataDir: string,
  week: IsoWeek,
  messages: readonly AnalyticsEventMessage[],
  recounted: ReadonlyMap<IsoWeek, WeeklyAggregate>,
): Promise<ReportCheck> => {
  const problems: string[] = [];
  const out = mkdtempSync(join(tmpdir(), "cvpipe-chaos-report-"));
  try {
    const cli = await run(
      process.execPath,
      [join(repoRoot, "packages/cli/src/cvpipe.ts"), "report", "preview", "--week", week, "--out", out],
      { env: { ...process.env, CVPIPE_DATA_DIR: dataDir } },
    );
    const htmlFile = /html: (\S+)/.exec(cli.stdout)?.[1];
    if (!htmlFile) return { problems: [`report preview printed no file: ${cli.stdout}${cli.stderr}`], text: "" };
    const html = readFileSync(htmlFile, "utf8");
    const text = readFileSync(htmlFile.replace(/\.html$/, ".txt"), "utf8");
    const generatedAt = /Generated (\S+)\.\n*$/.exec(text)?.[1];
    if (!generatedAt) return { problems: ["report preview: no 'Generated' line"], text };

    const reader = refold(messages);
    for (const [w, want] of recounted) {
      for (const diff of compareWithRecount(mergeAggregates(w, await reader.readWeek(w)), want).diffs) {
        problems.push(`refold ${w} vs recount: ${diff}`);
      }
    }
    const expected = await renderWeeklyReport(
      { aggregates: reader, clock: { now: () => new Date(generatedAt) } },
      week,
    );
    if (expected.text !== text)
      problems.push(`report text differs from the recount's:\n${firstDifference(text, expected.text)}`);
    if (expected.html !== html)
      problems.push(`report HTML differs from the recount's:\n${firstDifference(html, expected.html)}`);
    return { problems, text };
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
};

const firstDifference = (got: string, want: string): string => {
  const a = got.split("\n");
  const b = want.split("\n");
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    if (a[i] !== b[i]) return `  line ${i + 1}\n  preview: ${a[i] ?? "(none)"}\n  recount: ${b[i] ?? "(none)"}`;
  }
  return "  (same lines)";
};
