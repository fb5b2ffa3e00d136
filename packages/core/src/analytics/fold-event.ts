/**
 * Folds one analytics-events.fifo record into the weekly aggregates, exactly
 * once, with single-item conditional writes only (no transactions: dynalite
 * has none).
 *
 * ## Protocol (per record)
 *
 *   1. `events.putOnce`   raw event, `attribute_not_exists` on tenantId+eventId (an expired copy counts as absent);
 *                         records the owner: the MessageGroupId and SequenceNumber of the first message.
 *                         Existing and folded → 4'. Existing, unfolded, other group → skip (the owner will fold it).
 *   2. `aggregates.apply` ONE UpdateItem on item (week, shard) of the event:
 *                         `ADD <counters>, pending :{eventKey}` IF `NOT contains(pending, :eventKey)`.
 *                         Condition failure = this event's increments are already in the item.
 *   3. `events.markFolded` raw event `folded = true` (permanent dedup record, lives for the TTL).
 *   4. `aggregates.settle` `DELETE pending :{eventKey}` — keeps `pending` small.
 *   4'. (duplicate) settle only, in case the crash came between 3 and 4.
 *
 * ## Why exactly once
 *
 * (A) Each event has exactly one aggregate item: the week of the *stored* copy's
 *     `occurredAt` and a shard hashed from tenantId+eventId — never from the
 *     carrying message, so every message carrying the event targets that item.
 * (B) An event's increments enter its item only through a successful `apply`,
 *     which atomically adds the event key to `pending`. The key leaves `pending`
 *     only through `settle`, and `settle` runs only after `folded = true` is
 *     durable; `folded` is never reset.
 * (C) At most one processor of an event is live at a time. Only messages of the
 *     owner group get past step 1. SQS FIFO hands out no message of a group
 *     while another of that group is in flight; Lambda processes a group's
 *     records in order in one invocation; the invocation ends (or is killed at
 *     its timeout) before the visibility timeout (≥ 6 × function timeout, see
 *     topology) lets the message be received again; a DLQ message is moved —
 *     and redriven, keeping its group — only after its last receive expired.
 * At most once: suppose two `apply`s of an event succeed, at t1 < t2. The second
 * needs the key out of `pending`, so a `settle` ran in between, so `folded` was
 * true before t2. The second processor read `folded = false` in step 1, before
 * that — so both processors were live at once, contradicting (C).
 * At least once: a processor acknowledges the record only after step 4. A crash
 * before 2 leaves nothing in the item → the rerun applies. A crash between 2
 * and 3 leaves the key pending → the rerun's apply reports "already-applied" and
 * goes on to 3–4. A crash after 3 → the rerun takes 4'. Reruns come from
 * redelivery (same SequenceNumber) or DLQ redrive (new messageId, new higher
 * SequenceNumber) — neither matters, because nothing is keyed on them.
 * `pending` holds only events between 2 and 4 of a live or crashed-and-not-yet-
 * rerun processor, so it stays tiny.
 *
 * ## Why not a SequenceNumber high-water mark on the aggregate item
 *
 * `SET seq = :seq IF seq < :seq` is exactly-once only for an item written by
 * ONE ordered stream. With a bounded number of items per week (the reporter's
 * read must not grow with volume) many message groups share an item, and
 * groups advance independently: group A's older number routinely arrives after
 * group B's newer one, and a single mark would drop A's event. A mark per
 * group inside the item grows with the number of active users (400 KB limit);
 * an item per group makes the reporter's read unbounded. And a DLQ redrive
 * carries a NEW, higher SequenceNumber, so no seq mark can tell that a redriven
 * event was already folded — the event id must be in the check anyway. The
 * SequenceNumber (zero-padded, compared as a string) is kept on the raw event to
 * identify the owner message; exactness rests on the event key.
 *
 * Limits: the dedup record is the raw event, which lives for its TTL (default
 * 14 days from storing). A FIFO DLQ resets a message's enqueue time, so a
 * message can outlive it (redriven late, or redriven again and again). Hence
 * the staleness rule: a message first received (`receivedAt`, fixed at ingress,
 * and for outcome events the job's finish time) longer ago than the dedup
 * window is not folded ("stale") — its event may have been counted already
 * and there is no record left to tell. The first storing is never earlier than
 * `receivedAt`, so any younger message still finds the record if one was made.
 * A producer re-sending an eventId after the TTL is counted as a new event.
 * An event whose owner message stays in the DLQ is counted when it is redriven.
 */

import type { AnalyticsEventMessage } from "../contracts/messages.ts";
import { ValidationError } from "../errors.ts";
import { incrementsFor } from "./aggregate.ts";
import type { AggregateStore, EventStore } from "./ports.ts";

/** SequenceNumbers are up to 128-bit decimal strings (≤ 39 digits); padded to 40 they compare as strings. */
export const SEQUENCE_NUMBER_WIDTH = 40;

export const padSequenceNumber = (sequenceNumber: string): string => {
  if (!/^\d{1,40}$/.test(sequenceNumber)) {
    throw new ValidationError([
      { path: "attributes.SequenceNumber", rule: "sequence_number", message: "must be 1 to 40 decimal digits" },
    ]);
  }
  return sequenceNumber.padStart(SEQUENCE_NUMBER_WIDTH, "0");
};

/** One analytics-events.fifo record, body already parsed and validated. */
export interface AnalyticsRecord {
  readonly body: AnalyticsEventMessage;
  readonly sequenceNumber: string;
  readonly messageGroupId: string;
}

export interface FoldPorts {
  readonly events: EventStore;
  readonly aggregates: AggregateStore;
}

export type FoldOutcome =
  /** Counted now. */
  | "folded"
  /** A previous run counted it and crashed before marking; this run finished the bookkeeping. */
  | "recovered"
  /** Already counted; nothing added. */
  | "duplicate"
  /** Stored by another message group that has not folded it yet; that group's message will. */
  | "owned-elsewhere"
  /** Received longer ago than the dedup window: not counted (it may have been already). */
  | "stale";

export interface FoldOptions {
  readonly now: Date;
  /** How long the dedup record (the raw event) lives: the raw event TTL. */
  readonly dedupWindowMs: number;
}

/**
 * Folds one record. Throws (retryable DependencyError from the adapters) when a
 * write fails; the record must then be reported as a batch item failure.
 *
 * @example
 *   for (const r of records) await foldAnalyticsRecord({ events, aggregates }, {
 *     body: AnalyticsEventMessage.parse(JSON.parse(r.body)),
 *     sequenceNumber: r.attributes.SequenceNumber!, messageGroupId: r.attributes.MessageGroupId!,
 *   });
 */
export async function foldAnalyticsRecord(
  ports: FoldPorts,
  record: AnalyticsRecord,
  options?: FoldOptions,
): Promise<FoldOutcome> {
  const { body, messageGroupId } = record;
  // An hour of margin for clocks: the record is stored after receivedAt, never before.
  if (options && options.now.getTime() - Date.parse(body.receivedAt) > options.dedupWindowMs - 3_600_000) {
    return "stale";
  }
  const sequenceNumber = padSequenceNumber(record.sequenceNumber);
  const fresh = incrementsFor(body);
  const put = await ports.events.putOnce({
    tenantId: body.tenantId,
    eventId: body.event.eventId,
    groupId: messageGroupId,
    sequenceNumber,
    week: fresh.week,
    shard: fresh.shard,
    message: body,
  });
  let inc = fresh;
  if (!put.created) {
    const existing = put.existing;
    // The stored copy is the event: a resend with different content must not change what is counted.
    inc = incrementsFor(existing.message);
    if (existing.folded) {
      await ports.aggregates.settle(inc.week, inc.shard, inc.eventKey);
      return "duplicate";
    }
    if (existing.groupId !== messageGroupId) return "owned-elsewhere";
  }
  const applied = await ports.aggregates.apply(inc);
  await ports.events.markFolded(body.tenantId, body.event.eventId);
  await ports.aggregates.settle(inc.week, inc.shard, inc.eventKey);
  return applied === "applied" ? "folded" : "recovered";
}
