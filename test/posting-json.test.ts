/**
 * Postings in the JSON Resume job schema, through the HTTP gateway of the
 * embedded stack: every posting of ../shared/eval/jobs-json, sent as is (its
 * `$schema`, `meta`, `location` and `niceToHave` too), tailors, and its match
 * report lists the posting's skills (`skills[].keywords`) first. A posting the
 * schema refuses is a 400 naming the field and the rule, and nothing is queued.
 */
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { termKeys } from "@cvpipe/core/tailoring/terms";
import { evalPairs, loadJob, loadResume } from "@cvpipe/core/tailoring/testing/eval-set";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { fixture } from "./support/fixtures.ts";
import { sharedDir, startTestStack, type TestStack } from "./support/stack.ts";

let stack: TestStack;
/** The stack's "now": a fixed instant, whatever today is. */
const START = new Date("2026-11-18T10:00:00Z");

test.before(async () => {
  stack = await startTestStack({ clockStart: START });
});
test.after(async () => stack?.close());

const jobFiles = readdirSync(join(sharedDir, "eval", "jobs-json"))
  .filter((f) => f.endsWith(".json"))
  .sort()
  .map((f) => `jobs-json/${f}`);

/** Each posting with a CV the eval set pairs it with. */
const cvFor = (jobJson: string): string => evalPairs().find((p) => p.jobJson === jobJson)!.resume;

/**
 * A keyword's identity: its terms (HTML and HTML5 are one skill), or as written when it has none the
 * term index keeps ("people management" is a requirement though both its words are job-ad words).
 */
const idOf = (display: string): string => [...termKeys(display)].sort().join(" ") || display.toLowerCase();

/** A posting's skill keywords as the report names them. */
const skillTerms = (job: {
  skills?: ReadonlyArray<{ keywords?: readonly string[] | undefined }> | undefined;
}): Map<string, string> => {
  const out = new Map<string, string>();
  for (const k of (job.skills ?? []).flatMap((s) => s.keywords ?? [])) {
    const id = idOf(k);
    if (!out.has(id)) out.set(id, k);
  }
  return out;
};

test("every JSON Resume posting of the eval set, sent as is, tailors; its skills lead the match report", async () => {
  assert.is(jobFiles.length, 12);
  const submitted: Array<{ file: string; jobId: string }> = [];
  for (const [i, file] of jobFiles.entries()) {
    const job = loadJob(file);
    const res = await stack.api.request("POST", "/v1/jobs", {
      body: { cv: loadResume(cvFor(file)), job },
      user: `poster-${i}`,
    });
    assert.is(res.status, 202, `${file}: ${JSON.stringify(res.body).slice(0, 400)}`);
    submitted.push({ file, jobId: res.body.data.jobId });
  }
  let keywordsSeen = 0;
  for (const [i, { file, jobId }] of submitted.entries()) {
    const job = await stack.api.waitForJob(jobId, { user: `poster-${i}`, timeoutMs: 120_000 });
    assert.is(job.status, "SUCCEEDED", `${file}: ${JSON.stringify(job.error)}`);
    assert.is(job.result.verification.passed, true, file);
    const match = job.result.match as { matchedKeywords: string[]; missingKeywords: string[]; score: number };
    const wanted = skillTerms(loadJob(file));
    const listed = new Set([...match.matchedKeywords, ...match.missingKeywords].map(idOf));
    for (const [id, k] of wanted) assert.ok(listed.has(id), `${file}: skill "${k}" not in ${[...listed]}`);
    // Explicit requirements come first in each list: the matched ones lead matchedKeywords, the rest missingKeywords.
    const leads = (list: readonly string[]) => {
      const n = list.filter((k) => wanted.has(idOf(k))).length;
      return n > 0 && list.slice(0, n).every((k) => wanted.has(idOf(k)));
    };
    assert.ok(
      leads(match.matchedKeywords) || leads(match.missingKeywords),
      `${file}: ${match.matchedKeywords} / ${match.missingKeywords}`,
    );
    for (const list of [match.matchedKeywords, match.missingKeywords]) {
      const n = list.filter((k) => wanted.has(idOf(k))).length;
      assert.ok(
        list.slice(0, n).every((k) => wanted.has(idOf(k))),
        `${file}: skills first in ${list}`,
      );
    }
    // A weak pair may share nothing the posting asks for (a backend CV and a content design job score 0).
    const weak = evalPairs().find((p) => p.jobJson === file)!.expected === "weak";
    assert.ok((weak ? match.score >= 0 : match.score > 0) && match.score <= 100, `${file}: score ${match.score}`);
    keywordsSeen += wanted.size;
  }
  console.log(
    `${submitted.length} JSON Resume postings tailored; ${keywordsSeen} skill keywords in their match reports`,
  );
});

test("the bedrock engine reads a JSON Resume posting too (through the local Bedrock stand-in)", async () => {
  const file = jobFiles[0]!;
  const res = await stack.api.request("POST", "/v1/jobs", {
    body: { cv: loadResume(cvFor(file)), job: loadJob(file), options: { engine: "bedrock" } },
    user: "poster-bedrock",
  });
  assert.is(res.status, 202, JSON.stringify(res.body).slice(0, 400));
  const job = await stack.api.waitForJob(res.body.data.jobId, { user: "poster-bedrock" });
  assert.is(job.status, "SUCCEEDED", JSON.stringify(job.error));
  assert.is(job.engine, "bedrock");
  assert.ok(job.result.match.matchedKeywords.length + job.result.match.missingKeywords.length > 0);
});

test("a posting the JSON Resume job schema refuses: 400 naming each field and rule; nothing queued", async () => {
  const job = loadJob(jobFiles[0]!) as Record<string, unknown> & { skills: Array<{ keywords: unknown[] }> };
  job.skills[1]!.keywords[2] = 42;
  const res = await stack.api.request("POST", "/v1/jobs", {
    body: { cv: fixture("http/post-job.valid.json").cv, job: { ...job, remote: "Sometimes" } },
    user: "poster-invalid",
  });
  assert.is(res.status, 400);
  assert.is(res.body.code, "VALIDATION_ERROR");
  const details = res.body.details as Array<{ path: string; rule: string }>;
  const rules = Object.fromEntries(details.map((d) => [d.path, d.rule]));
  assert.is(rules["body.job.skills[1].keywords[2]"], "invalid_type", JSON.stringify(details));
  assert.is(rules["body.job.remote"], "invalid_value", JSON.stringify(details));

  // Shape right, the official schema's own rules: an ISO 8601 date and a URI.
  const dated = await stack.api.request("POST", "/v1/jobs", {
    body: {
      cv: fixture("http/post-job.valid.json").cv,
      job: { ...loadJob(jobFiles[1]!), date: "March 2017", meta: { canonical: "not a uri" } },
    },
    user: "poster-invalid",
  });
  assert.is(dated.status, 400);
  assert.equal(
    (dated.body.details as Array<{ path: string; rule: string }>).map((d) => `${d.path} ${d.rule}`),
    ["body.job.date pattern", "body.job.meta.canonical format:uri"],
  );
  const list = await stack.api.request("GET", "/v1/jobs", { user: "poster-invalid" });
  assert.is(list.status, 200);
  assert.equal(list.body.data.items, [], "no job recorded for a refused posting");
});

test.run();
