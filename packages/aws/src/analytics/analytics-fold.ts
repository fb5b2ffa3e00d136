import type { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import {
  type AnalyticsRecord,
  type FoldOptions,
  type FoldOutcome,
  foldAnalyticsBatch,
  foldAnalyticsRecord,
} from "@cvpipe/core/analytics/fold-event";
import type { AnalyticsEventMessage } from "@cvpipe/core/contracts/analytics-event-message";
import type { Clock } from "@cvpipe/core/ports/clock";
import type {
  BatchEventRecorder,
  EventDelivery,
  RecordedEvent,
  RecordOutcome,
} from "@cvpipe/core/ports/event-recorder";
import type { Metrics } from "@cvpipe/core/ports/metrics";
import { DAY_MS } from "@cvpipe/core/ttl";
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
  /** Where the fold counts events folded, duplicate and stale (none when omitted). */
  readonly metrics?: Metrics;
}

const recordOutcome = (outcome: FoldOutcome): RecordOutcome =>
  outcome === "stale" ? "stale" : outcome === "folded" || outcome === "recovered" ? "recorded" : "duplicate";

/**
 * The analytics worker's one dependency: stores each event and folds it into
 * its weekly aggregate, exactly once, over the events and aggregates tables.
 * `recordBatch` folds an invocation's records together (foldAnalyticsBatch:
 * one aggregate write per item touched, not three per event), each record
 * still answered on its own.
 *
 * @example
 *   const fold = new AnalyticsFold(documentClient, { eventsTable, aggregatesTable, eventTtlDays, tailorEventTtlDays, clock });
 *   const results = await fold.recordBatch(records.map((r) => ({ message: message(r), delivery: { sequenceNumber: r.attributes.SequenceNumber!, messageGroupId: r.attributes.MessageGroupId! } })));
 */
export class AnalyticsFold implements BatchEventRecorder {
  readonly events: DynamoEventStore;
  readonly aggregates: DynamoAggregateStore;
  readonly #clock: Clock;
  readonly #metrics: Metrics | undefined;
  readonly #dedupWindowMs: number;
  readonly #tailorDedupWindowMs: number;

  constructor(db: DynamoDBDocumentClient, options: AnalyticsFoldOptions) {
    this.#clock = options.clock;
    this.#metrics = options.metrics;
    this.#dedupWindowMs = options.eventTtlDays * DAY_MS;
    this.#tailorDedupWindowMs = options.tailorEventTtlDays * DAY_MS;
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

  /** One record on its own, detailed outcome (for logs and tests). */
  fold(record: AnalyticsRecord): Promise<FoldOutcome> {
    return foldAnalyticsRecord(this.#deps(), record, this.#options());
  }

  /** Records folded together: one settled result per record, in order. */
  foldBatch(records: readonly AnalyticsRecord[]): Promise<PromiseSettledResult<FoldOutcome>[]> {
    return foldAnalyticsBatch(this.#deps(), records, this.#options());
  }

  record(message: AnalyticsEventMessage, delivery: EventDelivery): Promise<RecordOutcome> {
    return this.fold({ body: message, ...delivery }).then(recordOutcome);
  }

  /** `record` of each, folded together (one batch): one settled result per record, in order. */
  async recordBatch(records: readonly RecordedEvent[]): Promise<PromiseSettledResult<RecordOutcome>[]> {
    const results = await this.foldBatch(records.map((r) => ({ body: r.message, ...r.delivery })));
    return results.map((r) => (r.status === "fulfilled" ? { status: "fulfilled", value: recordOutcome(r.value) } : r));
  }

  #deps() {
    const deps = { events: this.events, aggregates: this.aggregates };
    return this.#metrics ? { ...deps, metrics: this.#metrics } : deps;
  }

  #options(): FoldOptions {
    return {
      now: this.#clock.now(),
      dedupWindowMs: this.#dedupWindowMs,
      tailorDedupWindowMs: this.#tailorDedupWindowMs,
    };
  }
}
