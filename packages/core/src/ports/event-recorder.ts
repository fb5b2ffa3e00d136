import type { AnalyticsEventMessage } from "../contracts/analytics-event-message.ts";

/** Where an analytics record came from on the queue: the FIFO identity the exactly-once fold keys on. */
export interface EventDelivery {
  readonly sequenceNumber: string;
  readonly messageGroupId: string;
}

/** "stale": received longer ago than duplicates can be detected, so not counted. */
export type RecordOutcome = "recorded" | "duplicate" | "stale";

/** Stores one analytics event and folds it into the weekly aggregates, each exactly once. */
export interface EventRecorder {
  record(message: AnalyticsEventMessage, delivery: EventDelivery): Promise<RecordOutcome>;
}

/** One event for `recordBatch`: what `record` takes. */
export interface RecordedEvent {
  readonly message: AnalyticsEventMessage;
  readonly delivery: EventDelivery;
}

/**
 * An EventRecorder that also folds many records as one batch (the analytics worker's port): one
 * outcome per record, in order, each settled on its own.
 */
export interface BatchEventRecorder extends EventRecorder {
  recordBatch(records: readonly RecordedEvent[]): Promise<PromiseSettledResult<RecordOutcome>[]>;
}
