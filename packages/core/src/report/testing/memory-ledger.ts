import type { IsoWeek } from "../../analytics/iso-week.ts";
import type { Mailer, OutgoingEmail } from "../../ports/mailer.ts";
import type {
  ClaimOutcome,
  ClaimRequest,
  ReportLedger,
  ReportRecord,
  ReportStatus,
} from "../../ports/report-ledger.ts";
import { MailRejectedError } from "../mail-errors.ts";
import type { SentFigures } from "../sent-figures.ts";

interface Entry {
  status: ReportStatus;
  owner: string;
  leaseUntil: Date;
  attempts: number;
  messageId?: string;
  lastError?: string;
  sentFigures?: SentFigures;
  sendingFigures?: SentFigures;
}

/** ReportLedger with the DynamoDB adapter's transitions, for pure tests. */
export class MemoryReportLedger implements ReportLedger {
  readonly entries = new Map<IsoWeek, Entry>();

  async claim(week: IsoWeek, r: ClaimRequest): Promise<ClaimOutcome> {
    const e = this.entries.get(week);
    const held = e?.status === "CLAIMED" || e?.status === "SENDING";
    const leaseLive = held && e.leaseUntil.getTime() >= r.now.getTime();
    const claimable = !e || e.status === "FAILED" || (e.status === "CLAIMED" && !leaseLive) || (r.force && !leaseLive);
    if (e && !claimable) {
      if (e.status === "SENDING" && !leaseLive) {
        // Its run reached SES and never came back: the outcome is unknown.
        e.status = "UNCERTAIN";
        e.lastError = `run ${e.owner} called SES and never recorded the outcome (lease expired)`;
      }
      if (e.status === "SENT") return { claimed: false, status: "SENT", messageId: e.messageId };
      if (e.status === "UNCERTAIN") return { claimed: false, status: "UNCERTAIN", reason: e.lastError };
      return {
        claimed: false,
        status: e.status === "SENDING" ? "SENDING" : "CLAIMED",
        owner: e.owner,
        leaseUntil: e.leaseUntil,
      };
    }
    const attempts = (e?.attempts ?? 0) + 1;
    const { sendingFigures: _, ...kept } = e ?? {};
    this.entries.set(week, { ...kept, status: "CLAIMED", owner: r.owner, leaseUntil: r.leaseUntil, attempts });
    return { claimed: true, attempt: attempts };
  }

  async markSending(week: IsoWeek, owner: string, figures: SentFigures, _at?: Date): Promise<boolean> {
    const e = this.entries.get(week);
    if (e?.status !== "CLAIMED" || e.owner !== owner) return false;
    Object.assign(e, { status: "SENDING", sendingFigures: figures });
    return true;
  }

  async markSent(week: IsoWeek, owner: string, messageId: string, figures: SentFigures, _at?: Date): Promise<boolean> {
    const e = this.entries.get(week);
    if (e?.status === "SENT" && e.messageId === messageId) return true;
    if (e?.status !== "SENDING" || e.owner !== owner) return false;
    Object.assign(e, { status: "SENT", messageId, sentFigures: figures });
    delete e.sendingFigures;
    return true;
  }

  async markUncertain(week: IsoWeek, owner: string, reason: string, _at?: Date): Promise<void> {
    const e = this.entries.get(week);
    if (e?.status === "SENDING" && e.owner === owner) Object.assign(e, { status: "UNCERTAIN", lastError: reason });
  }

  async release(week: IsoWeek, owner: string, reason: string, _at?: Date): Promise<void> {
    const e = this.entries.get(week);
    if (e && (e.status === "CLAIMED" || e.status === "SENDING") && e.owner === owner) {
      Object.assign(e, { status: "FAILED", lastError: reason });
      delete e.sendingFigures;
    }
  }

  async read(week: IsoWeek): Promise<ReportRecord | undefined> {
    const e = this.entries.get(week);
    if (!e) return undefined;
    return {
      week,
      status: e.status,
      attempts: e.attempts,
      owner: e.owner,
      leaseUntil: e.leaseUntil,
      ...(e.messageId ? { messageId: e.messageId } : {}),
      ...(e.lastError ? { lastError: e.lastError } : {}),
      ...(e.sentFigures ? { sentFigures: e.sentFigures } : {}),
      ...(e.sendingFigures ? { sendingFigures: e.sendingFigures } : {}),
    };
  }
}

/** Records what it sends; `failNext` makes the next n sends fail with a definite (retryable) rejection. */
export class MemoryMailer implements Mailer {
  readonly sent: OutgoingEmail[] = [];
  failNext = 0;

  async send(email: OutgoingEmail): Promise<{ messageId: string }> {
    if (this.failNext > 0) {
      this.failNext -= 1;
      throw new MailRejectedError("SES SendEmail rejected: Throttling: Maximum sending rate exceeded.", {
        retryable: true,
      });
    }
    this.sent.push(email);
    return { messageId: `mem-${this.sent.length}` };
  }
}
