import {
  type DynamoDBDocumentClient,
  GetCommand,
  QueryCommand,
  type QueryCommandOutput,
  UpdateCommand,
} from "@aws-sdk/lib-dynamodb";
import {
  type AggregateIncrements,
  type AggregateItem,
  fenceAttribute,
  isMetaAttribute,
} from "@cvpipe/core/analytics/aggregate";
import { type IsoWeek, isoWeekEnd } from "@cvpipe/core/analytics/iso-week";
import type { AggregateReader, AggregateStore, ApplyOutcome } from "@cvpipe/core/analytics/ports";
import type { Clock } from "@cvpipe/core/ports/clock";
import { dependencyFailure, isConditionalCheckFailed } from "../aws-errors.ts";

export interface DynamoAggregateStoreOptions {
  /** The aggregates table's physical name (the function's configuration). */
  readonly tableName: string;
  /** Days after the end of its week an aggregate item is kept (TTL `expiresAt`). Default 400 (a year of deltas). */
  readonly retentionDays?: number;
  readonly clock: Clock;
}

/** A year of week-over-week deltas, and a little more. */
export const AGGREGATE_RETENTION_DAYS = 400;

/**
 * The weekly aggregates table (`week` + `shard`). `apply` is the single
 * conditional UpdateItem that makes the fold exactly-once (argument in
 * `@cvpipe/core/analytics/fold-event`): counters are `ADD`ed and the event key
 * joins the `pending` string set in the same write, unless it is already there
 * or the event's fence slot (`f_NNN`) moved since the caller read it.
 */
export class DynamoAggregateStore implements AggregateStore, AggregateReader {
  readonly #db: DynamoDBDocumentClient;
  readonly #table: string;
  readonly #retentionSeconds: number;
  readonly #clock: Clock;

  constructor(db: DynamoDBDocumentClient, options: DynamoAggregateStoreOptions) {
    this.#db = db;
    this.#table = options.tableName;
    this.#retentionSeconds = Math.round((options.retentionDays ?? AGGREGATE_RETENTION_DAYS) * 86_400);
    this.#clock = options.clock;
  }

  async fence(week: IsoWeek, shard: string, eventKey: string): Promise<number> {
    const item = await this.#slotState(week, shard, eventKey, "fence read");
    return item.fence;
  }

  async #slotState(
    week: IsoWeek,
    shard: string,
    eventKey: string,
    what: string,
  ): Promise<{ fence: number; pending: boolean }> {
    const fence = fenceAttribute(eventKey);
    try {
      const out = await this.#db.send(
        new GetCommand({
          TableName: this.#table,
          Key: { week, shard },
          ConsistentRead: true,
          ProjectionExpression: "#fence, #pending",
          ExpressionAttributeNames: { "#fence": fence, "#pending": "pending" },
        }),
      );
      const value = out.Item?.[fence];
      const pending = out.Item?.["pending"];
      return {
        fence: typeof value === "number" ? value : 0,
        pending: pending instanceof Set && pending.has(eventKey),
      };
    } catch (error) {
      throw dependencyFailure(`DynamoDB GetItem (aggregate ${what})`, error);
    }
  }

  async apply(inc: AggregateIncrements, fence: number): Promise<ApplyOutcome> {
    const names: Record<string, string> = {
      "#pending": "pending",
      "#exp": "expiresAt",
      "#upd": "updatedAt",
      "#fence": fenceAttribute(inc.eventKey),
    };
    const values: Record<string, unknown> = {
      ":key": inc.eventKey,
      ":keySet": new Set([inc.eventKey]),
      ":exp": Math.floor(isoWeekEnd(inc.week).getTime() / 1000) + this.#retentionSeconds,
      ":now": this.#clock.now().toISOString(),
    };
    const adds = ["#pending :keySet"];
    Object.entries(inc.counters).forEach(([attribute, amount], i) => {
      names[`#c${i}`] = attribute;
      values[`:c${i}`] = amount;
      adds.push(`#c${i} :c${i}`);
    });
    const sets = ["#exp = if_not_exists(#exp, :exp)", "#upd = :now"];
    Object.entries(inc.names).forEach(([attribute, value], i) => {
      names[`#n${i}`] = attribute;
      values[`:n${i}`] = value;
      sets.push(`#n${i} = if_not_exists(#n${i}, :n${i})`);
    });
    try {
      await this.#db.send(
        new UpdateCommand({
          TableName: this.#table,
          Key: { week: inc.week, shard: inc.shard },
          UpdateExpression: `ADD ${adds.join(", ")} SET ${sets.join(", ")}`,
          // The event key stays in `pending` until its raw event is marked folded: a rerun finds it here.
          // The fence slot must be as the caller read it before seeing the raw event unfolded.
          ConditionExpression: `NOT contains(#pending, :key) AND ${fence === 0 ? "attribute_not_exists(#fence)" : "#fence = :fence"}`,
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: fence === 0 ? values : { ...values, ":fence": fence },
        }),
      );
      return "applied";
    } catch (error) {
      if (!isConditionalCheckFailed(error)) throw dependencyFailure("DynamoDB UpdateItem (fold aggregate)", error);
    }
    // Which half of the condition failed: pending is never removed before the fence moves, so
    // "pending" here means this event's increments are in.
    const state = await this.#slotState(inc.week, inc.shard, inc.eventKey, "fold check");
    return state.pending ? "already-applied" : "fence-moved";
  }

  async settle(week: IsoWeek, shard: string, eventKey: string): Promise<void> {
    try {
      await this.#db.send(
        new UpdateCommand({
          TableName: this.#table,
          Key: { week, shard },
          // Forgetting the marker and moving the fence in ONE write is what fences out a processor
          // that saw the event unfolded before it was folded (fold-event.ts, "at most once").
          UpdateExpression: "DELETE #pending :keySet ADD #fence :one",
          // UpdateItem would otherwise create an empty item for an event whose aggregate expired.
          ConditionExpression: "attribute_exists(#week)",
          ExpressionAttributeNames: { "#pending": "pending", "#week": "week", "#fence": fenceAttribute(eventKey) },
          ExpressionAttributeValues: { ":keySet": new Set([eventKey]), ":one": 1 },
        }),
      );
    } catch (error) {
      if (isConditionalCheckFailed(error)) return;
      throw dependencyFailure("DynamoDB UpdateItem (settle aggregate)", error);
    }
  }

  /** All shard items of the week: one Query on the partition, at most SHARD_COUNT items. */
  async readWeek(week: IsoWeek): Promise<AggregateItem[]> {
    const nowSeconds = Math.floor(this.#clock.now().getTime() / 1000);
    const items: AggregateItem[] = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      let out: QueryCommandOutput;
      try {
        out = await this.#db.send(
          new QueryCommand({
            TableName: this.#table,
            KeyConditionExpression: "#week = :week",
            ExpressionAttributeNames: { "#week": "week" },
            ExpressionAttributeValues: { ":week": week },
            ConsistentRead: true,
            ...(startKey ? { ExclusiveStartKey: startKey } : {}),
          }),
        );
      } catch (error) {
        throw dependencyFailure("DynamoDB Query (weekly aggregates)", error);
      }
      for (const raw of out.Items ?? []) {
        // Emulators never delete expired items: filter on every read.
        if (typeof raw["expiresAt"] === "number" && raw["expiresAt"] <= nowSeconds) continue;
        items.push(decodeItem(raw));
      }
      startKey = out.LastEvaluatedKey;
    } while (startKey);
    return items;
  }
}

export const decodeItem = (raw: Record<string, unknown>): AggregateItem => {
  const counters: Record<string, number> = {};
  const names: Record<string, string> = {};
  for (const [k, v] of Object.entries(raw)) {
    if (isMetaAttribute(k)) continue;
    if (typeof v === "number") counters[k] = v;
    else if (typeof v === "string" && k.startsWith("kwn_")) names[k] = v;
  }
  return { week: String(raw["week"]), shard: String(raw["shard"]), counters, names };
};
