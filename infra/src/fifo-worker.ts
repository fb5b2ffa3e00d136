/**
 * The repeated shape of the pipeline: a FIFO queue, its FIFO dead-letter
 * queue, the consumer's event source (partial batch responses) and the two
 * queue alarms, all from one topology queue entry.
 */
import { type FunctionSpec, type QueueSpec, VISIBILITY_TIMEOUT_FACTOR } from "@cvpipe/core/topology";
import { Duration } from "aws-cdk-lib";
import * as cloudwatch from "aws-cdk-lib/aws-cloudwatch";
import type * as lambda from "aws-cdk-lib/aws-lambda";
import { SqsEventSource } from "aws-cdk-lib/aws-lambda-event-sources";
import * as sqs from "aws-cdk-lib/aws-sqs";
import { Construct } from "constructs";
import type { AlarmTopic } from "./alarms.ts";
import { stagedName } from "./physical-names.ts";

export interface FifoWorkerProps {
  readonly spec: QueueSpec;
  readonly stage: string;
  readonly consumer: lambda.IFunction;
  readonly consumerSpec: FunctionSpec;
  readonly alarms: AlarmTopic;
}

export class FifoWorker extends Construct {
  readonly queue: sqs.Queue;
  readonly dlq: sqs.Queue;
  readonly spec: QueueSpec;

  constructor(scope: Construct, id: string, props: FifoWorkerProps) {
    super(scope, id);
    const { spec, stage, consumer, consumerSpec, alarms } = props;
    this.spec = spec;
    // A message still being processed must not become visible again: Lambda's rule of 6x the timeout.
    if (spec.visibilityTimeoutSeconds < VISIBILITY_TIMEOUT_FACTOR * consumerSpec.timeoutSeconds) {
      throw new Error(
        `Queue ${spec.id}: visibility timeout ${spec.visibilityTimeoutSeconds}s is below ` +
          `${VISIBILITY_TIMEOUT_FACTOR} x ${consumerSpec.id} timeout (${consumerSpec.timeoutSeconds}s)`,
      );
    }

    this.dlq = new sqs.Queue(this, "Dlq", {
      queueName: stagedName(spec.dlqName, stage),
      fifo: true,
      retentionPeriod: Duration.seconds(spec.dlqRetentionSeconds),
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
    });
    this.queue = new sqs.Queue(this, "Queue", {
      queueName: stagedName(spec.name, stage),
      fifo: true,
      // The producer sets the deduplication id from the idempotency key; a body hash would merge distinct jobs.
      contentBasedDeduplication: false,
      // High-throughput FIFO: the limit and dedup apply per message group (tenant + user), so tenants never
      // throttle each other and equal idempotency keys of different users are not merged.
      deduplicationScope: sqs.DeduplicationScope.MESSAGE_GROUP,
      fifoThroughputLimit: sqs.FifoThroughputLimit.PER_MESSAGE_GROUP_ID,
      visibilityTimeout: Duration.seconds(spec.visibilityTimeoutSeconds),
      retentionPeriod: Duration.seconds(spec.retentionSeconds),
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      deadLetterQueue: { queue: this.dlq, maxReceiveCount: spec.maxReceiveCount },
    });

    consumer.addEventSource(
      new SqsEventSource(this.queue, {
        batchSize: spec.batchSize,
        reportBatchItemFailures: true,
        maxConcurrency: spec.maxConcurrency,
      }),
    );

    alarms.alarm(this, "DlqDepthAlarm", `${spec.id}-dlq-not-empty`, {
      alarmDescription: `Messages reached ${spec.dlqName}: inspect with \`cvpipe dlq peek\`, fix, then redrive.`,
      metric: this.dlq.metricApproximateNumberOfMessagesVisible({
        period: Duration.minutes(1),
        statistic: cloudwatch.Stats.MAXIMUM,
      }),
      threshold: 0,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 1,
    });
    alarms.alarm(this, "OldestMessageAlarm", `${spec.id}-oldest-message-age`, {
      alarmDescription: `The oldest message in ${spec.name} is older than ${spec.maxAgeSeconds}s: the consumer is stuck or too slow.`,
      metric: this.queue.metricApproximateAgeOfOldestMessage({
        period: Duration.minutes(1),
        statistic: cloudwatch.Stats.MAXIMUM,
      }),
      threshold: spec.maxAgeSeconds,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 3,
    });
  }
}
