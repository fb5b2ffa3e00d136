import { mkdirSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { isIsoWeek } from "@cvpipe/core/analytics/iso-week";
import { renderWeeklyReport, reportWeekFor } from "@cvpipe/core/report/send-weekly-report";
import { tableNameEnv } from "@cvpipe/core/topology";
import { localDefaults } from "@cvpipe/local/stack";
import { resolveTarget, UsageError } from "../stack-info.ts";

export const reportHelp = `cvpipe report preview [--week 2026-W47] [--out DIR]
cvpipe report send    [--week 2026-W47] [--force]
  preview: writes the week's email (HTML and text) to files without sending.
  send: runs the reporter now; a week already sent is refused unless --force.
  The week defaults to the one a Monday run would report: the previous ISO week.`;

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

export const reportCommand = async (args: string[]): Promise<void> => {
  const [sub, ...rest] = args;
  const { values } = parseArgs({
    args: rest,
    options: { week: { type: "string" }, out: { type: "string" }, force: { type: "boolean", default: false } },
    strict: true,
  });
  const week = values.week ?? reportWeekFor(new Date());
  if (!isIsoWeek(week)) throw new UsageError(`--week "${week}" is not an ISO week like 2026-W47`);
  const target = await reporterEnv();
  const { reporterDeps } = await import("@cvpipe/functions/composition");

  if (sub === "preview") {
    const deps = reporterDeps();
    const rendered = await renderWeeklyReport(deps.ports, week);
    const dir = resolve(values.out ?? join(target.workDir, "reports"));
    mkdirSync(dir, { recursive: true });
    const html = join(dir, `report-${week}.html`);
    const text = join(dir, `report-${week}.txt`);
    writeFileSync(html, rendered.html);
    writeFileSync(text, rendered.text);
    console.log(`${rendered.subject}\n  html: ${html} (${Buffer.byteLength(rendered.html)} bytes)\n  text: ${text}`);
    return;
  }
  if (sub === "send") {
    const { handler } = await import("@cvpipe/functions/reporter");
    const result = await handler({ week, force: values.force }, {} as never);
    if (result.status === "sent") {
      console.log(`sent ${result.subject} (SES MessageId ${result.messageId}, attempt ${result.attempt})`);
    } else if (result.reason === "already-sent") {
      console.log(
        `not sent: ${week} was already sent (MessageId ${result.messageId ?? "?"}); use --force to send again`,
      );
      process.exitCode = 3;
    } else {
      console.log(`not sent: another run is sending ${week} right now`);
      process.exitCode = 3;
    }
    return;
  }
  throw new UsageError(`unknown report command "${sub ?? ""}": use preview or send`);
};
