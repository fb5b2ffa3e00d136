/**
 * The jobs' compute alone: tailorCv with the local engine (what the tailor
 * worker runs for each job: engine, schema check, verifier, match report,
 * renderings) over the same requests, one after another in this process.
 */
import { performance } from "node:perf_hooks";
import { Posting } from "@cvpipe/core/contracts/posting";
import { normalizeCv } from "@cvpipe/core/resume/normalize-cv";
import { LocalEngine } from "@cvpipe/core/tailoring/local-engine";
import { postingView } from "@cvpipe/core/tailoring/posting-view";
import { tailorCv } from "@cvpipe/core/tailoring/tailor-cv";
import { jobRequests } from "./ingest-load.ts";
import { percentile } from "./load.ts";

export interface EngineRun {
  readonly rate: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
}

export const engineAlone = async (n: number): Promise<EngineRun> => {
  // What the tailor worker has of a job's input before it tailors: the posting parsed and viewed.
  const requests = jobRequests().map((r) => ({ cv: r.cv, posting: postingView(Posting.parse(r.job)) }));
  const engine = new LocalEngine();
  const one = async (i: number): Promise<number> => {
    const r = requests[i % requests.length]!;
    const t = performance.now();
    await tailorCv(engine, { cv: normalizeCv({ ...r.cv }), posting: r.posting, options: {} }, { bannedClaims: [] });
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
