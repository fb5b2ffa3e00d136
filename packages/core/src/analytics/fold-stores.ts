/**
 * The batch fold's (fold-event.ts) way to the events and aggregates tables:
 * the batch ports (`EventBatchStore` / `AggregateBatchStore`, in
 * ports/analytics-stores.ts) where a store implements them (DynamoDB:
 * BatchGetItem, BatchWriteItem, one UpdateItem per aggregate item), else
 * {@link eventBatch} / {@link aggregateBatch}, which run the single operations. Either way each event's operation keeps the
 * meaning of its single form — batching changes how many requests carry them,
 * never what is conditional on what (the exactly-once argument is per event).
 */
import type {
  AggregateBatchStore,
  AggregateStore,
  ApplyEachResult,
  EventBatchStore,
  EventStore,
} from "../ports/analytics-stores.ts";

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
