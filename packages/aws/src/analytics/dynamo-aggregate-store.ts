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
  FENCE_SLOTS,
  fenceAttribute,
  isMetaAttribute,
} from "@cvpipe/core/analytics/aggregate";
import { type IsoWeek, isoWeekEnd } from "@cvpipe/core/analytics/iso-week";
import type {
  AggregateBatchStore,
  AggregateReader,
  AggregateStore,
  ApplyEachResult,
  ApplyOutcome,
  SlotRef,
} from "@cvpipe/core/ports/analytics-stores";
import type { Clock } from "@cvpipe/core/ports/clock";
import { retention } from "@cvpipe/core/topology";
import { DAY_SECONDS, epochSeconds, expired } from "@cvpipe/core/ttl";
import { conditionalWrite, dependencyFailure, isConditionalCheckFailed } from "../aws-errors.ts";
import { batchGet } from "./batch-requests.ts";

export interface DynamoAggregateStoreOptions {
  /** The aggregates table's physical name (the function's configuration). */
  readonly tableName: string;
  /** Days after the end of its week an aggregate item is kept (TTL `expiresAt`). Default AGGREGATE_RETENTION_DAYS. */
  readonly retentionDays?: number;
  readonly clock: Clock;
}

/** The default of `retentionDays`: the topology's `retention.aggregateTtlDays` (a year of deltas, and a little more). */
export const AGGREGATE_RETENTION_DAYS = retention.aggregateTtlDays;

/**
 * Events per combined apply or settle: DynamoDB allows 4 KB per expression
 * and 300 operators in one; an event's condition is ~45 characters and 4
 * operators, its counters (summed with the others') a few more.
 */
const EVENTS_PER_WRITE = 20;
const MAX_EXPRESSION_CHARS = 3_500;

interface ApplyEntry {
  readonly inc: AggregateIncrements;
  readonly fence: number;
}

const itemKey = (week: string, shard: string): string => `${week}|${shard}`;

/** Every fence attribute of an item (`f_000` … `f_255`). */
const ALL_FENCES = Array.from({ length: FENCE_SLOTS }, (_, i) => `f_${String(i).padStart(3, "0")}`);

/** Items whose fences this store remembers (a few weeks of shards; the least recently used are forgotten). */
const REMEMBERED_ITEMS = 64;

const groupByItem = <T>(entries: readonly T[], item: (entry: T) => { week: string; shard: string }) => {
  const groups = new Map<string, { week: string; shard: string; indexes: number[] }>();
  entries.forEach((entry, i) => {
    const { week, shard } = item(entry);
    const key = itemKey(week, shard);
    const group = groups.get(key) ?? { week, shard, indexes: [] };
    group.indexes.push(i);
    groups.set(key, group);
  });
  return [...groups.values()];
};

/**
 * The weekly aggregates table (`week` + `shard`). `apply` is the single
 * conditional UpdateItem that makes the fold exactly-once (argument in
 * `@cvpipe/core/analytics/fold-event`): counters are `ADD`ed and the event key
 * joins the `pending` string set in the same write, unless it is already there
 * or the event's fence slot (`f_NNN`) moved since the caller read it.
 *
 * The batch operations (fold-stores.ts) do the same for many events: fences
 * in one strongly consistent BatchGetItem, and per item ONE UpdateItem that
 * applies (or settles) every event of it at once — the conjunction of each
 * event's own condition, so all-or-nothing; when it is refused the item is
 * read, each event is sorted out (pending → "already-applied", fence moved →
 * "fence-moved") and the rest written again.
 *
 * `fences` answers from what this store last observed of an item's fences —
 * a read of all of them, then the values its own refused applies read and its
 * own settles wrote (UPDATED_NEW) — and reads an item only the first time. A
 * remembered value is still a fence read: the slot held it at that moment,
 * before the caller looks at the raw event. If another writer has moved it
 * since, the apply is refused and the value read again: a stale value costs a
 * round trip, never a count.
 */
export class DynamoAggregateStore implements AggregateStore, AggregateBatchStore, AggregateReader {
  readonly #db: DynamoDBDocumentClient;
  readonly #table: string;
  readonly #retentionSeconds: number;
  readonly #clock: Clock;
  /** Fence values as last observed, by item (all of its slots, absent ones 0). */
  readonly #observed = new Map<string, Map<string, number>>();

  constructor(db: DynamoDBDocumentClient, options: DynamoAggregateStoreOptions) {
    this.#db = db;
    this.#table = options.tableName;
    this.#retentionSeconds = Math.round((options.retentionDays ?? AGGREGATE_RETENTION_DAYS) * DAY_SECONDS);
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
      ":exp": epochSeconds(isoWeekEnd(inc.week)) + this.#retentionSeconds,
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
    await conditionalWrite(
      () =>
        this.#db.send(
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
        ),
      "DynamoDB UpdateItem (settle aggregate)",
    );
  }

  /** Every slot's fence: as last observed, or one strongly consistent BatchGetItem of all fences of the items new to it. */
  async fences(slots: readonly SlotRef[]): Promise<number[]> {
    const unknown = groupByItem(slots, (s) => s).filter((g) => !this.#observed.has(itemKey(g.week, g.shard)));
    if (unknown.length > 0) {
      const items = await batchGet(
        this.#db,
        this.#table,
        unknown.map((g) => ({ week: g.week, shard: g.shard })),
        { attributes: ["week", "shard", ...ALL_FENCES] },
        "DynamoDB BatchGetItem (aggregate fence read)",
      );
      const byItem = new Map(items.map((item) => [itemKey(String(item["week"]), String(item["shard"])), item]));
      for (const g of unknown) {
        const item = byItem.get(itemKey(g.week, g.shard));
        const values = new Map<string, number>();
        for (const attribute of ALL_FENCES) {
          const value = item?.[attribute];
          if (typeof value === "number") values.set(attribute, value);
        }
        this.#remember(g.week, g.shard, values);
      }
    }
    return slots.map((s) => {
      const values = this.#observed.get(itemKey(s.week, s.shard));
      // Just remembered: most recently used now.
      if (values) this.#remember(s.week, s.shard, values);
      return values?.get(fenceAttribute(s.eventKey)) ?? 0;
    });
  }

  #remember(week: string, shard: string, values: Map<string, number>): void {
    const key = itemKey(week, shard);
    this.#observed.delete(key);
    this.#observed.set(key, values);
    for (const oldest of this.#observed.keys()) {
      if (this.#observed.size <= REMEMBERED_ITEMS) break;
      this.#observed.delete(oldest);
    }
  }

  /** Values read or written for some slots of an item whose fences are remembered. */
  #saw(week: string, shard: string, values: Record<string, unknown> | undefined, attributes: Iterable<string>): void {
    const remembered = this.#observed.get(itemKey(week, shard));
    if (!remembered) return;
    for (const attribute of attributes) {
      const value = values?.[attribute];
      remembered.set(attribute, typeof value === "number" ? value : 0);
    }
  }

  /** Per item, one conditional UpdateItem for all its entries (chunked to DynamoDB's expression limits). */
  async applyEach(entries: readonly ApplyEntry[]): Promise<ApplyEachResult[]> {
    const results: ApplyEachResult[] = entries.map(() => ({ failed: new Error("not attempted") }));
    await Promise.all(
      groupByItem(entries, (e) => e.inc).map(async ({ week, shard, indexes }) => {
        try {
          let todo = indexes;
          // Every refused write sorts out at least one entry (see #sortOut), so this ends.
          while (todo.length > 0) {
            const chunk = this.#applyChunk(
              week,
              shard,
              todo.map((i) => entries[i]!),
            );
            const written = await conditionalWrite(
              () => this.#db.send(this.#applyCommand(week, shard, chunk)),
              "DynamoDB UpdateItem (fold aggregate)",
            );
            const chunkIndexes = todo.slice(0, chunk.length);
            todo = todo.slice(chunk.length);
            if (written) {
              for (const i of chunkIndexes) results[i] = "applied";
              continue;
            }
            const retry = await this.#sortOut(week, shard, chunkIndexes, entries, results);
            todo = [...retry, ...todo];
          }
        } catch (failed) {
          for (const i of indexes) if (results[i] !== "applied") results[i] = { failed };
        }
      }),
    );
    return results;
  }

  /** Per item, one UpdateItem: the events' keys out of `pending`, each fence slot advanced by its events. */
  async settleEach(slots: readonly SlotRef[]): Promise<void> {
    await Promise.all(
      groupByItem(slots, (s) => s).map(async ({ week, shard, indexes }) => {
        const keys = [...new Set(indexes.map((i) => slots[i]!.eventKey))];
        for (let c = 0; c < keys.length; c += 5 * EVENTS_PER_WRITE) {
          const chunk = keys.slice(c, c + 5 * EVENTS_PER_WRITE);
          const bySlot = new Map<string, number>();
          for (const key of chunk) bySlot.set(fenceAttribute(key), (bySlot.get(fenceAttribute(key)) ?? 0) + 1);
          const names: Record<string, string> = { "#pending": "pending", "#week": "week" };
          const values: Record<string, unknown> = { ":keys": new Set(chunk) };
          const adds = [...bySlot].map(([attribute, n], i) => {
            names[`#f${i}`] = attribute;
            values[`:f${i}`] = n;
            return `#f${i} :f${i}`;
          });
          let after: Record<string, unknown> | undefined;
          const written = await conditionalWrite(async () => {
            const out = await this.#db.send(
              new UpdateCommand({
                TableName: this.#table,
                Key: { week, shard },
                // As settle: the markers leave and the fences move in ONE write.
                UpdateExpression: `DELETE #pending :keys ADD ${adds.join(", ")}`,
                ConditionExpression: "attribute_exists(#week)",
                ExpressionAttributeNames: names,
                ExpressionAttributeValues: values,
                ReturnValues: "UPDATED_NEW",
              }),
            );
            after = out.Attributes;
          }, "DynamoDB UpdateItem (settle aggregate)");
          if (written) this.#saw(week, shard, after, bySlot.keys());
        }
      }),
    );
  }

  /** The longest prefix of `entries` that fits one write. */
  #applyChunk(week: IsoWeek, shard: string, entries: readonly ApplyEntry[]): readonly ApplyEntry[] {
    let n = Math.min(entries.length, EVENTS_PER_WRITE);
    while (n > 1) {
      const { UpdateExpression, ConditionExpression } = this.#applyCommand(week, shard, entries.slice(0, n)).input;
      if (
        (UpdateExpression?.length ?? 0) <= MAX_EXPRESSION_CHARS &&
        (ConditionExpression?.length ?? 0) <= MAX_EXPRESSION_CHARS
      )
        break;
      n = Math.ceil(n / 2);
    }
    return entries.slice(0, Math.max(1, n));
  }

  /** apply's UpdateItem for several events of one item: counters summed, every event's condition. */
  #applyCommand(week: IsoWeek, shard: string, entries: readonly ApplyEntry[]): UpdateCommand {
    const names: Record<string, string> = { "#pending": "pending", "#exp": "expiresAt", "#upd": "updatedAt" };
    const values: Record<string, unknown> = {
      ":keySet": new Set(entries.map((e) => e.inc.eventKey)),
      ":exp": epochSeconds(isoWeekEnd(week)) + this.#retentionSeconds,
      ":now": this.#clock.now().toISOString(),
    };
    const counters = new Map<string, number>();
    const keywordNames = new Map<string, string>();
    for (const { inc } of entries) {
      for (const [attribute, amount] of Object.entries(inc.counters))
        counters.set(attribute, (counters.get(attribute) ?? 0) + amount);
      for (const [attribute, value] of Object.entries(inc.names))
        if (!keywordNames.has(attribute)) keywordNames.set(attribute, value);
    }
    const adds = ["#pending :keySet"];
    [...counters].forEach(([attribute, amount], i) => {
      names[`#c${i}`] = attribute;
      values[`:c${i}`] = amount;
      adds.push(`#c${i} :c${i}`);
    });
    const sets = ["#exp = if_not_exists(#exp, :exp)", "#upd = :now"];
    [...keywordNames].forEach(([attribute, value], i) => {
      names[`#n${i}`] = attribute;
      values[`:n${i}`] = value;
      sets.push(`#n${i} = if_not_exists(#n${i}, :n${i})`);
    });
    // Each event's own condition: not pending here, its fence slot as the caller read it.
    const fenceNames = new Map<string, string>();
    const conditions = entries.map(({ inc, fence }, i) => {
      const attribute = fenceAttribute(inc.eventKey);
      let name = fenceNames.get(attribute);
      if (name === undefined) {
        name = `#f${fenceNames.size}`;
        fenceNames.set(attribute, name);
        names[name] = attribute;
      }
      values[`:k${i}`] = inc.eventKey;
      if (fence === 0) return `NOT contains(#pending, :k${i}) AND attribute_not_exists(${name})`;
      values[`:v${i}`] = fence;
      return `NOT contains(#pending, :k${i}) AND ${name} = :v${i}`;
    });
    return new UpdateCommand({
      TableName: this.#table,
      Key: { week, shard },
      UpdateExpression: `ADD ${adds.join(", ")} SET ${sets.join(", ")}`,
      ConditionExpression: conditions.join(" AND "),
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: values,
    });
  }

  /**
   * After a refused combined apply: reads the item and settles each entry that no longer holds —
   * pending already ("already-applied": pending is never removed before the fence moves, so its
   * increments are in) or its fence moved — returning the entries whose condition still holds.
   */
  async #sortOut(
    week: IsoWeek,
    shard: string,
    indexes: readonly number[],
    entries: readonly ApplyEntry[],
    results: ApplyEachResult[],
  ): Promise<number[]> {
    const [item] = await batchGet(
      this.#db,
      this.#table,
      [{ week, shard }],
      { attributes: ["pending", ...new Set(indexes.map((i) => fenceAttribute(entries[i]!.inc.eventKey)))] },
      "DynamoDB GetItem (aggregate fold check)",
    );
    this.#saw(
      week,
      shard,
      item,
      indexes.map((i) => fenceAttribute(entries[i]!.inc.eventKey)),
    );
    const pending = item?.["pending"];
    const retry: number[] = [];
    for (const i of indexes) {
      const { inc, fence } = entries[i]!;
      const value = item?.[fenceAttribute(inc.eventKey)];
      if (pending instanceof Set && pending.has(inc.eventKey)) results[i] = "already-applied";
      else if ((typeof value === "number" ? value : 0) !== fence) results[i] = "fence-moved";
      else retry.push(i);
    }
    if (retry.length === indexes.length) {
      // Every condition holds now, so the write met a state that has passed: impossible with pending
      // only ever removed together with a fence move, and fences only growing. Refuse to loop.
      throw dependencyFailure("DynamoDB UpdateItem (fold aggregate)", new Error("refused, yet every condition holds"));
    }
    return retry;
  }

  /** All shard items of the week: one Query on the partition, at most SHARD_COUNT items. */
  async readWeek(week: IsoWeek): Promise<AggregateItem[]> {
    const nowSeconds = epochSeconds(this.#clock.now());
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
        if (expired(raw, nowSeconds)) continue;
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
