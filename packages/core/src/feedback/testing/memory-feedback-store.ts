/**
 * The feedback store in memory, as DynamoFeedbackStore serves it: paging as DynamoDB does (the filters
 * apply after the page's limit), and an item past its `expiresAt` on the clock it is given not listed.
 */
import { InvalidCursorError } from "../../errors.ts";
import type { Clock } from "../../ports/clock.ts";
import type { FeedbackPage, FeedbackRecord, FeedbackStore } from "../../ports/feedback-store.ts";
import { epochSeconds, expired } from "../../ttl.ts";

export class MemoryFeedbackStore implements FeedbackStore {
  readonly records = new Map<string, FeedbackRecord>();
  readonly #clock: Clock;

  constructor(options: { readonly clock: Clock }) {
    this.#clock = options.clock;
  }

  async create(record: FeedbackRecord): Promise<boolean> {
    const key = `${record.tenantId}\u0000${record.feedbackKey}`;
    if (this.records.has(key)) return false;
    this.records.set(key, record);
    return true;
  }

  async remove(tenantId: string, feedbackKey: string): Promise<void> {
    this.records.delete(`${tenantId}\u0000${feedbackKey}`);
  }

  async listForErasure(tenantId: string, userId: string) {
    return [...this.records.values()]
      .filter((r) => r.tenantId === tenantId && r.userId === userId)
      .map((r) => ({ feedbackKey: r.feedbackKey, receivedAt: r.receivedAt }));
  }

  async list(tenantId: string, since: string | undefined, limit: number, cursor?: string): Promise<FeedbackPage> {
    if (cursor !== undefined && cursor.length === 0) throw new InvalidCursorError();
    const mine = [...this.records.values()]
      .filter((r) => r.tenantId === tenantId)
      .sort((a, b) => (a.feedbackKey < b.feedbackKey ? -1 : 1))
      .filter((r) => cursor === undefined || r.feedbackKey > cursor);
    const page = mine.slice(0, limit);
    const nowSeconds = epochSeconds(this.#clock.now());
    const items = page.filter((r) => (since === undefined || r.receivedAt >= since) && !expired(r, nowSeconds));
    return mine.length > limit ? { items, cursor: page.at(-1)!.feedbackKey } : { items };
  }
}
