/**
 * The repeated shape of the pipeline: a FIFO queue, its FIFO dead-letter
 * queue, the worker's event source (partial batch responses) and the two
 * queue alarms, all from one topology queue entry.
 */
import { type QueueAlarmMetric, type QueueAlarmSpec, queueAlarms } from "@cvpipe/core/queue-alarms";
import {
  type FifoThroughputSpec,
  type FunctionSpec,
  type QueueSpec,
  VISIBILITY_TIMEOUT_FACTOR,
} from "@cvpipe/core/topology";
import { Duration } from "aws-cdk-lib";
import * as cloudwatch from "aws-cdk-lib/aws-cloudwatch";
import type * as lambda from "aws-cdk-lib/aws-lambda";
import { SqsEventSource } from "aws-cdk-lib/aws-lambda-event-sources";
import * as sqs from "aws-cdk-lib/aws-sqs";
import { Construct } from "constructs";
import type { AlarmTopic } from "./alarms.ts";
import { stagedName } from "./physical-names.ts";

type MetricOf = (props: cloudwatch.MetricOptions) => cloudwatch.Metric;

const COMPARISON: Record<QueueAlarmSpec["comparison"], cloudwatch.ComparisonOperator> = {
  GreaterThanThreshold: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
};
const MISSING_DATA: Record<QueueAlarmSpec["treatMissingData"], cloudwatch.TreatMissingData> = {
  notBreaching: cloudwatch.TreatMissingData.NOT_BREACHING,
};
const DEDUPLICATION_SCOPE: Record<FifoThroughputSpec["deduplicationScope"], sqs.DeduplicationScope> = {
  messageGroup: sqs.DeduplicationScope.MESSAGE_GROUP,
  queue: sqs.DeduplicationScope.QUEUE,
};
const THROUGHPUT_LIMIT: Record<FifoThroughputSpec["fifoThroughputLimit"], sqs.FifoThroughputLimit> = {
  perMessageGroupId: sqs.FifoThroughputLimit.PER_MESSAGE_GROUP_ID,
  perQueue: sqs.FifoThroughputLimit.PER_QUEUE,
};

/** The topology's FIFO throughput mode (high throughput: see FIFO_HIGH_THROUGHPUT) as sqs.Queue props. */
const throughputProps = (
  spec: FifoThroughputSpec,
): Pick<sqs.QueueProps, "deduplicationScope" | "fifoThroughputLimit"> => ({
  deduplicationScope: DEDUPLICATION_SCOPE[spec.deduplicationScope],
  fifoThroughputLimit: THROUGHPUT_LIMIT[spec.fifoThroughputLimit],
});

export interface FifoWorkerProps {
  readonly spec: QueueSpec;
  readonly stage: string;
  readonly worker: lambda.IFunction;
  readonly workerSpec: FunctionSpec;
  readonly alarms: AlarmTopic;
}

export class FifoWorker extends Construct {
  readonly queue: sqs.Queue;
  readonly dlq: sqs.Queue;
  readonly spec: QueueSpec;

  constructor(scope: Construct, id: string, props: FifoWorkerProps) {
    super(scope, id);
    const { spec, stage, worker, workerSpec, alarms } = props;
    this.spec = spec;
    // A message still being processed must not become visible again: Lambda's rule of 6x the timeout.
    if (spec.visibilityTimeoutSeconds < VISIBILITY_TIMEOUT_FACTOR * workerSpec.timeoutSeconds) {
      throw new Error(
        `Queue ${spec.id}: visibility timeout ${spec.visibilityTimeoutSeconds}s is below ` +
          `${VISIBILITY_TIMEOUT_FACTOR} x ${workerSpec.id} timeout (${workerSpec.timeoutSeconds}s)`,
      );
    }

    this.dlq = new sqs.Queue(this, "Dlq", {
      queueName: stagedName(spec.dlqName, stage),
      fifo: true,
      ...throughputProps(spec.fifoThroughput),
      retentionPeriod: Duration.seconds(spec.dlqRetentionSeconds),
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
    });
    this.queue = new sqs.Queue(this, "Queue", {
      queueName: stagedName(spec.name, stage),
      fifo: true,
      // The producer sets the deduplication id from the idempotency key; a body hash would merge distinct jobs.
      contentBasedDeduplication: false,
      // High-throughput FIFO: the quota and deduplication apply per message group (tenant + user).
      ...throughputProps(spec.fifoThroughput),
      visibilityTimeout: Duration.seconds(spec.visibilityTimeoutSeconds),
      retentionPeriod: Duration.seconds(spec.retentionSeconds),
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      deadLetterQueue: { queue: this.dlq, maxReceiveCount: spec.maxReceiveCount },
    });

    worker.addEventSource(
      new SqsEventSource(this.queue, {
        batchSize: spec.batchSize,
        reportBatchItemFailures: true,
        maxConcurrency: spec.maxConcurrency,
      }),
    );

    // The topology's queue alarms (core queue-alarms.ts, which `cvpipe queues` judges too); construct ids kept.
    const alarmOn: Record<
      QueueAlarmMetric,
      { id: string; metric: MetricOf; description: (alarm: QueueAlarmSpec) => string }
    > = {
      dlqVisibleMessages: {
        id: "DlqDepthAlarm",
        metric: (props) => this.dlq.metricApproximateNumberOfMessagesVisible(props),
        description: () => `Messages reached ${spec.dlqName}: inspect with \`cvpipe dlq peek\`, fix, then redrive.`,
      },
      oldestMessageAgeSeconds: {
        id: "OldestMessageAlarm",
        metric: (props) => this.queue.metricApproximateAgeOfOldestMessage(props),
        description: (alarm) =>
          `The oldest message in ${spec.name} is older than ${alarm.threshold}s: the worker is stuck or too slow.`,
      },
    };
    for (const alarm of queueAlarms(spec)) {
      const on = alarmOn[alarm.metric];
      alarms.alarm(this, on.id, alarm.name, {
        alarmDescription: on.description(alarm),
        metric: on.metric({ period: Duration.seconds(alarm.periodSeconds), statistic: alarm.statistic }),
        threshold: alarm.threshold,
        comparisonOperator: COMPARISON[alarm.comparison],
        evaluationPeriods: alarm.evaluationPeriods,
        treatMissingData: MISSING_DATA[alarm.treatMissingData],
      });
    }
  }
}
