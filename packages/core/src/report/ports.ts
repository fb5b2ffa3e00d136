import type { IsoWeek } from "../analytics/iso-week.ts";

export type ReportStatus = "CLAIMED" | "SENT" | "FAILED";

export type ClaimOutcome =
  | { readonly claimed: true; readonly attempt: number }
  | { readonly claimed: false; readonly status: "SENT"; readonly messageId: string | undefined }
  | { readonly claimed: false; readonly status: "CLAIMED"; readonly owner: string; readonly leaseUntil: Date };

export interface ClaimRequest {
  /** Unique per sending attempt. */
  readonly owner: string;
  readonly now: Date;
  /** After this instant another run may take the claim over (the holder is presumed dead). */
  readonly leaseUntil: Date;
  /** Take the week even when it was already sent (never while another live claim holds it). */
  readonly force: boolean;
}

/** The reports table: one record per week, every transition a conditional write. */
export interface ReportLedger {
  /** Unclaimed, FAILED, or CLAIMED with an expired lease → CLAIMED by `owner`. */
  claim(week: IsoWeek, request: ClaimRequest): Promise<ClaimOutcome>;
  /** CLAIMED by `owner` → SENT with the SES MessageId. false when the claim was lost meanwhile. */
  markSent(week: IsoWeek, owner: string, messageId: string, at: Date): Promise<boolean>;
  /** CLAIMED by `owner` → FAILED (retryable by a later run). No-op when the claim was lost. */
  release(week: IsoWeek, owner: string, error: string, at: Date): Promise<void>;
}

export interface OutgoingEmail {
  readonly from: string;
  readonly to: readonly string[];
  readonly subject: string;
  readonly text: string;
  readonly html: string;
}

export interface Mailer {
  /** Resolves with the provider's message id once the provider accepted the message. */
  send(email: OutgoingEmail): Promise<{ readonly messageId: string }>;
}
