import { type DynamoDBDocumentClient, GetCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import type { IsoWeek } from "@cvpipe/core/analytics/iso-week";
import type { ClaimOutcome, ClaimRequest, ReportLedger } from "@cvpipe/core/report/ports";
import { tables } from "@cvpipe/core/topology";
import { dependencyFailure, isConditionalCheckFailed } from "../aws-errors.ts";

/**
 * The reports table (`week`): one record per week moving
 * (none | FAILED | CLAIMED with an expired lease) → CLAIMED → SENT | FAILED,
 * each step a conditional UpdateItem, so concurrent reporters agree on one sender.
 */
export class DynamoReportLedger implements ReportLedger {
  readonly #db: DynamoDBDocumentClient;
  readonly #table: string;

  constructor(db: DynamoDBDocumentClient, options: { readonly tableName?: string } = {}) {
    this.#db = db;
    this.#table = options.tableName ?? tables.reports.name;
  }

  async claim(week: IsoWeek, r: ClaimRequest): Promise<ClaimOutcome> {
    // Without force a SENT week is final; with force only a live claim blocks (never two senders at once).
    const condition = r.force
      ? "attribute_not_exists(#week) OR #status <> :claimed OR #lease < :now"
      : "attribute_not_exists(#week) OR #status = :failed OR (#status = :claimed AND #lease < :now)";
    try {
      const out = await this.#db.send(
        new UpdateCommand({
          TableName: this.#table,
          Key: { week },
          UpdateExpression:
            "SET #status = :claimed, #owner = :owner, #lease = :lease, claimedAt = :at, forced = :force ADD attempts :one",
          ConditionExpression: condition,
          ExpressionAttributeNames: {
            "#week": "week",
            "#status": "status",
            "#owner": "owner",
            "#lease": "leaseUntil",
          },
          ExpressionAttributeValues: {
            ":claimed": "CLAIMED",
            ":owner": r.owner,
            ":lease": r.leaseUntil.getTime(),
            ":now": r.now.getTime(),
            ":at": r.now.toISOString(),
            ":force": r.force,
            ":one": 1,
            ...(r.force ? {} : { ":failed": "FAILED" }),
          },
          ReturnValues: "ALL_NEW",
        }),
      );
      return { claimed: true, attempt: Number(out.Attributes?.["attempts"] ?? 1) };
    } catch (error) {
      if (!isConditionalCheckFailed(error)) throw dependencyFailure("DynamoDB UpdateItem (claim report)", error);
    }
    const current = await this.#get(week);
    if (current?.["status"] === "SENT") {
      const messageId = current["messageId"];
      return { claimed: false, status: "SENT", messageId: typeof messageId === "string" ? messageId : undefined };
    }
    return {
      claimed: false,
      status: "CLAIMED",
      owner: String(current?.["owner"] ?? ""),
      leaseUntil: new Date(Number(current?.["leaseUntil"] ?? 0)),
    };
  }

  async markSent(week: IsoWeek, owner: string, messageId: string, at: Date): Promise<boolean> {
    try {
      await this.#db.send(
        new UpdateCommand({
          TableName: this.#table,
          Key: { week },
          UpdateExpression:
            "SET #status = :sent, messageId = :id, sentAt = :at, sends = list_append(if_not_exists(sends, :empty), :send)",
          ConditionExpression: "#status = :claimed AND #owner = :owner",
          ExpressionAttributeNames: { "#status": "status", "#owner": "owner" },
          ExpressionAttributeValues: {
            ":sent": "SENT",
            ":claimed": "CLAIMED",
            ":owner": owner,
            ":id": messageId,
            ":at": at.toISOString(),
            ":empty": [],
            ":send": [{ messageId, sentAt: at.toISOString() }],
          },
        }),
      );
      return true;
    } catch (error) {
      if (isConditionalCheckFailed(error)) return false;
      throw dependencyFailure("DynamoDB UpdateItem (report sent)", error);
    }
  }

  async release(week: IsoWeek, owner: string, reason: string, at: Date): Promise<void> {
    try {
      await this.#db.send(
        new UpdateCommand({
          TableName: this.#table,
          Key: { week },
          UpdateExpression: "SET #status = :failed, lastError = :error, failedAt = :at",
          ConditionExpression: "#status = :claimed AND #owner = :owner",
          ExpressionAttributeNames: { "#status": "status", "#owner": "owner" },
          ExpressionAttributeValues: {
            ":failed": "FAILED",
            ":claimed": "CLAIMED",
            ":owner": owner,
            ":error": reason,
            ":at": at.toISOString(),
          },
        }),
      );
    } catch (error) {
      if (isConditionalCheckFailed(error)) return;
      throw dependencyFailure("DynamoDB UpdateItem (release report)", error);
    }
  }

  /** The raw record, for the CLI and tests. */
  async get(week: IsoWeek): Promise<Record<string, unknown> | undefined> {
    return this.#get(week);
  }

  async #get(week: IsoWeek): Promise<Record<string, unknown> | undefined> {
    try {
      const out = await this.#db.send(new GetCommand({ TableName: this.#table, Key: { week }, ConsistentRead: true }));
      return out.Item;
    } catch (error) {
      throw dependencyFailure("DynamoDB GetItem (report)", error);
    }
  }
}
