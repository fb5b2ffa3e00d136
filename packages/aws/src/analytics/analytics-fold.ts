import type { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { type AnalyticsRecord, type FoldOutcome, foldAnalyticsRecord } from "@cvpipe/core/analytics/fold-event";
import type { AnalyticsEventMessage } from "@cvpipe/core/contracts/messages";
import type { Clock } from "@cvpipe/core/ports/clock";
import type { EventDelivery, EventRecorder } from "@cvpipe/core/ports/event-recorder";
import { DynamoAggregateStore } from "./dynamo-aggregate-store.ts";
import { DynamoEventStore } from "./dynamo-event-store.ts";

export interface AnalyticsFoldOptions {
  /** The events table's physical name. */
  readonly eventsTable: string;
  /** The aggregates table's physical name. */
  readonly aggregatesTable: string;
  /** Raw producer event TTL in days (topology `retention.eventTtlDays` by default in config). */
  readonly eventTtlDays: number;
  /** Raw outcome/retraction event TTL in days (see DynamoEventStore). */
  readonly tailorEventTtlDays: number;
  /** Aggregate retention after the week ends (default AGGREGATE_RETENTION_DAYS). */
  readonly aggregateRetentionDays?: number;
  readonly clock: Clock;
}

/**
 * The analytics consumer's one dependency: stores each event and folds it into
 * its weekly aggregate, exactly once, over the events and aggregates tables.
 *
 * @example
 *   const fold = new AnalyticsFold(documentClient, { eventsTable, aggregatesTable, eventTtlDays, tailorEventTtlDays, clock });
 *   await fold.record(message, { sequenceNumber: r.attributes.SequenceNumber!, messageGroupId: r.attributes.MessageGroupId! });
 */
export class AnalyticsFold implements EventRecorder {
  readonly events: DynamoEventStore;
  readonly aggregates: DynamoAggregateStore;
  readonly #clock: Clock;
  readonly #dedupWindowMs: number;
  readonly #tailorDedupWindowMs: number;

  constructor(db: DynamoDBDocumentClient, options: AnalyticsFoldOptions) {
    this.#clock = options.clock;
    this.#dedupWindowMs = options.eventTtlDays * 86_400_000;
    this.#tailorDedupWindowMs = options.tailorEventTtlDays * 86_400_000;
    this.events = new DynamoEventStore(db, {
      tableName: options.eventsTable,
      ttlDays: options.eventTtlDays,
      tailorTtlDays: options.tailorEventTtlDays,
      clock: options.clock,
    });
    this.aggregates = new DynamoAggregateStore(db, {
      tableName: options.aggregatesTable,
      ...(options.aggregateRetentionDays ? { retentionDays: options.aggregateRetentionDays } : {}),
      clock: options.clock,
    });
  }

  /** Detailed outcome, for logs and tests. */
  fold(record: AnalyticsRecord): Promise<FoldOutcome> {
    return foldAnalyticsRecord({ events: this.events, aggregates: this.aggregates }, record, {
      now: this.#clock.now(),
      dedupWindowMs: this.#dedupWindowMs,
      tailorDedupWindowMs: this.#tailorDedupWindowMs,
    });
  }

  async record(message: AnalyticsEventMessage, delivery: EventDelivery): Promise<"recorded" | "duplicate" | "stale"> {
    const outcome = await this.fold({ body: message, ...delivery });
    if (outcome === "stale") return "stale";
    return outcome === "folded" || outcome === "recovered" ? "recorded" : "duplicate";
  }
}
