import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { Posting } from "../contracts/posting.ts";
import { eventsDir, fixture } from "../testing/fixtures.ts";
import { postingKeywords } from "./posting-keywords.ts";
import { type PostingView, postingView } from "./posting-view.ts";
import { requirementPhrases } from "./requirement-phrases.ts";
import { EVAL_DIR, loadJob } from "./testing/eval-set.ts";
import {
  type CoverageRow,
  coverage,
  covers,
  meets,
  phraseWords,
  pooled,
  withheld,
  withheldPosting,
} from "./testing/keyword-coverage.ts";

/**
 * Issue 14 §1's measurement. Each posting is sent as text: its description,
 * responsibilities and qualifications under their headings (the eval set's
 * added `niceToHave` lists and its `skills` withheld); its top 25 keywords are
 * compared with the requirement phrases its `skills[].keywords` name.
 *
 * - Coverage: the share of requirements some keyword covers: one that
 *   contains it, or (three words or more) one inside it that keeps its last
 *   two words, its head (`covers`). A one-word keyword never covers a longer
 *   requirement, so common words cannot buy coverage.
 * - Precision: the share of keywords inside some requirement, containment
 *   either way ("audits" inside "security audits" counts, as the issue words it).
 * - Words compare as phrase-words.ts reads them: Porter stems, a known skill
 *   by its canonical name, function words dropped.
 * Pooled over the postings (each requirement and each keyword counts once).
 *
 * The issue's targets are 80% and 70%. They are not reached: on this text at
 * most 83% of the requirements are written at all (the rest are only in the
 * withheld lists), and the floors asserted are what the reader reaches, so a
 * change that loses ground fails; the figures are printed against the targets.
 */
const TOP = 25;
const TARGET = { coverage: 0.8, precision: 0.7 };
const FLOOR = { coverage: 0.74, precision: 0.61 };
/** The same 12 postings as the Markdown a producer pastes (../shared/eval/jobs: front matter, their own headings, nice-to-haves). */
const MARKDOWN_FLOOR = { coverage: 0.84, precision: 0.64 };

const evalFiles = readdirSync(join(EVAL_DIR, "jobs-json"))
  .filter((f) => f.endsWith(".json"))
  .sort()
  .map((f) => `jobs-json/${f}`);
/**
 * The postings of events/postings (README.md there), each set by its file suffix, with the floor the
 * reader reaches on it.
 */
const POSTING_SETS = [
  {
    title: "postings of other professions, written for this test: the same figures, a looser floor",
    name: "written postings",
    suffix: ".written.json",
    files: 4,
    floor: { coverage: 0.72, precision: 0.78 },
  },
  {
    title: "postings held out from tuning (other professions, one a whole ad as text): the same figures",
    name: "held-out postings",
    suffix: ".heldout.json",
    files: 3,
    floor: { coverage: 0.65, precision: 0.8 },
  },
  {
    // Long ads as careers sites post them (about us, benefits, boilerplate; 32–33 requirements each, more
    // than the 25 keywords), written by a helper who never saw the extractor; rules found on them since
    // are general ones.
    title: "long ads of other trades (about us, benefits, more requirements than keywords): the same figures",
    name: "long ads",
    suffix: ".heldout2.json",
    files: 4,
    floor: { coverage: 0.41, precision: 0.55 },
  },
  {
    // Four more long ads, written blind by a second helper and measured once, after the rules of
    // 2026-12-04: 29.0 / 44.0 with the reader as that day began.
    title: "long ads written blind and measured once (no rule was made on them): the same figures",
    name: "blind long ads",
    suffix: ".heldout3.json",
    files: 4,
    floor: { coverage: 0.32, precision: 0.5 },
  },
  {
    // A fourth set, written blind by a third helper (two pasted as text: bare, bold and capital headings,
    // hard-wrapped lines) and measured once at the end of that session: 26.5 / 52.9 with the reader as the
    // session began.
    title: "a second set of blind long ads, measured once: the same figures",
    name: "blind long ads (second set)",
    suffix: ".heldout4.json",
    files: 4,
    floor: { coverage: 0.33, precision: 0.52 },
  },
] as const;
const postingSet = (suffix: string) =>
  readdirSync(join(eventsDir, "postings"))
    .filter((f) => f.endsWith(suffix))
    .sort()
    .map((file) => ({ file, ...withheld(fixture<Posting>(`postings/${file}`)) }));

const measure = (
  postings: readonly { file: string; view: PostingView; requirements: string[] }[],
  extract: (view: PostingView) => string[],
): CoverageRow[] => postings.map((p) => coverage(p.file, p.requirements, extract(p.view).slice(0, TOP)));
const phrases = (view: PostingView): string[] => requirementPhrases(view).map((p) => p.display);

const evalSet = () => evalFiles.map((file) => ({ file, ...withheldPosting(file) }));

const fmt = (x: number): string => `${Math.round(100 * x)}%`;
const report = (name: string, rows: readonly CoverageRow[]): { coverage: number; precision: number } => {
  for (const r of rows) {
    console.log(
      `${r.file}: covered ${r.covered}/${r.requirements}, inside ${r.inside}/${r.keywords}; missed: ${r.uncovered.join(" | ")}`,
    );
  }
  const all = pooled(rows);
  console.log(`${name} pooled: coverage ${fmt(all.coverage)}, precision ${fmt(all.precision)}`);
  return all;
};

test("the eval set's 12 postings (skills withheld): top 25 requirement phrases against their requirements", () => {
  assert.is(evalFiles.length, 12);
  const rows = measure(evalSet(), phrases);
  const all = report("eval set", rows);
  const odd = pooled(rows.filter((_, i) => i % 2 === 0));
  const even = pooled(rows.filter((_, i) => i % 2 === 1));
  console.log(
    `targets ${fmt(TARGET.coverage)} / ${fmt(TARGET.precision)} (not met); ` +
      `odd half ${fmt(odd.coverage)} / ${fmt(odd.precision)}, even half ${fmt(even.coverage)} / ${fmt(even.precision)}`,
  );
  assert.ok(all.coverage >= FLOOR.coverage, `coverage ${fmt(all.coverage)}`);
  assert.ok(all.precision >= FLOOR.precision, `precision ${fmt(all.precision)}`);
});

test("the same 12 postings as pasted Markdown (their own headings, front matter): the same figures", () => {
  const files = readdirSync(join(EVAL_DIR, "jobs"))
    .filter((f) => f.endsWith(".md"))
    .sort();
  assert.is(files.length, 12);
  const rows = files.map((file) => {
    const description = readFileSync(join(EVAL_DIR, "jobs", file), "utf8");
    const { requirements } = withheldPosting(`jobs-json/${file.replace(/\.md$/, ".json")}`);
    const view = postingView(Posting.parse({ description }));
    return coverage(file, requirements, phrases(view).slice(0, TOP));
  });
  const all = report("eval set as Markdown", rows);
  assert.ok(all.coverage >= MARKDOWN_FLOOR.coverage, `coverage ${fmt(all.coverage)}`);
  assert.ok(all.precision >= MARKDOWN_FLOOR.precision, `precision ${fmt(all.precision)}`);
});

for (const set of POSTING_SETS) {
  test(set.title, () => {
    const postings = postingSet(set.suffix);
    assert.is(postings.length, set.files);
    const all = report(set.name, measure(postings, phrases));
    assert.ok(all.coverage >= set.floor.coverage, `coverage ${fmt(all.coverage)}`);
    assert.ok(all.precision >= set.floor.precision, `precision ${fmt(all.precision)}`);
  });
}

test("the engine's keywords (postingKeywords, one term each) are weighed by the phrases: better than term counts alone", () => {
  const terms = (view: PostingView) => postingKeywords(view, { limit: TOP }).map((k) => k.display);
  const rows = measure(evalSet(), terms);
  const all = pooled(rows);
  console.log(`postingKeywords on the eval set: coverage ${fmt(all.coverage)}, precision ${fmt(all.precision)}`);
  // Term counts alone (postingKeywords before issue 14) scored 31% / 32% on this measurement.
  assert.ok(all.precision >= 0.4, `precision ${fmt(all.precision)}`);
});

test("the measurement itself: containment, head words, stems and skill spellings, filler not assumed", () => {
  assert.ok(meets(phraseWords("distributed systems design"), phraseWords("distributed systems")));
  assert.ok(meets(phraseWords("audits"), phraseWords("security audits")));
  assert.ok(meets(phraseWords("Node.js"), phraseWords("NodeJS")));
  // Known spellings meet as one skill ("data processing pipelines" is "data pipelines").
  assert.ok(meets(phraseWords("data pipeline"), phraseWords("data processing pipelines")));
  assert.not.ok(meets(phraseWords("Kafka"), phraseWords("Kubernetes")));
  assert.not.ok(meets(phraseWords("monitoring tools"), phraseWords("automation tools")));
  assert.ok(meets(phraseWords("A/B tests"), phraseWords("A/B tests")));
  // Coverage is stricter: a common word does not cover a phrase, a head does.
  assert.not.ok(covers(phraseWords("testing"), phraseWords("unit testing")));
  assert.ok(covers(phraseWords("large scale web application frameworks"), phraseWords("web application frameworks")));
  assert.ok(covers(phraseWords("application frameworks"), phraseWords("web application frameworks")));
  assert.not.ok(covers(phraseWords("web application"), phraseWords("web application frameworks")));
});

test("the text measured holds no skills list and no nice-to-haves", () => {
  const job = loadJob("jobs-json/06-applied-data-scientist-openmined.json");
  const { view } = withheldPosting("jobs-json/06-applied-data-scientist-openmined.json");
  assert.ok(Array.isArray((job as Record<string, unknown>)["niceToHave"]));
  assert.not.ok(/^Skills:/m.test(view.description));
  assert.not.ok(/^Nice to have:/m.test(view.description));
  assert.ok(view.description.includes("Qualifications:"));
  assert.is(view.requirements, undefined);
  assert.equal(postingView(Posting.parse({ description: view.description })).description, view.description);
});

test("deterministic: the same posting gives the same phrases", () => {
  const { view } = withheldPosting(evalFiles[0]!);
  assert.equal(requirementPhrases(view), requirementPhrases({ ...view }));
});

test.run();
