/**
 * The CV library's metadata in DynamoDB (topology `tables.cvs`): one item per CV in its owner's
 * partition (`ownerKey` = tenant#user, sort key `cvId`), its versions a list inside the item. A new
 * version is appended under the condition that the latest is still the one the writer read, so two
 * concurrent PUTs never both become version N+1.
 */
import {
  DeleteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
} from "@aws-sdk/lib-dynamodb";
import { CV_ID } from "@cvpipe/core/contracts/job-constants";
import { InvalidCursorError } from "@cvpipe/core/errors";
import { compositeKey } from "@cvpipe/core/keys";
import type { CreateCvOutcome, CvOwner, CvPage, CvRecord, CvStore, CvVersion } from "@cvpipe/core/ports/cv-store";
import { conditionalWrite, dependencyFailure, isConditionalCheckFailed } from "./aws-errors.ts";
import { queryAll } from "./query-all.ts";

const ownerKey = (owner: CvOwner): string => compositeKey(owner.tenantId, owner.userId);
const cvKey = (owner: CvOwner, cvId: string) => ({ ownerKey: ownerKey(owner), cvId });

const fromItem = (item: Record<string, unknown>): CvRecord => {
  const { ownerKey: _k, latestVersion: _l, ...record } = item;
  return record as unknown as CvRecord;
};

export class DynamoCvStore implements CvStore {
  readonly #db: DynamoDBDocumentClient;
  readonly #table: string;

  constructor(db: DynamoDBDocumentClient, table: string) {
    this.#db = db;
    this.#table = table;
  }

  async create(record: CvRecord): Promise<CreateCvOutcome> {
    try {
      await this.#db.send(
        new PutCommand({
          TableName: this.#table,
          // latestVersion: the append's condition reads it (a list's last element cannot be named in one).
          Item: { ...record, ownerKey: ownerKey(record), latestVersion: record.versions.at(-1)?.version ?? 0 },
          ConditionExpression: "attribute_not_exists(cvId)",
        }),
      );
      return { created: true };
    } catch (error) {
      if (!isConditionalCheckFailed(error)) throw dependencyFailure("DynamoDB PutItem (cv)", error);
    }
    const existing = await this.get(record, record.cvId);
    if (!existing) throw dependencyFailure("DynamoDB PutItem (cv)", new Error("the item changed under the write"));
    return { created: false, existing };
  }

  addVersion(owner: CvOwner, cvId: string, version: CvVersion, afterVersion: number): Promise<boolean> {
    return conditionalWrite(
      () =>
        this.#db.send(
          new UpdateCommand({
            TableName: this.#table,
            Key: cvKey(owner, cvId),
            UpdateExpression: "SET versions = list_append(versions, :v), updatedAt = :at, latestVersion = :n",
            ConditionExpression:
              "attribute_exists(cvId) AND attribute_not_exists(deletedAt) AND latestVersion = :after",
            ExpressionAttributeValues: {
              ":v": [version],
              ":at": version.createdAt,
              ":n": version.version,
              ":after": afterVersion,
            },
          }),
        ),
      "DynamoDB UpdateItem (cv version)",
    );
  }

  async get(owner: CvOwner, cvId: string): Promise<CvRecord | undefined> {
    try {
      const out = await this.#db.send(
        new GetCommand({ TableName: this.#table, Key: cvKey(owner, cvId), ConsistentRead: true }),
      );
      return out.Item ? fromItem(out.Item) : undefined;
    } catch (error) {
      throw dependencyFailure("DynamoDB GetItem (cv)", error);
    }
  }

  async list(owner: CvOwner, limit: number, cursor?: string): Promise<CvPage> {
    // The store's cursor is the last cvId of the page (the partition is the owner's own).
    if (cursor !== undefined && !CV_ID.test(cursor)) throw new InvalidCursorError();
    try {
      const out = await this.#db.send(
        new QueryCommand({
          TableName: this.#table,
          KeyConditionExpression: "ownerKey = :o",
          FilterExpression: "attribute_not_exists(deletedAt)",
          ExpressionAttributeValues: { ":o": ownerKey(owner) },
          Limit: limit,
          ...(cursor ? { ExclusiveStartKey: cvKey(owner, cursor) } : {}),
        }),
      );
      const items = (out.Items ?? []).map(fromItem);
      const last = out.LastEvaluatedKey?.["cvId"];
      return typeof last === "string" ? { items, cursor: last } : { items };
    } catch (error) {
      throw dependencyFailure("DynamoDB Query (cvs of owner)", error);
    }
  }

  async markDeleted(owner: CvOwner, cvId: string, at: string): Promise<CvRecord | undefined> {
    try {
      const out = await this.#db.send(
        new UpdateCommand({
          TableName: this.#table,
          Key: cvKey(owner, cvId),
          UpdateExpression: "SET deletedAt = if_not_exists(deletedAt, :at)",
          ConditionExpression: "attribute_exists(cvId)",
          ExpressionAttributeValues: { ":at": at },
          ReturnValues: "ALL_NEW",
        }),
      );
      return out.Attributes ? fromItem(out.Attributes) : undefined;
    } catch (error) {
      if (isConditionalCheckFailed(error)) return undefined;
      throw dependencyFailure("DynamoDB UpdateItem (cv delete)", error);
    }
  }

  async listForErasure(owner: CvOwner): Promise<CvRecord[]> {
    const items = await queryAll(
      this.#db,
      {
        TableName: this.#table,
        KeyConditionExpression: "ownerKey = :o",
        ExpressionAttributeValues: { ":o": ownerKey(owner) },
      },
      "cvs of owner, for a deletion",
    );
    return items.map(fromItem);
  }

  async remove(owner: CvOwner, cvId: string): Promise<void> {
    try {
      await this.#db.send(new DeleteCommand({ TableName: this.#table, Key: cvKey(owner, cvId) }));
    } catch (error) {
      throw dependencyFailure("DynamoDB DeleteItem (cv)", error);
    }
  }
}
