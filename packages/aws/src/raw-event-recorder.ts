import { type DynamoDBDocumentClient, PutCommand } from "@aws-sdk/lib-dynamodb";
import type { AnalyticsEventMessage } from "@cvpipe/core/contracts/messages";
import { dependencyFailure, isConditionalCheckFailed } from "./aws-errors.ts";

/**
 * FOUNDATION STAND-IN until the analytics issue lands its stores: stores the
 * raw event once (conditional put keyed by tenant + event id) and does not
 * fold aggregates yet.
 */
export class RawEventRecorder {
  readonly #db: DynamoDBDocumentClient;
  readonly #table: string;
  readonly #ttlDays: number;

  constructor(db: DynamoDBDocumentClient, table: string, ttlDays: number) {
    this.#db = db;
    this.#table = table;
    this.#ttlDays = ttlDays;
  }

  async record(message: AnalyticsEventMessage): Promise<"recorded" | "duplicate"> {
    const expiresAt = Math.floor(Date.now() / 1000) + this.#ttlDays * 86_400;
    try {
      await this.#db.send(
        new PutCommand({
          TableName: this.#table,
          Item: { tenantId: message.tenantId, eventId: message.event.eventId, message, expiresAt },
          ConditionExpression: "attribute_not_exists(eventId)",
        }),
      );
      return "recorded";
    } catch (error) {
      if (isConditionalCheckFailed(error)) return "duplicate";
      throw dependencyFailure("DynamoDB PutItem (event)", error);
    }
  }
}
