import type { IsoWeek } from "../../analytics/iso-week.ts";
import type { ClaimOutcome, ClaimRequest, Mailer, OutgoingEmail, ReportLedger, ReportStatus } from "../ports.ts";

interface Entry {
  status: ReportStatus;
  owner: string;
  leaseUntil: Date;
  attempts: number;
  messageId?: string;
}

/** ReportLedger with the DynamoDB adapter's transitions, for pure tests. */
export class MemoryReportLedger implements ReportLedger {
  readonly entries = new Map<IsoWeek, Entry>();

  async claim(week: IsoWeek, r: ClaimRequest): Promise<ClaimOutcome> {
    const e = this.entries.get(week);
    const leaseLive = e?.status === "CLAIMED" && e.leaseUntil.getTime() >= r.now.getTime();
    if (e && (leaseLive || (e.status === "SENT" && !r.force))) {
      return e.status === "SENT"
        ? { claimed: false, status: "SENT", messageId: e.messageId }
        : { claimed: false, status: "CLAIMED", owner: e.owner, leaseUntil: e.leaseUntil };
    }
    const attempts = (e?.attempts ?? 0) + 1;
    this.entries.set(week, {
      status: "CLAIMED",
      owner: r.owner,
      leaseUntil: r.leaseUntil,
      attempts,
      ...(e?.messageId ? { messageId: e.messageId } : {}),
    });
    return { claimed: true, attempt: attempts };
  }

  async markSent(week: IsoWeek, owner: string, messageId: string): Promise<boolean> {
    const e = this.entries.get(week);
    if (e?.status !== "CLAIMED" || e.owner !== owner) return false;
    Object.assign(e, { status: "SENT", messageId });
    return true;
  }

  async release(week: IsoWeek, owner: string): Promise<void> {
    const e = this.entries.get(week);
    if (e && e.status === "CLAIMED" && e.owner === owner) e.status = "FAILED";
  }
}

/** Records what it sends; `failNext` makes the next n sends throw. */
export class MemoryMailer implements Mailer {
  readonly sent: OutgoingEmail[] = [];
  failNext = 0;

  async send(email: OutgoingEmail): Promise<{ messageId: string }> {
    if (this.failNext > 0) {
      this.failNext -= 1;
      throw new Error("Throttling: Maximum sending rate exceeded.");
    }
    this.sent.push(email);
    return { messageId: `mem-${this.sent.length}` };
  }
}
