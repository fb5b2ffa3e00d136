/**
 * Sends the weekly report once per week, as far as a mail API without
 * idempotency keys allows — and never a second time automatically.
 *
 * ## State machine (the week's record in the reports table; every arrow is a conditional write)
 *
 *   from              what happens                                        to
 *   ----------------  --------------------------------------------------  ---------
 *   (none), FAILED    claim                                               CLAIMED
 *   CLAIMED, expired  claim (its run died before calling SES)             CLAIMED
 *   CLAIMED           render or the SENDING write failed → release        FAILED
 *   CLAIMED           markSending (figures about to be sent), then SES    SENDING
 *   SENDING           SES accepted → markSent, retried within the run     SENT
 *   SENDING           SES rejected the message (definite 4xx) → release   FAILED
 *   SENDING           SES outcome unknown (timeout, reset, 5xx) →         UNCERTAIN
 *                     markUncertain
 *   SENDING, expired  claim: its run reached SES and never recorded the   UNCERTAIN
 *                     outcome (died in the call, or markSent never landed)
 *   SENT, UNCERTAIN,  claim with force (operator: `report send --force`)  CLAIMED
 *   SENDING expired
 *
 * CLAIMED and SENDING are held under a lease (> the function's timeout, so a
 * live run is never overtaken); SENT, FAILED and UNCERTAIN are at rest.
 *
 * Why no automatic run sends twice: a run calls SES only after its own
 * SENDING write is durable, and that write is conditional on still owning the
 * claim — a run whose lease was taken over cannot send. An automatic claim
 * takes only a week where no SES call can have succeeded: never claimed,
 * CLAIMED (SENDING comes before SES), or FAILED (reached only before SES or
 * through a definite rejection). Everything else where SES was called —
 * unknown outcome, a run that died in the call, a SENT write that never
 * landed — ends UNCERTAIN, which only `force` overrides; the reporter reports
 * it (log line and metric, see reporter.ts) instead of throwing into retries.
 * The price: an ambiguous outcome needs an operator, where a second email
 * would have been sent before. When a write fails on the way (markUncertain,
 * release after a rejection), the week stays SENDING and becomes UNCERTAIN
 * when its lease expires: a false alarm, never a duplicate.
 *
 * `force` re-sends a week that was already sent (a deliberate second email).
 */
import { mergeAggregates, type WeeklyAggregate } from "../analytics/aggregate.ts";
import { type IsoWeek, isoWeekOf, parseIsoWeek, previousIsoWeek } from "../analytics/iso-week.ts";
import { CvpipeError, DependencyError, ValidationError } from "../errors.ts";
import type { AggregateReader } from "../ports/analytics-stores.ts";
import type { Mailer } from "../ports/mailer.ts";
import type { ClaimOutcome, ReportLedger } from "../ports/report-ledger.ts";
import type { Timer } from "../ports/timer.ts";
import { MailRejectedError } from "./mail-errors.ts";
import { renderReportHtml } from "./render-html.ts";
import { renderReportText } from "./render-text.ts";
import { buildWeeklyReport, type WeeklyReport } from "./report-model.ts";
import {
  figuresOf,
  figuresShown,
  type LateArrival,
  lastShownTotals,
  lateArrivals,
  lookbackWeeks,
  type SentFigures,
} from "./sent-figures.ts";

export interface SendWeeklyReportDeps {
  readonly aggregates: AggregateReader;
  readonly ledger: ReportLedger;
  readonly mailer: Mailer;
  readonly clock: { now(): Date };
  /** Claim owner ids; default crypto.randomUUID. */
  readonly newOwnerId?: () => string;
  /** Waits between markSent attempts: real time (the composition root's `realTimer`); tests pass one that returns at once. */
  readonly sleep: Timer["sleep"];
}

export interface SendWeeklyReportInput {
  readonly week: IsoWeek;
  readonly recipients: readonly string[];
  readonly sender: string;
  readonly force?: boolean;
  /** How long a claim protects a send in progress. Default 600 s; the reporter passes 2 × its timeout. */
  readonly leaseSeconds?: number;
  readonly topN?: number;
}

export type SendWeeklyReportResult =
  | {
      readonly status: "sent";
      readonly week: IsoWeek;
      readonly messageId: string;
      readonly subject: string;
      /** false when SENT could not be recorded (the email did go out; the week will read UNCERTAIN). */
      readonly recorded: boolean;
      readonly attempt: number;
      readonly lateArrivals: readonly LateArrival[];
    }
  | {
      /** This run called SES and cannot tell whether the email went out. The week is UNCERTAIN. */
      readonly status: "uncertain";
      readonly week: IsoWeek;
      readonly subject: string;
      readonly reason: string;
      /** false when even UNCERTAIN could not be written (the week reads UNCERTAIN once the lease expires). */
      readonly recorded: boolean;
    }
  | {
      readonly status: "skipped";
      readonly week: IsoWeek;
      /** uncertain: an earlier run's outcome is unknown; only force sends the week again. */
      readonly reason: "already-sent" | "in-progress" | "uncertain";
      readonly messageId?: string;
      readonly detail?: string;
    };

/** A run whose week now needs a person: the email may be out without a record, or may be missing. */
export const needsOperator = (result: SendWeeklyReportResult): boolean =>
  result.status === "uncertain" ||
  (result.status === "skipped" && result.reason === "uncertain") ||
  (result.status === "sent" && !result.recorded);

export interface RenderedReport {
  readonly report: WeeklyReport;
  readonly subject: string;
  readonly text: string;
  readonly html: string;
  /** What the ledger records as sent, for the next week's comparison. */
  readonly figures: SentFigures;
}

/** markSent attempts within one run, and the first backoff (doubling): 5 attempts, ≈ 3 s in all. */
export const MARK_SENT_ATTEMPTS = 5;
const MARK_SENT_BACKOFF_MS = 200;

/** The week a Monday run reports on: the ISO week before the one containing `now`. */
export const reportWeekFor = (now: Date): IsoWeek => previousIsoWeek(isoWeekOf(now));

/**
 * Builds and renders a week's report (also the CLI's preview). Reads the
 * week's and the previous week's shard items, and — with a ledger — the
 * records of the {@link lookbackWeeks} and the shard items of those that were
 * sent: at most 4 ledger items and 5 × SHARD_COUNT aggregate items, whatever
 * the volume. Without a ledger nothing was sent as far as it knows: deltas
 * use the previous week's totals now and there are no late arrivals.
 */
export async function renderWeeklyReport(
  deps: Pick<SendWeeklyReportDeps, "aggregates" | "clock"> & { readonly ledger?: Pick<ReportLedger, "read"> },
  week: IsoWeek,
  options: { readonly topN?: number } = {},
): Promise<RenderedReport> {
  parseIsoWeek(week);
  const previous = previousIsoWeek(week);
  const lookback = lookbackWeeks(week);
  const { ledger } = deps;
  const records = ledger ? await Promise.all(lookback.map((w) => ledger.read(w))) : [];
  const shown = new Map(lookback.map((w, i) => [w, figuresShown(records[i])] as const));
  const lastShown = lastShownTotals(shown);
  // This week, last week, and the earlier weeks an email showed (to see what arrived for them since).
  const weeks = [week, ...lookback.filter((w) => w === previous || lastShown.has(w))];
  const merged = new Map<IsoWeek, WeeklyAggregate>(
    await Promise.all(weeks.map(async (w) => [w, mergeAggregates(w, await deps.aggregates.readWeek(w))] as const)),
  );
  const totalsNow = new Map([...lastShown.keys()].map((w) => [w, merged.get(w)?.events ?? 0] as const));
  const previousShown = shown.get(previous);
  const report = buildWeeklyReport(merged.get(week)!, merged.get(previous)!, {
    generatedAt: deps.clock.now(),
    ...(options.topN ? { topN: options.topN } : {}),
    ...(previousShown ? { previousShown } : {}),
    lateArrivals: lateArrivals(lastShown, totalsNow),
  });
  return {
    report,
    subject: report.subject,
    text: renderReportText(report),
    html: renderReportHtml(report),
    figures: figuresOf(report, Object.fromEntries(totalsNow)),
  };
}

const describe = (error: unknown): string =>
  (error instanceof Error ? `${error.name}: ${error.message}` : String(error)).slice(0, 1000);

const skipped = (week: IsoWeek, claim: Exclude<ClaimOutcome, { claimed: true }>): SendWeeklyReportResult => {
  switch (claim.status) {
    case "SENT":
      return {
        status: "skipped",
        week,
        reason: "already-sent",
        ...(claim.messageId ? { messageId: claim.messageId } : {}),
      };
    case "UNCERTAIN":
      return { status: "skipped", week, reason: "uncertain", ...(claim.reason ? { detail: claim.reason } : {}) };
    default:
      return { status: "skipped", week, reason: "in-progress" };
  }
};

export async function sendWeeklyReport(
  deps: SendWeeklyReportDeps,
  input: SendWeeklyReportInput,
): Promise<SendWeeklyReportResult> {
  parseIsoWeek(input.week);
  if (input.recipients.length === 0) {
    throw new ValidationError([
      { path: "recipients", rule: "min_items", message: "at least one recipient is required" },
    ]);
  }
  const { ledger, clock } = deps;
  const week = input.week;
  const owner = (deps.newOwnerId ?? (() => crypto.randomUUID()))();
  const now = clock.now();
  const claim = await ledger.claim(week, {
    owner,
    now,
    leaseUntil: new Date(now.getTime() + (input.leaseSeconds ?? 600) * 1000),
    force: input.force ?? false,
  });
  if (!claim.claimed) return skipped(week, claim);

  // CLAIMED: nothing has gone out, so any failure here leaves the week FAILED (retryable).
  let rendered: RenderedReport;
  try {
    rendered = await renderWeeklyReport(deps, week, input.topN ? { topN: input.topN } : {});
    // Durable before SES is called: from here on a dead run reads as UNCERTAIN, never as unsent.
    if (!(await ledger.markSending(week, owner, rendered.figures, clock.now()))) {
      // The lease ran out under this run and another took the week over: it is theirs to send.
      return { status: "skipped", week, reason: "in-progress" };
    }
  } catch (error) {
    // If even this write fails, the lease expiry makes the week claimable again (it never reached SENDING).
    await ledger.release(week, owner, describe(error), clock.now()).catch(() => undefined);
    throw error instanceof CvpipeError
      ? error
      : new DependencyError(`weekly report ${week}: ${describe(error)}`, error);
  }

  let messageId: string;
  try {
    ({ messageId } = await deps.mailer.send({
      from: input.sender,
      to: input.recipients,
      subject: rendered.subject,
      text: rendered.text,
      html: rendered.html,
    }));
  } catch (error) {
    const reason = describe(error);
    if (error instanceof MailRejectedError) {
      // SES said no: nothing went out, a later run may try again (Lambda's retry, the CLI).
      await ledger.release(week, owner, reason, clock.now()).catch(() => undefined);
      throw error;
    }
    // SES may have accepted it. Trying again could send a second email; only an operator decides.
    const recorded = await ledger.markUncertain(week, owner, reason, clock.now()).then(
      () => true,
      () => false,
    );
    return { status: "uncertain", week, subject: rendered.subject, reason, recorded };
  }

  // The email is out: never throw from here, or the retry would look at a week it cannot judge.
  const recorded = await recordSent(deps, week, owner, messageId, rendered.figures);
  return {
    status: "sent",
    week,
    messageId,
    subject: rendered.subject,
    recorded,
    attempt: claim.attempt,
    lateArrivals: rendered.report.lateArrivals,
  };
}

/** markSent with bounded retries; false when it never landed (the week then reads UNCERTAIN after its lease). */
async function recordSent(
  deps: SendWeeklyReportDeps,
  week: IsoWeek,
  owner: string,
  messageId: string,
  figures: SentFigures,
): Promise<boolean> {
  const sleep = deps.sleep;
  for (let attempt = 1; ; attempt++) {
    try {
      return await deps.ledger.markSent(week, owner, messageId, figures, deps.clock.now());
    } catch {
      if (attempt >= MARK_SENT_ATTEMPTS) return false;
      await sleep(MARK_SENT_BACKOFF_MS * 2 ** (attempt - 1));
    }
  }
}
