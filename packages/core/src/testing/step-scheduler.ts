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
