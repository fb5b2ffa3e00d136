/**
 * Issue 15 §1: the operator console in headless Chromium (Debian's package,
 * driven by playwright-core). A job is poisoned — the Bedrock stand-in throttles
 * nine calls, so its three deliveries of three attempts each run out and the
 * message lands in the DLQ — then the test logs in through the one-time link,
 * finds the job in the DLQ view, runs a dry run (the message is listed, nothing
 * moves), redrives it from the page and sees the job SUCCEEDED on its page.
 * Screenshots are checked as the report's are: not blank, content where the
 * page puts it. Skipped, saying so, when Chromium is not installed.
 */

import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { SendMessageCommand } from "@aws-sdk/client-sqs";
import { createSqsClient } from "@cvpipe/aws/clients";
import { clockFromEnv } from "@cvpipe/core/ports/clock";
import { decodePng, pixelStats, regionHasContent } from "@cvpipe/core/report/testing/png";
import { api } from "@cvpipe/core/topology";
import { mintToken } from "@cvpipe/local/jwt-keys";
import { type Browser, chromium, type Page } from "playwright-core";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { fixture } from "./support/fixtures.ts";
import { jobInDlq, waitForJobInDlq } from "./support/queues.ts";
import { startTestStack, type TestStack, until } from "./support/stack.ts";

const executable = ["chromium", "chromium-browser", "google-chrome"]
  .map((bin) => spawnSync("which", [bin], { encoding: "utf8" }))
  .find((r) => r.status === 0)
  ?.stdout.trim();
// Without Chromium the browser test is reported as skipped (the closing line counts it), never as passed.
const browserTest = executable ? test : test.skip;
if (!executable)
  console.log("chromium is not installed (apt-get install -y chromium): skipping the console browser test");

const body = fixture("http/post-job.valid.json");
const TENANT = "console";
let stack: TestStack;
let browser: Browser | undefined;
let profile: string | undefined;

test.before(async () => {
  stack = await startTestStack({
    visibilityTimeoutSeconds: { tailoringJobs: 3 },
    // Nine throttled answers, then good ones: three deliveries x three engine attempts run out (fifo-workers.test.ts).
    env: { BEDROCK_MODEL_ID: "local.cvpipe-scenario-throttled-9" },
  });
  if (executable) {
    profile = mkdtempSync(join(tmpdir(), "cvpipe-console-browser-"));
    browser = await chromium.launch({
      executablePath: executable,
      // This machine has no outside network: nothing of Chromium's own may try to reach it.
      args: [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
      ],
    });
  }
});
test.after(async () => {
  await browser?.close();
  if (profile) rmSync(profile, { recursive: true, force: true });
  await stack?.close();
});

/** A screenshot that is a real page: not blank, several colours, content in the given regions. */
const checkScreenshot = async (page: Page, what: string, regions: [number, number, number, number][]) => {
  const shot = await page.screenshot({ fullPage: false });
  // CONSOLE_SCREENSHOTS=<dir> keeps them, to look at.
  const keep = process.env["CONSOLE_SCREENSHOTS"];
  if (keep) writeFileSync(join(keep, `${what.replaceAll(/\W+/g, "-")}.png`), shot);
  const png = decodePng(shot);
  assert.is(png.width, 1200, `${what}: width`);
  const stats = pixelStats(png);
  assert.ok(stats.colours > 20, `${what}: only ${stats.colours} colours`);
  assert.ok(stats.lumaVariance > 50, `${what}: luminance variance ${stats.lumaVariance.toFixed(1)}`);
  assert.ok(stats.nonBackground > 0.05, `${what}: ${(stats.nonBackground * 100).toFixed(1)}% non-background`);
  for (const [x0, y0, x1, y1] of regions) {
    assert.ok(regionHasContent(png, x0, y0, x1, y1), `${what}: nothing in ${x0},${y0}-${x1},${y1}`);
  }
};

browserTest(
  "console: a poisoned job shows in the DLQ view, a dry run moves nothing, a redrive from the page makes it succeed",
  async () => {
    const res = await stack.api.request("POST", "/v1/jobs", {
      body: { ...body, options: { engine: "bedrock" } },
      tenant: TENANT,
    });
    const jobId: string = res.body.data.jobId;
    const failed = await stack.api.waitForJob(jobId, { tenant: TENANT, timeoutMs: 40_000 });
    assert.is(failed.status, "FAILED");
    assert.is(failed.error.code, "ENGINE_UNAVAILABLE");
    const sqs = createSqsClient();
    const q = stack.info.queues.tailoringJobs;
    await waitForJobInDlq(sqs, q.dlqUrl, jobId);

    const context = await browser!.newContext({ viewport: { width: 1200, height: 800 } });
    const errors: string[] = [];
    try {
      const page = await context.newPage();
      page.on("pageerror", (e) => errors.push(e.message));
      page.on("console", (m) => {
        if (m.type() === "error") errors.push(`${m.text()} (${m.location().url})`);
      });

      // The one-time link logs in and lands on the overview.
      await page.goto(stack.console.loginUrl());
      assert.is(new URL(page.url()).pathname, "/console");
      assert.match((await page.textContent("h1")) ?? "", /Queues and alarms/);
      const dlqRow = page.locator('tr[data-queue="tailoringJobs:dlq"]');
      assert.is((await dlqRow.locator('[data-field="visible"]').textContent())?.trim(), "1");
      assert.match(
        (await page.locator('tr[data-alarm="tailoringJobs-dlq-not-empty"] [data-field="state"]').textContent()) ?? "",
        /ALARM/,
      );
      await checkScreenshot(page, "overview", [
        [0, 0, 1200, 40],
        [20, 100, 600, 300],
      ]);

      // The DLQ view: the job, its tenant, group, receive count and why it failed.
      await page.click("text=Tailoring DLQ");
      const row = page.locator("tr.dead", { hasText: jobId });
      assert.is(await row.count(), 1, "the poisoned job is listed");
      const cells = await row.locator("td").allTextContents();
      assert.is(cells[2], TENANT);
      assert.match(cells[3] ?? "", new RegExp(`^${TENANT}#`));
      assert.ok(Number(cells[4]) >= 3, `receive count ${cells[4]}`);
      assert.match(cells[5] ?? "", /ENGINE_UNAVAILABLE/);
      // Each heading on one line: a column is never squeezed into breaking a word ("tena|nt", "receiv|es").
      const wrapped = await page.$$eval("tr:has(th) th", (ths) =>
        ths
          .filter((th) => {
            const style = th.ownerDocument.defaultView!.getComputedStyle(th);
            const line = Number.parseFloat(style.lineHeight) || 1.2 * Number.parseFloat(style.fontSize);
            return th.getBoundingClientRect().height > 1.6 * line;
          })
          .map((th) => th.textContent),
      );
      assert.equal(wrapped, [], "headings broken over lines");
      await checkScreenshot(page, "DLQ view", [
        [20, 80, 600, 250],
        [600, 100, 1180, 250],
      ]);

      // Dry run: the message is listed as one that would move; nothing moves.
      await page.fill('form.redrive input[name="job"]', jobId);
      await page.click("#dry-run");
      assert.match((await page.textContent("#redrive-summary")) ?? "", /dry run: 1 message\(s\) would move/);
      assert.is(await page.locator("#moved tr.dead", { hasText: jobId }).count(), 1);
      assert.ok(await jobInDlq(sqs, q.dlqUrl, jobId), "still in the DLQ after the dry run");
      const still = await stack.api.request("GET", `/v1/jobs/${jobId}`, { tenant: TENANT });
      assert.is(still.body.data.status, "FAILED", "the dry run did not run the job");

      // The real redrive, from the form the dry run's page shows (its filter kept).
      assert.is(await page.inputValue('form.redrive input[name="job"]'), jobId);
      await page.click("#redrive");
      assert.match((await page.textContent("#redrive-summary")) ?? "", /moved 1 message\(s\)/);

      // The job's page, reloaded until the redriven job has run again.
      await page.click(`#moved a:text("${jobId}")`);
      await until(
        "the job SUCCEEDED on its page",
        async () => {
          await page.reload();
          return (await page.textContent("#job-status"))?.trim() === "SUCCEEDED" ? true : undefined;
        },
        40_000,
      );
      assert.match((await page.textContent("#history")) ?? "", /earlier ending at .*failed ENGINE_UNAVAILABLE/);
      assert.match((await page.textContent("#verification")) ?? "", /passed/);
      assert.match((await page.textContent("main")) ?? "", /Match report/);
      await checkScreenshot(page, "job page", [
        [20, 60, 600, 200],
        [20, 200, 600, 700],
      ]);
      assert.equal(errors, [], "no script or CSP errors in the pages");
    } finally {
      await context.close();
    }
  },
);

test("console on the stack: a DLQ message's HTML is shown escaped, to an admin bearer token; a producer token is refused", async () => {
  const payload = `<script>alert("dlq")</script>`;
  await createSqsClient().send(
    new SendMessageCommand({
      QueueUrl: stack.info.queues.analyticsEvents.dlqUrl,
      MessageBody: JSON.stringify({ schema: "analytics-event.v1", tenantId: payload, event: { eventId: payload } }),
      MessageGroupId: "inject#x",
      MessageDeduplicationId: "inject-1",
    }),
  );
  const admin = await mintToken(stack.keys, {
    tenantId: "ops",
    userId: "op",
    extraClaims: { [api.roleClaim]: api.adminRole },
    now: clockFromEnv(process.env).now(),
  });
  const r = await fetch(`${stack.info.apiUrl}/console/dlq/analytics`, {
    headers: { authorization: `Bearer ${admin}` },
  });
  assert.is(r.status, 200);
  const page = await r.text();
  assert.not.match(page, /<script>alert/);
  assert.match(page, /&lt;script&gt;alert\(&quot;dlq&quot;\)&lt;\/script&gt;/);
  const producer = await mintToken(stack.keys, { tenantId: "ops", userId: "op", now: clockFromEnv(process.env).now() });
  const refused = await fetch(`${stack.info.apiUrl}/console/dlq/analytics`, {
    headers: { authorization: `Bearer ${producer}` },
  });
  assert.is(refused.status, 401);
  // Ages come from fauxqs's inspection endpoint; another SQS (moto) has none: "n/a", not an error.
  const overview = await fetch(`${stack.info.apiUrl}/console`, { headers: { authorization: `Bearer ${admin}` } });
  assert.is(overview.status, 200);
  const text = await overview.text();
  if (stack.backend === "moto") assert.match(text, /data-field="oldest">n\/a</);
  else assert.not.match(text, /data-field="oldest">n\/a</);
});

test.run();
