/**
 * A small model of analytics-events.fifo in front of foldAnalyticsRecord:
 * groups delivered in order (one in-flight message per group), crashes at every
 * step of the fold, redelivery with the same SequenceNumber, a DLQ after
 * maxReceiveCount, and redrive with NEW, higher SequenceNumbers. Used to check
 * that aggregates equal a brute-force recount whatever the failures.
 */
import { type AnalyticsRecord, type FoldOutcome, type FoldPorts, foldAnalyticsRecord } from "../fold-event.ts";
import type { AggregateStore, EventStore } from "../ports.ts";
import { type SampleMessage, seededRandom } from "./sample-events.ts";

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
  /** Probability of a crash at each crash point. */
  readonly crashRate?: number;
  readonly maxReceiveCount?: number;
  /** Rounds of "drain, then redrive the DLQ"; crashes are off in the last round so everything lands. */
  readonly redriveRounds?: number;
}

export interface SimulationStats {
  deliveries: number;
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

const crashingPorts = (ports: FoldPorts, crash: (p: CrashPoint) => void): FoldPorts => {
  const events: EventStore = {
    putOnce: async (e) => {
      crash("before-put");
      const r = await ports.events.putOnce(e);
      crash("after-put");
      return r;
    },
    markFolded: async (t, id) => {
      await ports.events.markFolded(t, id);
      crash("after-mark");
    },
    get: (t, id) => ports.events.get(t, id),
  };
  const aggregates: AggregateStore = {
    fence: (w, s, k) => ports.aggregates.fence(w, s, k),
    apply: async (inc, fence) => {
      const r = await ports.aggregates.apply(inc, fence);
      crash("after-apply"); // the write landed, the response is lost
      return r;
    },
    settle: async (w, s, k) => {
      await ports.aggregates.settle(w, s, k);
      crash("after-settle"); // fully processed, but never deleted from the queue
    },
  };
  return { events, aggregates };
};

export async function simulateFifo(
  ports: FoldPorts,
  messages: readonly SampleMessage[],
  options: SimulationOptions = {},
): Promise<SimulationStats> {
  const rand = seededRandom(options.seed ?? 42);
  const maxReceive = options.maxReceiveCount ?? 3;
  const rounds = options.redriveRounds ?? 3;
  const stats: SimulationStats = {
    deliveries: 0,
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
  const wrapped = crashingPorts(ports, (point) => {
    if (rand() < crashRate) {
      stats.crashes[point] += 1;
      throw new SimulatedCrash(point);
    }
  });

  for (let round = 0; round <= rounds; round++) {
    if (round === rounds) crashRate = 0;
    const dlq: InFlight[] = [];
    for (;;) {
      const live = [...groups.entries()].filter(([, q]) => q.length > 0);
      if (live.length === 0) break;
      // Groups proceed in parallel (any order between groups), each strictly in order.
      const [, queue] = live[Math.floor(rand() * live.length)]!;
      const head = queue[0]!;
      head.receiveCount += 1;
      stats.deliveries += 1;
      const record: AnalyticsRecord = {
        body: head.message.body,
        sequenceNumber: head.sequenceNumber.toString(),
        messageGroupId: head.message.messageGroupId,
      };
      try {
        const outcome = await foldAnalyticsRecord(wrapped, record);
        stats.outcomes[outcome] += 1;
        queue.shift(); // deleted
      } catch (error) {
        if (!(error instanceof SimulatedCrash)) throw error;
        if (head.receiveCount >= maxReceive) {
          queue.shift();
          dlq.push(head);
          stats.movedToDlq += 1;
        }
        // else: visible again after the visibility timeout, same SequenceNumber, still at the head
      }
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
