/**
 * Reporter λ: fired by EventBridge (`cron(0 7 ? * MON *)`) for the previous ISO
 * week, or invoked directly with `{ "week": "2026-W47", "force": true }`.
 * Sends once per week: the week is claimed with a conditional write first.
 */

import { isIsoWeek, isoWeekEnd } from "@cvpipe/core/analytics/iso-week";
import { CvpipeError, ValidationError } from "@cvpipe/core/errors";
import { reportWeekFor, type SendWeeklyReportResult, sendWeeklyReport } from "@cvpipe/core/report/send-weekly-report";
import { functions } from "@cvpipe/core/topology";
import middy from "@middy/core";
import type { ScheduledEvent } from "aws-lambda";
import { type ReporterDeps, reporterDeps } from "./composition.ts";
import { createLogger } from "./logger.ts";

const logger = createLogger("reporter");
/** A claim outlives one run (the function's timeout) twice over, and no more. */
const LEASE_SECONDS = 2 * functions.reporter.timeoutSeconds;
let deps: ReporterDeps | undefined;

/** A manual run: which week, and whether to send again. */
export interface ReportRequest {
  readonly week?: string;
  readonly force?: boolean;
}

const weekOf = (event: ScheduledEvent | ReportRequest): { week: string; force: boolean } => {
  if ("detail-type" in event) return { week: reportWeekFor(new Date(event.time)), force: false };
  const week = event.week ?? reportWeekFor(new Date());
  if (!isIsoWeek(week)) {
    throw new ValidationError([
      { path: "week", rule: "iso_week", message: `"${week}" is not an ISO week like 2026-W47` },
    ]);
  }
  const force = event.force === true;
  // Sending a week before it ends would record it as SENT and make Monday's real run skip it.
  const ends = isoWeekEnd(week);
  if (!force && ends.getTime() > Date.now()) {
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

const report = async function report(event: ScheduledEvent | ReportRequest): Promise<SendWeeklyReportResult> {
  deps ??= reporterDeps();
  const { week, force } = weekOf(event);
  const result = await sendWeeklyReport(deps.ports, {
    week,
    recipients: deps.recipients,
    sender: deps.sender,
    force,
    leaseSeconds: LEASE_SECONDS,
  });
  logger.info("weekly report", { ...result });
  // On the schedule, a claim held by a run that died must not end the week's attempts: fail, so
  // Lambda's asynchronous retries (about 1 and 3 minutes later) come back after the lease expires.
  if ("detail-type" in event && result.status === "skipped" && result.reason === "in-progress") {
    throw new CvpipeError(`${week} is claimed by another run; retrying after its lease`, {
      code: "DEPENDENCY_UNAVAILABLE",
      retryable: true,
    });
  }
  return result;
};

export const handler = middy(report);
