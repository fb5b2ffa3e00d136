import { test } from "uvu";
import * as assert from "uvu/assert";
import { resumeIssues } from "../resume/validate-resume.ts";
import { LocalEngine } from "./local-engine.ts";
import { tailorCv } from "./tailor-cv.ts";
import { evalPairs, loadPosting, loadResume } from "./testing/eval-set.ts";
import { verifyGrounding } from "./verify-grounding/index.ts";

const BANNED = ["security clearance", "PhD", "Nobel Prize"];

test("every (CV, job) pair of the eval set: valid JSON Resume, nothing invented, renders", async () => {
  const pairs = evalPairs();
  assert.is(pairs.length, 24);
  for (const pair of pairs) {
    const cv = loadResume(pair.resume);
    const posting = loadPosting(pair.jobJson);
    const label = `${pair.resume} × ${pair.jobJson}`;
    const result = await tailorCv(new LocalEngine(), { cv, posting, options: {} }, { bannedClaims: BANNED });
    assert.equal(resumeIssues(result.resume), [], `${label}: schema`);
    const report = verifyGrounding(cv, result.resume, BANNED);
    assert.equal(report.violations, [], `${label}: verifier`);
    assert.ok(report.checkedFields > 20, `${label}: checked ${report.checkedFields} fields`);
    assert.equal(result.resume.basics?.name, cv.basics?.name);
    assert.equal(result.resume.basics?.email, cv.basics?.email);
    assert.ok(result.markdown.startsWith(`# ${cv.basics?.name}`), `${label}: markdown`);
    assert.ok(result.html.startsWith("<!DOCTYPE html>"), `${label}: html`);
    assert.ok(result.match.score >= 0 && result.match.score <= 100);
  }
});

test("a text CV parsed from each eval CV also tailors cleanly against its strong job", async () => {
  const { renderResumeText } = await import("../resume/render-resume-text.ts");
  const { normalizeCv } = await import("../resume/normalize-cv.ts");
  for (const pair of evalPairs().filter((p) => p.expected !== "weak")) {
    const cv = normalizeCv(renderResumeText(loadResume(pair.resume)));
    const result = await tailorCv(
      new LocalEngine(),
      { cv, posting: loadPosting(pair.jobJson), options: {} },
      { bannedClaims: BANNED },
    );
    assert.ok(result.verification.passed, pair.resume);
  }
});

test.run();
