/**
 * The metric the reporter emits when a week needs an operator (its email may
 * be out without a record, or may be missing), and the alarm in infra watches.
 * One dimension, the reports table's name, which is also what tells stages apart.
 */
export const REPORT_METRIC_NAMESPACE = "cvpipe";
export const REPORT_SEND_UNCERTAIN_METRIC = "ReportSendUncertain";
export const REPORT_METRIC_DIMENSION = "ReportsTable";
