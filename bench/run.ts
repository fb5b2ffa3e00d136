/**
 * `pnpm bench`: speed of the tailoring path, as ratios against a baseline
 * measured in the same run on the same machine (absolute times vary with the
 * machine; the ratios are what to compare between commits).
 *
 * Baseline: validating the CV against the JSON Resume schema — the cheapest
 * step every job pays — 25 times per pair, so the baseline itself lasts long
 * enough (milliseconds) to be measured steadily. Cases, over the 24 (CV, job)
 * pairs of ../shared/eval:
 *   - local engine alone (rank, reorder, trim)
 *   - verifier alone (grounding check of the tailored CV against the source)
 *   - tailorCv: engine + schema check + verifier + match report + renderings
 *   - text CV parse (the CV rendered to Markdown, parsed back)
 *
 * Then the growth table of `linear-time.ts`: adversarial inputs at n and 4n,
 * with the ratio of their times. `node bench/run.ts linear` prints only that.
 */
import { performance } from "node:perf_hooks";
import { parseTextCv } from "@cvpipe/core/resume/parse-text-cv";
import { renderResumeText } from "@cvpipe/core/resume/render-resume-text";
import { resumeIssues } from "@cvpipe/core/resume/validate-resume";
import { LocalEngine, tailorLocally } from "@cvpipe/core/tailoring/local-engine";
import { tailorCv } from "@cvpipe/core/tailoring/tailor-cv";
import { evalPairs, loadJob, loadResume } from "@cvpipe/core/tailoring/testing/eval-set";
import { verifyGrounding } from "@cvpipe/core/tailoring/verify-grounding";
import { runGrowth } from "./linear-time.ts";

if (process.argv[2] === "linear") {
  runGrowth();
  process.exit(0);
}

const pairs = evalPairs().map((p) => ({ cv: loadResume(p.resume), job: loadJob(p.jobJson) }));
const tailored = pairs.map((p) => tailorLocally({ cv: p.cv, job: p.job, options: {} }));
const texts = pairs.map((p) => renderResumeText(p.cv));
const engine = new LocalEngine();
const BASELINE_REPEATS = 25;

/** Median milliseconds for one pass over all pairs, after warm-up. */
const measure = async (
  fn: () => unknown | Promise<unknown>,
  rounds = Number(process.env["BENCH_ROUNDS"] ?? 15),
): Promise<number> => {
  for (let i = 0; i < 3; i++) await fn();
  const times: number[] = [];
  for (let i = 0; i < rounds; i++) {
    const t = performance.now();
    await fn();
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)]!;
};

const cases: Array<[string, () => unknown | Promise<unknown>]> = [
  [
    `baseline: schema-validate ×${BASELINE_REPEATS}`,
    () => pairs.map((p) => Array.from({ length: BASELINE_REPEATS }, () => resumeIssues(p.cv))),
  ],
  ["local engine", () => pairs.map((p) => tailorLocally({ cv: p.cv, job: p.job, options: {} }))],
  ["verifier", () => pairs.map((p, i) => verifyGrounding(p.cv, tailored[i]!, []))],
  [
    "tailorCv (full pipeline)",
    async () => {
      for (const p of pairs) await tailorCv(engine, { cv: p.cv, job: p.job, options: {} }, { bannedClaims: [] });
    },
  ],
  ["parse text CV", () => texts.map((t) => parseTextCv(t))],
];

const results: Array<[string, number]> = [];
for (const [name, fn] of cases) results.push([name, await measure(fn)]);
const baseline = results[0]![1];
console.log(
  `cvpipe bench — ${pairs.length} (CV, job) pairs per pass, median of ${process.env["BENCH_ROUNDS"] ?? 15} passes, Node ${process.version}\n`,
);
console.log(`${"case".padEnd(30)} ${"ms/pass".padStart(9)} ${"ms/pair".padStart(9)} ${"× baseline".padStart(11)}`);
for (const [name, ms] of results) {
  console.log(
    `${name.padEnd(30)} ${ms.toFixed(2).padStart(9)} ${(ms / pairs.length).toFixed(3).padStart(9)} ${(ms / baseline).toFixed(1).padStart(11)}`,
  );
}
runGrowth();
