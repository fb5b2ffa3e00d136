import { type DynamoDBDocumentClient, GetCommand, PutCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import type { EventStore, PutOnceOutcome, StoredEvent } from "@cvpipe/core/analytics/ports";
import { AnalyticsEventMessage } from "@cvpipe/core/contracts/messages";
import type { Clock } from "@cvpipe/core/ports/clock";
import { dependencyFailure, isConditionalCheckFailed } from "../aws-errors.ts";

export interface DynamoEventStoreOptions {
  /** The events table's physical name (the function's configuration). */
  readonly tableName: string;
  /**
   * Days a raw event is kept (TTL attribute `expiresAt`; topology `retention`). Must
   * outlive every message that can carry the event — queue retention (4 days)
   * and DLQ retention (14 days from the original enqueue) — because it is the
   * dedup record of the exactly-once fold.
   */
  readonly ttlDays: number;
  /**
   * Days cvpipe's own events (tailoring outcomes, retractions) are kept:
   * longer than a job lives plus a DLQ stay, so a retraction always finds the
   * record of the outcome it takes back (fold-event.ts).
   */
  readonly tailorTtlDays: number;
  readonly clock: Clock;
}

/**
 * The raw events table (`tenantId` + `eventId`). Every write is conditional and
 * every read treats an item past `expiresAt` as absent: TTL deletion is up to
 * 48 h late on AWS and never happens in the emulators.
 */
export class DynamoEventStore implements EventStore {
  readonly #db: DynamoDBDocumentClient;
  readonly #table: string;
  readonly #ttlSeconds: number;
  readonly #tailorTtlSeconds: number;
  readonly #clock: Clock;

  constructor(db: DynamoDBDocumentClient, options: DynamoEventStoreOptions) {
    this.#db = db;
    this.#table = options.tableName;
    const days = options.ttlDays;
    if (!(days > 0)) throw new RangeError(`DynamoEventStore: ttlDays must be positive, got ${days}`);
    this.#ttlSeconds = Math.round(days * 86_400);
    const tailorDays = options.tailorTtlDays;
    if (!(tailorDays > 0)) throw new RangeError(`DynamoEventStore: tailorTtlDays must be positive, got ${tailorDays}`);
    this.#tailorTtlSeconds = Math.round(tailorDays * 86_400);
    this.#clock = options.clock;
  }

  async putOnce(event: Omit<StoredEvent, "folded" | "storedAt">): Promise<PutOnceOutcome> {
    // Two attempts: the second only when the first collided with an item that expired in between.
    for (let attempt = 0; attempt < 2; attempt++) {
      const now = this.#clock.now();
      const nowSeconds = Math.floor(now.getTime() / 1000);
      try {
        await this.#db.send(
          new PutCommand({
            TableName: this.#table,
            Item: {
              tenantId: event.tenantId,
              eventId: event.eventId,
              groupId: event.groupId,
              seq: event.sequenceNumber,
              week: event.week,
              shard: event.shard,
              type: event.message.event.type,
              occurredAt: event.message.event.occurredAt,
              body: JSON.stringify(event.message),
              folded: false,
              storedAt: now.toISOString(),
              expiresAt: nowSeconds + (event.message.source === "tailor" ? this.#tailorTtlSeconds : this.#ttlSeconds),
            },
            // An expired copy is gone as far as cvpipe is concerned, even if TTL has not deleted it yet.
            ConditionExpression: "attribute_not_exists(eventId) OR expiresAt <= :now",
            ExpressionAttributeValues: { ":now": nowSeconds },
          }),
        );
        return { created: true };
      } catch (error) {
        if (!isConditionalCheckFailed(error)) throw dependencyFailure("DynamoDB PutItem (analytics event)", error);
      }
      const existing = await this.get(event.tenantId, event.eventId);
      if (existing) return { created: false, existing };
    }
    throw dependencyFailure("DynamoDB PutItem (analytics event)", new Error("item kept changing under the write"));
  }

  async markFolded(tenantId: string, eventId: string): Promise<void> {
    try {
      await this.#db.send(
        new UpdateCommand({
          TableName: this.#table,
          Key: { tenantId, eventId },
          UpdateExpression: "SET folded = :true, foldedAt = :at",
          // Never create a bare item: the event must have been stored first.
          ConditionExpression: "attribute_exists(eventId)",
          ExpressionAttributeValues: { ":true": true, ":at": this.#clock.now().toISOString() },
        }),
      );
    } catch (error) {
      if (isConditionalCheckFailed(error)) return;
      throw dependencyFailure("DynamoDB UpdateItem (mark event folded)", error);
    }
  }

  async get(tenantId: string, eventId: string): Promise<StoredEvent | undefined> {
    let item: Record<string, unknown> | undefined;
    try {
      const out = await this.#db.send(
        new GetCommand({ TableName: this.#table, Key: { tenantId, eventId }, ConsistentRead: true }),
      );
      item = out.Item;
    } catch (error) {
      throw dependencyFailure("DynamoDB GetItem (analytics event)", error);
    }
    if (!item) return undefined;
    const nowSeconds = Math.floor(this.#clock.now().getTime() / 1000);
    if (typeof item["expiresAt"] === "number" && item["expiresAt"] <= nowSeconds) return undefined;
    return {
      tenantId: String(item["tenantId"]),
      eventId: String(item["eventId"]),
      groupId: String(item["groupId"]),
      sequenceNumber: String(item["seq"]),
      week: String(item["week"]),
      shard: String(item["shard"]),
      folded: item["folded"] === true,
      storedAt: String(item["storedAt"]),
      message: AnalyticsEventMessage.parse(JSON.parse(String(item["body"]))),
    };
  }
}
