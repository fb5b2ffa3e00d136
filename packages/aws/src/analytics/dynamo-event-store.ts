import { type DynamoDBDocumentClient, GetCommand, PutCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { AnalyticsEventMessage } from "@cvpipe/core/contracts/analytics-event-message";
import type {
  EventBatchStore,
  EventRef,
  EventStore,
  NewEvent,
  PutOnceOutcome,
  StoredEvent,
} from "@cvpipe/core/ports/analytics-stores";
import type { Clock } from "@cvpipe/core/ports/clock";
import { DAY_SECONDS, epochSeconds, expired } from "@cvpipe/core/ttl";
import { conditionalWrite, dependencyFailure, isConditionalCheckFailed } from "../aws-errors.ts";
import { batchGet, batchWrite } from "./batch-requests.ts";

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

/** How long after storing an item this store may still write it back whole, and how long it must still live. */
const WRITE_BACK_MARGIN_MS = 3_600_000;
/** Items remembered for write-back (a batch's worth many times over; the oldest are forgotten first). */
const WRITE_BACK_ITEMS = 5_000;

/**
 * The raw events table (`tenantId` + `eventId`). Every read treats an item
 * past `expiresAt` as absent: TTL deletion is up to 48 h late on AWS and never
 * happens in the emulators. Every write is conditional, with one exception
 * that changes nothing but `folded`: `markFoldedEach` writes an item this
 * store created itself less than an hour ago, with more than an hour to live,
 * back whole with `folded = true` — in BatchWriteItems of 25 — since `folded`
 * (false → true, never back) is the only attribute of a stored event that
 * ever changes, and the copy cannot have been replaced by a later one (that
 * needs it to expire first). Every other mark is the conditional UpdateItem.
 */
export class DynamoEventStore implements EventStore, EventBatchStore {
  readonly #db: DynamoDBDocumentClient;
  readonly #table: string;
  readonly #ttlSeconds: number;
  readonly #tailorTtlSeconds: number;
  readonly #clock: Clock;
  /** Items this store created, by key, with when: what markFoldedEach may write back whole. */
  readonly #written = new Map<string, { readonly item: Record<string, unknown>; readonly at: number }>();

  constructor(db: DynamoDBDocumentClient, options: DynamoEventStoreOptions) {
    this.#db = db;
    this.#table = options.tableName;
    const days = options.ttlDays;
    if (!(days > 0)) throw new RangeError(`DynamoEventStore: ttlDays must be positive, got ${days}`);
    this.#ttlSeconds = Math.round(days * DAY_SECONDS);
    const tailorDays = options.tailorTtlDays;
    if (!(tailorDays > 0)) throw new RangeError(`DynamoEventStore: tailorTtlDays must be positive, got ${tailorDays}`);
    this.#tailorTtlSeconds = Math.round(tailorDays * DAY_SECONDS);
    this.#clock = options.clock;
  }

  async putOnce(event: NewEvent): Promise<PutOnceOutcome> {
    // Two attempts: the second only when the first collided with an item that expired in between.
    for (let attempt = 0; attempt < 2; attempt++) {
      const now = this.#clock.now();
      const nowSeconds = epochSeconds(now);
      const item = {
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
      };
      try {
        await this.#db.send(
          new PutCommand({
            TableName: this.#table,
            Item: item,
            // An expired copy is gone as far as cvpipe is concerned, even if TTL has not deleted it yet.
            ConditionExpression: "attribute_not_exists(eventId) OR expiresAt <= :now",
            ExpressionAttributeValues: { ":now": nowSeconds },
          }),
        );
        this.#remember(item, now.getTime());
        return { created: true };
      } catch (error) {
        if (!isConditionalCheckFailed(error)) throw dependencyFailure("DynamoDB PutItem (analytics event)", error);
      }
      const existing = await this.get(event.tenantId, event.eventId);
      if (existing) return { created: false, existing };
    }
    throw dependencyFailure("DynamoDB PutItem (analytics event)", new Error("item kept changing under the write"));
  }

  /** putOnce of each, side by side (a conditional write has no batch form). */
  putEach(events: readonly NewEvent[]): Promise<PromiseSettledResult<PutOnceOutcome>[]> {
    return Promise.allSettled(events.map((e) => this.putOnce(e)));
  }

  /** Strongly consistent BatchGetItems of 100. */
  async getEach(refs: readonly EventRef[]): Promise<(StoredEvent | undefined)[]> {
    const items = await batchGet(
      this.#db,
      this.#table,
      refs.map((r) => ({ tenantId: r.tenantId, eventId: r.eventId })),
      {},
      "DynamoDB BatchGetItem (analytics events)",
    );
    const byKey = new Map(items.map((item) => [`${item["tenantId"]}#${item["eventId"]}`, item]));
    return refs.map((r) => this.#decode(byKey.get(`${r.tenantId}#${r.eventId}`)));
  }

  /** Items this store wrote lately: back whole in BatchWriteItems of 25 (see the class); others one by one. */
  async markFoldedEach(refs: readonly EventRef[]): Promise<void> {
    const now = this.#clock.now().getTime();
    const whole: Record<string, unknown>[] = [];
    const single: EventRef[] = [];
    const seen = new Set<string>();
    for (const ref of refs) {
      const key = `${ref.tenantId}#${ref.eventId}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const written = this.#written.get(key);
      const fresh =
        written !== undefined &&
        now - written.at < WRITE_BACK_MARGIN_MS &&
        Number(written.item["expiresAt"]) * 1000 - now > WRITE_BACK_MARGIN_MS;
      if (fresh) whole.push({ ...written.item, folded: true, foldedAt: new Date(now).toISOString() });
      else single.push(ref);
    }
    await Promise.all([
      batchWrite(this.#db, this.#table, whole, "DynamoDB BatchWriteItem (mark events folded)"),
      ...single.map((r) => this.markFolded(r.tenantId, r.eventId)),
    ]);
    for (const key of seen) this.#written.delete(key);
  }

  #remember(item: Record<string, unknown>, at: number): void {
    const key = `${item["tenantId"]}#${item["eventId"]}`;
    this.#written.delete(key);
    this.#written.set(key, { item, at });
    for (const oldest of this.#written.keys()) {
      if (this.#written.size <= WRITE_BACK_ITEMS) break;
      this.#written.delete(oldest);
    }
  }

  async markFolded(tenantId: string, eventId: string): Promise<void> {
    await conditionalWrite(
      () =>
        this.#db.send(
          new UpdateCommand({
            TableName: this.#table,
            Key: { tenantId, eventId },
            UpdateExpression: "SET folded = :true, foldedAt = :at",
            // Never create a bare item: the event must have been stored first.
            ConditionExpression: "attribute_exists(eventId)",
            ExpressionAttributeValues: { ":true": true, ":at": this.#clock.now().toISOString() },
          }),
        ),
      "DynamoDB UpdateItem (mark event folded)",
    );
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
    return this.#decode(item);
  }

  #decode(item: Record<string, unknown> | undefined): StoredEvent | undefined {
    if (!item) return undefined;
    if (expired(item, epochSeconds(this.#clock.now()))) return undefined;
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
