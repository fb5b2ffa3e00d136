/** The feedback store in memory, paging as DynamoDB does (the filter applies after the page's limit). */
import { InvalidCursorError } from "../../errors.ts";
import type { FeedbackPage, FeedbackRecord, FeedbackStore } from "../../ports/feedback-store.ts";

export class MemoryFeedbackStore implements FeedbackStore {
  readonly records = new Map<string, FeedbackRecord>();

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
    const items = page.filter((r) => since === undefined || r.receivedAt >= since);
    return mine.length > limit ? { items, cursor: page.at(-1)!.feedbackKey } : { items };
  }
}
