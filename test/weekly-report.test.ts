/**
 * The weekly report end to end on the embedded stack: jobs and producer events
 * through the HTTP API, the analytics worker's aggregates, the scheduler firing
 * the reporter, one email in aws-ses-v2-local — and the operator's CLI.
 */
import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { createDocumentClient } from "@cvpipe/aws/clients";
import { DynamoReportLedger } from "@cvpipe/aws/report/dynamo-report-ledger";
import { isoWeekOf, isoWeekStart, nextIsoWeek, previousIsoWeek } from "@cvpipe/core/analytics/iso-week";
import { clockFromEnv } from "@cvpipe/core/ports/clock";
import { captureStdout } from "@cvpipe/core/testing/stdout";
import { tables } from "@cvpipe/core/topology";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { fixture } from "./support/fixtures.ts";
import { repoRoot, startTestStack, type TestStack, tempDataDir, until } from "./support/stack.ts";

const run = promisify(execFile);
const body = fixture("http/post-job.valid.json");
let stack: TestStack;
/** The stack's clock starts here (a Wednesday), whatever today is; the CLI runs inherit the shift. */
const START = new Date("2026-11-18T10:00:00Z");
const week = isoWeekOf(START);
/** "Now" as the stack (and the CLI it spawns) sees it. */
const stackNow = (): Date => clockFromEnv(process.env).now();

const emails = () => stack.sentEmails();
/**
 * Whether the SES backend keeps the text part: aws-ses-v2-local keeps both parts, moto only the HTML one
 * (docs/emulator-differences.md), so on moto the text part's figures cannot be read back.
 */
const textKept = (): boolean => stack.backend === "embedded";

test.before(async () => {
  stack = await startTestStack({
    clockStart: START,
    env: { REPORT_RECIPIENTS: "ops@example.com,product@example.com" },
  });
});
test.after(async () => stack?.close());

test("jobs and events this week show up in Monday's email, sent once", async () => {
  const jobs = await Promise.all(
    ["alice", "bob"].map((user) => stack.api.request("POST", "/v1/jobs", { body, tenant: "acme", user })),
  );
  for (const [i, res] of jobs.entries())
    await stack.api.waitForJob(res.body.data.jobId, { tenant: "acme", user: i === 0 ? "alice" : "bob" });
  const now = stackNow().toISOString();
  const events = Array.from({ length: 5 }, (_, i) => ({
    eventId: `rep-${i}`,
    type: i < 3 ? "cv.viewed" : "cv.downloaded",
    occurredAt: now,
  }));
  assert.is((await stack.api.request("POST", "/v1/events", { body: { events }, tenant: "globex" })).status, 202);

  // The aggregates settle: 2 outcomes + 5 producer events folded.
  await until(
    "events folded",
    async () => {
      const out = await run(
        process.execPath,
        [join(repoRoot, "packages/cli/src/cvpipe.ts"), "report", "preview", "--week", week, "--out", tempDataDir()],
        {
          env: { ...process.env, CVPIPE_DATA_DIR: stack.info.dataDir },
        },
      );
      const file = /html: (\S+)/.exec(out.stdout)?.[1];
      const text = readFileSync(file!.replace(/\.html$/, ".txt"), "utf8");
      return /Analytics events\s+7\b/.test(text) ? text : undefined;
    },
    20_000,
  );

  // Monday 07:00 after this week: the scheduler reports on this (now previous) week.
  const monday = new Date(isoWeekStart(nextIsoWeek(week)).getTime() + 7 * 3_600_000);
  await stack.scheduler.trigger(monday);
  await stack.scheduler.trigger(monday); // a duplicate trigger
  const sent = await emails();
  assert.is(sent.length, 1, "duplicate triggers send one email");
  const email = sent[0]!;
  assert.is(email.subject, `CV Analytics Weekly Report - Week ${week}`);
  if (textKept()) {
    assert.match(email.body.text ?? "", /Analytics events\s+7\b/);
    assert.match(email.body.text ?? "", /succeeded/i);
  }
  assert.match(email.body.html ?? "", /acme/);
  assert.match(email.body.html ?? "", /globex/);
  assert.not.match(email.body.html ?? "", /data:image/);
  assert.ok(Buffer.byteLength(email.body.html ?? "") < 100_000);
});

test("cvpipe report send refuses an unfinished week and a week already sent; --force sends anyway", async () => {
  const cli = (...args: string[]) =>
    run(process.execPath, [join(repoRoot, "packages/cli/src/cvpipe.ts"), "report", "send", "--week", week, ...args], {
      env: { ...process.env, CVPIPE_DATA_DIR: stack.info.dataDir, REPORT_RECIPIENTS: "ops@example.com" },
    }).then(
      (r) => ({ code: 0, out: r.stdout, err: r.stderr }),
      (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, out: e.stdout, err: e.stderr }),
    );
  // This week has not ended: sending it now would make Monday's real run skip it.
  const early = await cli();
  assert.is(early.code, 2);
  assert.match(early.err, new RegExp(`week: ${week} has not ended yet`));
  const lastWeek = await cli("--week", previousIsoWeek(week));
  assert.is(lastWeek.code, 0, lastWeek.err);
  const again = await cli("--week", previousIsoWeek(week));
  assert.is(again.code, 3);
  assert.match(again.out, /already sent/);
  // --json: the same outcome and exit code, as one document.
  const againJson = await cli("--week", previousIsoWeek(week), "--json");
  assert.is(againJson.code, 3, againJson.err);
  const skipped = JSON.parse(againJson.out);
  assert.is(skipped.outcome, "skipped");
  assert.is(skipped.reason, "already-sent");
  assert.is(skipped.week, previousIsoWeek(week));
  assert.type(skipped.messageId, "string");
  assert.is(skipped.needsOperator, false);
  assert.is((await emails()).length, 2);
  const forced = await cli("--force");
  assert.is(forced.code, 0, forced.out);
  assert.match(forced.out, /^sent CV Analytics Weekly Report/);
  const forcedJson = await cli("--force", "--json");
  assert.is(forcedJson.code, 0, forcedJson.err);
  const sent = JSON.parse(forcedJson.out);
  assert.is(sent.outcome, "sent");
  assert.is(sent.recorded, true);
  assert.match(sent.subject, /^CV Analytics Weekly Report/);
  assert.type(sent.messageId, "string");
  assert.is((await emails()).length, 4);
});

test("a scheduled run that meets a live claim fails, so Lambda retries it after the lease", async () => {
  const older = previousIsoWeek(previousIsoWeek(week));
  const ledger = new DynamoReportLedger(createDocumentClient(), { tableName: tables.reports.name });
  const now = stackNow();
  const held = await ledger.claim(older, {
    owner: "a-run-that-died",
    now,
    leaseUntil: new Date(now.getTime() + 60_000),
    force: false,
  });
  assert.ok(held.claimed);
  const monday = new Date(isoWeekStart(nextIsoWeek(older)).getTime() + 7 * 3_600_000);
  const before = (await emails()).length;
  try {
    await stack.scheduler.trigger(monday);
    assert.unreachable("the scheduled run should fail while the claim is live");
  } catch (error) {
    assert.match((error as Error).message, new RegExp(`${older} is claimed by another run`));
  }
  assert.is((await emails()).length, before, "nothing sent meanwhile");
});

const cvpipe = (...args: string[]) =>
  run(process.execPath, [join(repoRoot, "packages/cli/src/cvpipe.ts"), "report", ...args], {
    env: { ...process.env, CVPIPE_DATA_DIR: stack.info.dataDir, REPORT_RECIPIENTS: "ops@example.com" },
  }).then(
    (r) => ({ code: 0, out: r.stdout, err: r.stderr }),
    (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, out: e.stdout, err: e.stderr }),
  );

test("an UNCERTAIN week: the schedule sends nothing and raises the metric; the CLI names the state and --force", async () => {
  // A run called SES for 2026-W10 and lost the answer: the week is UNCERTAIN.
  const uncertain = "2026-W10";
  const ledger = new DynamoReportLedger(createDocumentClient(), { tableName: tables.reports.name });
  const at = new Date("2026-03-09T07:00:00Z");
  const held = await ledger.claim(uncertain, {
    owner: "run-that-lost-the-answer",
    now: at,
    leaseUntil: new Date(at.getTime() + 120_000),
    force: false,
  });
  assert.ok(held.claimed);
  const figures = { at: at.toISOString(), metrics: { events: 0 }, tables: {}, seen: {} };
  assert.ok(await ledger.markSending(uncertain, "run-that-lost-the-answer", figures, at));
  await ledger.markUncertain(uncertain, "run-that-lost-the-answer", "SES SendEmail outcome unknown: TimeoutError", at);
  const before = (await emails()).length;

  // Monday's run: no email, no exception (Lambda would retry into the same state), one metric data point.
  process.env["AWS_LAMBDA_FUNCTION_NAME"] = "cvpipe-reporter";
  let result: unknown;
  const stdout = await captureStdout(async () => {
    result = await stack.scheduler.trigger(new Date("2026-03-09T07:00:00Z"));
  }).finally(() => delete process.env["AWS_LAMBDA_FUNCTION_NAME"]);
  assert.equal(result, {
    status: "skipped",
    week: uncertain,
    reason: "uncertain",
    detail: "SES SendEmail outcome unknown: TimeoutError",
  });
  assert.is((await emails()).length, before);
  const emf = stdout
    .split("\n")
    .filter((l) => l.includes('"_aws"'))
    .map((l) => JSON.parse(l) as Record<string, unknown>);
  assert.is(emf.length, 1, stdout);
  assert.is(emf[0]!["ReportSendUncertain"], 1);
  assert.is(emf[0]!["ReportsTable"], tables.reports.name);
  assert.is(emf[0]!["week"], uncertain);
  assert.equal((emf[0]!["_aws"] as { CloudWatchMetrics: unknown }).CloudWatchMetrics, [
    { Namespace: "cvpipe", Dimensions: [["ReportsTable"]], Metrics: [{ Name: "ReportSendUncertain", Unit: "Count" }] },
  ]);

  const refused = await cvpipe("send", "--week", uncertain);
  assert.is(refused.code, 3);
  assert.match(refused.out, /not sent: 2026-W10 is UNCERTAIN/);
  assert.match(refused.out, /cvpipe report send --week 2026-W10 --force/);
  const status = await cvpipe("status", "--week", uncertain, "--weeks", "2");
  assert.is(status.code, 0, status.err);
  assert.match(status.out, /2026-W10\s+UNCERTAIN\s+1\s+SES SendEmail outcome unknown: TimeoutError — only --force/);
  assert.match(status.out, /2026-W09\s+-/);
  assert.is((await emails()).length, before);

  const forced = await cvpipe("send", "--week", uncertain, "--force");
  assert.is(forced.code, 0, forced.out + forced.err);
  assert.match(forced.out, /^sent CV Analytics Weekly Report - Week 2026-W10/);
  assert.is((await emails()).length, before + 1);
  assert.match((await cvpipe("status", "--week", uncertain, "--weeks", "1")).out, /2026-W10\s+SENT\s+2/);
});

test("events for a week already sent show up as late arrivals in the next report, not in its 'last week'", async () => {
  // This week's email went out (tests above). Three more of this week's events arrive now.
  const sent = await new DynamoReportLedger(createDocumentClient(), { tableName: tables.reports.name }).read(week);
  assert.is(sent?.status, "SENT");
  const shownEvents = sent?.sentFigures?.metrics["events"];
  assert.type(shownEvents, "number");
  const occurredAt = stackNow().toISOString();
  const late = Array.from({ length: 3 }, (_, i) => ({ eventId: `late-${i}`, type: "cv.viewed", occurredAt }));
  assert.is((await stack.api.request("POST", "/v1/events", { body: { events: late }, tenant: "globex" })).status, 202);
  const next = nextIsoWeek(week);
  await until(
    "late events folded",
    async () => {
      const out = await cvpipe("preview", "--week", next, "--out", tempDataDir());
      return /Late arrivals: 3 events for/.test(out.out) ? out : undefined;
    },
    20_000,
  );
  const before = (await emails()).length;
  await stack.scheduler.trigger(new Date(isoWeekStart(nextIsoWeek(next)).getTime() + 7 * 3_600_000));
  const all = await emails();
  assert.is(all.length, before + 1);
  const email = all.at(-1)!;
  assert.is(email.subject, `CV Analytics Weekly Report - Week ${next}`);
  if (textKept()) {
    assert.match(
      email.body.text ?? "",
      new RegExp(`Late arrivals: 3 events for ${week} \\(after its report was sent\\)`),
    );
    assert.match(email.body.text ?? "", new RegExp(`Previous week \\(${week}\\): ${shownEvents} events\\.`));
  }
  assert.match(email.body.html ?? "", new RegExp(`Late arrivals: 3 events for ${week}`));
  assert.match(email.body.html ?? "", new RegExp(`Previous week \\(${week}\\): ${shownEvents} events\\.`));
});

test.run();
