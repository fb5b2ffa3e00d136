/**
 * Sends the weekly report exactly once per week, as far as a mail API without
 * idempotency keys allows:
 *
 *   claim (conditional write, lease) → read aggregates → render → SES → SENT + MessageId
 *
 * - A second trigger finds CLAIMED (live lease) or SENT and sends nothing.
 * - A failed send marks the week FAILED, so the next run (EventBridge retry, the
 *   CLI) claims it again; a run that died holding the claim is taken over once
 *   its lease expires (lease > function timeout, so a live sender is never
 *   overtaken).
 * - The one window left is a crash after SES accepted the message and before
 *   SENT was written: the lease then expires and a later run sends again. SES
 *   offers no idempotency token to close it; it is a crash in a window of
 *   milliseconds, and a duplicate report is the safer failure than none.
 * - `force` re-sends a week that was already sent (operator action).
 */
import { mergeAggregates } from "../analytics/aggregate.ts";
import { type IsoWeek, isoWeekOf, parseIsoWeek, previousIsoWeek } from "../analytics/iso-week.ts";
import type { AggregateReader } from "../analytics/ports.ts";
import { CvpipeError, DependencyError, ValidationError } from "../errors.ts";
import type { Mailer, ReportLedger } from "./ports.ts";
import { renderReportHtml } from "./render-html.ts";
import { renderReportText } from "./render-text.ts";
import { buildWeeklyReport, type WeeklyReport } from "./report-model.ts";

export interface SendWeeklyReportPorts {
  readonly aggregates: AggregateReader;
  readonly ledger: ReportLedger;
  readonly mailer: Mailer;
  readonly clock: { now(): Date };
  /** Claim owner ids; default crypto.randomUUID. */
  readonly newOwnerId?: () => string;
}

export interface SendWeeklyReportInput {
  readonly week: IsoWeek;
  readonly recipients: readonly string[];
  readonly sender: string;
  readonly force?: boolean;
  /** How long a claim protects a send in progress. Default 600 s (10 × the reporter's timeout). */
  readonly leaseSeconds?: number;
  readonly topN?: number;
}

export type SendWeeklyReportResult =
  | {
      readonly status: "sent";
      readonly week: IsoWeek;
      readonly messageId: string;
      readonly subject: string;
      /** false when the claim was lost before SENT could be recorded (the email did go out). */
      readonly recorded: boolean;
      readonly attempt: number;
    }
  | {
      readonly status: "skipped";
      readonly week: IsoWeek;
      readonly reason: "already-sent" | "in-progress";
      readonly messageId?: string;
    };

export interface RenderedReport {
  readonly report: WeeklyReport;
  readonly subject: string;
  readonly text: string;
  readonly html: string;
}

/** The week a Monday run reports on: the ISO week before the one containing `now`. */
export const reportWeekFor = (now: Date): IsoWeek => previousIsoWeek(isoWeekOf(now));

/**
 * Builds and renders a week's report (also the CLI's preview). Reads the
 * week's and the previous week's shard items: at most 2 × SHARD_COUNT items.
 */
export async function renderWeeklyReport(
  ports: Pick<SendWeeklyReportPorts, "aggregates" | "clock">,
  week: IsoWeek,
  options: { readonly topN?: number } = {},
): Promise<RenderedReport> {
  parseIsoWeek(week);
  const previous = previousIsoWeek(week);
  const [currentItems, previousItems] = await Promise.all([
    ports.aggregates.readWeek(week),
    ports.aggregates.readWeek(previous),
  ]);
  const report = buildWeeklyReport(mergeAggregates(week, currentItems), mergeAggregates(previous, previousItems), {
    generatedAt: ports.clock.now(),
    ...(options.topN ? { topN: options.topN } : {}),
  });
  return { report, subject: report.subject, text: renderReportText(report), html: renderReportHtml(report) };
}

export async function sendWeeklyReport(
  ports: SendWeeklyReportPorts,
  input: SendWeeklyReportInput,
): Promise<SendWeeklyReportResult> {
  parseIsoWeek(input.week);
  if (input.recipients.length === 0) {
    throw new ValidationError([
      { path: "recipients", rule: "min_items", message: "at least one recipient is required" },
    ]);
  }
  const owner = (ports.newOwnerId ?? (() => crypto.randomUUID()))();
  const now = ports.clock.now();
  const claim = await ports.ledger.claim(input.week, {
    owner,
    now,
    leaseUntil: new Date(now.getTime() + (input.leaseSeconds ?? 600) * 1000),
    force: input.force ?? false,
  });
  if (!claim.claimed) {
    return claim.status === "SENT"
      ? {
          status: "skipped",
          week: input.week,
          reason: "already-sent",
          ...(claim.messageId ? { messageId: claim.messageId } : {}),
        }
      : { status: "skipped", week: input.week, reason: "in-progress" };
  }
  let messageId: string;
  let subject: string;
  try {
    const rendered = await renderWeeklyReport(ports, input.week, input.topN ? { topN: input.topN } : {});
    subject = rendered.subject;
    ({ messageId } = await ports.mailer.send({
      from: input.sender,
      to: input.recipients,
      subject: rendered.subject,
      text: rendered.text,
      html: rendered.html,
    }));
  } catch (error) {
    const reason = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    // Leave the week retryable; if even this write fails, the lease expiry makes it retryable later.
    await ports.ledger.release(input.week, owner, reason.slice(0, 1000), ports.clock.now()).catch(() => undefined);
    throw error instanceof CvpipeError ? error : new DependencyError(`weekly report ${input.week}: ${reason}`, error);
  }
  const recorded = await ports.ledger.markSent(input.week, owner, messageId, ports.clock.now());
  return { status: "sent", week: input.week, messageId, subject, recorded, attempt: claim.attempt };
}
