/**
 * The alarm on the metric the reporter emits when a weekly email's outcome
 * needs a person, checked against the names the reporter uses.
 */
import {
  REPORT_METRIC_DIMENSION,
  REPORT_METRIC_NAMESPACE,
  REPORT_SEND_UNCERTAIN_METRIC,
} from "@cvpipe/core/report/metrics";
import { tables } from "@cvpipe/core/topology";
import { Template } from "aws-cdk-lib/assertions";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { stagedName } from "../src/physical-names.ts";
import { buildTestApp } from "./build-app.ts";
import { prop, referencedId, resourcesOf } from "./template-query.ts";

const STAGE = "qa";
const { stateful, service } = buildTestApp({ stage: STAGE });
const svc = Template.fromStack(service);
const alarms = resourcesOf(svc, "AWS::CloudWatch::Alarm");
const [topicId] = Object.keys(resourcesOf(svc, "AWS::SNS::Topic"));

test("one alarm on ReportSendUncertain for this stage's reports table, firing on any data point, notifying the topic", () => {
  const found = Object.values(alarms).filter((a) => a.Properties?.["MetricName"] === REPORT_SEND_UNCERTAIN_METRIC);
  assert.is(found.length, 1);
  const alarm = found[0]!;
  assert.is(alarm.Properties?.["Namespace"], REPORT_METRIC_NAMESPACE);
  assert.is(alarm.Properties?.["AlarmName"], `cvpipe-${STAGE}-report-send-uncertain`);
  assert.equal(prop(alarm, "Dimensions"), [
    { Name: REPORT_METRIC_DIMENSION, Value: stagedName(tables.reports.name, STAGE) },
  ]);
  assert.is(alarm.Properties?.["Statistic"], "Sum");
  assert.is(alarm.Properties?.["Threshold"], 0);
  assert.is(alarm.Properties?.["ComparisonOperator"], "GreaterThanThreshold");
  assert.is(alarm.Properties?.["TreatMissingData"], "notBreaching");
  assert.equal(prop<unknown[]>(alarm, "AlarmActions").map(referencedId), [topicId]);
  // A one-off event: its OK five minutes later would read as "resolved"; it is not.
  assert.is(alarm.Properties?.["OKActions"], undefined);
  // The other alarms still notify on recovery.
  const others = Object.values(alarms).filter((a) => a !== alarm);
  assert.ok(others.length > 0);
  for (const other of others) assert.is(prop<unknown[]>(other, "OKActions").length, 1);
});

test("the dimension is the reports table's physical name in the stateful stack", () => {
  const reportTables = Object.values(resourcesOf(Template.fromStack(stateful), "AWS::DynamoDB::Table")).filter(
    (t) => t.Properties?.["TableName"] === stagedName(tables.reports.name, STAGE),
  );
  assert.is(reportTables.length, 1);
});

test.run();
