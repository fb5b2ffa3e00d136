/**
 * Renders the HTML email of a realistic week in headless Chromium and checks
 * the screenshot is a real page (not blank, several colours, content across
 * the width). Skipped — saying so — only when Chromium is not installed.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { type AggregateItem, applyIncrements, incrementsFor } from "../analytics/aggregate.ts";
import { MemoryAggregateStore } from "../analytics/testing/memory-stores.ts";
import { sampleMessages } from "../analytics/testing/sample-events.ts";
import { renderWeeklyReport } from "./send-weekly-report.ts";
import { decodePng, pixelStats, regionHasContent } from "./testing/png.ts";

const chromium = ["chromium", "chromium-browser", "google-chrome"].find(
  (bin) => spawnSync("which", [bin], { encoding: "utf8" }).status === 0,
);
// Without Chromium the check is reported as skipped (the closing line counts it), never as passed.
const chromiumTest = chromium ? test : test.skip;
if (!chromium) console.log("chromium is not installed (apt-get install -y chromium): skipping the screenshot check");

const realisticReportHtml = async (): Promise<string> => {
  const store = new MemoryAggregateStore();
  for (const [week, count, seed] of [
    ["2026-W47", 1800, 1],
    ["2026-W46", 1500, 2],
  ] as const) {
    const items = new Map<string, AggregateItem>();
    for (const m of sampleMessages({ week, count, seed, idPrefix: week })) {
      const inc = incrementsFor(m.body);
      items.set(inc.shard, applyIncrements(items.get(inc.shard), inc));
    }
    for (const item of items.values()) store.put(item);
  }
  const { html } = await renderWeeklyReport(
    { aggregates: store, clock: { now: () => new Date("2026-11-23T07:00:02Z") } },
    "2026-W47",
  );
  return html;
};

chromiumTest("the HTML email renders in Chromium to a non-blank page", async () => {
  const dir = mkdtempSync(join(tmpdir(), "cvpipe-report-"));
  try {
    const htmlPath = join(dir, "report.html");
    const pngPath = process.env["REPORT_SCREENSHOT"] ?? join(dir, "report.png");
    writeFileSync(htmlPath, await realisticReportHtml());
    const run = spawnSync(
      chromium!,
      [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--hide-scrollbars",
        `--user-data-dir=${join(dir, "profile")}`,
        `--screenshot=${pngPath}`,
        "--window-size=900,1400",
        pathToFileURL(htmlPath).href,
      ],
      { encoding: "utf8", timeout: 120_000 },
    );
    assert.ok(existsSync(pngPath), `no screenshot; chromium exited ${run.status}: ${run.stderr.slice(-2000)}`);
    assert.ok(statSync(pngPath).size > 20_000, `screenshot only ${statSync(pngPath).size} bytes`);
    const png = decodePng(readFileSync(pngPath));
    assert.is(png.width, 900);
    assert.is(png.height, 1400);
    const stats = pixelStats(png);
    assert.ok(stats.colours > 50, `only ${stats.colours} colours`);
    assert.ok(stats.lumaVariance > 100, `luminance variance ${stats.lumaVariance.toFixed(1)}`);
    assert.ok(stats.nonBackground > 0.3, `${(stats.nonBackground * 100).toFixed(1)}% non-background`);
    // The card is centred: content on the left (labels) and right (bars, changes) halves, top and bottom.
    assert.ok(regionHasContent(png, 150, 80, 450, 300), "no heading on the left");
    assert.ok(regionHasContent(png, 450, 400, 750, 1300), "no table content on the right");
  } finally {
    if (!process.env["REPORT_SCREENSHOT"]) rmSync(dir, { recursive: true, force: true });
  }
});

test.run();
