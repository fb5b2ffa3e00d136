/**
 * Reporter λ: fired by EventBridge (`cron(0 7 ? * MON *)`) for the previous ISO
 * week, or invoked directly with `{ "week": "2026-W47", "force": true }`.
 * Sends once per week: the week is claimed with a conditional write first
 * (states and transitions: packages/core/src/report/send-weekly-report.ts).
 *
 * A week whose outcome needs a person — SES may have accepted the email but
 * nobody knows (UNCERTAIN), or it went out and SENT could not be recorded — is
 * logged at error level and counted as the metric `cvpipe ReportSendUncertain`
 * (an EMF line, dimension ReportsTable alone; infra alarms on it). The run then
 * returns normally: a retry could only meet the same UNCERTAIN week again.
 */

import { isIsoWeek, isoWeekEnd } from "@cvpipe/core/analytics/iso-week";
import { ValidationError } from "@cvpipe/core/errors";
import {
  REPORT_METRIC_DIMENSION,
  REPORT_METRIC_NAMESPACE,
  REPORT_SEND_UNCERTAIN_METRIC,
} from "@cvpipe/core/report/metrics";
import {
  needsOperator,
  reportWeekFor,
  type SendWeeklyReportResult,
  sendWeeklyReport,
} from "@cvpipe/core/report/send-weekly-report";
import { functions } from "@cvpipe/core/topology";
import middy from "@middy/core";
import type { ScheduledEvent } from "aws-lambda";
import { type ReporterDeps, reporterDeps } from "./composition/reporter.ts";
import { createLogger, withLambdaContext } from "./logger.ts";
import { createMetrics } from "./metrics.ts";

const logger = createLogger("reporter");
const metrics = createMetrics();
/** A claim outlives one run (the function's timeout) twice over, and no more. */
const LEASE_SECONDS = 2 * functions.reporter.timeoutSeconds;
let deps: ReporterDeps | undefined;

/** A manual run: which week, and whether to send again. */
export interface ReportRequest {
  readonly week?: string;
  readonly force?: boolean;
}

const weekOf = (event: ScheduledEvent | ReportRequest, now: Date): { week: string; force: boolean } => {
  if ("detail-type" in event) return { week: reportWeekFor(new Date(event.time)), force: false };
  const week = event.week ?? reportWeekFor(now);
  if (!isIsoWeek(week)) {
    throw new ValidationError([
      { path: "week", rule: "iso_week", message: `"${week}" is not an ISO week like 2026-W47` },
    ]);
  }
  const force = event.force === true;
  // Sending a week before it ends would record it as SENT and make Monday's real run skip it.
  const ends = isoWeekEnd(week);
  if (!force && ends.getTime() > now.getTime()) {
    throw new ValidationError([
      {
        path: "week",
        rule: "ended",
        message: `${week} has not ended yet (it ends ${ends.toISOString()}); force sends a partial week`,
      },
    ]);
  }
  return { week, force };
};

/** What the operator should do about a result that needs one (the RUNBOOK's "weekly email" section). */
const operatorAction = (result: SendWeeklyReportResult): string =>
  result.status === "sent"
    ? "the email went out but SENT was not recorded; the week will read UNCERTAIN: do not force a re-send"
    : "check whether the email arrived; if it did not, send it again with `cvpipe report send --week <week> --force`";

const report = async function report(event: ScheduledEvent | ReportRequest): Promise<SendWeeklyReportResult> {
  deps ??= reporterDeps();
  const now = deps.clock.now();
  const { week, force } = weekOf(event, now);
  const result = await sendWeeklyReport(deps, {
    week,
    recipients: deps.recipients,
    sender: deps.sender,
    force,
    leaseSeconds: LEASE_SECONDS,
  });
  if (needsOperator(result)) {
    logger.error("weekly report needs an operator", { ...result, action: operatorAction(result) });
    // Written in Lambda only (see metrics.ts): a CLI run prints its own message instead.
    metrics.standalone({
      namespace: REPORT_METRIC_NAMESPACE,
      name: REPORT_SEND_UNCERTAIN_METRIC,
      value: 1,
      dimensions: { [REPORT_METRIC_DIMENSION]: deps.reportsTable },
      properties: { fn: "reporter", week, status: result.status },
    });
    return result;
  }
  logger.info("weekly report", { ...result });
  // On the schedule, a claim held by a run that died must not end the week's attempts: fail, so
  // Lambda's asynchronous retries (about 1 and 3 minutes later) come back after the lease expires.
  if ("detail-type" in event && result.status === "skipped" && result.reason === "in-progress") {
    throw new WeekClaimedError(week);
  }
  return result;
};

/**
 * The week's send is claimed by a run still inside its lease: thrown so that Lambda's retry comes
 * back after it. No failure code: nothing failed (no dependency, no input), and nothing reads one.
 */
class WeekClaimedError extends Error {
  constructor(week: string) {
    super(`${week} is claimed by another run; retrying after its lease`);
    this.name = "WeekClaimedError";
  }
}

export const handler = withLambdaContext(middy(report), logger);
