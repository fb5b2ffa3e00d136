import { readdirSync } from "node:fs";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { requirementPhrases } from "./requirement-phrases.ts";
import { EVAL_DIR } from "./testing/eval-set.ts";
import { type CoverageRow, coverage, pooled, withheldPosting } from "./testing/keyword-coverage.ts";

/**
 * Issue 14 §1's measurement: each posting of the eval set sent without its
 * `skills` (everything else as postingView reads it, nice-to-haves included),
 * its top 25 keywords against the requirement phrases its `skills[].keywords`
 * name. Pooled over the 12 postings (every requirement and every keyword
 * counts once), the stricter figure. The issue's targets are 0.80 coverage
 * and 0.70 precision; the floors asserted are what the extractor reaches
 * today, so a change that loses ground fails.
 */
const TOP = 25;
const COVERAGE_FLOOR = 0.67;
const PRECISION_FLOOR = 0.5;

const files = readdirSync(join(EVAL_DIR, "jobs-json"))
  .filter((f) => f.endsWith(".json"))
  .sort()
  .map((f) => `jobs-json/${f}`);

const measure = (subset: readonly string[]): CoverageRow[] =>
  subset.map((file) => {
    const { view, requirements } = withheldPosting(file);
    return coverage(
      file,
      requirements,
      requirementPhrases(view)
        .slice(0, TOP)
        .map((p) => p.display),
    );
  });

const fmt = (x: number): string => `${Math.round(100 * x)}%`;

test("top 25 keywords of the 12 postings (skills withheld) cover their requirement phrases", () => {
  assert.is(files.length, 12);
  const rows = measure(files);
  for (const r of rows) {
    console.log(
      `${r.file}: covered ${r.covered}/${r.requirements}, inside ${r.inside}/${r.keywords}; missed: ${r.uncovered.join(" | ")}`,
    );
  }
  const all = pooled(rows);
  const odd = pooled(rows.filter((_, i) => i % 2 === 0));
  const even = pooled(rows.filter((_, i) => i % 2 === 1));
  console.log(
    `pooled: coverage ${fmt(all.coverage)}, precision ${fmt(all.precision)} (targets 80% / 70%); ` +
      `odd half ${fmt(odd.coverage)} / ${fmt(odd.precision)}, even half ${fmt(even.coverage)} / ${fmt(even.precision)}`,
  );
  assert.ok(all.coverage >= COVERAGE_FLOOR, `coverage ${fmt(all.coverage)}`);
  assert.ok(all.precision >= PRECISION_FLOOR, `precision ${fmt(all.precision)}`);
});

test("the measurement itself: containment either way, stems and skill spellings, filler not assumed", async () => {
  const { meets, phraseWords } = await import("./testing/keyword-coverage.ts");
  assert.ok(meets(phraseWords("distributed systems design"), phraseWords("distributed systems")));
  assert.ok(meets(phraseWords("Node.js"), phraseWords("NodeJS")));
  // Known spellings meet as one skill ("data processing pipelines" is "data pipelines").
  assert.ok(meets(phraseWords("data pipeline"), phraseWords("data processing pipelines")));
  assert.not.ok(meets(phraseWords("Kafka"), phraseWords("Kubernetes")));
  assert.not.ok(meets(phraseWords("monitoring tools"), phraseWords("automation tools")));
  assert.ok(meets(phraseWords("A/B tests"), phraseWords("A/B tests")));
});

test("deterministic: the same posting gives the same phrases", () => {
  const { view } = withheldPosting(files[0]!);
  assert.equal(requirementPhrases(view), requirementPhrases(view));
});

test.run();
