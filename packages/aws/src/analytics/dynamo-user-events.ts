/**
 * The raw events table as a user's deletion reads it: the events stored from one owner stream (the
 * `byGroup` index on `groupId`, the MessageGroupId of tenant and user), and a delete that takes only an
 * event already folded — one still being folded stays, so the fold's exactly-once proof is never cut short.
 */
import { DeleteCommand, type DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import type { EventErasureRef, UserEventStore } from "@cvpipe/core/ports/analytics-stores";
import { dependencyFailure, isConditionalCheckFailed } from "../aws-errors.ts";
import { queryAll } from "../query-all.ts";

export class DynamoUserEvents implements UserEventStore {
  readonly #db: DynamoDBDocumentClient;
  readonly #table: string;
  readonly #index: string;

  constructor(db: DynamoDBDocumentClient, options: { readonly tableName: string; readonly byGroupIndex: string }) {
    this.#db = db;
    this.#table = options.tableName;
    this.#index = options.byGroupIndex;
  }

  async listForErasure(groupId: string): Promise<EventErasureRef[]> {
    const items = await queryAll(
      this.#db,
      {
        TableName: this.#table,
        IndexName: this.#index,
        KeyConditionExpression: "groupId = :g",
        ExpressionAttributeValues: { ":g": groupId },
      },
      "events of owner stream, for a deletion",
    );
    return items.map((i) => ({
      tenantId: String(i["tenantId"]),
      eventId: String(i["eventId"]),
      storedAt: String(i["storedAt"]),
      folded: i["folded"] === true,
    }));
  }

  async remove(tenantId: string, eventId: string): Promise<void> {
    try {
      await this.#db.send(new DeleteCommand({ TableName: this.#table, Key: { tenantId, eventId } }));
    } catch (error) {
      throw dependencyFailure("DynamoDB DeleteItem (analytics event)", error);
    }
  }

  async removeFolded(tenantId: string, eventId: string): Promise<boolean> {
    try {
      await this.#db.send(
        new DeleteCommand({
          TableName: this.#table,
          Key: { tenantId, eventId },
          ConditionExpression: "folded = :t",
          ExpressionAttributeValues: { ":t": true },
        }),
      );
      return true;
    } catch (error) {
      if (isConditionalCheckFailed(error)) return false;
      throw dependencyFailure("DynamoDB DeleteItem (analytics event)", error);
    }
  }
}
