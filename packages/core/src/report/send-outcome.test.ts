/**
 * What the reporter does when it cannot tell whether the email went out
 * (issue 8 item 3): only a definite rejection makes a week retryable; an
 * ambiguous SES outcome, or a send whose SENT could not be recorded, never
 * leads to a second automatic email.
 */

import { test } from "uvu";
import * as assert from "uvu/assert";
import { type AggregateItem, applyIncrements, incrementsFor } from "../analytics/aggregate.ts";
import { MemoryAggregateStore } from "../analytics/testing/memory-stores.ts";
import { sampleMessages } from "../analytics/testing/sample-events.ts";
import { DependencyError } from "../errors.ts";
import type { Mailer, OutgoingEmail } from "../ports/mailer.ts";
import type { ReportLedger } from "../ports/report-ledger.ts";
import { realTimer } from "../ports/timer.ts";
import { sendWeeklyReport } from "./send-weekly-report.ts";
import { MemoryMailer, MemoryReportLedger } from "./testing/memory-ledger.ts";

const WEEK = "2026-W47";
const START = new Date("2026-11-23T07:00:00Z").getTime();
const input = { week: WEEK, recipients: ["reports@example.com"], sender: "cvpipe@example.com", leaseSeconds: 120 };

const store = (): MemoryAggregateStore => {
  const s = new MemoryAggregateStore();
  for (const [week, count, seed] of [
    [WEEK, 300, 1],
    ["2026-W46", 200, 2],
  ] as const) {
    const items = new Map<string, AggregateItem>();
    for (const m of sampleMessages({ week, count, seed, idPrefix: week })) {
      const inc = incrementsFor(m.body);
      items.set(inc.shard, applyIncrements(items.get(inc.shard), inc));
    }
    for (const item of items.values()) s.put(item);
  }
  return s;
};

/** A clock the test moves; no test reads the real one. */
const testClock = () => {
  let now = START;
  return {
    now: () => new Date(now),
    advance: (ms: number): void => {
      now += ms;
    },
  };
};

/** SES took the message, then the response was lost (timeout, reset): the caller sees an error. */
class LostResponseMailer implements Mailer {
  readonly delivered: OutgoingEmail[] = [];
  loseNext = 1;

  async send(email: OutgoingEmail): Promise<{ messageId: string }> {
    this.delivered.push(email);
    if (this.loseNext > 0) {
      this.loseNext -= 1;
      const error = new Error("socket hang up");
      error.name = "TimeoutError";
      throw error;
    }
    return { messageId: `lost-${this.delivered.length}` };
  }
}

/** The ledger with markSent failing (DynamoDB 5xx / timeout) `failures` times. */
const failingMarkSent = (inner: ReportLedger, failures: number): ReportLedger & { markSentCalls: number } => {
  let left = failures;
  const ledger = Object.create(inner) as ReportLedger & { markSentCalls: number };
  ledger.markSentCalls = 0;
  ledger.markSent = async (...args: Parameters<ReportLedger["markSent"]>) => {
    ledger.markSentCalls += 1;
    if (left > 0) {
      left -= 1;
      throw new DependencyError("DynamoDB UpdateItem (report sent) failed: InternalServerError: internal error");
    }
    return inner.markSent(...args);
  };
  return ledger;
};

const settle = <T>(p: Promise<T>): Promise<T | Error> => p.catch((error: Error) => error);

test("(A) SES accepted but the response was lost: the week is UNCERTAIN and no retry sends it again", async () => {
  const clock = testClock();
  const ledger = new MemoryReportLedger();
  const mailer = new LostResponseMailer();
  const deps = { aggregates: store(), ledger, mailer, clock, sleep: async () => {} };
  const first = await settle(sendWeeklyReport(deps, input));
  assert.is(mailer.delivered.length, 1);
  // Lambda's retries, a second schedule, an operator without --force: none sends again, now or after the lease.
  const retries = [];
  for (const wait of [0, 60_000, 600_000]) {
    clock.advance(wait);
    retries.push(await settle(sendWeeklyReport(deps, input)));
  }
  assert.is(mailer.delivered.length, 1, "one email, not two");
  assert.ok(!(first instanceof Error), "the run reports the uncertain outcome instead of throwing into retries");
  assert.is(first.status, "uncertain");
  for (const retry of retries) {
    assert.ok(!(retry instanceof Error) && retry.status === "skipped" && retry.reason === "uncertain");
  }
  assert.is(ledger.entries.get(WEEK)?.status, "UNCERTAIN", "an ambiguous outcome is not FAILED");
  // Only the operator's force overrides it.
  const forced = await sendWeeklyReport(deps, { ...input, force: true });
  assert.is(forced.status, "sent");
  assert.is(mailer.delivered.length, 2);
  assert.is(ledger.entries.get(WEEK)?.status, "SENT");
});

test("a definite rejection marks the week FAILED; the retry sends it once", async () => {
  const clock = testClock();
  const ledger = new MemoryReportLedger();
  const mailer = new MemoryMailer();
  mailer.failNext = 1;
  const deps = { aggregates: store(), ledger, mailer, clock, sleep: async () => {} };
  const first = await settle(sendWeeklyReport(deps, input));
  assert.ok(first instanceof Error);
  assert.is(ledger.entries.get(WEEK)?.status, "FAILED");
  assert.is((await sendWeeklyReport(deps, input)).status, "sent");
  assert.is(mailer.sent.length, 1);
});

test("(B) markSent fails once: it is retried in the run, SENT is recorded and the run does not throw", async () => {
  const clock = testClock();
  const inner = new MemoryReportLedger();
  const ledger = failingMarkSent(inner, 2);
  const mailer = new MemoryMailer();
  const sleeps: number[] = [];
  const deps = {
    aggregates: store(),
    ledger,
    mailer,
    clock,
    sleep: async (ms: number) => void sleeps.push(ms),
  };
  const result = await settle(sendWeeklyReport(deps, input));
  assert.ok(!(result instanceof Error), `the email went out, so the run must not throw: ${String(result)}`);
  assert.is(result.status, "sent");
  assert.is(result.status === "sent" && result.recorded, true);
  assert.is(ledger.markSentCalls, 3);
  assert.is(sleeps.length, 2, "backoff goes through the injected sleep");
  assert.is(inner.entries.get(WEEK)?.status, "SENT");
  assert.is(mailer.sent.length, 1);
});

test("(B) markSent never succeeds: the run does not throw, and no later run re-sends the week", async () => {
  const clock = testClock();
  const inner = new MemoryReportLedger();
  const ledger = failingMarkSent(inner, Number.POSITIVE_INFINITY);
  const mailer = new MemoryMailer();
  const deps = { aggregates: store(), ledger, mailer, clock, sleep: async () => {} };
  const result = await settle(sendWeeklyReport(deps, input));
  // The lease expires; the retry (Lambda, the CLI without --force) finds a run that reached SES.
  clock.advance(121_000);
  const retry = await sendWeeklyReport({ ...deps, ledger: inner }, input);
  assert.is(mailer.sent.length, 1, "one email, not two");
  assert.ok(!(result instanceof Error), `the email went out, so the run must not throw: ${String(result)}`);
  assert.is(result.status, "sent");
  assert.is(result.status === "sent" && result.recorded, false);
  assert.ok(ledger.markSentCalls > 1, "retried within the run");
  assert.ok(ledger.markSentCalls <= 10, "a bounded number of times");
  assert.is(retry.status, "skipped");
  assert.is(retry.status === "skipped" && retry.reason, "uncertain");
  assert.is(inner.entries.get(WEEK)?.status, "UNCERTAIN");
});

/** A mailer that never answers: the run dies in the SES call (Lambda timeout), SES may have the email. */
const hangingMailer = (): Mailer & { calls: number } => {
  const m = {
    calls: 0,
    send: () => {
      m.calls += 1;
      return new Promise<never>(() => {});
    },
  };
  return m;
};

test("a run that died in the SES call is UNCERTAIN once its lease expires; force sends, but never over a live claim", async () => {
  const clock = testClock();
  const ledger = new MemoryReportLedger();
  const hanging = hangingMailer();
  const aggregates = store();
  void sendWeeklyReport({ aggregates, ledger, mailer: hanging, clock, sleep: async () => {} }, input);
  // Let the run get as far as the SES call.
  for (let i = 0; i < 50 && hanging.calls === 0; i++) await new Promise((r) => setImmediate(r));
  assert.is(hanging.calls, 1);
  assert.is(ledger.entries.get(WEEK)?.status, "SENDING");
  const mailer = new MemoryMailer();
  const deps = { aggregates, ledger, mailer, clock, sleep: async () => {} };
  // While its lease is live: in progress, even with force (never two senders).
  assert.equal(await sendWeeklyReport(deps, input), { status: "skipped", week: WEEK, reason: "in-progress" });
  assert.is((await sendWeeklyReport(deps, { ...input, force: true })).status, "skipped");
  clock.advance(121_000);
  const after = await sendWeeklyReport(deps, input);
  assert.is(after.status === "skipped" && after.reason, "uncertain");
  assert.match(String(after.status === "skipped" && after.detail), /called SES and never recorded the outcome/);
  assert.is(mailer.sent.length, 0);
  assert.is((await sendWeeklyReport(deps, { ...input, force: true })).status, "sent");
  assert.is(mailer.sent.length, 1);
});

test("an ambiguous outcome whose UNCERTAIN write fails too is still never re-sent after the lease", async () => {
  const clock = testClock();
  const inner = new MemoryReportLedger();
  const ledger = Object.create(inner) as ReportLedger;
  ledger.markUncertain = async () => {
    throw new DependencyError("DynamoDB UpdateItem (report uncertain) failed: timeout");
  };
  const mailer = new LostResponseMailer();
  const first = await sendWeeklyReport({ aggregates: store(), ledger, mailer, clock, sleep: async () => {} }, input);
  assert.equal(first.status === "uncertain" && first.recorded, false);
  assert.is(inner.entries.get(WEEK)?.status, "SENDING");
  clock.advance(121_000);
  const retry = await sendWeeklyReport(
    { aggregates: store(), ledger: inner, mailer, clock, sleep: realTimer.sleep },
    input,
  );
  assert.is(retry.status === "skipped" && retry.reason, "uncertain");
  assert.is(mailer.delivered.length, 1);
});

test("a run whose lease was taken over cannot send: the SENDING write is conditional on its claim", async () => {
  const clock = testClock();
  const inner = new MemoryReportLedger();
  const mailer = new MemoryMailer();
  // The slow run: claims, then (lease gone) another run takes the week over before it gets to SENDING.
  const ledger = Object.create(inner) as ReportLedger;
  ledger.markSending = async (...args: Parameters<ReportLedger["markSending"]>) => {
    clock.advance(121_000);
    const other = await inner.claim(WEEK, {
      owner: "the-other-run",
      now: clock.now(),
      leaseUntil: new Date(clock.now().getTime() + 120_000),
      force: false,
    });
    assert.ok(other.claimed);
    return inner.markSending(...args);
  };
  const result = await sendWeeklyReport({ aggregates: store(), ledger, mailer, clock, sleep: async () => {} }, input);
  assert.equal(result, { status: "skipped", week: WEEK, reason: "in-progress" });
  assert.is(mailer.sent.length, 0);
  assert.is(inner.entries.get(WEEK)?.owner, "the-other-run");
});

test("a failure before SES (aggregates unreadable) leaves the week FAILED: nothing went out, the retry sends", async () => {
  const clock = testClock();
  const ledger = new MemoryReportLedger();
  const mailer = new MemoryMailer();
  const broken = {
    readWeek: async () => {
      throw new DependencyError("DynamoDB Query (weekly aggregates) failed: timeout");
    },
  };
  const first = await settle(
    sendWeeklyReport({ aggregates: broken, ledger, mailer, clock, sleep: realTimer.sleep }, input),
  );
  assert.ok(first instanceof DependencyError);
  assert.is(ledger.entries.get(WEEK)?.status, "FAILED");
  assert.is(
    (await sendWeeklyReport({ aggregates: store(), ledger, mailer, clock, sleep: realTimer.sleep }, input)).status,
    "sent",
  );
  assert.is(mailer.sent.length, 1);
});

test.run();
