import type { IsoWeek } from "../analytics/iso-week.ts";
import type { SentFigures } from "../report/sent-figures.ts";

/**
 * A week's place in the send protocol (see send-weekly-report.ts):
 * CLAIMED: a run holds the week and has not called SES yet.
 * SENDING: that run is calling SES (or died while it did).
 * SENT:    SES accepted the email and its MessageId is recorded.
 * FAILED:  nothing went out (a render error, a definite SES rejection): a later run may send.
 * UNCERTAIN: SES may have accepted the email and nobody knows: only a forced send overrides it.
 */
export type ReportStatus = "CLAIMED" | "SENDING" | "SENT" | "FAILED" | "UNCERTAIN";

export type ClaimOutcome =
  | { readonly claimed: true; readonly attempt: number }
  | { readonly claimed: false; readonly status: "SENT"; readonly messageId: string | undefined }
  | {
      readonly claimed: false;
      readonly status: "CLAIMED" | "SENDING";
      readonly owner: string;
      readonly leaseUntil: Date;
    }
  | { readonly claimed: false; readonly status: "UNCERTAIN"; readonly reason: string | undefined };

export interface ClaimRequest {
  /** Unique per sending attempt. */
  readonly owner: string;
  readonly now: Date;
  /** After this instant another run may take the claim over (the holder is presumed dead). */
  readonly leaseUntil: Date;
  /** Take the week even when it was already sent or is UNCERTAIN (never while another live claim holds it). */
  readonly force: boolean;
}

/** One week's record in the reports table, as the reporter and the CLI read it. */
export interface ReportRecord {
  readonly week: IsoWeek;
  readonly status: ReportStatus;
  /** Claims taken so far (each run that got past `claim`). */
  readonly attempts: number;
  readonly owner?: string;
  readonly leaseUntil?: Date;
  /** SES MessageId of the last send that was recorded. */
  readonly messageId?: string;
  readonly sentAt?: string;
  /** When the current owner started the SES call. */
  readonly sendingAt?: string;
  /** Why the week is FAILED or UNCERTAIN. */
  readonly lastError?: string;
  /** Figures of the last email known to have gone out. */
  readonly sentFigures?: SentFigures;
  /** Figures of the email being sent (SENDING) or of unknown fate (UNCERTAIN). */
  readonly sendingFigures?: SentFigures;
}

/** The reports table: one record per week, every transition a conditional write. */
export interface ReportLedger {
  /**
   * Unclaimed, FAILED, or CLAIMED with an expired lease → CLAIMED by `owner`;
   * with `force` also SENT, UNCERTAIN and SENDING with an expired lease.
   * A SENDING whose lease expired is UNCERTAIN (its run reached SES and died):
   * without force the claim records that and refuses.
   */
  claim(week: IsoWeek, request: ClaimRequest): Promise<ClaimOutcome>;
  /** CLAIMED by `owner` → SENDING, keeping the figures about to be sent. false when the claim was lost. */
  markSending(week: IsoWeek, owner: string, figures: SentFigures, at: Date): Promise<boolean>;
  /**
   * SENDING by `owner` → SENT with the SES MessageId and the figures sent. Idempotent: true also when
   * the week is already SENT with this MessageId (a retried write whose first response was lost).
   * false when the claim was lost meanwhile.
   */
  markSent(week: IsoWeek, owner: string, messageId: string, figures: SentFigures, at: Date): Promise<boolean>;
  /** SENDING by `owner` → UNCERTAIN. No-op when the claim was lost. */
  markUncertain(week: IsoWeek, owner: string, reason: string, at: Date): Promise<void>;
  /** CLAIMED or SENDING by `owner` → FAILED (nothing went out; retryable by a later run). No-op when the claim was lost. */
  release(week: IsoWeek, owner: string, reason: string, at: Date): Promise<void>;
  /** The week's record, or undefined when the week was never claimed. */
  read(week: IsoWeek): Promise<ReportRecord | undefined>;
}
