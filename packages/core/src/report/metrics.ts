/**
 * The metric the reporter emits when a week needs an operator (its email may
 * be out without a record, or may be missing), and the alarm in infra watches.
 * One dimension, the reports table's name, which is also what tells stages apart.
 */
import { DEFAULT_METRIC_NAMESPACE } from "../ports/metrics.ts";

/** cvpipe's namespace, as every other metric's (ports/metrics.ts): the alarm watches this one by name. */
export const REPORT_METRIC_NAMESPACE = DEFAULT_METRIC_NAMESPACE;
export const REPORT_SEND_UNCERTAIN_METRIC = "ReportSendUncertain";
export const REPORT_METRIC_DIMENSION = "ReportsTable";
