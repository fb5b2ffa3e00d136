import type { AggregateIncrements, AggregateItem } from "../analytics/aggregate.ts";
import type { IsoWeek } from "../analytics/iso-week.ts";
import type { AnalyticsEventMessage } from "../contracts/analytics-event-message.ts";

/** A raw analytics event as stored (events table, TTL). */
export interface StoredEvent {
  readonly tenantId: string;
  readonly eventId: string;
  /** MessageGroupId of the message that stored it first: the event's owner stream. */
  readonly groupId: string;
  /** That message's SequenceNumber, zero-padded to {@link SEQUENCE_NUMBER_WIDTH} digits. */
  readonly sequenceNumber: string;
  readonly week: IsoWeek;
  readonly shard: string;
  /** true once the event's increments are in its aggregate item. */
  readonly folded: boolean;
  readonly storedAt: string;
  readonly message: AnalyticsEventMessage;
}

export type PutOnceOutcome = { readonly created: true } | { readonly created: false; readonly existing: StoredEvent };

/** The events table. */
export interface EventStore {
  /** Stores the event unless a live (unexpired) copy exists; then returns that copy. */
  putOnce(event: Omit<StoredEvent, "folded" | "storedAt">): Promise<PutOnceOutcome>;
  markFolded(tenantId: string, eventId: string): Promise<void>;
  /** The event, or undefined when absent or expired. */
  get(tenantId: string, eventId: string): Promise<StoredEvent | undefined>;
}

/** A stored raw event as a user's deletion sees it. */
export interface EventErasureRef {
  readonly tenantId: string;
  readonly eventId: string;
  readonly storedAt: string;
  readonly folded: boolean;
}

/** The events table as a user's deletion uses it: the raw events of one owner stream (MessageGroupId). */
export interface UserEventStore {
  /** Every event stored from the group, expired ones too. */
  listForErasure(groupId: string): Promise<EventErasureRef[]>;
  /** Removes the event if it is folded (its count is in the aggregates); false when it is not, or not there. */
  removeFolded(tenantId: string, eventId: string): Promise<boolean>;
  /** Removes the event whatever its state (one no delivery will fold any more). */
  remove(tenantId: string, eventId: string): Promise<void>;
}

/**
 * "already-applied": the item holds the event as pending (an earlier apply went in).
 * "fence-moved": an event of the same fence slot settled since the fence was read; read again.
 */
export type ApplyOutcome = "applied" | "already-applied" | "fence-moved";

/** The weekly aggregates table, write side. */
export interface AggregateStore {
  /** The current value of the event's fence slot in item `(week, shard)`; 0 when absent. */
  fence(week: IsoWeek, shard: string, eventKey: string): Promise<number>;
  /**
   * Adds the increments to item `(inc.week, inc.shard)` and records `inc.eventKey`
   * as pending there, in one conditional write: only if the event is not pending
   * there and its fence slot still holds `fence`.
   */
  apply(inc: AggregateIncrements, fence: number): Promise<ApplyOutcome>;
  /**
   * Forgets the pending marker and advances the event's fence slot, in one write
   * (idempotent in effect). Call only after the raw event is marked folded.
   */
  settle(week: IsoWeek, shard: string, eventKey: string): Promise<void>;
}

/** The weekly aggregates table, read side: at most SHARD_COUNT items per week. */
export interface AggregateReader {
  readWeek(week: IsoWeek): Promise<AggregateItem[]>;
}

/*
 * The batch ports: the operations of EventStore / AggregateStore for many events per call. A store
 * that can do them in fewer round trips implements them; each event's operation keeps the meaning of
 * its single form (analytics/fold-stores.ts runs the single ones for a store without).
 */

export interface EventRef {
  readonly tenantId: string;
  readonly eventId: string;
}

/** An event the fold may store: everything of a stored event but what the store sets. */
export type NewEvent = Omit<StoredEvent, "folded" | "storedAt">;

/** One event's place in its aggregate item: the item `(week, shard)` and the event's key (its fence slot). */
export interface SlotRef {
  readonly week: IsoWeek;
  readonly shard: string;
  readonly eventKey: string;
}

/** `apply` of one event among many: its single outcome, or its failure. */
export type ApplyEachResult = ApplyOutcome | { readonly failed: unknown };

export interface EventBatchStore {
  /** `putOnce` of each event, each conditional on its own: one settled result per event, in order. */
  putEach(events: readonly NewEvent[]): Promise<PromiseSettledResult<PutOnceOutcome>[]>;
  /** `get` of each (strongly consistent): the live copy or undefined, in order. */
  getEach(refs: readonly EventRef[]): Promise<(StoredEvent | undefined)[]>;
  /** `markFolded` of each; resolves once every mark is durable, rejects if any may not be. */
  markFoldedEach(refs: readonly EventRef[]): Promise<void>;
}

export interface AggregateBatchStore {
  /** `fence` of each slot, in order. */
  fences(slots: readonly SlotRef[]): Promise<number[]>;
  /**
   * `apply` of each entry, each conditional on its own event not pending and its own fence slot
   * unchanged; entries of one item may share a write (all-or-nothing per write). In order.
   */
  applyEach(
    entries: readonly { readonly inc: AggregateIncrements; readonly fence: number }[],
  ): Promise<ApplyEachResult[]>;
  /** `settle` of each slot (the events' raw copies must already be marked folded). */
  settleEach(slots: readonly SlotRef[]): Promise<void>;
}
