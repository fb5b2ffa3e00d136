/**
 * The weekly report against real protocol servers: dynalite for the aggregates
 * and reports tables, aws-ses-v2-local for SES (sent mail read back from /store).
 */

import type { AddressInfo } from "node:net";
import { createServer } from "node:net";
import { SESClient } from "@aws-sdk/client-ses";
import { type DynamoDBDocumentClient, PutCommand } from "@aws-sdk/lib-dynamodb";
import { type AggregateItem, applyIncrements, incrementsFor, SHARD_COUNT } from "@cvpipe/core/analytics/aggregate";
import { isoWeekEnd } from "@cvpipe/core/analytics/iso-week";
import { sampleMessages } from "@cvpipe/core/analytics/testing/sample-events";
import { CvpipeError } from "@cvpipe/core/errors";
import type { Mailer } from "@cvpipe/core/ports/mailer";
import { realTimer } from "@cvpipe/core/ports/timer";
import { sendWeeklyReport } from "@cvpipe/core/report/send-weekly-report";
import { tables } from "@cvpipe/core/topology";
import { expiresAt } from "@cvpipe/core/ttl";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { AnalyticsFold } from "../analytics/analytics-fold.ts";
import { DynamoAggregateStore } from "../analytics/dynamo-aggregate-store.ts";
import {
  createTables,
  type DynamoEmulator,
  type SesEmulator,
  startDynalite,
  startSesLocal,
} from "../analytics/testing/emulators.ts";
import { foldOptions } from "../analytics/testing/topology-options.ts";
import { DynamoReportLedger } from "./dynamo-report-ledger.ts";
import { SesMailer } from "./ses-mailer.ts";

let db: DynamoEmulator;
let ses: SesEmulator;
const clock = { now: () => new Date("2026-11-23T07:00:00Z") };
const recipients = ["reports@example.com", "ops@example.com"];
const sender = "cvpipe@example.com";

test.before(async () => {
  [db, ses] = await Promise.all([startDynalite(), startSesLocal()]);
  await createTables(db.client, ["events", "aggregates", "reports"]);
  // A realistic week and the week before it, folded through the real fold.
  let seq = 18_000_000_000_000_000_000n;
  for (const [week, count, seed] of [
    ["2026-W47", 240, 1],
    ["2026-W46", 160, 2],
  ] as const) {
    // Each week is folded as its events arrive, at its own end — never on the real clock, which
    // would make fixed weeks stale as the calendar moves.
    const fold = new AnalyticsFold(db.documentClient, foldOptions({ now: () => isoWeekEnd(week) }));
    for (const m of sampleMessages({ week, count, seed, idPrefix: week })) {
      seq += 7n;
      await fold.fold({ body: m.body, sequenceNumber: seq.toString(), messageGroupId: m.messageGroupId });
    }
  }
});
test.after(async () => {
  await Promise.all([db.close(), ses.close()]);
});

const deps = (mailer: Mailer = new SesMailer(ses.client)) => ({
  aggregates: new DynamoAggregateStore(db.documentClient, { tableName: tables.aggregates.name, clock }),
  ledger: new DynamoReportLedger(db.documentClient, { tableName: tables.reports.name }),
  mailer,
  clock,
  sleep: realTimer.sleep,
});

test("10 concurrent triggers send exactly one email, and SENT records its MessageId", async () => {
  await ses.clear();
  const results = await Promise.all(
    Array.from({ length: 10 }, () => sendWeeklyReport(deps(), { week: "2026-W47", recipients, sender })),
  );
  const emails = await ses.emails();
  assert.is(emails.length, 1);
  const [email] = emails;
  assert.is(email!.subject, "CV Analytics Weekly Report - Week 2026-W47");
  // aws-ses-v2-local's SendEmail schema keeps only ToAddresses.member.1; the SDK sends every member.
  assert.is(email!.destination.to[0], recipients[0]);
  assert.match(email!.body.text ?? "", /Analytics events\s+240\s+160/);
  assert.match(email!.body.html ?? "", /<h2[^>]*>Activity by tenant<\/h2>/);
  assert.ok(Buffer.byteLength(email!.body.html ?? "") < 100_000);
  const sent = results.filter((r) => r.status === "sent");
  assert.is(sent.length, 1);
  assert.is(results.filter((r) => r.status === "skipped").length, 9);
  const record = await new DynamoReportLedger(db.documentClient, { tableName: tables.reports.name }).get("2026-W47");
  assert.is(record?.["status"], "SENT");
  assert.is(record?.["messageId"], email!.messageId);
  assert.is(sent[0]!.status === "sent" && sent[0]!.messageId, email!.messageId);
  // A later trigger (EventBridge retry, a second schedule) sends nothing.
  const again = await sendWeeklyReport(deps(), { week: "2026-W47", recipients, sender });
  assert.equal(again, { status: "skipped", week: "2026-W47", reason: "already-sent", messageId: email!.messageId });
  assert.is((await ses.emails()).length, 1);
});

test("SES unreachable: the send fails retryably, the week is FAILED; the retry sends exactly once", async () => {
  await ses.clear();
  // A port that refuses connections: a real network failure of the SES call.
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
  const deadPort = (probe.address() as AddressInfo).port;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  const deadSes = new SESClient({
    endpoint: `http://127.0.0.1:${deadPort}`,
    region: "us-east-1",
    credentials: { accessKeyId: "test", secretAccessKey: "test" },
    maxAttempts: 1,
  });
  try {
    await sendWeeklyReport(deps(new SesMailer(deadSes)), { week: "2026-W46", recipients, sender });
    assert.unreachable("SES is down");
  } catch (error) {
    assert.ok(error instanceof CvpipeError && error.retryable, String(error));
  }
  deadSes.destroy();
  const ledger = new DynamoReportLedger(db.documentClient, { tableName: tables.reports.name });
  assert.is((await ledger.get("2026-W46"))?.["status"], "FAILED");
  assert.is((await ses.emails()).length, 0);
  const retries = await Promise.all([
    sendWeeklyReport(deps(), { week: "2026-W46", recipients, sender }),
    sendWeeklyReport(deps(), { week: "2026-W46", recipients, sender }),
  ]);
  assert.is(retries.filter((r) => r.status === "sent").length, 1);
  const emails = await ses.emails();
  assert.is(emails.length, 1);
  assert.is(emails[0]!.subject, "CV Analytics Weekly Report - Week 2026-W46");
  assert.is((await ledger.get("2026-W46"))?.["attempts"], 2);
});

test("force re-sends an already sent week; an empty week still sends a short report", async () => {
  await ses.clear();
  const forced = await sendWeeklyReport(deps(), { week: "2026-W47", recipients, sender, force: true });
  assert.is(forced.status, "sent");
  const empty = await sendWeeklyReport(deps(), { week: "2026-W30", recipients, sender });
  assert.is(empty.status, "sent");
  const emails = await ses.emails();
  assert.equal(
    emails.map((e) => e.subject),
    ["CV Analytics Weekly Report - Week 2026-W47", "CV Analytics Weekly Report - Week 2026-W30"],
  );
  assert.match(emails[1]!.body.text ?? "", /No activity/);
  const record = await new DynamoReportLedger(db.documentClient, { tableName: tables.reports.name }).get("2026-W47");
  assert.is((record?.["sends"] as unknown[] | undefined)?.length, 2);
});

/** Writes a week's shard items as the fold would have left them, from pure increments. */
const writeFoldedWeek = async (week: string, events: number): Promise<void> => {
  const items = new Map<string, AggregateItem>();
  for (const m of sampleMessages({ week, count: events, seed: 9, idPrefix: `bulk-${week}` })) {
    const inc = incrementsFor(m.body);
    items.set(inc.shard, applyIncrements(items.get(inc.shard), inc));
  }
  for (const item of items.values()) {
    await db.documentClient.send(
      new PutCommand({
        TableName: tables.aggregates.name,
        Item: {
          ...item.counters,
          ...item.names,
          week: item.week,
          shard: item.shard,
          expiresAt: expiresAt(isoWeekEnd(week), 400),
        },
      }),
    );
  }
};

/** Counts the items DynamoDB returns to the reporter. */
const countingClient = (): { client: DynamoDBDocumentClient; itemsRead: () => number } => {
  let read = 0;
  const client = {
    send: async (command: Parameters<DynamoDBDocumentClient["send"]>[0]) => {
      const out = (await db.documentClient.send(command)) as { Items?: unknown[]; Item?: unknown };
      read += out.Items?.length ?? (out.Item ? 1 : 0);
      return out;
    },
  } as unknown as DynamoDBDocumentClient;
  return { client, itemsRead: () => read };
};

test("bounded reads: a week of 100,000 events reads no more items than a week of 100", async () => {
  await writeFoldedWeek("2026-W10", 100);
  await writeFoldedWeek("2026-W20", 100_000);
  const itemsReadFor = async (week: string): Promise<number> => {
    const counting = countingClient();
    const result = await sendWeeklyReport(
      {
        aggregates: new DynamoAggregateStore(counting.client, { tableName: tables.aggregates.name, clock }),
        ledger: new DynamoReportLedger(db.documentClient, { tableName: tables.reports.name }),
        mailer: new SesMailer(ses.client),
        clock,
        sleep: realTimer.sleep,
      },
      { week, recipients, sender },
    );
    assert.is(result.status, "sent");
    return counting.itemsRead();
  };
  const small = await itemsReadFor("2026-W10");
  const large = await itemsReadFor("2026-W20");
  console.log(`  items read: 100 events → ${small}, 100,000 events → ${large}`);
  assert.ok(large <= small, `${large} > ${small}`);
  assert.ok(large <= 2 * SHARD_COUNT);
  const emails = await ses.emails();
  assert.match(emails.at(-1)!.body.text ?? "", /Analytics events\s+100,000/);
});

test.run();
