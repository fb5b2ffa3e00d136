import {
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
} from "@aws-sdk/lib-dynamodb";
import { ValidationError } from "@cvpipe/core/errors";
import type { JobError, JobRecord } from "@cvpipe/core/jobs/job-record";
import { userKey } from "@cvpipe/core/jobs/job-record";
import type { CreateJobOutcome, JobCompletion, JobPage, JobStore, StartOutcome } from "@cvpipe/core/ports/job-store";
import { dependencyFailure, isConditionalCheckFailed } from "./aws-errors.ts";

const nowSeconds = (): number => Math.floor(Date.now() / 1000);

const live = (item: Record<string, unknown> | undefined): JobRecord | undefined => {
  if (!item) return undefined;
  // TTL deletion runs up to 48 h late and emulators never run it: expiry is checked on every read.
  if (typeof item["expiresAt"] === "number" && item["expiresAt"] <= nowSeconds()) return undefined;
  return item as unknown as JobRecord;
};

const encodeCursor = (key: Record<string, unknown> | undefined): string | undefined =>
  key ? Buffer.from(JSON.stringify(key)).toString("base64url") : undefined;

/** A cursor is only ever one this store issued for this user: anything else is refused by name. */
const decodeCursor = (cursor: string | undefined, expectedUserKey: string): Record<string, unknown> | undefined => {
  if (!cursor) return undefined;
  let key: unknown;
  try {
    key = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
  } catch {
    key = undefined;
  }
  const k = key as Record<string, unknown> | undefined;
  const valid =
    k !== undefined &&
    k !== null &&
    typeof k === "object" &&
    Object.keys(k).sort().join(",") === "createdAt,jobId,tenantId,userKey" &&
    Object.values(k).every((v) => typeof v === "string") &&
    k["userKey"] === expectedUserKey;
  if (!valid) {
    throw new ValidationError([
      {
        path: "query.cursor",
        rule: "cursor",
        message: "is not a cursor returned by this listing; omit it to start over",
      },
    ]);
  }
  return k;
};

/** JobStore over the jobs table (see topology `tables.jobs`). */
export class DynamoJobStore implements JobStore {
  readonly #db: DynamoDBDocumentClient;
  readonly #table: string;
  readonly #byUserIndex: string;

  constructor(db: DynamoDBDocumentClient, tableName: string, byUserIndex = "byUser") {
    this.#db = db;
    this.#table = tableName;
    this.#byUserIndex = byUserIndex;
  }

  async create(record: JobRecord): Promise<CreateJobOutcome> {
    try {
      await this.#db.send(
        new PutCommand({
          TableName: this.#table,
          Item: record,
          ConditionExpression: "attribute_not_exists(jobId)",
        }),
      );
      return { created: true };
    } catch (error) {
      if (!isConditionalCheckFailed(error)) throw dependencyFailure("DynamoDB PutItem (job)", error);
    }
    const existing = await this.#getRaw(record.tenantId, record.jobId);
    if (existing) return { created: false, existing };
    // The existing item had expired (TTL not yet applied): replace it.
    await this.#db
      .send(new PutCommand({ TableName: this.#table, Item: record }))
      .catch((e: unknown) => Promise.reject(dependencyFailure("DynamoDB PutItem (job)", e)));
    return { created: true };
  }

  async get(tenantId: string, jobId: string): Promise<JobRecord | undefined> {
    return this.#getRaw(tenantId, jobId);
  }

  async start(tenantId: string, jobId: string, at: string): Promise<StartOutcome> {
    try {
      const out = await this.#db.send(
        new UpdateCommand({
          TableName: this.#table,
          Key: { tenantId, jobId },
          // A redelivered job may already be PROCESSING (the previous attempt crashed): take it over.
          // A job that FAILED for a retryable reason (a dependency, after every attempt) is run again
          // when an operator redrives its message from the DLQ; any other finished job is left alone.
          ConditionExpression:
            "attribute_exists(jobId) AND (#status IN (:queued, :processing) OR (#status = :failed AND #error.retryable = :true))",
          UpdateExpression:
            "SET #status = :processing, updatedAt = :at, startedAt = :at, attempts = if_not_exists(attempts, :zero) + :one REMOVE #error, finishedAt",
          ExpressionAttributeNames: { "#status": "status", "#error": "error" },
          ExpressionAttributeValues: {
            ":queued": "QUEUED",
            ":processing": "PROCESSING",
            ":failed": "FAILED",
            ":true": true,
            ":at": at,
            ":zero": 0,
            ":one": 1,
          },
          ReturnValues: "ALL_NEW",
        }),
      );
      return { started: true, record: out.Attributes as JobRecord };
    } catch (error) {
      if (!isConditionalCheckFailed(error)) throw dependencyFailure("DynamoDB UpdateItem (start job)", error);
      return { started: false, record: await this.#getRaw(tenantId, jobId) };
    }
  }

  async succeed(tenantId: string, jobId: string, completion: JobCompletion, at: string): Promise<boolean> {
    const sets = ["#status = :succeeded", "updatedAt = :at", "finishedAt = :at"];
    const values: Record<string, unknown> = { ":succeeded": "SUCCEEDED", ":processing": "PROCESSING", ":at": at };
    if (completion.result) {
      sets.push("#result = :result");
      values[":result"] = completion.result;
    }
    if (completion.resultBlob) {
      sets.push("resultBlob = :blob");
      values[":blob"] = completion.resultBlob;
    }
    if (completion.usage) {
      sets.push("#usage = :usage");
      values[":usage"] = completion.usage;
    }
    return this.#transition(tenantId, jobId, "#status = :processing", `SET ${sets.join(", ")}`, values, {
      "#result": completion.result ? "result" : undefined,
      "#usage": completion.usage ? "usage" : undefined,
    });
  }

  async fail(tenantId: string, jobId: string, error: JobError, at: string): Promise<boolean> {
    return this.#transition(
      tenantId,
      jobId,
      "#status IN (:queued, :processing)",
      "SET #status = :failed, updatedAt = :at, finishedAt = :at, #error = :error",
      { ":failed": "FAILED", ":queued": "QUEUED", ":processing": "PROCESSING", ":at": at, ":error": error },
      { "#error": "error" },
    );
  }

  async listByUser(tenantId: string, userId: string, limit: number, cursor?: string): Promise<JobPage> {
    const start = decodeCursor(cursor, userKey(tenantId, userId));
    try {
      const out = await this.#db.send(
        new QueryCommand({
          TableName: this.#table,
          IndexName: this.#byUserIndex,
          KeyConditionExpression: "userKey = :uk",
          ExpressionAttributeValues: { ":uk": userKey(tenantId, userId) },
          ScanIndexForward: false,
          Limit: limit,
          ...(start ? { ExclusiveStartKey: start } : {}),
        }),
      );
      const items = (out.Items ?? []).map((i) => live(i)).filter((i): i is JobRecord => i !== undefined);
      const next = encodeCursor(out.LastEvaluatedKey);
      return next ? { items, cursor: next } : { items };
    } catch (error) {
      throw dependencyFailure("DynamoDB Query (jobs by user)", error);
    }
  }

  async #getRaw(tenantId: string, jobId: string): Promise<JobRecord | undefined> {
    try {
      const out = await this.#db.send(
        new GetCommand({ TableName: this.#table, Key: { tenantId, jobId }, ConsistentRead: true }),
      );
      return live(out.Item);
    } catch (error) {
      throw dependencyFailure("DynamoDB GetItem (job)", error);
    }
  }

  async #transition(
    tenantId: string,
    jobId: string,
    condition: string,
    update: string,
    values: Record<string, unknown>,
    extraNames: Record<string, string | undefined>,
  ): Promise<boolean> {
    const names: Record<string, string> = { "#status": "status" };
    for (const [k, v] of Object.entries(extraNames)) if (v !== undefined) names[k] = v;
    try {
      await this.#db.send(
        new UpdateCommand({
          TableName: this.#table,
          Key: { tenantId, jobId },
          ConditionExpression: `attribute_exists(jobId) AND ${condition}`,
          UpdateExpression: update,
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: values,
        }),
      );
      return true;
    } catch (error) {
      if (isConditionalCheckFailed(error)) return false;
      throw dependencyFailure("DynamoDB UpdateItem (job transition)", error);
    }
  }
}
