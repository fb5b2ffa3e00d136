import { type DynamoDBDocumentClient, GetCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import type { IsoWeek } from "@cvpipe/core/analytics/iso-week";
import type {
  ClaimOutcome,
  ClaimRequest,
  ReportLedger,
  ReportRecord,
  ReportStatus,
} from "@cvpipe/core/ports/report-ledger";
import { parseSentFigures, type SentFigures } from "@cvpipe/core/report/sent-figures";
import { conditionalWrite, dependencyFailure, isConditionalCheckFailed } from "../aws-errors.ts";

const STATUSES: readonly ReportStatus[] = ["CLAIMED", "SENDING", "SENT", "FAILED", "UNCERTAIN"];

/**
 * The reports table (`week`): one record per week moving through the states
 * of send-weekly-report.ts — (none | FAILED | CLAIMED expired) → CLAIMED →
 * SENDING → SENT | FAILED | UNCERTAIN — each step a conditional UpdateItem, so
 * concurrent reporters agree on one sender and a run that lost its claim
 * cannot move the week.
 *
 * Attributes: status, owner, leaseUntil (epoch ms), attempts, claimedAt,
 * forced, sendingAt, sendingFigures (while SENDING/UNCERTAIN), messageId,
 * sentAt, sentFigures, sends (history of MessageIds), lastError, failedAt,
 * uncertainAt.
 */
export class DynamoReportLedger implements ReportLedger {
  readonly #db: DynamoDBDocumentClient;
  readonly #table: string;

  /** `tableName`: the reports table's physical name (the function's configuration). */
  constructor(db: DynamoDBDocumentClient, options: { readonly tableName: string }) {
    this.#db = db;
    this.#table = options.tableName;
  }

  async claim(week: IsoWeek, request: ClaimRequest): Promise<ClaimOutcome> {
    // Without force only a week where no SES call can have succeeded is taken. With force anything
    // but a live claim (never two senders at once).
    const condition = request.force
      ? "attribute_not_exists(#week) OR (#status <> :claimed AND #status <> :sending) OR #lease < :now"
      : "attribute_not_exists(#week) OR #status = :failed OR (#status = :claimed AND #lease < :now)";
    try {
      const out = await this.#db.send(
        new UpdateCommand({
          TableName: this.#table,
          Key: { week },
          UpdateExpression:
            "SET #status = :claimed, #owner = :owner, #lease = :lease, claimedAt = :at, forced = :force ADD attempts :one REMOVE sendingFigures, sendingAt",
          ConditionExpression: condition,
          ExpressionAttributeNames: {
            "#week": "week",
            "#status": "status",
            "#owner": "owner",
            "#lease": "leaseUntil",
          },
          ExpressionAttributeValues: {
            ":claimed": "CLAIMED",
            ":owner": request.owner,
            ":lease": request.leaseUntil.getTime(),
            ":now": request.now.getTime(),
            ":at": request.now.toISOString(),
            ":force": request.force,
            ":one": 1,
            ...(request.force ? { ":sending": "SENDING" } : { ":failed": "FAILED" }),
          },
          ReturnValues: "ALL_NEW",
        }),
      );
      return { claimed: true, attempt: Number(out.Attributes?.["attempts"] ?? 1) };
    } catch (error) {
      if (!isConditionalCheckFailed(error)) throw dependencyFailure("DynamoDB UpdateItem (claim report)", error);
    }
    const current = await this.read(week);
    if (current?.status === "SENDING" && current.leaseUntil && current.leaseUntil.getTime() < request.now.getTime()) {
      // Its run reached SES and never came back (died in the call, or SENT never landed): unknown outcome.
      const reason = `run ${current.owner ?? "?"} called SES at ${current.sendingAt ?? "?"} and never recorded the outcome (lease expired ${current.leaseUntil.toISOString()})`;
      if (await this.#toUncertain(week, current.owner ?? "", reason, request.now, request.now)) {
        return { claimed: false, status: "UNCERTAIN", reason };
      }
      return outcomeOf(await this.read(week));
    }
    return outcomeOf(current);
  }

  async markSending(week: IsoWeek, owner: string, figures: SentFigures, at: Date): Promise<boolean> {
    return this.#transition(
      "DynamoDB UpdateItem (report sending)",
      week,
      owner,
      ["CLAIMED"],
      "SET #status = :to, sendingAt = :at, sendingFigures = :figures",
      { ":to": "SENDING", ":at": at.toISOString(), ":figures": figures },
    );
  }

  async markSent(week: IsoWeek, owner: string, messageId: string, figures: SentFigures, at: Date): Promise<boolean> {
    const moved = await this.#transition(
      "DynamoDB UpdateItem (report sent)",
      week,
      owner,
      ["SENDING"],
      "SET #status = :to, messageId = :id, sentAt = :at, sentFigures = :figures, sends = list_append(if_not_exists(sends, :empty), :send) REMOVE sendingFigures",
      {
        ":to": "SENT",
        ":id": messageId,
        ":at": at.toISOString(),
        ":figures": figures,
        ":empty": [],
        ":send": [{ messageId, sentAt: at.toISOString() }],
      },
    );
    if (moved) return true;
    // A retried write whose first attempt landed (its response was lost) finds its own SENT.
    const current = await this.read(week);
    return current?.status === "SENT" && current.messageId === messageId;
  }

  async markUncertain(week: IsoWeek, owner: string, reason: string, at: Date): Promise<void> {
    await this.#toUncertain(week, owner, reason, at);
  }

  async release(week: IsoWeek, owner: string, reason: string, at: Date): Promise<void> {
    await this.#transition(
      "DynamoDB UpdateItem (release report)",
      week,
      owner,
      ["CLAIMED", "SENDING"],
      "SET #status = :to, lastError = :error, failedAt = :at REMOVE sendingFigures",
      { ":to": "FAILED", ":error": reason, ":at": at.toISOString() },
    );
  }

  async read(week: IsoWeek): Promise<ReportRecord | undefined> {
    const raw = await this.get(week);
    return raw ? toRecord(week, raw) : undefined;
  }

  /** The raw record, for the CLI and tests. */
  async get(week: IsoWeek): Promise<Record<string, unknown> | undefined> {
    try {
      const out = await this.#db.send(new GetCommand({ TableName: this.#table, Key: { week }, ConsistentRead: true }));
      return out.Item;
    } catch (error) {
      throw dependencyFailure("DynamoDB GetItem (report)", error);
    }
  }

  /**
   * One step of `owner`'s claim: from one of `from` to what `update` sets. false when the claim was lost.
   * With `leaseExpiredBy`, only a claim whose lease ran out before that time moves.
   */
  async #transition(
    operation: string,
    week: IsoWeek,
    owner: string,
    from: readonly ReportStatus[],
    update: string,
    values: Record<string, unknown>,
    leaseExpiredBy?: Date,
  ): Promise<boolean> {
    const fromValues = Object.fromEntries(from.map((s, i) => [`:from${i}`, s]));
    return conditionalWrite(
      () =>
        this.#db.send(
          new UpdateCommand({
            TableName: this.#table,
            Key: { week },
            UpdateExpression: update,
            ConditionExpression: `(${Object.keys(fromValues)
              .map((v) => `#status = ${v}`)
              .join(" OR ")}) AND #owner = :owner${leaseExpiredBy ? " AND #lease < :now" : ""}`,
            ExpressionAttributeNames: {
              "#status": "status",
              "#owner": "owner",
              ...(leaseExpiredBy ? { "#lease": "leaseUntil" } : {}),
            },
            ExpressionAttributeValues: {
              ...values,
              ...fromValues,
              ":owner": owner,
              ...(leaseExpiredBy ? { ":now": leaseExpiredBy.getTime() } : {}),
            },
          }),
        ),
      operation,
    );
  }

  /**
   * SENDING by `owner` → UNCERTAIN (markUncertain); with `leaseExpiredBy`, only when its lease ran out
   * before then (a run that died in the SES call). false when the record moved meanwhile.
   */
  async #toUncertain(week: IsoWeek, owner: string, reason: string, at: Date, leaseExpiredBy?: Date): Promise<boolean> {
    return this.#transition(
      "DynamoDB UpdateItem (report uncertain)",
      week,
      owner,
      ["SENDING"],
      "SET #status = :to, lastError = :error, uncertainAt = :at",
      { ":to": "UNCERTAIN", ":error": reason, ":at": at.toISOString() },
      leaseExpiredBy,
    );
  }
}

/** Why a claim was refused, from the record that refused it. */
const outcomeOf = (current: ReportRecord | undefined): ClaimOutcome => {
  if (current?.status === "SENT") return { claimed: false, status: "SENT", messageId: current.messageId };
  if (current?.status === "UNCERTAIN") return { claimed: false, status: "UNCERTAIN", reason: current.lastError };
  // A live claim (or a record that moved between the write and this read): someone else is on it.
  return {
    claimed: false,
    status: current?.status === "SENDING" ? "SENDING" : "CLAIMED",
    owner: current?.owner ?? "",
    leaseUntil: current?.leaseUntil ?? new Date(0),
  };
};

const str = (v: unknown): string | undefined => (typeof v === "string" ? v : undefined);

const toRecord = (week: IsoWeek, raw: Record<string, unknown>): ReportRecord => {
  // A status this code does not know is shown as needing a person, never as sendable.
  const status = STATUSES.find((s) => s === raw["status"]) ?? "UNCERTAIN";
  const owner = str(raw["owner"]);
  const messageId = str(raw["messageId"]);
  const sentAt = str(raw["sentAt"]);
  const sendingAt = str(raw["sendingAt"]);
  const lastError = str(raw["lastError"]);
  const sentFigures = parseSentFigures(raw["sentFigures"]);
  const sendingFigures = parseSentFigures(raw["sendingFigures"]);
  return {
    week,
    status,
    attempts: Number(raw["attempts"] ?? 0),
    ...(owner ? { owner } : {}),
    ...(typeof raw["leaseUntil"] === "number" ? { leaseUntil: new Date(raw["leaseUntil"]) } : {}),
    ...(messageId ? { messageId } : {}),
    ...(sentAt ? { sentAt } : {}),
    ...(sendingAt ? { sendingAt } : {}),
    ...(lastError ? { lastError } : {}),
    ...(sentFigures ? { sentFigures } : {}),
    ...(sendingFigures ? { sendingFigures } : {}),
  };
};
