/** A record's sort key: `jobId#<receivedAt>#<first 8 of its id>` (a job's feedback together, in time order). */
export const feedbackKeyOf = (jobId: string, receivedAt: string, feedbackId: string): string =>
  `${jobId}#${receivedAt}#${feedbackId.slice(0, 8)}`;
/** Whether a text is a key `feedbackKeyOf` writes (a store's cursor is one). */
export const FEEDBACK_KEY = /^[0-9a-f-]{36}#\d{4}-\d{2}-\d{2}T[\d:.]{8,16}Z#[0-9a-f]{8}$/;

/** Relevance feedback records: the tenant's partition, sorted by `feedbackKeyOf`. */
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
