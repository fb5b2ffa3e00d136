/**
 * Interleavings by hand: every port call of a "processor" is a scheduling point the test releases one
 * at a time (`waiting`), so a test can run every order of two processors' calls; a processor listed in
 * `crashAt` blocks at its k-th call for ever, as a Lambda killed between two writes.
 */
export class StepScheduler {
  readonly waiting = new Map<number, () => void>();
  readonly steps = new Map<number, number>();
  readonly crashAt: ReadonlyMap<number, number>;
  constructor(crashAt: ReadonlyMap<number, number>) {
    this.crashAt = crashAt;
  }
  gate(pid: number): Promise<void> {
    const n = this.steps.get(pid) ?? 0;
    this.steps.set(pid, n + 1);
    if (this.crashAt.get(pid) === n) return new Promise<void>(() => {}); // crashed: never resumes
    return new Promise<void>((resolve) => this.waiting.set(pid, resolve));
  }
}

/** `target` with every method call waiting first for processor `pid`'s turn. */
export const gated = <T extends object>(target: T, s: StepScheduler, pid: number): T =>
  new Proxy(target, {
    get(t, k) {
      const v = Reflect.get(t, k, t) as unknown;
      if (typeof v !== "function") return v;
      return async (...args: unknown[]) => {
        await s.gate(pid);
        return (v as (...a: unknown[]) => unknown).apply(t, args);
      };
    },
  });

/** Lets every pending promise chain run until it waits on a gate again. */
export const flush = (): Promise<void> => new Promise((r) => setImmediate(r));

/** Picks the processor to release next, of those now waiting at a gate. */
export type Pick = (enabled: readonly number[]) => number;

/** What exploreSchedules found: how many runs, whether they were every schedule, the first (up to 3) problems. */
export interface Exploration {
  readonly runs: number;
  readonly exhausted: boolean;
  readonly bad: string[];
}

/**
 * Stateless DFS over every schedule (up to `limit` runs): `runOnce` runs the scenario releasing whom
 * `pick` says, and `check` names what is wrong with its outcome (undefined when nothing is). Each
 * problem is reported with its schedule (the processors released, in order).
 */
export const exploreSchedules = async <R>(
  runOnce: (pick: Pick) => Promise<R>,
  check: (outcome: R) => string | undefined | Promise<string | undefined>,
  limit: number,
): Promise<Exploration> => {
  let prefix: number[] = [];
  const bad: string[] = [];
  for (let runs = 1; runs <= limit; runs++) {
    const trace: { choice: number; n: number; pid: number }[] = [];
    const outcome = await runOnce((enabled) => {
      const choice = trace.length < prefix.length ? (prefix[trace.length] ?? 0) : 0;
      const pid = enabled[choice] ?? enabled[0] ?? 0;
      trace.push({ choice, n: enabled.length, pid });
      return pid;
    });
    const problem = await check(outcome);
    if (problem && bad.length < 3) bad.push(`${problem} — schedule ${trace.map((t) => t.pid).join("")}`);
    let i = trace.length - 1;
    while (i >= 0 && (trace[i]?.choice ?? 0) + 1 >= (trace[i]?.n ?? 0)) i--;
    if (i < 0) return { runs, exhausted: true, bad };
    prefix = [...trace.slice(0, i).map((t) => t.choice), (trace[i]?.choice ?? 0) + 1];
  }
  return { runs: limit, exhausted: false, bad };
};
