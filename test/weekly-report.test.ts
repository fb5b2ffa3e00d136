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
import { tables } from "@cvpipe/core/topology";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { repoRoot, startTestStack, type TestStack, tempDataDir, until } from "./support/stack.ts";

const run = promisify(execFile);
const body = JSON.parse(readFileSync(join(repoRoot, "events/http/post-job.valid.json"), "utf8"));
let stack: TestStack;
const week = isoWeekOf(new Date());

interface StoredEmail {
  subject: string;
  body: { text?: string; html?: string };
  destination: { to: string[] };
}
const emails = async (): Promise<StoredEmail[]> =>
  ((await (await fetch(`${stack.info.endpoints.ses}/store`)).json()) as { emails: StoredEmail[] }).emails;

test.before(async () => {
  stack = await startTestStack({ env: { REPORT_RECIPIENTS: "ops@example.com,product@example.com" } });
});
test.after(async () => stack.close());

test("jobs and events this week show up in Monday's email, sent once", async () => {
  const jobs = await Promise.all(
    ["alice", "bob"].map((user) => stack.api.request("POST", "/v1/jobs", { body, tenant: "acme", user })),
  );
  for (const [i, res] of jobs.entries())
    await stack.api.waitForJob(res.body.data.jobId, { tenant: "acme", user: i === 0 ? "alice" : "bob" });
  const now = new Date().toISOString();
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
  assert.match(email.body.text ?? "", /Analytics events\s+7\b/);
  assert.match(email.body.text ?? "", /succeeded/i);
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
  assert.is((await emails()).length, 2);
  const forced = await cli("--force");
  assert.is(forced.code, 0, forced.out);
  assert.match(forced.out, /^sent CV Analytics Weekly Report/);
  assert.is((await emails()).length, 3);
});

test("a scheduled run that meets a live claim fails, so Lambda retries it after the lease", async () => {
  const older = previousIsoWeek(previousIsoWeek(week));
  const ledger = new DynamoReportLedger(createDocumentClient(), { tableName: tables.reports.name });
  const now = new Date();
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

test.run();
