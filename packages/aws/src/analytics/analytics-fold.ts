import type { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { type AnalyticsRecord, type FoldOutcome, foldAnalyticsRecord } from "@cvpipe/core/analytics/fold-event";
import type { AnalyticsEventMessage } from "@cvpipe/core/contracts/messages";
import { DynamoAggregateStore } from "./dynamo-aggregate-store.ts";
import { DEFAULT_EVENT_TTL_DAYS, DEFAULT_TAILOR_EVENT_TTL_DAYS, DynamoEventStore } from "./dynamo-event-store.ts";

export interface AnalyticsFoldOptions {
  /** Default: topology `tables.events.name`. */
  readonly eventsTable?: string;
  /** Default: topology `tables.aggregates.name`. */
  readonly aggregatesTable?: string;
  /** Raw producer event TTL in days, default 14. */
  readonly eventTtlDays?: number;
  /** Raw outcome/retraction event TTL in days, default 45 (see DynamoEventStore). */
  readonly tailorEventTtlDays?: number;
  /** Aggregate retention after the week ends, default 400 days. */
  readonly aggregateRetentionDays?: number;
  readonly clock?: { now(): Date };
}

/**
 * The analytics consumer's one dependency: stores each event and folds it into
 * its weekly aggregate, exactly once, over the events and aggregates tables.
 *
 * @example
 *   const fold = new AnalyticsFold(documentClient, { eventsTable, aggregatesTable });
 *   await fold.record(message, { sequenceNumber: r.attributes.SequenceNumber!, messageGroupId: r.attributes.MessageGroupId! });
 */
export class AnalyticsFold {
  readonly events: DynamoEventStore;
  readonly aggregates: DynamoAggregateStore;
  readonly #clock: { now(): Date };
  readonly #dedupWindowMs: number;
  readonly #tailorDedupWindowMs: number;

  constructor(db: DynamoDBDocumentClient, options: AnalyticsFoldOptions = {}) {
    this.#clock = options.clock ?? { now: () => new Date() };
    this.#dedupWindowMs = (options.eventTtlDays ?? DEFAULT_EVENT_TTL_DAYS) * 86_400_000;
    const tailorDays = options.tailorEventTtlDays ?? Math.max(options.eventTtlDays ?? 0, DEFAULT_TAILOR_EVENT_TTL_DAYS);
    this.#tailorDedupWindowMs = tailorDays * 86_400_000;
    const clock = options.clock ? { clock: options.clock } : {};
    this.events = new DynamoEventStore(db, {
      ...(options.eventsTable ? { tableName: options.eventsTable } : {}),
      ...(options.eventTtlDays ? { ttlDays: options.eventTtlDays } : {}),
      tailorTtlDays: tailorDays,
      ...clock,
    });
    this.aggregates = new DynamoAggregateStore(db, {
      ...(options.aggregatesTable ? { tableName: options.aggregatesTable } : {}),
      ...(options.aggregateRetentionDays ? { retentionDays: options.aggregateRetentionDays } : {}),
      ...clock,
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

  /** Shape of the handler's `EventRecorder` port. */
  async record(
    message: AnalyticsEventMessage,
    delivery: { readonly sequenceNumber: string; readonly messageGroupId: string },
  ): Promise<"recorded" | "duplicate" | "stale"> {
    const outcome = await this.fold({ body: message, ...delivery });
    if (outcome === "stale") return "stale";
    return outcome === "folded" || outcome === "recovered" ? "recorded" : "duplicate";
  }
}
