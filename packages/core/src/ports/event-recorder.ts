import type { AnalyticsEventMessage } from "../contracts/analytics-event-message.ts";

/** Where an analytics record came from on the queue: the FIFO identity the exactly-once fold keys on. */
export interface EventDelivery {
  readonly sequenceNumber: string;
  readonly messageGroupId: string;
}

/** Stores one analytics event and folds it into the weekly aggregates, each exactly once. */
export interface EventRecorder {
  /** "stale": received longer ago than duplicates can be detected, so not counted. */
  record(message: AnalyticsEventMessage, delivery: EventDelivery): Promise<"recorded" | "duplicate" | "stale">;
}
