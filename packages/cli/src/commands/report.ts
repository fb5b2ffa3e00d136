import { mkdirSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { type IsoWeek, isIsoWeek } from "@cvpipe/core/analytics/iso-week";
import { ValidationError } from "@cvpipe/core/errors";
import { clockFromEnv } from "@cvpipe/core/ports/clock";
import type { ReportRecord } from "@cvpipe/core/ports/report-ledger";
import { formatLateArrival } from "@cvpipe/core/report/format";
import {
  needsOperator,
  renderWeeklyReport,
  reportWeekFor,
  type SendWeeklyReportResult,
} from "@cvpipe/core/report/send-weekly-report";
import { lookbackWeeks } from "@cvpipe/core/report/sent-figures";
import { functions, tableNameEnv } from "@cvpipe/core/topology";
import { lambdaContext } from "@cvpipe/local/lambda-context";
import { settingsFromEnv } from "@cvpipe/local/settings";
import { localDefaults } from "@cvpipe/local/stack";
import { resolveTarget, UsageError } from "../stack-info.ts";

export const reportHelp = `cvpipe report preview [--week 2026-W47] [--out DIR] [--json]
cvpipe report send    [--week 2026-W47] [--force] [--json]
cvpipe report status  [--week 2026-W47] [--weeks 8] [--json]
  preview: writes the week's email (HTML and text) to files without sending.
  send: runs the reporter now; a week already sent, or UNCERTAIN (an earlier run's
    SES call has an unknown outcome), is refused unless --force. Exit 3: not sent;
    exit 4: the outcome needs a person (see the message).
  status: the reports ledger for the week and the ones before it.
  The week defaults to the one a Monday run would report: the previous ISO week.`;

/** Exit codes of `report send` besides 0 (sent) and 2 (usage). */
const NOT_SENT = 3;
const NEEDS_OPERATOR = 4;

/**
 * The reporter's configuration for a run from here: the variables Lambda gets.
 * Locally the stack's defaults fill in recipients and sender; for a deployed
 * stage REPORT_RECIPIENTS and REPORT_SENDER must be set by the operator.
 */
const reporterEnv = async () => {
  const target = await resolveTarget();
  process.env[tableNameEnv("aggregates")] = target.tables.aggregates;
  process.env[tableNameEnv("reports")] = target.tables.reports;
  if (target.name === "local") for (const [k, v] of Object.entries(localDefaults())) process.env[k] ??= v;
  return target;
};

/** The context of the reporter's in-process invocation, as the embedded stack's scheduler gives it. */
const reporterContext = () => lambdaContext("reporter", functions.reporter.timeoutSeconds, settingsFromEnv().region);

const forceHint = (week: IsoWeek): string =>
  `Check whether the email arrived (the recipients' inboxes, SES sending statistics). If it did not, send it again:\n  cvpipe report send --week ${week} --force`;

/** One line per week for `report status`: the state as the reporter would act on it. */
export const describeWeek = (record: ReportRecord | undefined, now: Date): { state: string; note: string } => {
  if (!record) return { state: "-", note: "never claimed (a run would send it)" };
  const expired = record.leaseUntil !== undefined && record.leaseUntil.getTime() < now.getTime();
  switch (record.status) {
    case "SENT":
      return { state: "SENT", note: `${record.sentAt ?? "?"}  MessageId ${record.messageId ?? "?"}` };
    case "FAILED":
      return { state: "FAILED", note: `nothing went out; a run sends it again. ${record.lastError ?? ""}`.trim() };
    case "UNCERTAIN":
      return {
        state: "UNCERTAIN",
        note: `${record.lastError ?? "SES outcome unknown"} — only --force sends it again`,
      };
    case "SENDING":
      return expired
        ? {
            state: "UNCERTAIN",
            note: `its run called SES at ${record.sendingAt ?? "?"} and never recorded the outcome — only --force sends it again`,
          }
        : { state: "SENDING", note: `a run is calling SES (claim until ${record.leaseUntil?.toISOString() ?? "?"})` };
    case "CLAIMED":
      return expired
        ? { state: "CLAIMED", note: "its run died before calling SES: nothing went out; a run sends it again" }
        : { state: "CLAIMED", note: `a run is preparing it (claim until ${record.leaseUntil?.toISOString() ?? "?"})` };
  }
};

/** The exit code of a send's result, as printSendResult sets it: 0 sent and recorded, 3 not sent (skipped), 4 the outcome needs a person. */
const exitCodeOf = (result: SendWeeklyReportResult): number =>
  result.status === "skipped" ? NOT_SENT : needsOperator(result) ? NEEDS_OPERATOR : 0;

/** `report send --json`: the result as docs/cli.md lists it (`outcome` is the result's status). */
export const sendResultJson = (result: SendWeeklyReportResult) => {
  const { status, ...rest } = result;
  return { outcome: status, ...rest, needsOperator: needsOperator(result) };
};

const printSendResult = (week: IsoWeek, result: SendWeeklyReportResult): void => {
  switch (result.status) {
    case "sent":
      if (result.recorded) {
        console.log(`sent ${result.subject} (SES MessageId ${result.messageId}, attempt ${result.attempt})`);
      } else {
        console.log(
          `sent ${result.subject} (SES MessageId ${result.messageId}), but SENT could not be recorded in the reports table.\n` +
            `${week} will read UNCERTAIN once its claim expires. The email did go out: do not send it again with --force.`,
        );
        process.exitCode = NEEDS_OPERATOR;
      }
      for (const late of result.lateArrivals) console.log(`  ${formatLateArrival(late)}`);
      return;
    case "uncertain":
      console.log(
        `outcome unknown: SES may or may not have accepted ${result.subject} (${result.reason}).\n` +
          `${week} is now UNCERTAIN: no automatic run will send it again.\n${forceHint(week)}`,
      );
      process.exitCode = NEEDS_OPERATOR;
      return;
    case "skipped":
      if (result.reason === "already-sent") {
        console.log(
          `not sent: ${week} was already sent (MessageId ${result.messageId ?? "?"}); use --force to send again`,
        );
      } else if (result.reason === "uncertain") {
        console.log(
          `not sent: ${week} is UNCERTAIN: an earlier run called SES and its outcome is unknown` +
            `${result.detail ? ` (${result.detail})` : ""}.\n${forceHint(week)}`,
        );
      } else {
        console.log(`not sent: another run is sending ${week} right now`);
      }
      process.exitCode = NOT_SENT;
      return;
  }
};

export const reportCommand = async (args: string[]): Promise<void> => {
  const [sub, ...rest] = args;
  const { values } = parseArgs({
    args: rest,
    options: {
      week: { type: "string" },
      out: { type: "string" },
      force: { type: "boolean", default: false },
      weeks: { type: "string" },
      json: { type: "boolean", default: false },
    },
    strict: true,
  });
  const week = values.week ?? reportWeekFor(clockFromEnv(process.env).now());
  if (!isIsoWeek(week)) throw new UsageError(`--week "${week}" is not an ISO week like 2026-W47`);
  const target = await reporterEnv();
  const { reporterDeps } = await import("@cvpipe/functions/composition/reporter");

  if (sub === "preview") {
    const deps = reporterDeps();
    const rendered = await renderWeeklyReport(deps, week);
    const dir = resolve(values.out ?? join(target.workDir, "reports"));
    mkdirSync(dir, { recursive: true });
    const html = join(dir, `report-${week}.html`);
    const text = join(dir, `report-${week}.txt`);
    writeFileSync(html, rendered.html);
    writeFileSync(text, rendered.text);
    if (values.json) {
      console.log(
        JSON.stringify(
          { week, subject: rendered.subject, html, text, htmlBytes: Buffer.byteLength(rendered.html) },
          null,
          2,
        ),
      );
      return;
    }
    console.log(`${rendered.subject}\n  html: ${html} (${Buffer.byteLength(rendered.html)} bytes)\n  text: ${text}`);
    for (const late of rendered.report.lateArrivals) console.log(`  ${formatLateArrival(late)}`);
    return;
  }
  if (sub === "send") {
    const { handler } = await import("@cvpipe/functions/reporter");
    if (!values.json) {
      printSendResult(week, await handler({ week, force: values.force }, reporterContext()));
      return;
    }
    let result: SendWeeklyReportResult;
    try {
      result = await handler({ week, force: values.force }, reporterContext());
    } catch (error) {
      // A week refused (not ended, malformed) is a usage error, on stderr as always.
      if (error instanceof ValidationError) throw error;
      // Nothing went out (the ledger says FAILED; a run sends it again): an outcome a script branches on.
      const e = error as Error & { retryable?: boolean };
      console.log(
        JSON.stringify(
          {
            outcome: "failed",
            week,
            error: {
              name: e.name,
              message: e.message,
              ...(e.retryable === undefined ? {} : { retryable: e.retryable }),
            },
            needsOperator: false,
          },
          null,
          2,
        ),
      );
      console.error(`cvpipe report: ${e.name}: ${e.message}`);
      process.exitCode = 1;
      return;
    }
    console.log(JSON.stringify(sendResultJson(result), null, 2));
    process.exitCode = exitCodeOf(result);
    return;
  }
  if (sub === "status") {
    const count = Number(values.weeks ?? 8);
    if (!Number.isInteger(count) || count < 1 || count > 53) throw new UsageError("--weeks must be 1 to 53");
    const deps = reporterDeps();
    const weeks = [week, ...lookbackWeeks(week, count - 1)];
    const records = await Promise.all(weeks.map((w) => deps.ledger.read(w)));
    const now = deps.clock.now();
    if (values.json) {
      const rows = weeks.map((w, i) => ({
        week: w,
        ...describeWeek(records[i], now),
        attempts: records[i]?.attempts ?? 0,
      }));
      console.log(JSON.stringify({ weeks: rows }, null, 2));
      return;
    }
    console.log(`${"week".padEnd(9)} ${"state".padEnd(10)} ${"tries".padStart(5)}  note`);
    for (const [i, w] of weeks.entries()) {
      const record = records[i];
      const { state, note } = describeWeek(record, now);
      console.log(`${w.padEnd(9)} ${state.padEnd(10)} ${String(record?.attempts ?? 0).padStart(5)}  ${note}`);
    }
    return;
  }
  throw new UsageError(`unknown report command "${sub ?? ""}": use preview, send or status`);
};
