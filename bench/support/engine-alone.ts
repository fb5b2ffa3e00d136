/**
 * The jobs' compute alone: tailorCv with the local engine (what the tailor
 * worker runs for each job: engine, schema check, verifier, match report,
 * renderings) over the same requests, one after another in this process.
 */
import { performance } from "node:perf_hooks";
import type { Posting } from "@cvpipe/core/contracts/job-request";
import { normalizeCv } from "@cvpipe/core/resume/normalize-cv";
import { LocalEngine } from "@cvpipe/core/tailoring/local-engine";
import { tailorCv } from "@cvpipe/core/tailoring/tailor-cv";
import { jobRequests } from "./ingest-load.ts";
import { percentile } from "./load.ts";

export interface EngineRun {
  readonly rate: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
}

export const engineAlone = async (n: number): Promise<EngineRun> => {
  const requests = jobRequests();
  const engine = new LocalEngine();
  const one = async (i: number): Promise<number> => {
    const r = requests[i % requests.length]!;
    const t = performance.now();
    await tailorCv(
      engine,
      { cv: normalizeCv(r.cv as never), posting: r.job as Posting, options: {} },
      { bannedClaims: [] },
    );
    return performance.now() - t;
  };
  for (let i = 0; i < requests.length; i++) await one(i);
  const times: number[] = [];
  const started = performance.now();
  for (let i = 0; i < n; i++) times.push(await one(i));
  const seconds = (performance.now() - started) / 1000;
  times.sort((a, b) => a - b);
  return { rate: n / seconds, p50Ms: percentile(times, 50), p99Ms: percentile(times, 99) };
};
