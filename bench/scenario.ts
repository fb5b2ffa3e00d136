/**
 * The contract between `pnpm bench` (bench/run.ts) and its scenarios
 * (bench/scenarios/*.ts, each `export default` a Scenario). Every scenario
 * measures its subject and its baseline side by side in the same run and
 * reports the ratio: absolute figures move from run to run on a shared
 * machine, ratios measured together do not.
 */

/** One measured quantity: a rate (`jobs/s`), a size (`KiB`), a time (`ms`), a count (`items`). */
export interface Measure {
  readonly label: string;
  readonly value: number;
  readonly unit: string;
  /** Latency percentiles of single operations, when the measure is a rate of requests. */
  readonly p50Ms?: number;
  readonly p99Ms?: number;
}

export interface ScenarioRow {
  /** What this row measures, e.g. "ingest, consumers paused". */
  readonly case: string;
  readonly subject: Measure;
  readonly baseline: Measure;
  /** subject / baseline for rates; for sizes and times the scenario says which way (see `better`). */
  readonly ratio: number;
  /** The issue's target for the ratio, and whether higher or lower ratios are better. */
  readonly target?: { readonly ratio: number; readonly better: "higher" | "lower" };
  /** Anything a reader needs to interpret the row (sample size, what limits it). */
  readonly notes?: string;
}

export interface ScenarioContext {
  /** One progress line on the terminal (stderr), e.g. "ingest: 300/600 requests". */
  progress(message: string): void;
  /** BENCH_QUICK=1: a smaller run, for a smoke test of the scenario (figures not meaningful). */
  readonly quick: boolean;
}

export interface Scenario {
  readonly id: string;
  readonly title: string;
  run(context: ScenarioContext): Promise<readonly ScenarioRow[]>;
}

/** Whether a row meets its target (undefined: no target). */
export const meetsTarget = (row: ScenarioRow): boolean | undefined =>
  row.target === undefined
    ? undefined
    : row.target.better === "higher"
      ? row.ratio >= row.target.ratio
      : row.ratio <= row.target.ratio;
