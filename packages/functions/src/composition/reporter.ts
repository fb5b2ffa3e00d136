/** Composition root of the reporter: its configuration turned into its adapters, once per cold start. */
import { DynamoAggregateStore } from "@cvpipe/aws/analytics/dynamo-aggregate-store";
import { createDynamoDbClient, createSesClient, toDocumentClient } from "@cvpipe/aws/clients";
import { DynamoReportLedger } from "@cvpipe/aws/report/dynamo-report-ledger";
import { SesMailer } from "@cvpipe/aws/report/ses-mailer";
import { clockFromEnv } from "@cvpipe/core/ports/clock";
import { realTimer } from "@cvpipe/core/ports/timer";
import type { SendWeeklyReportDeps } from "@cvpipe/core/report/send-weekly-report";
import { ReporterConfig as ReporterConfigSchema } from "../config/reporter.ts";
import { parseConfig } from "../config/settings.ts";

/** What the reporter needs: the weekly report's dependencies, who it goes to, and the ledger's table. */
export interface ReporterDeps extends SendWeeklyReportDeps {
  readonly recipients: readonly string[];
  readonly sender: string;
  /** The reports table (REPORTS_TABLE): the ReportSendUncertain alarm's dimension. */
  readonly reportsTable: string;
}

export const reporterDeps = (env: NodeJS.ProcessEnv = process.env): ReporterDeps => {
  const config = parseConfig("reporter", ReporterConfigSchema, env);
  const clock = clockFromEnv(env);
  const db = toDocumentClient(createDynamoDbClient(env));
  return {
    aggregates: new DynamoAggregateStore(db, { tableName: config.AGGREGATES_TABLE, clock }),
    ledger: new DynamoReportLedger(db, { tableName: config.REPORTS_TABLE }),
    mailer: new SesMailer(createSesClient(env)),
    clock,
    sleep: realTimer.sleep,
    recipients: config.REPORT_RECIPIENTS,
    sender: config.REPORT_SENDER,
    reportsTable: config.REPORTS_TABLE,
  };
};
