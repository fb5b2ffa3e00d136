/**
 * What the batch fold (fold-event.ts) asks of the events and aggregates
 * tables: the port operations of `EventStore` / `AggregateStore`, for many
 * events per call. A store that can do them in fewer round trips (DynamoDB:
 * BatchGetItem, BatchWriteItem, one UpdateItem per aggregate item) implements
 * these; for any other the fold uses {@link eventBatch} / {@link aggregateBatch},
 * which run the single operations. Either way each event's operation keeps the
 * meaning of its single form — batching changes how many requests carry them,
 * never what is conditional on what (the exactly-once argument is per event).
 */
import type {
  AggregateStore,
  ApplyOutcome,
  EventStore,
  PutOnceOutcome,
  StoredEvent,
} from "../ports/analytics-stores.ts";
import type { AggregateIncrements } from "./aggregate.ts";
import type { IsoWeek } from "./iso-week.ts";

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

const hasEventBatch = (store: EventStore): store is EventStore & EventBatchStore =>
  typeof (store as Partial<EventBatchStore>).putEach === "function" &&
  typeof (store as Partial<EventBatchStore>).getEach === "function" &&
  typeof (store as Partial<EventBatchStore>).markFoldedEach === "function";

const hasAggregateBatch = (store: AggregateStore): store is AggregateStore & AggregateBatchStore =>
  typeof (store as Partial<AggregateBatchStore>).fences === "function" &&
  typeof (store as Partial<AggregateBatchStore>).applyEach === "function" &&
  typeof (store as Partial<AggregateBatchStore>).settleEach === "function";

/** The store's own batch operations, or its single ones run side by side. */
export const eventBatch = (store: EventStore): EventBatchStore =>
  hasEventBatch(store)
    ? store
    : {
        putEach: (events) => Promise.allSettled(events.map((e) => store.putOnce(e))),
        getEach: (refs) => Promise.all(refs.map((r) => store.get(r.tenantId, r.eventId))),
        markFoldedEach: async (refs) => {
          await Promise.all(refs.map((r) => store.markFolded(r.tenantId, r.eventId)));
        },
      };

/** The store's own batch operations, or its single ones run side by side. */
export const aggregateBatch = (store: AggregateStore): AggregateBatchStore =>
  hasAggregateBatch(store)
    ? store
    : {
        fences: (slots) => Promise.all(slots.map((s) => store.fence(s.week, s.shard, s.eventKey))),
        applyEach: (entries) =>
          Promise.all(
            entries.map(async ({ inc, fence }): Promise<ApplyEachResult> => {
              try {
                return await store.apply(inc, fence);
              } catch (failed) {
                return { failed };
              }
            }),
          ),
        settleEach: async (slots) => {
          await Promise.all(slots.map((s) => store.settle(s.week, s.shard, s.eventKey)));
        },
      };
