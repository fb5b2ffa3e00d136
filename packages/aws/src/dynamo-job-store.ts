import {
  DeleteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
} from "@aws-sdk/lib-dynamodb";
import { InvalidCursorError } from "@cvpipe/core/errors";
import { outcomeEvent } from "@cvpipe/core/jobs/job-outcome";
import type { JobError, JobRecord } from "@cvpipe/core/jobs/job-record";
import { latestCreatedAtFor, userKey } from "@cvpipe/core/jobs/job-record";
import { compositeKey, keyPart, keyPartProblem, UnsafeKeyError } from "@cvpipe/core/keys";
import type { Clock } from "@cvpipe/core/ports/clock";
import type {
  CreateJobOutcome,
  JobCompletion,
  JobErasureRef,
  JobFilter,
  JobPage,
  JobStore,
  StartOutcome,
} from "@cvpipe/core/ports/job-store";
import type { TailoringResult } from "@cvpipe/core/tailoring/types";
import { QUEUED_SHARDS } from "@cvpipe/core/topology";
import { epochSeconds, expired } from "@cvpipe/core/ttl";
import { conditionalWrite, dependencyFailure, isConditionalCheckFailed } from "./aws-errors.ts";
import { queryAll } from "./query-all.ts";

export interface DynamoJobStoreOptions {
  readonly clock: Clock;
  /** The table's index names: topology `jobIndexes` (by user and creation time; sparse queued). */
  readonly indexes: { readonly byUser: string; readonly queued: string };
}

const encodeCursor = (key: Record<string, unknown> | undefined): string | undefined =>
  key ? Buffer.from(JSON.stringify(key)).toString("base64url") : undefined;

const CREATED_AT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?Z$/;
const MAX_CURSOR_JOB_ID_CHARS = 128;

/**
 * A cursor is only ever one this store issued for this user: the four key
 * attributes of the by-user index, each of the shape this store writes.
 * Anything else is an InvalidCursorError — an empty or 5,000-character key
 * value would otherwise reach DynamoDB and come back as a 503.
 */
const decodeCursor = (
  cursor: string | undefined,
  tenantId: string,
  expectedUserKey: string,
): Record<string, string> | undefined => {
  if (!cursor) return undefined;
  let key: unknown;
  try {
    key = cursor.length <= 4_096 ? JSON.parse(Buffer.from(cursor, "base64url").toString("utf8")) : undefined;
  } catch {
    key = undefined;
  }
  const k = (key && typeof key === "object" && !Array.isArray(key) ? key : {}) as Record<string, unknown>;
  const { createdAt, jobId } = k;
  const valid =
    Object.keys(k).sort().join(",") === "createdAt,jobId,tenantId,userKey" &&
    k["tenantId"] === tenantId &&
    k["userKey"] === expectedUserKey &&
    typeof createdAt === "string" &&
    CREATED_AT.test(createdAt) &&
    typeof jobId === "string" &&
    jobId.length <= MAX_CURSOR_JOB_ID_CHARS &&
    keyPartProblem(jobId) === undefined;
  if (!valid) throw new InvalidCursorError();
  return k as Record<string, string>;
};

/**
 * The result as the item holds it: its JSON as one binary attribute. As a map it was hundreds of
 * attributes (every highlight, keyword and rendering) that the SDK marshalled one by one and the
 * emulator validated one by one, on every write and every read; the item stays one item, so the
 * result is still written with the ending, whole, by the same conditional write.
 */
const encodeResult = (result: TailoringResult): Uint8Array => Buffer.from(JSON.stringify(result), "utf8");

/** The item a record is stored as. */
const toItem = (record: JobRecord): Record<string, unknown> =>
  record.result ? { ...record, result: encodeResult(record.result) } : { ...record };

/** The record an item holds: its result decoded (a binary attribute; an item written before it was one holds a map). */
const fromItem = (item: Record<string, unknown>): JobRecord => {
  const result = item["result"];
  if (!(result instanceof Uint8Array)) return item as unknown as JobRecord;
  const json = Buffer.from(result.buffer, result.byteOffset, result.byteLength).toString("utf8");
  return { ...item, result: JSON.parse(json) as TailoringResult } as unknown as JobRecord;
};

/** The item key, from parts that cannot break it (core/keys.ts). */
const jobKey = (tenantId: string, jobId: string) => ({ tenantId: keyPart(tenantId), jobId: keyPart(jobId) });

/** JobStore over the jobs table (see topology `tables.jobs`). */
export class DynamoJobStore implements JobStore {
  readonly #db: DynamoDBDocumentClient;
  readonly #table: string;
  readonly #byUserIndex: string;
  readonly #queuedIndex: string;
  readonly #clock: Clock;

  constructor(db: DynamoDBDocumentClient, tableName: string, options: DynamoJobStoreOptions) {
    this.#db = db;
    this.#table = tableName;
    this.#byUserIndex = options.indexes.byUser;
    this.#queuedIndex = options.indexes.queued;
    this.#clock = options.clock;
  }

  #nowSeconds(): number {
    return epochSeconds(this.#clock.now());
  }

  #live(item: Record<string, unknown> | undefined): JobRecord | undefined {
    if (!item) return undefined;
    if (expired(item, this.#nowSeconds())) return undefined;
    return fromItem(item);
  }

  async create(record: JobRecord): Promise<CreateJobOutcome> {
    jobKey(record.tenantId, record.jobId);
    if (record.userKey !== compositeKey(record.tenantId, record.userId)) {
      throw new UnsafeKeyError("userKey is not tenantId#userId");
    }
    // Two rounds: the second only when the first met a copy that expired in between.
    for (let round = 0; round < 2; round++) {
      try {
        await this.#db.send(
          new PutCommand({
            TableName: this.#table,
            Item: toItem(record),
            // An expired item is absent as far as cvpipe is concerned (TTL deletes it up to 48 h late) —
            // but only one of two racing requests may replace it: the condition is the arbiter.
            ConditionExpression: "attribute_not_exists(jobId) OR expiresAt <= :now",
            ExpressionAttributeValues: { ":now": this.#nowSeconds() },
          }),
        );
        return { created: true };
      } catch (error) {
        if (!isConditionalCheckFailed(error)) throw dependencyFailure("DynamoDB PutItem (job)", error);
      }
      const existing = await this.#getRaw(record.tenantId, record.jobId);
      if (existing) return { created: false, existing };
    }
    throw dependencyFailure("DynamoDB PutItem (job)", new Error("the item kept changing under the write"));
  }

  async get(tenantId: string, jobId: string): Promise<JobRecord | undefined> {
    return this.#getRaw(tenantId, jobId);
  }

  async start(tenantId: string, jobId: string, at: string, submittedAt?: string): Promise<StartOutcome> {
    // A message of an earlier job with this id (30+ days older) never starts this one.
    const notAfter = submittedAt ? latestCreatedAtFor(submittedAt) : undefined;
    // Fast path: a queued job, or a PROCESSING one whose attempt died or overran (a redelivery takes
    // it over; the older attempt's writes then fail their attempt condition).
    const started = await this.#startIf(tenantId, jobId, at, notAfter, "#status IN (:queued, :processing)", {
      ":queued": "QUEUED",
      ":processing": "PROCESSING",
    });
    if (started) return { started: true, record: started };
    const current = await this.#getRaw(tenantId, jobId);
    if (current?.status !== "FAILED" || current.error?.retryable !== true) {
      return { started: false, record: current };
    }
    // A job that FAILED for a retryable reason (a dependency, after every attempt) runs again when an
    // operator redrives its message; the failure's outcome is kept so the next ending retracts it.
    const again = await this.#startIf(
      tenantId,
      jobId,
      at,
      notAfter,
      "#status = :failed AND attempts = :attempt",
      { ":failed": "FAILED", ":attempt": current.attempts, ":superseded": [outcomeEvent(current)], ":none": [] },
      "supersededOutcomes = list_append(if_not_exists(supersededOutcomes, :none), :superseded)",
    );
    if (again) return { started: true, record: again };
    return { started: false, record: await this.#getRaw(tenantId, jobId) };
  }

  async #startIf(
    tenantId: string,
    jobId: string,
    at: string,
    createdNotAfter: string | undefined,
    condition: string,
    values: Record<string, unknown>,
    extraSet?: string,
  ): Promise<JobRecord | undefined> {
    try {
      const out = await this.#db.send(
        new UpdateCommand({
          TableName: this.#table,
          Key: jobKey(tenantId, jobId),
          // An expired job is gone: it never runs, whatever its status says.
          ConditionExpression: `attribute_exists(jobId) AND expiresAt > :now AND ${condition}${createdNotAfter ? " AND createdAt <= :createdNotAfter" : ""}`,
          UpdateExpression: `SET #status = :processingNow, updatedAt = :at, startedAt = :at, attempts = if_not_exists(attempts, :zero) + :one${extraSet ? `, ${extraSet}` : ""} REMOVE #error, finishedAt, queuedShard`,
          ExpressionAttributeNames: { "#status": "status", "#error": "error" },
          ExpressionAttributeValues: {
            ...values,
            ...(createdNotAfter ? { ":createdNotAfter": createdNotAfter } : {}),
            ":processingNow": "PROCESSING",
            ":now": this.#nowSeconds(),
            ":at": at,
            ":zero": 0,
            ":one": 1,
          },
          ReturnValues: "ALL_NEW",
        }),
      );
      return out.Attributes && fromItem(out.Attributes);
    } catch (error) {
      if (!isConditionalCheckFailed(error)) throw dependencyFailure("DynamoDB UpdateItem (start job)", error);
      return undefined;
    }
  }

  async succeed(
    tenantId: string,
    jobId: string,
    attempt: number,
    completion: JobCompletion,
    at: string,
  ): Promise<boolean> {
    const sets = ["#status = :succeeded", "updatedAt = :at", "finishedAt = :at"];
    const values: Record<string, unknown> = {
      ":succeeded": "SUCCEEDED",
      ":processing": "PROCESSING",
      ":at": at,
      ":attempt": attempt,
    };
    if (completion.result) {
      sets.push("#result = :result");
      values[":result"] = encodeResult(completion.result);
    }
    if (completion.resultBlob) {
      sets.push("resultBlob = :blob");
      values[":blob"] = completion.resultBlob;
    }
    if (completion.usage) {
      sets.push("#usage = :usage");
      values[":usage"] = completion.usage;
    }
    // Only the attempt that is still the job's current one may finish it.
    return this.#transition(
      tenantId,
      jobId,
      "#status = :processing AND attempts = :attempt",
      `SET ${sets.join(", ")}`,
      values,
      {
        "#result": completion.result ? "result" : undefined,
        "#usage": completion.usage ? "usage" : undefined,
      },
    );
  }

  async fail(
    tenantId: string,
    jobId: string,
    error: JobError,
    at: string,
    only?: { attempt: number } | "QUEUED",
  ): Promise<boolean> {
    const values: Record<string, unknown> = { ":failed": "FAILED", ":at": at, ":error": error };
    let condition: string;
    if (only === "QUEUED") {
      condition = "#status = :queued";
      values[":queued"] = "QUEUED";
    } else if (only) {
      condition = "#status = :processing AND attempts = :attempt";
      values[":processing"] = "PROCESSING";
      values[":attempt"] = only.attempt;
    } else {
      condition = "#status IN (:queued, :processing)";
      values[":queued"] = "QUEUED";
      values[":processing"] = "PROCESSING";
    }
    // The sweep's own failure keeps the job in the sparse index until its outcome is published.
    const update = `SET #status = :failed, updatedAt = :at, finishedAt = :at, #error = :error${only === "QUEUED" ? "" : " REMOVE queuedShard"}`;
    return this.#transition(tenantId, jobId, condition, update, values, { "#error": "error" });
  }

  async clearSweepMark(tenantId: string, jobId: string): Promise<void> {
    await conditionalWrite(
      () =>
        this.#db.send(
          new UpdateCommand({
            TableName: this.#table,
            Key: jobKey(tenantId, jobId),
            UpdateExpression: "REMOVE queuedShard",
            ConditionExpression: "attribute_exists(jobId) AND #status <> :queued",
            ExpressionAttributeNames: { "#status": "status" },
            ExpressionAttributeValues: { ":queued": "QUEUED" },
          }),
        ),
      "DynamoDB UpdateItem (job sweep mark)",
    );
  }

  async listAwaitingSweep(createdBefore: string, limit: number): Promise<JobRecord[]> {
    const shards = Array.from({ length: QUEUED_SHARDS }, (_, i) => `q${i}`);
    const pages = await Promise.all(
      shards.map(async (shard) => {
        try {
          const out = await this.#db.send(
            new QueryCommand({
              TableName: this.#table,
              IndexName: this.#queuedIndex,
              KeyConditionExpression: "queuedShard = :shard AND createdAt < :before",
              ExpressionAttributeValues: { ":shard": shard, ":before": createdBefore },
              Limit: limit,
            }),
          );
          return out.Items ?? [];
        } catch (error) {
          throw dependencyFailure("DynamoDB Query (queued jobs)", error);
        }
      }),
    );
    // The index is eventually consistent: whoever acts on a listed job re-checks it with a condition.
    return pages
      .flat()
      .map((i) => this.#live(i))
      .filter((i): i is JobRecord => i !== undefined && (i.status === "QUEUED" || i.status === "FAILED"))
      .sort((a, b) => (a.createdAt < b.createdAt ? -1 : a.createdAt > b.createdAt ? 1 : 0))
      .slice(0, limit);
  }

  async listByUser(
    tenantId: string,
    userId: string,
    limit: number,
    cursor?: string,
    filter: JobFilter = {},
  ): Promise<JobPage> {
    const start = decodeCursor(cursor, tenantId, compositeKey(tenantId, userId));
    const conditions = [
      ...(filter.status === undefined ? [] : ["#status = :status"]),
      ...(filter.applicationId === undefined ? [] : ["applicationId = :app"]),
    ];
    try {
      const out = await this.#db.send(
        new QueryCommand({
          TableName: this.#table,
          IndexName: this.#byUserIndex,
          KeyConditionExpression: "userKey = :uk",
          ...(conditions.length > 0 ? { FilterExpression: conditions.join(" AND ") } : {}),
          ...(filter.status === undefined ? {} : { ExpressionAttributeNames: { "#status": "status" } }),
          ExpressionAttributeValues: {
            ":uk": userKey(tenantId, userId),
            ...(filter.status === undefined ? {} : { ":status": filter.status }),
            ...(filter.applicationId === undefined ? {} : { ":app": filter.applicationId }),
          },
          ScanIndexForward: false,
          Limit: limit,
          ...(start ? { ExclusiveStartKey: start } : {}),
        }),
      );
      const items = (out.Items ?? []).map((i) => this.#live(i)).filter((i): i is JobRecord => i !== undefined);
      const next = encodeCursor(out.LastEvaluatedKey);
      return next ? { items, cursor: next } : { items };
    } catch (error) {
      throw dependencyFailure("DynamoDB Query (jobs by user)", error);
    }
  }

  async listForErasure(tenantId: string, userId: string): Promise<JobErasureRef[]> {
    const items = await queryAll(
      this.#db,
      {
        TableName: this.#table,
        IndexName: this.#byUserIndex,
        KeyConditionExpression: "userKey = :uk",
        ExpressionAttributeValues: { ":uk": userKey(tenantId, userId) },
      },
      "jobs by user, for a deletion",
    );
    return items.map((i) => ({
      jobId: String(i["jobId"]),
      createdAt: String(i["createdAt"]),
      attempts: Number(i["attempts"] ?? 0),
    }));
  }

  async remove(tenantId: string, jobId: string): Promise<void> {
    try {
      await this.#db.send(new DeleteCommand({ TableName: this.#table, Key: jobKey(tenantId, jobId) }));
    } catch (error) {
      throw dependencyFailure("DynamoDB DeleteItem (job)", error);
    }
  }

  async #getRaw(tenantId: string, jobId: string): Promise<JobRecord | undefined> {
    try {
      const out = await this.#db.send(
        new GetCommand({ TableName: this.#table, Key: jobKey(tenantId, jobId), ConsistentRead: true }),
      );
      return this.#live(out.Item);
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
    return conditionalWrite(
      () =>
        this.#db.send(
          new UpdateCommand({
            TableName: this.#table,
            Key: jobKey(tenantId, jobId),
            ConditionExpression: `attribute_exists(jobId) AND ${condition}`,
            UpdateExpression: update,
            ExpressionAttributeNames: names,
            ExpressionAttributeValues: values,
          }),
        ),
      "DynamoDB UpdateItem (job transition)",
    );
  }
}
