/** Relevance feedback in DynamoDB (topology `tables.feedback`). */

import { DeleteCommand, type DynamoDBDocumentClient, PutCommand, QueryCommand } from "@aws-sdk/lib-dynamodb";
import { InvalidCursorError } from "@cvpipe/core/errors";
import type { Clock } from "@cvpipe/core/ports/clock";
import {
  FEEDBACK_KEY,
  type FeedbackPage,
  type FeedbackRecord,
  type FeedbackStore,
} from "@cvpipe/core/ports/feedback-store";
import { epochSeconds, expired } from "@cvpipe/core/ttl";
import { conditionalWrite, dependencyFailure } from "./aws-errors.ts";
import { queryAll } from "./query-all.ts";

// A store cursor is the last feedbackKey of a page (FEEDBACK_KEY).

export class DynamoFeedbackStore implements FeedbackStore {
  readonly #db: DynamoDBDocumentClient;
  readonly #table: string;
  readonly #clock: Clock;

  constructor(db: DynamoDBDocumentClient, table: string, options: { readonly clock: Clock }) {
    this.#db = db;
    this.#table = table;
    this.#clock = options.clock;
  }

  create(record: FeedbackRecord): Promise<boolean> {
    return conditionalWrite(
      () =>
        this.#db.send(
          new PutCommand({
            TableName: this.#table,
            Item: record,
            ConditionExpression: "attribute_not_exists(feedbackKey)",
          }),
        ),
      "DynamoDB PutItem (feedback)",
    );
  }

  async remove(tenantId: string, feedbackKey: string): Promise<void> {
    try {
      await this.#db.send(new DeleteCommand({ TableName: this.#table, Key: { tenantId, feedbackKey } }));
    } catch (error) {
      throw dependencyFailure("DynamoDB DeleteItem (feedback)", error);
    }
  }

  async listForErasure(tenantId: string, userId: string) {
    const items = await queryAll(
      this.#db,
      {
        TableName: this.#table,
        KeyConditionExpression: "tenantId = :t",
        FilterExpression: "userId = :u",
        ProjectionExpression: "feedbackKey, receivedAt",
        ExpressionAttributeValues: { ":t": tenantId, ":u": userId },
      },
      "feedback of user, for a deletion",
    );
    return items.map((i) => ({ feedbackKey: String(i["feedbackKey"]), receivedAt: String(i["receivedAt"]) }));
  }

  async list(tenantId: string, since: string | undefined, limit: number, cursor?: string): Promise<FeedbackPage> {
    if (cursor !== undefined && !FEEDBACK_KEY.test(cursor)) throw new InvalidCursorError();
    try {
      const out = await this.#db.send(
        new QueryCommand({
          TableName: this.#table,
          KeyConditionExpression: "tenantId = :t",
          ...(since === undefined ? {} : { FilterExpression: "receivedAt >= :since" }),
          ExpressionAttributeValues: { ":t": tenantId, ...(since === undefined ? {} : { ":since": since }) },
          Limit: limit,
          ...(cursor ? { ExclusiveStartKey: { tenantId, feedbackKey: cursor } } : {}),
        }),
      );
      // A page may hold fewer than `limit` items (none, even) and still a cursor, as with `since`.
      const nowSeconds = epochSeconds(this.#clock.now());
      const items = (out.Items ?? []).filter((item) => !expired(item, nowSeconds)) as FeedbackRecord[];
      const last = out.LastEvaluatedKey?.["feedbackKey"];
      return typeof last === "string" ? { items, cursor: last } : { items };
    } catch (error) {
      throw dependencyFailure("DynamoDB Query (feedback of tenant)", error);
    }
  }
}
