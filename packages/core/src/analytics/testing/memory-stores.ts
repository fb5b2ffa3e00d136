/**
 * In-memory EventStore / AggregateStore / AggregateReader with the same
 * conditional semantics as the DynamoDB adapters, for pure tests.
 */
import { type AggregateIncrements, type AggregateItem, applyIncrements, fenceAttribute } from "../aggregate.ts";
import type { IsoWeek } from "../iso-week.ts";
import type {
  AggregateReader,
  AggregateStore,
  ApplyOutcome,
  EventStore,
  PutOnceOutcome,
  StoredEvent,
} from "../ports.ts";

export class MemoryEventStore implements EventStore {
  readonly items = new Map<string, StoredEvent>();

  async putOnce(event: Omit<StoredEvent, "folded" | "storedAt">): Promise<PutOnceOutcome> {
    const key = `${event.tenantId}#${event.eventId}`;
    const existing = this.items.get(key);
    if (existing) return { created: false, existing };
    this.items.set(key, { ...event, folded: false, storedAt: new Date().toISOString() });
    return { created: true };
  }

  async markFolded(tenantId: string, eventId: string): Promise<void> {
    const key = `${tenantId}#${eventId}`;
    const existing = this.items.get(key);
    if (existing) this.items.set(key, { ...existing, folded: true });
  }

  async get(tenantId: string, eventId: string): Promise<StoredEvent | undefined> {
    return this.items.get(`${tenantId}#${eventId}`);
  }
}

export class MemoryAggregateStore implements AggregateStore, AggregateReader {
  readonly items = new Map<string, AggregateItem>();
  readonly pending = new Map<string, Set<string>>();
  readonly fences = new Map<string, number>();

  async fence(week: IsoWeek, shard: string, eventKey: string): Promise<number> {
    return this.fences.get(`${week}|${shard}|${fenceAttribute(eventKey)}`) ?? 0;
  }

  async apply(inc: AggregateIncrements, fence: number): Promise<ApplyOutcome> {
    const key = `${inc.week}|${inc.shard}`;
    const pending = this.pending.get(key) ?? new Set<string>();
    if (pending.has(inc.eventKey)) return "already-applied";
    if ((await this.fence(inc.week, inc.shard, inc.eventKey)) !== fence) return "fence-moved";
    this.items.set(key, applyIncrements(this.items.get(key), inc));
    pending.add(inc.eventKey);
    this.pending.set(key, pending);
    return "applied";
  }

  async settle(week: IsoWeek, shard: string, eventKey: string): Promise<void> {
    if (!this.items.has(`${week}|${shard}`)) return;
    this.pending.get(`${week}|${shard}`)?.delete(eventKey);
    const slot = `${week}|${shard}|${fenceAttribute(eventKey)}`;
    this.fences.set(slot, (this.fences.get(slot) ?? 0) + 1);
  }

  /** Writes whole items (for report tests that fold increments in memory). */
  put(item: AggregateItem): void {
    this.items.set(`${item.week}|${item.shard}`, item);
  }

  async readWeek(week: IsoWeek): Promise<AggregateItem[]> {
    return [...this.items.values()].filter((i) => i.week === week);
  }
}
