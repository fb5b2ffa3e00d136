/**
 * Issue 8 items 3 and 5 against real protocol servers (dynalite, aws-ses-v2-local):
 * SES outcomes the reporter cannot be sure of, a ledger that fails after the
 * email went out, and late events for a week already sent.
 */
import { createServer, request, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { SESClient } from "@aws-sdk/client-ses";
import type { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { isoWeekEnd } from "@cvpipe/core/analytics/iso-week";
import { sampleMessages } from "@cvpipe/core/analytics/testing/sample-events";
import type { Mailer } from "@cvpipe/core/ports/mailer";
import { sendWeeklyReport } from "@cvpipe/core/report/send-weekly-report";
import { tables } from "@cvpipe/core/topology";
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
const recipients = ["reports@example.com"];
const sender = "cvpipe@example.com";
/** Every week here is reported on the Monday after it, 07:00 UTC; nothing reads the real clock. */
const mondayAfter = (week: string): Date => new Date(isoWeekEnd(week).getTime() + 7 * 3_600_000);
let seq = 19_000_000_000_000_000_000n;

/** Folds events of `week` through the real fold, as if they arrived at `at`. */
const foldEvents = async (week: string, count: number, idPrefix: string, at: Date): Promise<void> => {
  const fold = new AnalyticsFold(db.documentClient, foldOptions({ now: () => at }));
  for (const m of sampleMessages({ week, count, seed: 3, idPrefix })) {
    seq += 7n;
    // receivedAt = when it reached cvpipe (a late producer event arrives late): inside the dedup window.
    const body = { ...m.body, receivedAt: at.toISOString() };
    await fold.fold({ body, sequenceNumber: seq.toString(), messageGroupId: m.messageGroupId });
  }
};

const sesClientAt = (endpoint: string): SESClient =>
  new SESClient({
    endpoint,
    region: "us-east-1",
    credentials: { accessKeyId: "test", secretAccessKey: "test" },
    maxAttempts: 1,
  });

const listen = async (server: Server): Promise<string> => {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
};

const closeServer = (server: Server): Promise<void> =>
  new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });

/**
 * A loopback proxy in front of aws-ses-v2-local that forwards each request,
 * waits for SES's answer, then destroys the client's socket instead of
 * relaying it (`loseNext` times): SES accepted the email, the caller never hears so.
 */
const lossyProxy = async (upstream: string) => {
  const state = { loseNext: 1, forwarded: 0 };
  const target = new URL(upstream);
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const up = request(
        { host: target.hostname, port: target.port, method: req.method, path: req.url, headers: req.headers },
        (upRes) => {
          const body: Buffer[] = [];
          upRes.on("data", (c: Buffer) => body.push(c));
          upRes.on("end", () => {
            state.forwarded += 1;
            if (state.loseNext > 0) {
              state.loseNext -= 1;
              req.socket.destroy();
              return;
            }
            res.writeHead(upRes.statusCode ?? 502, upRes.headers);
            res.end(Buffer.concat(body));
          });
        },
      );
      up.end(Buffer.concat(chunks));
    });
  });
  const endpoint = await listen(server);
  return { state, endpoint, close: () => closeServer(server) };
};

/** An SES endpoint that answers every SendEmail with one error response (real awsQuery XML). */
const failingSes = async (status: number, code: string, type: "Sender" | "Receiver") => {
  let requests = 0;
  const server = createServer((req, res) => {
    req.resume();
    req.on("end", () => {
      requests += 1;
      res.writeHead(status, { "content-type": "text/xml" });
      res.end(
        `<ErrorResponse xmlns="http://ses.amazonaws.com/doc/2010-12-01/"><Error><Type>${type}</Type><Code>${code}</Code><Message>${code} from the test</Message></Error><RequestId>req-${requests}</RequestId></ErrorResponse>`,
      );
    });
  });
  const endpoint = await listen(server);
  return { endpoint, requests: () => requests, close: () => closeServer(server) };
};

const deps = (week: string, options: { mailer?: Mailer; db?: DynamoDBDocumentClient } = {}) => {
  const clock = { now: () => mondayAfter(week) };
  return {
    aggregates: new DynamoAggregateStore(db.documentClient, { tableName: tables.aggregates.name, clock }),
    ledger: new DynamoReportLedger(options.db ?? db.documentClient, { tableName: tables.reports.name }),
    mailer: options.mailer ?? new SesMailer(ses.client),
    clock,
    sleep: async () => {},
  };
};

const ledger = () => new DynamoReportLedger(db.documentClient, { tableName: tables.reports.name });
const settle = <T>(p: Promise<T>): Promise<T | Error> => p.catch((error: Error) => error);

test.before(async () => {
  [db, ses] = await Promise.all([startDynalite(), startSesLocal()]);
  await createTables(db.client, ["events", "aggregates", "reports"]);
});
test.after(async () => {
  await Promise.all([db.close(), ses.close()]);
});

test("(A) SES accepted the email but the response was lost on the wire: UNCERTAIN, and the retry sends nothing", async () => {
  const week = "2026-W40";
  await foldEvents(week, 50, week, mondayAfter(week));
  await ses.clear();
  const proxy = await lossyProxy(ses.endpoint);
  const lossy = sesClientAt(proxy.endpoint);
  try {
    const first = await settle(
      sendWeeklyReport(deps(week, { mailer: new SesMailer(lossy) }), { week, recipients, sender }),
    );
    assert.is(proxy.state.forwarded, 1);
    assert.is((await ses.emails()).length, 1, "SES has the email");
    // What Lambda's retry does next (the proxy passes answers through from now on).
    const retry = await settle(
      sendWeeklyReport(deps(week, { mailer: new SesMailer(lossy) }), { week, recipients, sender }),
    );
    assert.is((await ses.emails()).length, 1, "no second email");
    assert.ok(!(first instanceof Error), `an ambiguous outcome is reported, not thrown: ${String(first)}`);
    assert.is(first.status, "uncertain");
    assert.ok(!(retry instanceof Error) && retry.status === "skipped" && retry.reason === "uncertain");
    const record = await ledger().get(week);
    assert.is(record?.["status"], "UNCERTAIN");
    assert.match(String(record?.["lastError"]), /socket hang up|ECONNRESET|outcome unknown/i);
  } finally {
    lossy.destroy();
    await proxy.close();
  }
  // The operator's override.
  const forced = await sendWeeklyReport(deps(week), { week, recipients, sender, force: true });
  assert.is(forced.status, "sent");
  assert.is((await ses.emails()).length, 2);
  assert.is((await ledger().get(week))?.["status"], "SENT");
});

test("SES answers: a 4xx rejection is FAILED and retried, a 5xx is UNCERTAIN", async () => {
  const cases = [
    { week: "2026-W41", status: 400, code: "MessageRejected", type: "Sender", expect: "FAILED" },
    { week: "2026-W42", status: 400, code: "Throttling", type: "Sender", expect: "FAILED" },
    { week: "2026-W43", status: 500, code: "InternalFailure", type: "Receiver", expect: "UNCERTAIN" },
    { week: "2026-W44", status: 503, code: "ServiceUnavailable", type: "Receiver", expect: "UNCERTAIN" },
  ] as const;
  for (const c of cases) {
    const server = await failingSes(c.status, c.code, c.type);
    const client = sesClientAt(server.endpoint);
    try {
      await settle(
        sendWeeklyReport(deps(c.week, { mailer: new SesMailer(client) }), { week: c.week, recipients, sender }),
      );
      assert.is(server.requests(), 1, "one attempt, no SDK retry");
      assert.is((await ledger().get(c.week))?.["status"], c.expect, `${c.status} ${c.code}`);
    } finally {
      client.destroy();
      await server.close();
    }
    await ses.clear();
    const retry = await settle(sendWeeklyReport(deps(c.week), { week: c.week, recipients, sender }));
    const sent = (await ses.emails()).length;
    assert.is(sent, c.expect === "FAILED" ? 1 : 0, `${c.code}: the retry ${c.expect === "FAILED" ? "sends" : "waits"}`);
    assert.ok(!(retry instanceof Error), String(retry));
    if (c.expect === "FAILED") {
      // An empty week's figures (nothing to measure: null) survive the round trip through DynamoDB.
      const figures = (await ledger().read(c.week))?.sentFigures;
      assert.is(figures?.metrics["events"], 0);
      assert.is(figures?.metrics["latencyP50"], null);
    }
  }
});

test("(B) the SENT write fails after SES accepted: retried in the run; if it never lands, no run sends again", async () => {
  // A DynamoDB that fails every "record SENT" write: the SDK's own retries are already spent.
  let sentWrites = 0;
  let failSentWrites = 2;
  const flaky = {
    send: async (command: Parameters<DynamoDBDocumentClient["send"]>[0]) => {
      const input = command.input;
      const update = "UpdateExpression" in input ? input.UpdateExpression : undefined;
      if (update?.includes("sentAt") && failSentWrites > 0) {
        sentWrites += 1;
        failSentWrites -= 1;
        const error = new Error("We encountered an internal error. Please try again.");
        error.name = "InternalServerError";
        throw error;
      }
      return db.documentClient.send(command);
    },
  } as unknown as DynamoDBDocumentClient;

  const week = "2026-W45";
  await ses.clear();
  const once = await settle(sendWeeklyReport(deps(week, { db: flaky }), { week, recipients, sender }));
  assert.ok(!(once instanceof Error), `the email went out; the run must not throw: ${String(once)}`);
  assert.is(once.status === "sent" && once.recorded, true);
  assert.is(sentWrites, 2);
  assert.is((await ledger().get(week))?.["status"], "SENT");

  const never = "2026-W46";
  failSentWrites = Number.POSITIVE_INFINITY;
  const result = await settle(sendWeeklyReport(deps(never, { db: flaky }), { week: never, recipients, sender }));
  assert.ok(!(result instanceof Error), `the email went out; the run must not throw: ${String(result)}`);
  assert.is(result.status === "sent" && result.recorded, false);
  assert.is((await ses.emails()).length, 2);
  // After the lease, the next run (a Lambda retry, the CLI) must not send W46 again.
  const later = { ...deps(never), clock: { now: () => new Date(mondayAfter(never).getTime() + 3_600_000) } };
  const retry = await settle(sendWeeklyReport(later, { week: never, recipients, sender }));
  assert.is((await ses.emails()).length, 2, "no second email");
  assert.ok(!(retry instanceof Error) && retry.status === "skipped" && retry.reason === "uncertain", String(retry));
  assert.is((await ledger().get(never))?.["status"], "UNCERTAIN");
});

test("late events: the next report compares with the sent figures and names the late week", async () => {
  const w48 = "2026-W48";
  const w49 = "2026-W49";
  await foldEvents(w48, 120, "w48", mondayAfter(w48));
  await ses.clear();
  assert.is((await sendWeeklyReport(deps(w48), { week: w48, recipients, sender })).status, "sent");
  // Two days after W48's email, 9 events that happened in W48 arrive.
  await foldEvents(w48, 9, "w48-late", new Date(mondayAfter(w48).getTime() + 2 * 86_400_000));
  await foldEvents(w49, 150, "w49", mondayAfter(w49));
  assert.is((await sendWeeklyReport(deps(w49), { week: w49, recipients, sender })).status, "sent");
  const [, email] = await ses.emails();
  assert.match(email!.body.text ?? "", /Analytics events\s+150\s+120\b/);
  assert.match(email!.body.text ?? "", /Late arrivals: 9 events for 2026-W48 \(after its report was sent\)/);
  assert.match(email!.body.html ?? "", /Late arrivals: 9 events for 2026-W48 \(after its report was sent\)/);
});

test("ledger transitions on dynalite: live SENDING blocks even force; expired SENDING becomes UNCERTAIN; markSent is idempotent", async () => {
  const week = "2026-W30";
  const l = ledger();
  const t0 = new Date("2026-07-27T07:00:00Z");
  const later = (s: number) => new Date(t0.getTime() + s * 1000);
  const claim = (owner: string, now: Date, force = false) =>
    l.claim(week, { owner, now, leaseUntil: new Date(now.getTime() + 120_000), force });
  const figures = { at: t0.toISOString(), metrics: { events: 5 }, tables: {}, seen: {} };
  assert.ok((await claim("a", t0)).claimed);
  assert.is(await l.markSending(week, "b", figures, t0), false, "only the owner moves the week");
  assert.is(await l.markSending(week, "a", figures, t0), true);
  const live = await claim("b", later(60), true);
  assert.is(!live.claimed && live.status, "SENDING");
  const expired = await claim("c", later(121));
  assert.is(!expired.claimed && expired.status, "UNCERTAIN");
  const record = await l.read(week);
  assert.is(record?.status, "UNCERTAIN");
  assert.equal(record?.sendingFigures, figures, "the figures of the email whose fate is unknown are kept");
  assert.match(String(record?.lastError), /run a called SES at .* and never recorded the outcome/);
  // The dead run's late markSent cannot overwrite the verdict; force takes the week.
  assert.is(await l.markSent(week, "a", "m-1", figures, later(122)), false);
  assert.ok((await claim("d", later(130), true)).claimed);
  assert.ok(await l.markSending(week, "d", figures, later(130)));
  assert.ok(await l.markSent(week, "d", "m-2", figures, later(131)));
  assert.ok(await l.markSent(week, "d", "m-2", figures, later(132)), "a retried markSent that had landed");
  assert.is(await l.markSent(week, "d", "m-3", figures, later(133)), false);
  const sent = await l.read(week);
  assert.is(sent?.status, "SENT");
  assert.is(sent?.messageId, "m-2");
  assert.equal(sent?.sentFigures, figures);
  assert.is(sent?.sendingFigures, undefined);
  assert.is(sent?.attempts, 2);
});

test.run();
