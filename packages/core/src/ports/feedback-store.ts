/** Relevance feedback records: the tenant's partition, sorted `jobId#<receivedAt>#<id>` (a job's feedback together, in time order). */
export interface FeedbackRecord {
  readonly tenantId: string;
  readonly feedbackKey: string;
  readonly feedbackId: string;
  readonly jobId: string;
  readonly userId: string;
  readonly rating: number;
  readonly helpful?: readonly string[];
  readonly comment?: string;
  readonly receivedAt: string;
  /** TTL (epoch seconds). */
  readonly expiresAt: number;
}

export interface FeedbackPage {
  readonly items: readonly FeedbackRecord[];
  readonly cursor?: string;
}

export interface FeedbackStore {
  /** Writes the record unless one with its key exists (false then). */
  create(record: FeedbackRecord): Promise<boolean>;
  remove(tenantId: string, feedbackKey: string): Promise<void>;
  /** Every feedback record the user gave, expired ones too (a user's deletion): key and time. */
  listForErasure(tenantId: string, userId: string): Promise<Pick<FeedbackRecord, "feedbackKey" | "receivedAt">[]>;
  /** The tenant's feedback received at or after `since` (all when undefined); `cursor` is the store's own. */
  list(tenantId: string, since: string | undefined, limit: number, cursor?: string): Promise<FeedbackPage>;
}
