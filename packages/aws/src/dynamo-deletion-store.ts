/**
 * Deletion requests and suppression records in DynamoDB (topology `tables.deletions`): a request is the item
 * `deletionId` of its tenant's partition, a user's suppression record the item `user#<userId>`. Requests not
 * yet COMPLETED carry `pendingShard`, so the sparse `pending` index lists exactly those, oldest first.
 */

import {
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
} from "@aws-sdk/lib-dynamodb";
import { keyPart } from "@cvpipe/core/keys";
import type { Clock } from "@cvpipe/core/ports/clock";
import {
  type DeletionCounts,
  type DeletionPass,
  type DeletionRecord,
  type DeletionStore,
  NO_DELETIONS,
  type Suppression,
} from "@cvpipe/core/ports/deletion-store";
import { epochSeconds, expired } from "@cvpipe/core/ttl";
import { conditionalWrite, dependencyFailure, isConditionalCheckFailed } from "./aws-errors.ts";

/** The one shard of the pending index: deletion requests are few. */
const PENDING_SHARD = "0";
type CountName = keyof DeletionCounts & string;
const COUNTS = Object.keys(NO_DELETIONS) as CountName[];
const countAttribute = (name: CountName): string => `removed_${name}`;
const suppressionKey = (userId: string): string => `user#${keyPart(userId)}`;

const fromItem = (item: Record<string, unknown>): DeletionRecord => {
  const removed = Object.fromEntries(
    COUNTS.map((c) => [c, Number(item[countAttribute(c)] ?? 0)]),
  ) as unknown as DeletionCounts;
  return {
    tenantId: String(item["tenantId"]),
    deletionId: String(item["deletionId"]),
    status: item["status"] as DeletionRecord["status"],
    requestedAt: String(item["requestedAt"]),
    ...(typeof item["userId"] === "string" ? { userId: item["userId"] } : {}),
    userRef: String(item["userRef"]),
    requestedBy: item["requestedBy"] as DeletionRecord["requestedBy"],
    passes: Number(item["passes"] ?? 0),
    ...(typeof item["lastPassAt"] === "string" ? { lastPassAt: item["lastPassAt"] } : {}),
    ...(typeof item["completedAt"] === "string" ? { completedAt: item["completedAt"] } : {}),
    ...(typeof item["lastError"] === "string" ? { lastError: item["lastError"] } : {}),
    removed,
    expiresAt: Number(item["expiresAt"]),
  };
};

export class DynamoDeletionStore implements DeletionStore {
  readonly #db: DynamoDBDocumentClient;
  readonly #table: string;
  readonly #pendingIndex: string;
  readonly #clock: Clock;

  constructor(
    db: DynamoDBDocumentClient,
    options: { readonly tableName: string; readonly pendingIndex: string; readonly clock: Clock },
  ) {
    this.#db = db;
    this.#table = options.tableName;
    this.#pendingIndex = options.pendingIndex;
    this.#clock = options.clock;
  }

  #live(item: Record<string, unknown> | undefined): Record<string, unknown> | undefined {
    if (!item) return undefined;
    return expired(item, epochSeconds(this.#clock.now())) ? undefined : item;
  }

  async create(record: DeletionRecord): Promise<void> {
    const { removed, ...rest } = record;
    const created = await conditionalWrite(
      () =>
        this.#db.send(
          new PutCommand({
            TableName: this.#table,
            Item: {
              ...rest,
              itemKey: keyPart(record.deletionId),
              pendingShard: PENDING_SHARD,
              ...Object.fromEntries(COUNTS.map((c) => [countAttribute(c), removed[c]])),
            },
            ConditionExpression: "attribute_not_exists(itemKey)",
          }),
        ),
      "DynamoDB PutItem (deletion request)",
    );
    if (!created) throw dependencyFailure("DynamoDB PutItem (deletion request)", new Error("id already taken"));
  }

  async get(tenantId: string, deletionId: string): Promise<DeletionRecord | undefined> {
    try {
      const out = await this.#db.send(
        new GetCommand({
          TableName: this.#table,
          Key: { tenantId, itemKey: keyPart(deletionId) },
          ConsistentRead: true,
        }),
      );
      const item = this.#live(out.Item);
      return item && typeof item["deletionId"] === "string" ? fromItem(item) : undefined;
    } catch (error) {
      throw dependencyFailure("DynamoDB GetItem (deletion request)", error);
    }
  }

  async suppression(tenantId: string, userId: string): Promise<Suppression | undefined> {
    try {
      const out = await this.#db.send(
        new GetCommand({
          TableName: this.#table,
          Key: { tenantId, itemKey: suppressionKey(userId) },
          ConsistentRead: true,
        }),
      );
      const item = this.#live(out.Item);
      if (!item) return undefined;
      return {
        tenantId,
        userId,
        requestedAt: String(item["requestedAt"]),
        deletionId: String(item["suppressedBy"]),
        expiresAt: Number(item["expiresAt"]),
      };
    } catch (error) {
      throw dependencyFailure("DynamoDB GetItem (suppression)", error);
    }
  }

  async suppress(record: Suppression): Promise<void> {
    await conditionalWrite(
      () =>
        this.#db.send(
          new PutCommand({
            TableName: this.#table,
            Item: {
              tenantId: record.tenantId,
              itemKey: suppressionKey(record.userId),
              userId: record.userId,
              requestedAt: record.requestedAt,
              suppressedBy: record.deletionId,
              expiresAt: record.expiresAt,
            },
            // A later request's record stays (its time covers more).
            ConditionExpression: "attribute_not_exists(itemKey) OR requestedAt < :r OR expiresAt <= :now",
            ExpressionAttributeValues: {
              ":r": record.requestedAt,
              ":now": epochSeconds(this.#clock.now()),
            },
          }),
        ),
      "DynamoDB PutItem (suppression)",
    );
  }

  async listPending(limit: number): Promise<DeletionRecord[]> {
    try {
      const out = await this.#db.send(
        new QueryCommand({
          TableName: this.#table,
          IndexName: this.#pendingIndex,
          KeyConditionExpression: "pendingShard = :s",
          ExpressionAttributeValues: { ":s": PENDING_SHARD },
          ScanIndexForward: true,
          Limit: limit,
        }),
      );
      return (out.Items ?? []).map(fromItem);
    } catch (error) {
      throw dependencyFailure("DynamoDB Query (pending deletions)", error);
    }
  }

  async recordPass(tenantId: string, deletionId: string, pass: DeletionPass): Promise<void> {
    const done = pass.status === "COMPLETED";
    const sets = [
      "#status = :status",
      "lastPassAt = :at",
      "passes = passes + :one",
      ...COUNTS.map((c, i) => `${countAttribute(c)} = ${countAttribute(c)} + :c${i}`),
      ...(done ? ["completedAt = :at"] : []),
      ...(pass.error === undefined ? [] : ["lastError = :error"]),
    ];
    const removes = [...(done ? ["userId", "pendingShard"] : []), ...(pass.error === undefined ? ["lastError"] : [])];
    try {
      await this.#db.send(
        new UpdateCommand({
          TableName: this.#table,
          Key: { tenantId, itemKey: keyPart(deletionId) },
          UpdateExpression: `SET ${sets.join(", ")}${removes.length > 0 ? ` REMOVE ${removes.join(", ")}` : ""}`,
          ConditionExpression: "attribute_exists(deletionId) AND #status <> :completed",
          ExpressionAttributeNames: { "#status": "status" },
          ExpressionAttributeValues: {
            ":status": pass.status,
            ":completed": "COMPLETED",
            ":at": pass.at,
            ":one": 1,
            ...Object.fromEntries(COUNTS.map((c, i) => [`:c${i}`, pass.removed[c]])),
            ...(pass.error === undefined ? {} : { ":error": pass.error }),
          },
        }),
      );
    } catch (error) {
      // Already COMPLETED (a pass that ran twice): nothing to add.
      if (isConditionalCheckFailed(error)) return;
      throw dependencyFailure("DynamoDB UpdateItem (deletion pass)", error);
    }
  }
}
