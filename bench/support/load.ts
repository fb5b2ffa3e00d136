/** Closed-loop load: `concurrency` callers, each starting its next operation when the last one ends. */
import { performance } from "node:perf_hooks";

export interface LoadResult {
  readonly count: number;
  readonly seconds: number;
  /** Operations per second over the whole run. */
  readonly rate: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly failures: number;
  readonly firstFailure?: string;
  /** Every successful operation's latency, ms, ascending. */
  readonly latencies: readonly number[];
}

/** p50/p99 over the latencies of several runs pooled. */
export const pooledPercentiles = (runs: readonly LoadResult[]): { p50Ms: number; p99Ms: number } => {
  const all = runs.flatMap((r) => r.latencies).sort((a, b) => a - b);
  return { p50Ms: percentile(all, 50), p99Ms: percentile(all, 99) };
};

export const percentile = (sorted: readonly number[], p: number): number =>
  sorted.length === 0 ? Number.NaN : sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;

/** Runs op(0..n-1) with `concurrency` in flight; a failed operation is counted, not retried. */
export const runLoad = async (
  n: number,
  concurrency: number,
  op: (i: number) => Promise<void>,
  onProgress?: (done: number) => void,
): Promise<LoadResult> => {
  const latencies: number[] = [];
  let next = 0;
  let failures = 0;
  let firstFailure: string | undefined;
  const started = performance.now();
  const caller = async (): Promise<void> => {
    while (next < n) {
      const i = next++;
      const t = performance.now();
      try {
        await op(i);
        latencies.push(performance.now() - t);
      } catch (error) {
        failures++;
        firstFailure ??= (error as Error).message;
      }
      const done = latencies.length + failures;
      if (onProgress && done % 100 === 0) onProgress(done);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, n) }, caller));
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  return {
    count: latencies.length,
    seconds,
    rate: latencies.length / seconds,
    p50Ms: percentile(latencies, 50),
    p99Ms: percentile(latencies, 99),
    failures,
    latencies,
    ...(firstFailure === undefined ? {} : { firstFailure }),
  };
};
