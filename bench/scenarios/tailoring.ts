/**
 * The tailoring path step by step (the per-step breakdown; the engine's own
 * speed target is scenario "engine"), over the 24 (CV, job) pairs of
 * ../shared/eval, in one process.
 *
 * Baseline: validating the CV against the JSON Resume schema — the cheapest
 * step every job pays — 25 times per pair, so the baseline lasts long enough
 * (milliseconds) to time steadily. Each case is the median time of one pass
 * over all pairs, its baseline timed in alternate passes; ratio = case time ÷
 * baseline time (lower is faster). Cases:
 *   - local engine alone (rank, reorder, trim)
 *   - verifier alone (grounding check of the tailored CV against the source)
 *   - tailorCv: engine + schema check + verifier + match report + renderings
 *   - text CV parse (the CV rendered to Markdown, parsed back)
 *
 * Then linear-time.ts's growth cases: adversarial text at n and 4n, ratio =
 * time at 4n ÷ time at n, each the fastest of its passes (linear ≈ 4,
 * quadratic ≈ 16; the target, issue 9's flag, is ≤ 8). `node bench/run.ts
 * linear` prints only that table (medians, as it always has).
 */
import { performance } from "node:perf_hooks";
import { parseTextCv } from "@cvpipe/core/resume/parse-text-cv";
import { renderResumeText } from "@cvpipe/core/resume/render-resume-text";
import { resumeIssues } from "@cvpipe/core/resume/validate-resume";
import { LocalEngine, tailorLocally } from "@cvpipe/core/tailoring/local-engine";
import { tailorCv } from "@cvpipe/core/tailoring/tailor-cv";
import { evalPairs, loadPosting, loadResume } from "@cvpipe/core/tailoring/testing/eval-set";
import { verifyGrounding } from "@cvpipe/core/tailoring/verify-grounding";
import { GROWTH_CASES } from "../linear-time.ts";
import type { Scenario, ScenarioRow } from "../scenario.ts";

const BASELINE_REPEATS = 25;

const timeOnce = async (fn: () => unknown): Promise<number> => {
  const t = performance.now();
  await fn();
  return performance.now() - t;
};

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
};

/**
 * ms of `subject` and of `baseline`, in alternating passes after a warm-up: the median of each, or the
 * fastest (`fastest`: for the growth rows, whose sub-millisecond times on a shared machine only ever
 * get slower by what else runs, so the minimum is the estimate of their own cost).
 */
const sideBySide = async (
  subject: () => unknown,
  baseline: () => unknown,
  rounds: number,
  fastest = false,
): Promise<{ subject: number; baseline: number }> => {
  for (let i = 0; i < 3; i++) {
    await subject();
    await baseline();
  }
  const s: number[] = [];
  const b: number[] = [];
  for (let i = 0; i < rounds; i++) {
    s.push(await timeOnce(subject));
    b.push(await timeOnce(baseline));
  }
  if (fastest) return { subject: Math.min(...s), baseline: Math.min(...b) };
  return { subject: median(s), baseline: median(b) };
};

const scenario: Scenario = {
  id: "tailoring",
  title: "Tailoring, step by step (eval pairs, one process)",
  async run(context) {
    const rounds = context.quick ? 3 : Number(process.env["BENCH_ROUNDS"] ?? 15);
    const pairs = evalPairs().map((p) => ({ cv: loadResume(p.resume), posting: loadPosting(p.jobJson) }));
    const tailored = pairs.map((p) => tailorLocally({ cv: p.cv, posting: p.posting, options: {} }));
    const texts = pairs.map((p) => renderResumeText(p.cv));
    const engine = new LocalEngine();
    const baseline = () => pairs.map((p) => Array.from({ length: BASELINE_REPEATS }, () => resumeIssues(p.cv)));
    const cases: Array<[string, () => unknown]> = [
      ["local engine", () => pairs.map((p) => tailorLocally({ cv: p.cv, posting: p.posting, options: {} }))],
      ["verifier", () => pairs.map((p, i) => verifyGrounding(p.cv, tailored[i]!, []))],
      [
        "tailorCv (full pipeline)",
        async () => {
          for (const p of pairs)
            await tailorCv(engine, { cv: p.cv, posting: p.posting, options: {} }, { bannedClaims: [] });
        },
      ],
      ["parse text CV", () => texts.map((t) => parseTextCv(t))],
    ];
    const rows: ScenarioRow[] = [];
    for (const [name, fn] of cases) {
      context.progress(`${name} (${rounds} passes of ${pairs.length} pairs)`);
      const ms = await sideBySide(fn, baseline, rounds);
      rows.push({
        case: name,
        subject: { label: `${name}, one pass`, value: ms.subject / pairs.length, unit: "ms/pair" },
        baseline: {
          label: `schema-validate ×${BASELINE_REPEATS}`,
          value: ms.baseline / pairs.length,
          unit: "ms/pair",
        },
        ratio: ms.subject / ms.baseline,
        notes: `median of ${rounds} passes over ${pairs.length} pairs; ratio = time ÷ baseline time (lower is faster)`,
      });
    }
    const scale = Number(process.env["BENCH_LINEAR_SCALE"] ?? (context.quick ? 0.1 : 1));
    const growthRounds = context.quick ? 3 : Number(process.env["BENCH_LINEAR_ROUNDS"] ?? 15);
    for (const c of GROWTH_CASES) {
      context.progress(`growth: ${c.name}`);
      const n = Math.max(1, Math.round(c.n * scale));
      const ms = await sideBySide(c.make(4 * n), c.make(n), growthRounds, true);
      rows.push({
        case: `growth: ${c.name}`,
        subject: { label: `at 4n = ${4 * n}`, value: ms.subject, unit: "ms" },
        baseline: { label: `at n = ${n}`, value: ms.baseline, unit: "ms" },
        ratio: ms.subject / Math.max(ms.baseline, 1e-3),
        target: { ratio: 8, better: "lower" },
        notes: `fastest of ${growthRounds} passes each; time at 4n ÷ time at n: linear ≈ 4, quadratic ≈ 16`,
      });
    }
    return rows;
  },
};

export default scenario;
