/**
 * A small model of analytics-events.fifo in front of the fold: groups
 * delivered in order (a group with a record in flight is not delivered again),
 * batches of records as Lambda receives them (`batchSize`, up to `perGroup`
 * records of one group — fauxqs gives one, AWS several), `concurrency`
 * invocations at once, crashes at every step of the fold (a crash ends the
 * invocation: nothing after it runs and none of its records is deleted),
 * redelivery with the same SequenceNumber, a DLQ after maxReceiveCount, and
 * redrive with NEW, higher SequenceNumbers. A batch's results are acknowledged
 * as the analytics worker does: a record is deleted only if it and every
 * earlier record of its group in the batch succeeded. Used to check that
 * aggregates equal a brute-force recount whatever the failures.
 */

import type { AggregateBatchStore, AggregateStore, EventBatchStore, EventStore } from "../../ports/analytics-stores.ts";
import { seededRandom } from "../../testing/random.ts";
import { queues } from "../../topology.ts";
import { type AnalyticsRecord, type FoldDeps, type FoldOutcome, foldAnalyticsBatch } from "../fold-event.ts";
import { aggregateBatch, eventBatch } from "../fold-stores.ts";
import type { SampleMessage } from "./sample-events.ts";

export type CrashPoint = "before-put" | "after-put" | "after-apply" | "after-mark" | "after-settle";
export const CRASH_POINTS: readonly CrashPoint[] = [
  "before-put",
  "after-put",
  "after-apply",
  "after-mark",
  "after-settle",
];

export class SimulatedCrash extends Error {
  readonly point: CrashPoint;
  constructor(point: CrashPoint) {
    super(`simulated crash ${point}`);
    this.point = point;
    this.name = "SimulatedCrash";
  }
}

export interface SimulationOptions {
  readonly seed?: number;
  /** Probability of a crash at each crash point (each store call of an invocation). */
  readonly crashRate?: number;
  /** Deliveries before the DLQ; default the analytics queue's (topology `queues.analyticsEvents`). */
  readonly maxReceiveCount?: number;
  /** Rounds of "drain, then redrive the DLQ"; crashes are off in the last round so everything lands. */
  readonly redriveRounds?: number;
  /** Records per invocation (default 1). */
  readonly batchSize?: number;
  /** Records of one message group in one invocation, consecutive in the group (default 1, as fauxqs). */
  readonly perGroup?: number;
  /** Invocations running at once, on disjoint groups (default 1). */
  readonly concurrency?: number;
}

export interface SimulationStats {
  deliveries: number;
  invocations: number;
  crashes: Record<CrashPoint, number>;
  movedToDlq: number;
  redriven: number;
  outcomes: Record<FoldOutcome, number>;
}

interface InFlight {
  readonly message: SampleMessage;
  readonly sequenceNumber: bigint;
  receiveCount: number;
}

/** One invocation's stores: a crash kills it, and nothing it would do afterwards happens. */
const crashingDeps = (deps: FoldDeps, crash: (p: CrashPoint) => void): FoldDeps => {
  let dead = false;
  const at = (point: CrashPoint): void => {
    if (dead) throw new SimulatedCrash(point);
    try {
      crash(point);
    } catch (error) {
      dead = true;
      throw error;
    }
  };
  const alive = (): void => {
    if (dead) throw new SimulatedCrash("before-put");
  };
  const e: EventBatchStore = eventBatch(deps.events);
  const a: AggregateBatchStore = aggregateBatch(deps.aggregates);
  const events: EventStore & EventBatchStore = {
    putOnce: async (event) => {
      at("before-put");
      const r = await deps.events.putOnce(event);
      at("after-put");
      return r;
    },
    markFolded: async (t, id) => {
      alive();
      await deps.events.markFolded(t, id);
      at("after-mark");
    },
    get: async (t, id) => {
      alive();
      return deps.events.get(t, id);
    },
    putEach: async (list) => {
      at("before-put");
      const r = await e.putEach(list);
      at("after-put");
      return r;
    },
    getEach: async (refs) => {
      alive();
      return e.getEach(refs);
    },
    markFoldedEach: async (refs) => {
      alive();
      await e.markFoldedEach(refs);
      at("after-mark");
    },
  };
  const aggregates: AggregateStore & AggregateBatchStore = {
    fence: async (w, s, k) => {
      alive();
      return deps.aggregates.fence(w, s, k);
    },
    apply: async (inc, fence) => {
      alive();
      const r = await deps.aggregates.apply(inc, fence);
      at("after-apply"); // the write landed, the response is lost
      return r;
    },
    settle: async (w, s, k) => {
      alive();
      await deps.aggregates.settle(w, s, k);
      at("after-settle"); // fully processed, but never deleted from the queue
    },
    fences: async (slots) => {
      alive();
      return a.fences(slots);
    },
    applyEach: async (entries) => {
      alive();
      const r = await a.applyEach(entries);
      at("after-apply");
      return r;
    },
    settleEach: async (slots) => {
      alive();
      await a.settleEach(slots);
      at("after-settle");
    },
  };
  return { events, aggregates };
};

export async function simulateFifo(
  deps: FoldDeps,
  messages: readonly SampleMessage[],
  options: SimulationOptions = {},
): Promise<SimulationStats> {
  const rand = seededRandom(options.seed ?? 42);
  const maxReceive = options.maxReceiveCount ?? queues.analyticsEvents.maxReceiveCount;
  const rounds = options.redriveRounds ?? 3;
  const batchSize = options.batchSize ?? 1;
  const perGroup = options.perGroup ?? 1;
  const concurrency = options.concurrency ?? 1;
  const stats: SimulationStats = {
    deliveries: 0,
    invocations: 0,
    crashes: { "before-put": 0, "after-put": 0, "after-apply": 0, "after-mark": 0, "after-settle": 0 },
    movedToDlq: 0,
    redriven: 0,
    outcomes: { folded: 0, recovered: 0, duplicate: 0, stale: 0 },
  };
  // Non-consecutive, increasing, 20+ digits like real SequenceNumbers.
  let seq = 18_000_000_000_000_000_000n;
  const nextSeq = (): bigint => {
    seq += BigInt(1 + Math.floor(rand() * 1_000_000));
    return seq;
  };
  const groups = new Map<string, InFlight[]>();
  const enqueue = (m: SampleMessage): void => {
    const q = groups.get(m.messageGroupId) ?? [];
    q.push({ message: m, sequenceNumber: nextSeq(), receiveCount: 0 });
    groups.set(m.messageGroupId, q);
  };
  for (const m of messages) enqueue(m);

  let crashRate = options.crashRate ?? 0.08;
  const crash = (point: CrashPoint): void => {
    if (rand() < crashRate) {
      stats.crashes[point] += 1;
      throw new SimulatedCrash(point);
    }
  };

  /** One invocation over the heads of some groups; acknowledges as the worker does. */
  const invoke = async (batch: { queue: InFlight[]; taken: InFlight[] }[], dlq: InFlight[]): Promise<void> => {
    stats.invocations += 1;
    const flat = batch.flatMap((b) => b.taken);
    for (const r of flat) r.receiveCount += 1;
    stats.deliveries += flat.length;
    const records: AnalyticsRecord[] = flat.map((r) => ({
      body: r.message.body,
      sequenceNumber: r.sequenceNumber.toString(),
      messageGroupId: r.message.messageGroupId,
    }));
    const wrapped = crashingDeps(deps, crash);
    const results = await foldAnalyticsBatch(wrapped, records);
    const crashed = results.some((r) => r.status === "rejected" && r.reason instanceof SimulatedCrash);
    for (const r of results) {
      if (r.status === "rejected" && !(r.reason instanceof SimulatedCrash)) throw r.reason;
    }
    let i = 0;
    for (const { queue, taken } of batch) {
      let blocked = crashed; // a crashed invocation answers nothing: every record comes back
      for (const record of taken) {
        const result = results[i++]!;
        if (!blocked && result.status === "fulfilled") {
          stats.outcomes[result.value] += 1;
          queue.splice(queue.indexOf(record), 1); // deleted
          continue;
        }
        blocked = true;
        if (record.receiveCount >= maxReceive) {
          queue.splice(queue.indexOf(record), 1);
          dlq.push(record);
          stats.movedToDlq += 1;
        }
        // else: visible again after the visibility timeout, same SequenceNumber, still in order
      }
    }
  };

  for (let round = 0; round <= rounds; round++) {
    if (round === rounds) crashRate = 0;
    const dlq: InFlight[] = [];
    for (;;) {
      const live = [...groups.values()].filter((q) => q.length > 0);
      if (live.length === 0) break;
      // Groups proceed in parallel (any order between groups), each strictly in order.
      const picked: InFlight[][] = [];
      while (live.length > 0 && picked.length < batchSize * concurrency) {
        picked.push(live.splice(Math.floor(rand() * live.length), 1)[0]!);
      }
      const invocations: { queue: InFlight[]; taken: InFlight[] }[][] = [];
      let current: { queue: InFlight[]; taken: InFlight[] }[] = [];
      let size = 0;
      for (const queue of picked) {
        const take = Math.min(queue.length, 1 + Math.floor(rand() * perGroup), batchSize - size);
        current.push({ queue, taken: queue.slice(0, take) });
        size += take;
        if (size >= batchSize) {
          invocations.push(current);
          current = [];
          size = 0;
          if (invocations.length >= concurrency) break;
        }
      }
      if (current.length > 0 && invocations.length < concurrency) invocations.push(current);
      await Promise.all(invocations.map((batch) => invoke(batch, dlq)));
    }
    // Redrive: same body and group, new messageId and a new, higher SequenceNumber.
    for (const dead of dlq) {
      enqueue(dead.message);
      stats.redriven += 1;
    }
    if (dlq.length === 0) break;
  }
  return stats;
}
