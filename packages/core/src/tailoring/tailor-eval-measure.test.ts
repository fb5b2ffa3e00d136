import { test } from "uvu";
import * as assert from "uvu/assert";
import type { Resume } from "../resume/resume.ts";
import { LocalEngine } from "./local-engine.ts";
import { matchReport } from "./match-report.ts";
import { type RequirementTerms, requirementTerms } from "./posting-keywords.ts";
import { tailorCv } from "./tailor-cv.ts";
import { evalPairs, loadPosting, loadResume } from "./testing/eval-set.ts";
import { TextTerms } from "./text-terms.ts";

/**
 * The top third of a CV's highlights: in each work entry, in document order,
 * its first ceil(n/3) highlights (n = that entry's highlights). Entries keep
 * their order in a tailored CV, so this is what the engine's ordering within
 * each entry decides.
 */
const topThird = (cv: Resume): string[] =>
  (cv.work ?? []).flatMap((w) => (w.highlights ?? []).slice(0, Math.ceil((w.highlights ?? []).length / 3)));

/** Distinct requirements met by the texts together, as the match report meets them: every term of the phrase. */
const carried = (texts: readonly string[], requirements: readonly RequirementTerms[], terms: TextTerms): number => {
  if (texts.length === 0) return 0;
  const keys = new Set(terms.joined(texts).map((t) => t.key));
  return requirements.filter((r) => r.keys.every((k) => keys.has(k))).length;
};

test("every eval pair: score tailored ≥ original; top third carries more requirements (or all the CV can)", async () => {
  const rows: string[] = [];
  let atCeiling = 0;
  for (const pair of evalPairs()) {
    const cv = loadResume(pair.resume);
    const posting = loadPosting(pair.jobJson);
    const result = await tailorCv(new LocalEngine(), { cv, posting, options: {} }, { bannedClaims: [] });
    const terms = new TextTerms();
    const original = matchReport(cv, posting, terms).score;
    const requirements = requirementTerms(posting, terms);
    const before = carried(topThird(cv), requirements, terms);
    const after = carried(topThird(result.resume), requirements, terms);
    // What any order could put there at most: the requirements all the CV's highlights meet.
    const reachable = carried(
      (cv.work ?? []).flatMap((w) => w.highlights ?? []),
      requirements,
      terms,
    );
    const name = `${pair.resume.slice(8, 10)}×${pair.jobJson.slice(10, 12)}`;
    rows.push(`${name}  ${original} → ${result.match.score}  ${before} → ${after} (of ${reachable})`);
    assert.ok(result.match.score >= original, `${name}: score ${original} → ${result.match.score}`);
    // Equal only when the original's top third already carries every requirement the CV's highlights meet.
    if (before === reachable) {
      atCeiling++;
      assert.ok(after >= before, `${name}: ${before} → ${after}`);
    } else assert.ok(after > before, `${name}: top third ${before} → ${after} of ${reachable}`);
  }
  console.log(
    `pair   score orig → tailored   top-third requirements orig → tailored (of reachable)\n${rows.join("\n")}\n${atCeiling} pair(s) already at the ceiling`,
  );
});

test("every eval pair: each work entry stays, in order, with its own dates; the label is the CV's own", async () => {
  for (const pair of evalPairs()) {
    const cv = loadResume(pair.resume);
    const posting = loadPosting(pair.jobJson);
    const { resume } = await tailorCv(new LocalEngine(), { cv, posting, options: {} }, { bannedClaims: [] });
    const shape = (r: Resume) => (r.work ?? []).map((w) => [w.name, w.position, w.startDate, w.endDate]);
    assert.equal(shape(resume), shape(cv), pair.resume);
    assert.is(resume.basics?.label, cv.basics?.label, pair.resume);
    // Condensed, not emptied: an entry with highlights keeps at least one.
    (cv.work ?? []).forEach((w, i) => {
      if ((w.highlights ?? []).length > 0)
        assert.ok((resume.work?.[i]?.highlights ?? []).length > 0, `${pair.resume} work[${i}]`);
    });
  }
});

test.run();
