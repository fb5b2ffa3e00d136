/**
 * The alarms every topology queue gets, as data: infra/ deploys them
 * (fifo-worker.ts) and `cvpipe queues` judges the same conditions on a
 * reading of the queues, so the two cannot drift apart.
 */
import { type QueueSpec, stagePrefix } from "./topology.ts";

/** What a queue alarm watches: its DLQ's visible messages, or the age of its queue's oldest message (seconds). */
export type QueueAlarmMetric = "dlqVisibleMessages" | "oldestMessageAgeSeconds";

export interface QueueAlarmSpec {
  /** The alarm's name in a stage after `cvpipe-<stage>-` (see {@link stagedAlarmName}). */
  readonly name: string;
  readonly metric: QueueAlarmMetric;
  /** CloudWatch's statistic of the metric over each period. */
  readonly statistic: "Maximum";
  readonly periodSeconds: number;
  /** ALARM when the statistic is greater than `threshold` for `evaluationPeriods` periods in a row. */
  readonly comparison: "GreaterThanThreshold";
  readonly threshold: number;
  readonly evaluationPeriods: number;
  /** No data (an empty queue publishes no age) is not breaching. */
  readonly treatMissingData: "notBreaching";
}

const ONE_MINUTE = 60;

/**
 * A queue's two alarms: `<id>-dlq-not-empty` (any message visible in its DLQ)
 * and `<id>-oldest-message-age` (the oldest message older than the queue's
 * `maxAgeSeconds` for three minutes).
 */
export const queueAlarms = (spec: Pick<QueueSpec, "id" | "maxAgeSeconds">): readonly QueueAlarmSpec[] => [
  {
    name: `${spec.id}-dlq-not-empty`,
    metric: "dlqVisibleMessages",
    statistic: "Maximum",
    periodSeconds: ONE_MINUTE,
    comparison: "GreaterThanThreshold",
    threshold: 0,
    evaluationPeriods: 1,
    treatMissingData: "notBreaching",
  },
  {
    name: `${spec.id}-oldest-message-age`,
    metric: "oldestMessageAgeSeconds",
    statistic: "Maximum",
    periodSeconds: ONE_MINUTE,
    comparison: "GreaterThanThreshold",
    threshold: spec.maxAgeSeconds,
    evaluationPeriods: 3,
    treatMissingData: "notBreaching",
  },
];

/** What every alarm name of a deployed stage starts with: `cvpipe-<stage>-`. */
export const stagedAlarmPrefix = (stage: string): string => `${stagePrefix(stage)}-`;

/** An alarm's physical name in a deployed stage: `cvpipe-<stage>-<name>`. */
export const stagedAlarmName = (name: string, stage: string): string => `${stagedAlarmPrefix(stage)}${name}`;

/** Whether a value breaches the alarm's threshold; no value (missing data) does not. */
export const breaches = (alarm: QueueAlarmSpec, value: number | null | undefined): boolean =>
  value !== null && value !== undefined && value > alarm.threshold;
