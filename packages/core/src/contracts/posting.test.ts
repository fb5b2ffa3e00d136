/**
 * `Posting`: a JSON Resume job object checked against the official job schema
 * (the generated validator is current and answers as ajv.compile does; the
 * schema it ships is ../shared/jsonresume/job-schema.json), with field paths
 * and rules as a CV's; the text form `{description, title?, company?}` as before.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { type Validate, verdict } from "../resume/testing/resume-validator-source.ts";
import { sharedDir, sharedFixture } from "../testing/fixtures.ts";
import { zodIssues } from "./field-issues.ts";
import { MAX_POSTING_CHARS, Posting } from "./posting.ts";
import generated from "./posting-validator.ts";
import {
  compileJobSchema,
  JOB_SCHEMA,
  POSTING_VALIDATOR_FILE,
  postingValidatorSource,
} from "./testing/posting-validator-source.ts";

const ahead = generated as unknown as Validate;
const atRunTime = compileJobSchema() as unknown as Validate;

const jobFiles = readdirSync(join(sharedDir, "eval", "jobs-json")).sort();
const jobs = (): Record<string, unknown>[] => jobFiles.map((f) => sharedFixture(`eval/jobs-json/${f}`));

const issues = (value: unknown) => {
  const r = Posting.safeParse(value);
  return r.success ? [] : zodIssues("body.job", r.error).map((i) => `${i.path} ${i.rule}: ${i.message}`);
};

test("posting-validator.ts is what the generator writes today (regenerate with its --write)", () => {
  assert.ok(
    readFileSync(POSTING_VALIDATOR_FILE, "utf8") === postingValidatorSource(),
    "stale: node packages/core/src/contracts/testing/posting-validator-source.ts --write",
  );
});

test("the schema it ships is ../shared/jsonresume/job-schema.json, but for $schema and no-op additionalItems", () => {
  const strip = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(strip);
    if (node === null || typeof node !== "object") return node;
    return Object.fromEntries(
      Object.entries(node)
        .filter(([k]) => k !== "$schema" && k !== "additionalItems")
        .map(([k, v]) => [k, strip(v)]),
    );
  };
  assert.equal(strip(JOB_SCHEMA), strip(sharedFixture("jsonresume/job-schema.json")));
});

test("same verdicts and errors as ajv.compile: eval postings, the schema's sample, broken ones", () => {
  const broken = [
    { date: "March 2017" },
    { remote: "Sometimes" },
    { skills: [{ name: 1, keywords: ["a", 2] }] },
    { responsibilities: "one" },
    { meta: { canonical: "not a uri" } },
    { location: { city: 3 } },
    [],
    "text",
  ];
  const values = [...jobs(), sharedFixture("jsonresume/sample.job.json"), ...broken];
  for (const v of values) assert.equal(verdict(ahead, v), verdict(atRunTime, v));
  assert.is(values.filter((v) => ahead(v)).length, jobFiles.length + 1);
});

test("every eval posting and the schema's sample parse as they are, their fields kept", () => {
  assert.is(jobFiles.length, 12);
  for (const job of [...jobs(), sharedFixture("jsonresume/sample.job.json")]) {
    assert.equal(issues(job), []);
    const parsed = Posting.parse(job);
    assert.equal(Object.keys(parsed).sort(), Object.keys(job).sort(), "extra fields ($schema, niceToHave) kept");
    assert.equal(parsed["skills"], job["skills"]);
  }
});

test("the text form as before: trimmed; a short or missing description is named at body.job.description", () => {
  assert.equal(Posting.parse({ description: "  A backend role using Go and AWS.  ", title: " SRE " }), {
    description: "A backend role using Go and AWS.",
    title: "SRE",
  });
  assert.equal(issues({ description: "too short" }), [
    "body.job.description too_small: must be at least 20 characters of job description",
  ]);
  assert.equal(issues({ title: "Engineer" }), [
    "body.job.description required: is required: the posting's text (a description, or responsibilities, qualifications, skills)",
  ]);
  assert.equal(issues({ description: "x".repeat(20), title: "" }).length, 1);
});

test("a posting whose text is in its lists needs no description; too little or too much text in all is named at body.job", () => {
  assert.equal(issues({ responsibilities: ["Run the Kubernetes platform for 40 teams"] }), []);
  assert.equal(issues({ skills: [{ name: "Go", keywords: ["gRPC", "Kafka", "Postgres", "AWS"] }] }), []);
  assert.equal(issues({ responsibilities: ["Ops"] }), [
    "body.job too_small: must hold at least 20 characters of text (description, responsibilities, qualifications, skills)",
  ]);
  const half = "word ".repeat(MAX_POSTING_CHARS / 10);
  assert.equal(issues({ description: half.trim(), qualifications: [half.slice(0, 4000)] }), []);
  const over = issues({ description: "x".repeat(MAX_POSTING_CHARS), niceToHave: ["more text"] });
  assert.equal(over.length, 1);
  assert.match(over[0]!, /^body\.job too_big: must hold at most 50000 characters of text in all/);
  assert.equal(issues({ description: "x".repeat(MAX_POSTING_CHARS - 5), qualifications: ["y".repeat(10)] }).length, 1);
});

test("bad fields: each path and rule, the schema's own rules (date pattern, URI) as a CV's", () => {
  const base = jobs()[0]!;
  assert.equal(
    issues({
      ...base,
      skills: [{ name: "Go", keywords: ["gRPC", 7] }],
      remote: "Sometimes",
      responsibilities: "one",
    }).map((i) => i.split(":")[0]),
    [
      "body.job.remote invalid_value",
      "body.job.responsibilities invalid_type",
      "body.job.skills[0].keywords[1] invalid_type",
    ],
  );
  assert.equal(
    issues({ ...base, date: "2017-3", meta: { canonical: "not a uri" } }).map((i) => i.split(":")[0]),
    ["body.job.date pattern", "body.job.meta.canonical format"],
  );
  assert.ok(issues({ ...base, date: "2017-03" }).length === 0);
  assert.equal(
    issues({ ...base, skills: Array.from({ length: 201 }, () => ({ name: "Go" })) }).map((i) => i.split(":")[0]),
    ["body.job.skills too_big"],
  );
  assert.equal(
    issues({ ...base, qualifications: ["q".repeat(5001)] }).map((i) => i.split(":")[0]),
    ["body.job.qualifications[0] too_big"],
  );
  assert.equal(
    issues(null).map((i) => i.split(":")[0]),
    ["body.job invalid_type"],
  );
});

test.run();
