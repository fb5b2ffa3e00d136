/**
 * In-memory EventStore / AggregateStore / AggregateReader with the same
 * conditional semantics as the DynamoDB adapters, for pure tests — the batch
 * operations of fold-stores.ts included, each one call (one scheduling point
 * for the interleaving tests), each event in it judged on its own condition.
 */

import type {
  AggregateBatchStore,
  AggregateReader,
  AggregateStore,
  ApplyEachResult,
  ApplyOutcome,
  EventBatchStore,
  EventErasureRef,
  EventRef,
  EventStore,
  NewEvent,
  PutOnceOutcome,
  SlotRef,
  StoredEvent,
  UserEventStore,
} from "../../ports/analytics-stores.ts";
import type { Clock } from "../../ports/clock.ts";
import { type AggregateIncrements, type AggregateItem, applyIncrements, fenceAttribute } from "../aggregate.ts";
import type { IsoWeek } from "../iso-week.ts";

/** The clock of a memory store given none: always the same instant. */
const MEMORY_STORE_EPOCH: Clock = { now: () => new Date("2026-01-05T00:00:00Z") };

export class MemoryEventStore implements EventStore, EventBatchStore, UserEventStore {
  readonly items = new Map<string, StoredEvent>();
  readonly #clock: Clock;

  /** `clock` stamps `storedAt`; without one, a fixed instant (no test reads the real clock). */
  constructor(clock: Clock = MEMORY_STORE_EPOCH) {
    this.#clock = clock;
  }

  async listForErasure(groupId: string): Promise<EventErasureRef[]> {
    return [...this.items.values()]
      .filter((e) => e.groupId === groupId)
      .map((e) => ({ tenantId: e.tenantId, eventId: e.eventId, storedAt: e.storedAt, folded: e.folded }));
  }

  async remove(tenantId: string, eventId: string): Promise<void> {
    this.items.delete(`${tenantId}#${eventId}`);
  }

  async removeFolded(tenantId: string, eventId: string): Promise<boolean> {
    const key = `${tenantId}#${eventId}`;
    if (this.items.get(key)?.folded !== true) return false;
    this.items.delete(key);
    return true;
  }

  async putOnce(event: NewEvent): Promise<PutOnceOutcome> {
    return this.#put(event);
  }

  async markFolded(tenantId: string, eventId: string): Promise<void> {
    this.#mark({ tenantId, eventId });
  }

  async get(tenantId: string, eventId: string): Promise<StoredEvent | undefined> {
    return this.items.get(`${tenantId}#${eventId}`);
  }

  async putEach(events: readonly NewEvent[]): Promise<PromiseSettledResult<PutOnceOutcome>[]> {
    return events.map((e) => ({ status: "fulfilled", value: this.#put(e) }));
  }

  async getEach(refs: readonly EventRef[]): Promise<(StoredEvent | undefined)[]> {
    return refs.map((r) => this.items.get(`${r.tenantId}#${r.eventId}`));
  }

  async markFoldedEach(refs: readonly EventRef[]): Promise<void> {
    for (const r of refs) this.#mark(r);
  }

  #put(event: NewEvent): PutOnceOutcome {
    const key = `${event.tenantId}#${event.eventId}`;
    const existing = this.items.get(key);
    if (existing) return { created: false, existing };
    this.items.set(key, { ...event, folded: false, storedAt: this.#clock.now().toISOString() });
    return { created: true };
  }

  #mark(ref: EventRef): void {
    const key = `${ref.tenantId}#${ref.eventId}`;
    const existing = this.items.get(key);
    if (existing) this.items.set(key, { ...existing, folded: true });
  }
}

export class MemoryAggregateStore implements AggregateStore, AggregateBatchStore, AggregateReader {
  readonly items = new Map<string, AggregateItem>();
  readonly pending = new Map<string, Set<string>>();
  /** Fence values by `week|shard|f_NNN`. */
  readonly fenceValues = new Map<string, number>();

  async fence(week: IsoWeek, shard: string, eventKey: string): Promise<number> {
    return this.#fence(week, shard, eventKey);
  }

  async apply(inc: AggregateIncrements, fence: number): Promise<ApplyOutcome> {
    return this.#apply(inc, fence);
  }

  async settle(week: IsoWeek, shard: string, eventKey: string): Promise<void> {
    this.#settle({ week, shard, eventKey });
  }

  async fences(slots: readonly SlotRef[]): Promise<number[]> {
    return slots.map((s) => this.#fence(s.week, s.shard, s.eventKey));
  }

  async applyEach(entries: readonly { inc: AggregateIncrements; fence: number }[]): Promise<ApplyEachResult[]> {
    return entries.map(({ inc, fence }) => this.#apply(inc, fence));
  }

  async settleEach(slots: readonly SlotRef[]): Promise<void> {
    for (const s of slots) this.#settle(s);
  }

  /** Writes whole items (for report tests that fold increments in memory). */
  put(item: AggregateItem): void {
    this.items.set(`${item.week}|${item.shard}`, item);
  }

  async readWeek(week: IsoWeek): Promise<AggregateItem[]> {
    return [...this.items.values()].filter((i) => i.week === week);
  }

  #fence(week: IsoWeek, shard: string, eventKey: string): number {
    return this.fenceValues.get(`${week}|${shard}|${fenceAttribute(eventKey)}`) ?? 0;
  }

  #apply(inc: AggregateIncrements, fence: number): ApplyOutcome {
    const key = `${inc.week}|${inc.shard}`;
    const pending = this.pending.get(key) ?? new Set<string>();
    if (pending.has(inc.eventKey)) return "already-applied";
    if (this.#fence(inc.week, inc.shard, inc.eventKey) !== fence) return "fence-moved";
    this.items.set(key, applyIncrements(this.items.get(key), inc));
    pending.add(inc.eventKey);
    this.pending.set(key, pending);
    return "applied";
  }

  #settle({ week, shard, eventKey }: SlotRef): void {
    if (!this.items.has(`${week}|${shard}`)) return;
    this.pending.get(`${week}|${shard}`)?.delete(eventKey);
    const slot = `${week}|${shard}|${fenceAttribute(eventKey)}`;
    this.fenceValues.set(slot, (this.fenceValues.get(slot) ?? 0) + 1);
  }
}
