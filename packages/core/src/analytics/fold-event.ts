/**
 * Folds analytics-events.fifo records into the weekly aggregates, exactly
 * once, with single-item conditional writes only (no transactions: dynalite
 * has none) — and without assuming one processor of an event at a time. A
 * batch of records (one Lambda invocation's) is folded together: each step
 * below runs for every event of the batch at once, so a batch costs one
 * aggregate write per item touched instead of three per event.
 *
 * ## Protocol (per event; the batch runs each step for all its events together)
 *
 *   0. `fence`        read the event's fence slot `f` in its target item (before anything else). One
 *                     read per item for the whole batch.
 *   1. `putOnce`      raw event, `attribute_not_exists` on tenantId+eventId (an expired copy counts as
 *                     absent); a copy already there is the event from then on — its week, and the shard
 *                     it was stored with, name its item. Another item than the target → 0 for that item,
 *                     then re-read the copy. Folded → 4'. One conditional PutItem per event.
 *   2. `apply`        ONE UpdateItem per item, for every event of the batch in it:
 *                     `ADD <summed counters>, pending :{eventKeys}` IF, for each event, `NOT
 *                     contains(pending, :eventKey)` AND its fence slot still holds its `f`. When the
 *                     write is refused, the item is read and each event sorted out: pending already →
 *                     "already-applied" (a crashed run's increments are in); fence moved → back to 0 for
 *                     that event, then re-read its copy; the others are written again.
 *   3. `markFolded`   raw events `folded = true` (permanent dedup record, lives for the TTL). One
 *                     BatchWriteItem per 25 events stored by this run.
 *   4. `settle`       per item: `DELETE pending :{eventKeys}, ADD <each fence slot> <its events>` — one write.
 *   4'. (duplicate)   settle only, in case the crash came between 3 and 4.
 *
 * New events of one ISO week in a batch are stored with ONE shard (that of the
 * batch's first event of the week), so the batch touches one item per week;
 * batches spread over the shards as their first events do. A retraction's own
 * event starts once the outcome it takes back is in (see below).
 *
 * ## Why exactly once
 *
 * (A) Each event has exactly one aggregate item: the week of the *stored*
 *     copy's `occurredAt` and the shard stored with it. The copy is written
 *     once (conditional put), so every processor of the event, whatever
 *     message or batch carries it, targets that item once it has seen the copy
 *     — and none applies before it has (step 1 precedes step 2).
 * (B) An event's increments enter its item only through a successful `apply`,
 *     which atomically adds the event key to `pending`. The key leaves `pending`
 *     only through `settle`, which runs only after `folded = true` is durable
 *     (`folded` is never reset), and which advances the event's fence slot in
 *     the same write. Fence slots only ever grow.
 * At most once: suppose two `apply`s of an event succeed, at t1 < t2, by
 * processors P1 and P2. P2's needs the key out of `pending`, so a `settle` S ran
 * in (t1, t2), after `folded = true` was written at tM < tS. P2's apply also
 * needs the fence slot unchanged since P2 read it, at ta2; S advanced it, so
 * ta2 > tS > tM. P2 then observed the raw event unfolded (its put or its
 * re-read, after ta2) — after tM. Contradiction. This holds for any number of
 * processors running at once, in any groups and batches: a delivery delayed
 * past the visibility timeout, an overrunning local handler, a redrive racing a
 * late retry. Batching adds nothing to the argument: a combined apply is the
 * conjunction of each event's own condition in one atomic write, so it
 * succeeds for an event only when that event's single apply would; a combined
 * settle removes and advances exactly what each single one would, and runs
 * only after every one of its events' marks is durable.
 * At least once: a record is acknowledged only after step 4 of every event it
 * carries. A crash before 2 leaves nothing in the item → the rerun applies. A
 * crash between 2 and 3 leaves the key pending → the rerun's apply reports
 * "already-applied" and goes on to 3–4. A crash after 3 → the rerun takes 4'.
 * Reruns come from redelivery (same SequenceNumber) or DLQ redrive (new
 * messageId, new higher SequenceNumber) — neither matters, because nothing is
 * keyed on them. A moved fence means only that some event of the same slot
 * settled meanwhile; the event starts over (bounded), so `FENCE_SLOTS` per
 * item keep retries rare.
 * The mark's BatchWriteItem writes back whole the raw item the same store
 * created in this run (adapter: dynamo-event-store.ts), with `folded = true`:
 * `folded` is its only attribute that ever changes, and only to true, so the
 * write changes nothing else — unless the copy had expired and been replaced
 * in between, which the adapter rules out by writing back only copies stored
 * less than an hour ago with more than an hour to live. Any other copy is
 * marked with the conditional UpdateItem.
 * Failures stay per event: a write that fails fails the records whose events
 * it carried; the worker reports a record done only if every record before it
 * in its message group is (functions/src/analytics.ts), so a group's order of
 * acknowledgement is kept even though the batch's records are folded together.
 *
 * ## A job's final outcome, once: retractions
 *
 * A job can end more than once: it FAILS for a retryable reason (out of
 * attempts), its message goes to the DLQ, an operator redrives it, and it
 * SUCCEEDS. Each ending is its own outcome event (`tailoring-outcome-<jobId>-<attempt>`),
 * and a later ending is published together with a retraction of every earlier
 * one (`tailoring-retraction-<jobId>-<attempt>`, carrying the outcome it takes
 * back). Folding a retraction first folds the superseded outcome (exactly
 * once, from the copy it carries — a no-op when it is already counted), then,
 * once those increments are in, adds its negation as an event of its own
 * (exactly once by the retraction's id) — never a negation without what it
 * negates. Net: every ending but the last counts 0, whichever of them arrived,
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
 *
 * Upgrading from the one-event-at-a-time fold (before issue 12): that version
 * takes an event's shard from its hash, never from the stored copy, so while
 * both versions run — the old one's invocations still in flight after a deploy,
 * up to the function's timeout — an old processor of a duplicate could target
 * another item than the copy the new version stored under its batch's shard,
 * and count it a second time. Deploy this change with the analytics event
 * source paused for one function timeout (or the queue drained). Copies the old
 * version stored carry their hash shard, so the new version reads them right.
 */

import { isRetractionEvent } from "../contracts/analytics-event.ts";
import type { AnalyticsEventMessage } from "../contracts/analytics-event-message.ts";
import { DependencyError, ValidationError } from "../errors.ts";
import type {
  AggregateBatchStore,
  AggregateStore,
  EventBatchStore,
  EventStore,
  NewEvent,
  SlotRef,
  StoredEvent,
} from "../ports/analytics-stores.ts";
import { METRIC, type MetricName, type Metrics } from "../ports/metrics.ts";
import { type AggregateIncrements, eventKey, incrementsFor } from "./aggregate.ts";
import { aggregateBatch, eventBatch } from "./fold-stores.ts";
import type { IsoWeek } from "./iso-week.ts";

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

export interface FoldDeps {
  /** The events table; its batch operations (fold-stores.ts) are used when it has them. */
  readonly events: EventStore;
  /** The aggregates table; likewise. */
  readonly aggregates: AggregateStore;
  /** One count per record by outcome (EventsFolded, EventsDuplicate, EventsStale), dimension Source. */
  readonly metrics?: Metrics;
}

export type FoldOutcome =
  /** Counted now. */
  | "folded"
  /** A previous run counted it and crashed before marking; this run finished the bookkeeping. */
  | "recovered"
  /** Already counted (or carried by an earlier record of the same batch); nothing added. */
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
 * Folds one record: a batch of one. Throws (retryable DependencyError from the
 * adapters) when a write fails; the record must then be reported as a batch
 * item failure.
 *
 * @example
 *   await foldAnalyticsRecord({ events, aggregates }, {
 *     body: AnalyticsEventMessage.parse(JSON.parse(r.body)),
 *     sequenceNumber: r.attributes.SequenceNumber!, messageGroupId: r.attributes.MessageGroupId!,
 *   });
 */
export async function foldAnalyticsRecord(
  deps: FoldDeps,
  record: AnalyticsRecord,
  options?: FoldOptions,
): Promise<FoldOutcome> {
  const [result] = await foldAnalyticsBatch(deps, [record], options);
  if (!result) throw new Error("foldAnalyticsBatch returned no result");
  if (result.status === "rejected") throw result.reason;
  return result.value;
}

/**
 * Folds a batch of records together (see the protocol above): one settled
 * result per record, in order. A record is rejected (retryable
 * DependencyError from the adapters, or ValidationError for a malformed
 * SequenceNumber) when any event it carries could not be folded; the others
 * are unaffected. Order within a message group is the caller's to keep when it
 * acknowledges records (the fold itself is commutative).
 *
 * @example
 *   const results = await foldAnalyticsBatch({ events, aggregates }, records, { now, dedupWindowMs });
 */
export async function foldAnalyticsBatch(
  deps: FoldDeps,
  records: readonly AnalyticsRecord[],
  options?: FoldOptions,
): Promise<PromiseSettledResult<FoldOutcome>[]> {
  const plan = new BatchPlan();
  const claims = records.map((record) => plan.claim(record, options));
  await runFold(eventBatch(deps.events), aggregateBatch(deps.aggregates), plan.units());
  return claims.map((claim, i): PromiseSettledResult<FoldOutcome> => {
    const result = claimResult(claim);
    // Counted once the record's fold is complete: a run that fails part-way counts nothing, its rerun counts.
    if (result.status === "fulfilled") {
      deps.metrics?.count(OUTCOME_METRIC[result.value], 1, { Source: records[i]!.body.source });
    }
    return result;
  });
}

/** A recovered fold is an event counted into its week (by a run that crashed before saying so). */
const OUTCOME_METRIC: Readonly<Record<FoldOutcome, MetricName>> = {
  folded: METRIC.eventsFolded,
  recovered: METRIC.eventsFolded,
  duplicate: METRIC.eventsDuplicate,
  stale: METRIC.eventsStale,
};

/** Attempts per event when fences keep moving under it (other events of its slot settling). */
const MAX_FENCE_ROUNDS = 8;

/** Where an event is in the protocol. */
type Phase = "put" | "reread" | "apply" | "mark" | "settle" | "done" | "failed";

/** One distinct event of the batch (several records may carry it). */
class FoldUnit {
  readonly key: string;
  readonly fresh: NewEvent;
  /** The increments and the item they go to: the target for a new event, the stored copy's once seen. */
  target: AggregateIncrements;
  /** The target slot's fence, read before the raw event was last seen unfolded. */
  fence: number | undefined;
  phase: Phase = "put";
  outcome: "folded" | "recovered" | "duplicate" | undefined;
  error: unknown;
  /** Applies refused because the fence had moved, and copies that vanished (expired) under a re-read. */
  rounds = 0;
  /** A retraction's superseded outcome: its increments go in first. */
  after: FoldUnit | undefined;

  constructor(key: string, fresh: NewEvent, target: AggregateIncrements) {
    this.key = key;
    this.fresh = fresh;
    this.target = target;
  }

  get slot(): SlotRef {
    return { week: this.target.week, shard: this.target.shard, eventKey: this.target.eventKey };
  }

  get live(): boolean {
    return this.phase !== "done" && this.phase !== "failed";
  }

  /** Its increments are in its item (now or earlier), so what depends on it may go in. */
  get counted(): boolean {
    return this.phase === "mark" || this.phase === "settle" || this.phase === "done";
  }

  fail(error: unknown): void {
    this.phase = "failed";
    this.error = error;
  }

  /** The raw event as stored (by this run or an earlier one) is the event: its copy names its item. */
  sawCopy(copy: StoredEvent): void {
    const inc = { ...incrementsFor(copy.message), shard: copy.shard };
    const sameSlot =
      inc.week === this.target.week && inc.shard === this.target.shard && inc.eventKey === this.target.eventKey;
    this.target = inc;
    if (copy.folded) {
      // Counted already; settle in case a crash came between its mark and its settle.
      this.outcome = "duplicate";
      this.phase = "settle";
    } else if (sameSlot && this.fence !== undefined) {
      this.phase = "apply"; // the fence was read before this sighting of the copy
    } else {
      this.fence = undefined; // another item: read its fence, then look at the copy again
      this.phase = "reread";
    }
  }

  /** Back to the fence read and the conditional put (the copy expired under a re-read). */
  restart(): void {
    this.target = { ...incrementsFor(this.fresh.message), shard: this.fresh.shard };
    this.fence = undefined;
    this.phase = "put";
  }
}

/** What a record needs: its own event, and for a retraction the outcome it takes back. */
type Claim =
  | { readonly kind: "stale" }
  | { readonly kind: "invalid"; readonly error: unknown }
  | { readonly kind: "fold"; readonly unit: FoldUnit; readonly needs: readonly FoldUnit[]; readonly first: boolean };

const claimResult = (claim: Claim): PromiseSettledResult<FoldOutcome> => {
  if (claim.kind === "stale") return { status: "fulfilled", value: "stale" };
  if (claim.kind === "invalid") return { status: "rejected", reason: claim.error };
  const failed = claim.needs.find((u) => u.phase === "failed");
  if (failed) return { status: "rejected", reason: failed.error };
  const pending = claim.needs.find((u) => u.phase !== "done");
  if (pending)
    return { status: "rejected", reason: new DependencyError(`analytics fold of ${pending.key}: unfinished`) };
  return { status: "fulfilled", value: claim.first ? (claim.unit.outcome ?? "duplicate") : "duplicate" };
};

/** The batch's distinct events, and the shard new events of each week are stored with. */
class BatchPlan {
  readonly #units = new Map<string, FoldUnit>();
  readonly #shards = new Map<IsoWeek, string>();

  claim(record: AnalyticsRecord, options: FoldOptions | undefined): Claim {
    const { body } = record;
    // An hour of margin for clocks: the record is stored after receivedAt, never before.
    // A retraction's receivedAt is its superseded outcome's (fixed for ever): one check covers both.
    if (options && options.now.getTime() - Date.parse(body.receivedAt) > dedupWindowFor(body, options) - 3_600_000) {
      return { kind: "stale" };
    }
    let sequenceNumber: string;
    try {
      sequenceNumber = padSequenceNumber(record.sequenceNumber);
    } catch (error) {
      return { kind: "invalid", error };
    }
    const carried = { groupId: record.messageGroupId, sequenceNumber };
    const key = eventKey(body.tenantId, body.event.eventId);
    const first = !this.#units.has(key);
    if (isRetractionEvent(body.event)) {
      // What is taken back must have been counted: count it (once) if it never arrived.
      const taken = this.#unit({ ...body, event: body.event.supersedes }, carried);
      const unit = this.#unit(body, carried);
      if (unit !== taken) unit.after ??= taken;
      return { kind: "fold", unit, needs: [taken, unit], first };
    }
    const unit = this.#unit(body, carried);
    return { kind: "fold", unit, needs: [unit], first };
  }

  units(): FoldUnit[] {
    return [...this.#units.values()];
  }

  #unit(body: AnalyticsEventMessage, carried: { groupId: string; sequenceNumber: string }): FoldUnit {
    const key = eventKey(body.tenantId, body.event.eventId);
    const known = this.#units.get(key);
    if (known) return known;
    const inc = incrementsFor(body);
    // One shard per week for the batch's new events: one item to write per week.
    let shard = this.#shards.get(inc.week);
    if (shard === undefined) {
      shard = inc.shard;
      this.#shards.set(inc.week, shard);
    }
    const fresh: NewEvent = {
      tenantId: body.tenantId,
      eventId: body.event.eventId,
      groupId: carried.groupId,
      sequenceNumber: carried.sequenceNumber,
      week: inc.week,
      shard,
      message: body,
    };
    const unit = new FoldUnit(key, fresh, { ...inc, shard });
    this.#units.set(key, unit);
    return unit;
  }
}

/** Runs `op` over the units, failing them all if it throws. */
const forAll = async (units: readonly FoldUnit[], op: () => Promise<void>): Promise<void> => {
  if (units.length === 0) return;
  try {
    await op();
  } catch (error) {
    for (const u of units) if (u.live) u.fail(error);
  }
};

/** Steps 0–4 for every unit, each step once per pass for all the units ready for it. */
async function runFold(events: EventBatchStore, aggregates: AggregateBatchStore, units: readonly FoldUnit[]) {
  // Every pass moves each live unit on, or counts a round against it: bounded by MAX_FENCE_ROUNDS.
  for (let pass = 0; pass < 4 * MAX_FENCE_ROUNDS + 8; pass++) {
    for (const u of units) if (u.live && u.after?.phase === "failed") u.fail(u.after.error);
    if (!units.some((u) => u.live)) return;
    // A retraction starts once what it takes back is in: never a negation without what it negates.
    const live = units.filter((u) => u.live && (u.after === undefined || u.after.counted));

    // 0. The fence, BEFORE the raw event is seen unfolded: that order is the proof.
    const unfenced = live.filter((u) => (u.phase === "put" || u.phase === "reread") && u.fence === undefined);
    await forAll(unfenced, async () => {
      const fences = await aggregates.fences(unfenced.map((u) => u.slot));
      unfenced.forEach((u, i) => {
        u.fence = fences[i];
      });
    });

    // 1. The conditional put; a copy already there is the event.
    const puts = live.filter((u) => u.phase === "put" && u.fence !== undefined);
    await forAll(puts, async () => {
      const results = await events.putEach(puts.map((u) => u.fresh));
      puts.forEach((u, i) => {
        const result = results[i];
        if (!result) u.fail(new DependencyError(`analytics fold of ${u.key}: no answer to its put`));
        else if (result.status === "rejected") u.fail(result.reason);
        else if (result.value.created) u.phase = "apply";
        else u.sawCopy(result.value.existing);
      });
    });
    // ... and the copies seen again after a fence read (another item's, or a moved fence).
    const rereads = live.filter((u) => u.phase === "reread" && u.fence !== undefined);
    await forAll(rereads, async () => {
      const copies = await events.getEach(rereads.map((u) => u.fresh));
      rereads.forEach((u, i) => {
        const copy = copies[i];
        if (copy) u.sawCopy(copy);
        else if (++u.rounds >= MAX_FENCE_ROUNDS) u.fail(starved(u));
        else u.restart(); // expired in between: store it again
      });
    });

    // 2. One conditional write per item.
    const applies = live.filter((u) => u.phase === "apply");
    await forAll(applies, async () => {
      const results = await aggregates.applyEach(applies.map((u) => ({ inc: u.target, fence: u.fence ?? 0 })));
      applies.forEach((u, i) => {
        const result = results[i];
        if (result === "applied" || result === "already-applied") {
          u.outcome = result === "applied" ? "folded" : "recovered";
          u.phase = "mark";
        } else if (result === undefined) {
          u.fail(new DependencyError(`analytics fold of ${u.key}: no answer to its apply`));
        } else if (typeof result === "object") {
          u.fail(result.failed);
        } else if (++u.rounds >= MAX_FENCE_ROUNDS) {
          u.fail(starved(u));
        } else {
          u.fence = undefined; // read it again, then look at the copy again
          u.phase = "reread";
        }
      });
    });

    // 3. Marked folded, all durable before any of them settles.
    const marks = live.filter((u) => u.phase === "mark");
    await forAll(marks, async () => {
      await events.markFoldedEach(marks.map((u) => u.fresh));
      for (const u of marks) u.phase = "settle";
    });

    // 4. One write per item.
    const settles = live.filter((u) => u.phase === "settle");
    await forAll(settles, async () => {
      await aggregates.settleEach(settles.map((u) => u.slot));
      for (const u of settles) u.phase = "done";
    });
  }
  for (const u of units) if (u.live) u.fail(starved(u));
}

const starved = (u: FoldUnit): DependencyError =>
  new DependencyError(
    `analytics fold of ${u.fresh.eventId}: its aggregate's fence kept moving (${MAX_FENCE_ROUNDS} rounds); retry`,
  );
