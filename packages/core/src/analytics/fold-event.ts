/**
 * Folds one analytics-events.fifo record into the weekly aggregates, exactly
 * once, with single-item conditional writes only (no transactions: dynalite
 * has none) — and without assuming one processor of an event at a time.
 *
 * ## Protocol (per event)
 *
 *   0. `aggregates.fence`   read the event's fence slot `f` in its aggregate item (before anything else).
 *   1. `events.putOnce`     raw event, `attribute_not_exists` on tenantId+eventId (an expired copy counts as
 *                           absent); a copy already there is the event from then on. Folded → 4'.
 *   2. `aggregates.apply`   ONE UpdateItem on item (week, shard) of the event:
 *                           `ADD <counters>, pending :{eventKey}` IF `NOT contains(pending, :eventKey)` AND
 *                           the fence slot still holds `f`. Pending already → "already-applied" (a crashed
 *                           run's increments are in); fence moved → back to 0.
 *   3. `events.markFolded`  raw event `folded = true` (permanent dedup record, lives for the TTL).
 *   4. `aggregates.settle`  `DELETE pending :{eventKey}, ADD <fence slot> 1` — one write.
 *   4'. (duplicate) settle only, in case the crash came between 3 and 4.
 *
 * ## Why exactly once
 *
 * (A) Each event has exactly one aggregate item: the week of the *stored* copy's
 *     `occurredAt` and a shard hashed from tenantId+eventId — never from the
 *     carrying message, so every message carrying the event targets that item.
 * (B) An event's increments enter its item only through a successful `apply`,
 *     which atomically adds the event key to `pending`. The key leaves `pending`
 *     only through `settle`, which runs only after `folded = true` is durable
 *     (`folded` is never reset), and which advances the event's fence slot in
 *     the same write. Fence slots only ever grow.
 * At most once: suppose two `apply`s of an event succeed, at t1 < t2, by
 * processors P1 and P2. P2's needs the key out of `pending`, so a `settle` S ran
 * in (t1, t2), after `folded = true` was written at tM < tS. P2's apply also
 * needs the fence slot unchanged since P2 read it, at ta2; S advanced it, so
 * ta2 > tS > tM. P2 then observed the raw event unfolded (step 1, after ta2) —
 * after tM. Contradiction. This holds for any number of processors running at
 * once, in any groups: a delivery delayed past the visibility timeout, an
 * overrunning local handler, a redrive racing a late retry.
 * At least once: a processor acknowledges the record only after step 4. A crash
 * before 2 leaves nothing in the item → the rerun applies. A crash between 2
 * and 3 leaves the key pending → the rerun's apply reports "already-applied" and
 * goes on to 3–4. A crash after 3 → the rerun takes 4'. Reruns come from
 * redelivery (same SequenceNumber) or DLQ redrive (new messageId, new higher
 * SequenceNumber) — neither matters, because nothing is keyed on them.
 * A moved fence means only that some event of the same slot settled meanwhile;
 * the processor starts over (bounded), so `FENCE_SLOTS` per item keep retries rare.
 *
 * ## A job's final outcome, once: retractions
 *
 * A job can end more than once: it FAILS for a retryable reason (out of
 * attempts), its message goes to the DLQ, an operator redrives it, and it
 * SUCCEEDS. Each ending is its own outcome event (`tailoring-outcome-<jobId>-<attempt>`),
 * and a later ending is published together with a retraction of every earlier
 * one (`tailoring-retraction-<jobId>-<attempt>`, carrying the outcome it takes
 * back). Folding a retraction first folds the superseded outcome (exactly
 * once, from the copy it carries — a no-op when it is already counted), then
 * adds its negation as an event of its own (exactly once by the retraction's
 * id). Net: every ending but the last counts 0, whichever of them arrived,
 * in whatever order, once or many times. The alternative — publish nothing
 * for a failure that may still be redriven — would leave a failure that is
 * never redriven out of the report for ever; a week's failures are what its
 * readers most need to see.
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
 * fence slots are bounded (`FENCE_SLOTS` numbers per item) whatever the volume.
 *
 * Limits: the dedup record is the raw event, which lives for its TTL (default
 * 14 days from storing for producer events; for cvpipe's own outcome and
 * retraction events 45 days — a job's 30-day life plus a DLQ stay — so that a
 * retraction re-published or redriven late still finds the record of the
 * outcome it takes back, and every message of one job's endings is judged
 * against the same window: each carries its outcome's finish time as
 * `receivedAt`, a retraction the time of the outcome it supersedes). A FIFO DLQ resets a message's enqueue time, so a
 * message can outlive it (redriven late, or redriven again and again). Hence
 * the staleness rule: a message first received (`receivedAt`, fixed at ingress,
 * and for outcome events the job's finish time) longer ago than the dedup
 * window is not folded ("stale") — its event may have been counted already
 * and there is no record left to tell. The first storing is never earlier than
 * `receivedAt`, so any younger message still finds the record if one was made.
 * A producer re-sending an eventId after the TTL is counted as a new event.
 * An event whose only message stays in the DLQ is counted when it is redriven.
 */

import { isRetractionEvent } from "../contracts/analytics-event.ts";
import type { AnalyticsEventMessage } from "../contracts/messages.ts";
import { DependencyError, ValidationError } from "../errors.ts";
import { type AggregateIncrements, incrementsFor } from "./aggregate.ts";
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
  /** Received longer ago than the dedup window: not counted (it may have been already). */
  | "stale";

export interface FoldOptions {
  readonly now: Date;
  /** How long the dedup record (the raw event) of a producer event lives: its TTL. */
  readonly dedupWindowMs: number;
  /**
   * The same for cvpipe's own events (outcomes, retractions): their records must
   * outlive every message that can still carry them — a job's life (its TTL) plus
   * a DLQ stay — because a retraction re-folds the outcome it carries and only
   * that record tells it the outcome was counted already. Default `dedupWindowMs`.
   */
  readonly tailorDedupWindowMs?: number;
}

/** The dedup window that applies to a message (see FoldOptions). */
export const dedupWindowFor = (body: AnalyticsEventMessage, options: FoldOptions): number =>
  body.source === "tailor" ? (options.tailorDedupWindowMs ?? options.dedupWindowMs) : options.dedupWindowMs;

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
  const { body } = record;
  // An hour of margin for clocks: the record is stored after receivedAt, never before.
  // A retraction's receivedAt is its superseded outcome's (fixed for ever): one check covers both.
  if (options && options.now.getTime() - Date.parse(body.receivedAt) > dedupWindowFor(body, options) - 3_600_000) {
    return "stale";
  }
  const sequenceNumber = padSequenceNumber(record.sequenceNumber);
  if (isRetractionEvent(body.event)) {
    // What is taken back must have been counted: count it (once) if it never arrived.
    await foldOnce(ports, { ...record, sequenceNumber, body: { ...body, event: body.event.supersedes } });
  }
  return foldOnce(ports, { ...record, sequenceNumber });
}

/** Attempts per event when fences keep moving under it (other events of its slot settling). */
const MAX_FENCE_ROUNDS = 8;

const sameSlot = (a: AggregateIncrements, b: AggregateIncrements): boolean =>
  a.week === b.week && a.shard === b.shard && a.eventKey === b.eventKey;

/** Steps 0–4 for one event; `record.sequenceNumber` already padded. */
async function foldOnce(ports: FoldPorts, record: AnalyticsRecord): Promise<FoldOutcome> {
  const { body, messageGroupId, sequenceNumber } = record;
  const fresh = incrementsFor(body);
  for (let round = 0; round < MAX_FENCE_ROUNDS; round++) {
    // The fence is read BEFORE the raw event is seen unfolded: that order is the proof.
    let fence = await ports.aggregates.fence(fresh.week, fresh.shard, fresh.eventKey);
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
      // The stored copy is the event: a resend with different content must not change what is counted.
      inc = incrementsFor(put.existing.message);
      let existing = put.existing;
      if (!sameSlot(inc, fresh)) {
        fence = await ports.aggregates.fence(inc.week, inc.shard, inc.eventKey);
        const reread = await ports.events.get(body.tenantId, body.event.eventId);
        if (!reread) continue;
        existing = reread;
      }
      if (existing.folded) {
        await ports.aggregates.settle(inc.week, inc.shard, inc.eventKey);
        return "duplicate";
      }
    }
    const applied = await ports.aggregates.apply(inc, fence);
    if (applied === "fence-moved") continue;
    await ports.events.markFolded(body.tenantId, body.event.eventId);
    await ports.aggregates.settle(inc.week, inc.shard, inc.eventKey);
    return applied === "applied" ? "folded" : "recovered";
  }
  throw new DependencyError(
    `analytics fold of ${body.event.eventId}: its aggregate's fence kept moving (${MAX_FENCE_ROUNDS} rounds); retry`,
  );
}
