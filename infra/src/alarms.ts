/**
 * The one place alarms notify: an SNS topic with the operators' email
 * subscription. Every alarm in the app is created through `alarm()` so none
 * can be left without an action.
 */
import { Validations } from "aws-cdk-lib";
import * as cloudwatch from "aws-cdk-lib/aws-cloudwatch";
import { SnsAction } from "aws-cdk-lib/aws-cloudwatch-actions";
import * as sns from "aws-cdk-lib/aws-sns";
import { EmailSubscription } from "aws-cdk-lib/aws-sns-subscriptions";
import { Construct } from "constructs";

export interface AlarmTopicProps {
  readonly stage: string;
  readonly email: string;
}

export type AlarmOptions = Omit<cloudwatch.AlarmProps, "alarmName" | "actionsEnabled">;

export class AlarmTopic extends Construct {
  readonly topic: sns.Topic;
  readonly alarms: cloudwatch.Alarm[] = [];
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
  }

  /** An alarm named `cvpipe-<stage>-<name>` that notifies the topic on ALARM and on recovery. */
  alarm(scope: Construct, id: string, name: string, options: AlarmOptions): cloudwatch.Alarm {
    const alarm = new cloudwatch.Alarm(scope, id, {
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      ...options,
      alarmName: `cvpipe-${this.stage}-${name}`,
    });
    alarm.addAlarmAction(this.action);
    alarm.addOkAction(this.action);
    this.alarms.push(alarm);
    return alarm;
  }
}
