import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { Posting } from "../contracts/posting.ts";
import { resumeIssues } from "../resume/validate-resume.ts";
import { eventsDir, fixture } from "../testing/fixtures.ts";
import { LocalEngine } from "./local-engine.ts";
import { type PostingView, postingView } from "./posting-view.ts";
import { tailorCv } from "./tailor-cv.ts";
import { EVAL_DIR, evalPairs, loadPosting, loadResume, resumeFiles } from "./testing/eval-set.ts";
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

/** Every posting the tests hold: the eval set as JSON and as Markdown, and events/postings with and without their skills. */
const everyPosting = (): { name: string; view: PostingView }[] => {
  const out: { name: string; view: PostingView }[] = [];
  for (const f of readdirSync(join(EVAL_DIR, "jobs-json")).filter((f) => f.endsWith(".json")))
    out.push({ name: f, view: loadPosting(`jobs-json/${f}`) });
  for (const f of readdirSync(join(EVAL_DIR, "jobs")).filter((f) => f.endsWith(".md")))
    out.push({
      name: f,
      view: postingView(Posting.parse({ description: readFileSync(join(EVAL_DIR, "jobs", f), "utf8") })),
    });
  for (const f of readdirSync(join(eventsDir, "postings")).filter((f) => f.endsWith(".json"))) {
    const { skills, ...withoutSkills } = fixture<Posting>(`postings/${f}`);
    out.push({ name: f, view: postingView(Posting.parse({ ...withoutSkills, skills })) });
    out.push({ name: `${f} without skills`, view: postingView(Posting.parse(withoutSkills)) });
  }
  return out;
};

test("every eval CV against every posting the tests hold: the local engine's output passes the verifier", async () => {
  const postings = everyPosting();
  assert.ok(postings.length >= 40, `${postings.length} postings`);
  const failed: string[] = [];
  for (const file of resumeFiles()) {
    const cv = loadResume(file);
    for (const p of postings) {
      try {
        await tailorCv(new LocalEngine(), { cv, posting: p.view, options: {} }, { bannedClaims: BANNED });
      } catch (e) {
        failed.push(`${file} × ${p.name}: ${e instanceof Error ? e.message : String(e)}`);
      }
    }
  }
  assert.equal(failed, []);
});

test.run();
