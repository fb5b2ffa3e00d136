/**
 * The one place alarms notify: an SNS topic with the operators' email
 * subscription. Every alarm in the app is created through `alarm()` so none
 * can be left without an action.
 *
 * Alarms on metrics cvpipe emits itself live here too, next to the topic: they
 * need nothing but the stage (the metric's dimension is a physical name).
 */

import { stagedAlarmName } from "@cvpipe/core/queue-alarms";
import {
  REPORT_METRIC_DIMENSION,
  REPORT_METRIC_NAMESPACE,
  REPORT_SEND_UNCERTAIN_METRIC,
} from "@cvpipe/core/report/metrics";
import { stagedName, tables } from "@cvpipe/core/topology";
import { Duration, Validations } from "aws-cdk-lib";
import * as cloudwatch from "aws-cdk-lib/aws-cloudwatch";
import { SnsAction } from "aws-cdk-lib/aws-cloudwatch-actions";
import * as sns from "aws-cdk-lib/aws-sns";
import { EmailSubscription } from "aws-cdk-lib/aws-sns-subscriptions";
import { Construct } from "constructs";

export interface AlarmTopicProps {
  readonly stage: string;
  readonly email: string;
}

export type AlarmOptions = Omit<cloudwatch.AlarmProps, "alarmName" | "actionsEnabled"> & {
  /**
   * Also notify when the alarm returns to OK. Default true. False for alarms on
   * one-off events, whose OK a few minutes later would read as "resolved".
   */
  readonly notifyOnRecovery?: boolean;
};

export class AlarmTopic extends Construct {
  readonly topic: sns.Topic;
  readonly alarms: cloudwatch.Alarm[] = [];
  /** A weekly report whose outcome needs a person (UNCERTAIN, or sent without a record). */
  readonly reportSendUncertain: cloudwatch.Alarm;
  private readonly stage: string;
  private readonly action: SnsAction;

  constructor(scope: Construct, id: string, props: AlarmTopicProps) {
    super(scope, id);
    this.stage = props.stage;
    this.topic = new sns.Topic(this, "Topic", { displayName: `cvpipe ${props.stage} alarms`, enforceSSL: true });
    this.topic.addSubscription(new EmailSubscription(props.email));
    this.action = new SnsAction(this.topic);
    Validations.of(this.topic).acknowledge({
      id: "AwsSolutions-SNS2",
      reason:
        "Messages are CloudWatch alarm state changes (names, thresholds, metric values), no customer data. " +
        "CloudWatch cannot publish to a topic encrypted with the AWS-managed SNS key, and a customer-managed " +
        "KMS key for alarm metadata is not worth its cost and key-policy surface.",
    });
    // The reporter emits this (an EMF line) instead of failing into retries that could not help.
    this.reportSendUncertain = this.alarm(this, "ReportSendUncertainAlarm", "report-send-uncertain", {
      alarmDescription:
        "The weekly report email may or may not have gone out (SES outcome unknown, or sent without a record): " +
        "automatic runs will not send that week again. RUNBOOK: 'the weekly email did not arrive' (cvpipe report status).",
      metric: new cloudwatch.Metric({
        namespace: REPORT_METRIC_NAMESPACE,
        metricName: REPORT_SEND_UNCERTAIN_METRIC,
        dimensionsMap: { [REPORT_METRIC_DIMENSION]: stagedName(tables.reports.name, props.stage) },
        statistic: cloudwatch.Stats.SUM,
        period: Duration.minutes(5),
      }),
      threshold: 0,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 1,
      notifyOnRecovery: false,
    });
  }

  /** An alarm named `cvpipe-<stage>-<name>` that notifies the topic on ALARM (and on recovery unless told not to). */
  alarm(scope: Construct, id: string, name: string, options: AlarmOptions): cloudwatch.Alarm {
    const { notifyOnRecovery = true, ...props } = options;
    const alarm = new cloudwatch.Alarm(scope, id, {
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      ...props,
      alarmName: stagedAlarmName(name, this.stage),
    });
    alarm.addAlarmAction(this.action);
    if (notifyOnRecovery) alarm.addOkAction(this.action);
    this.alarms.push(alarm);
    return alarm;
  }
}
