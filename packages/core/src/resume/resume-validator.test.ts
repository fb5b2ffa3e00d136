/**
 * The generated JSON Resume validator (resume-validator.ts) is current and
 * answers exactly as the schema compiled by ajv at run time: the same verdict
 * and the same errors (keyword, instance path, params, message, in order) for
 * every eval CV, the schema's own sample, and seeded mutations of them.
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { resumeFiles } from "../tailoring/testing/eval-set.ts";
import { sharedFixture } from "../testing/fixtures.ts";
import { Rng } from "../testing/random.ts";
import generated from "./resume-validator.ts";
import {
  compileResumeSchema,
  RESUME_VALIDATOR_FILE,
  resumeValidatorSource,
  type Validate,
  verdict,
} from "./testing/resume-validator-source.ts";

const ahead = generated as unknown as Validate;
const atRunTime = compileResumeSchema() as unknown as Validate;

test("resume-validator.ts is what the generator writes today (regenerate with its --write)", () => {
  assert.ok(
    readFileSync(RESUME_VALIDATOR_FILE, "utf8") === resumeValidatorSource(),
    "stale: node packages/core/src/resume/testing/resume-validator-source.ts --write",
  );
});

const sample = createRequire(import.meta.url)("@jsonresume/schema/sample.resume.json") as unknown;
const cvs: unknown[] = [sample, ...resumeFiles().map((f) => sharedFixture(`eval/${f}`))];

test("the eval CVs and the schema's sample: same verdicts and errors as ajv.compile", () => {
  for (const cv of cvs) assert.equal(verdict(ahead, cv), verdict(atRunTime, cv));
  assert.ok(cvs.length > 10);
});

/** Values that break types, formats (uri, email, iso8601 dates) and shapes, and some that pass. */
const VALUES: readonly unknown[] = [
  3,
  -1.5,
  null,
  true,
  "",
  " ",
  "x",
  "not a uri",
  "http://example.org/a?b#c",
  "https://",
  "mailto:someone@example.org",
  "//example.org",
  "a@b.co",
  "a@b",
  "@example.org",
  "first.last+tag@sub.example.org",
  "2020",
  "2020-06",
  "2020-06-30",
  "2020-13-45",
  "20-06",
  "2020/06/30",
  "Ünïcödé ✓",
  "x".repeat(300),
  [],
  ["a"],
  [1, null],
  {},
  { name: 3 },
  { url: "nope" },
];

type Node = Record<string, unknown> | unknown[];

/** Every object and array in `value`, with itself first. */
const containers = (value: unknown): Node[] => {
  const out: Node[] = [];
  const stack = [value];
  while (stack.length > 0) {
    const v = stack.pop();
    if (v !== null && typeof v === "object") {
      out.push(v as Node);
      stack.push(...Object.values(v));
    }
  }
  return out;
};

const mutate = (cv: unknown, rng: Rng): unknown => {
  const copy = structuredClone(cv);
  for (let n = rng.int(1, 4); n > 0; n--) {
    const node = rng.pick(containers(copy));
    const keys = Object.keys(node);
    const value = structuredClone(rng.pick(VALUES));
    if (Array.isArray(node)) {
      if (keys.length > 0 && rng.chance(0.7)) node[Number(rng.pick(keys))] = value;
      else node.push(value);
    } else if (keys.length > 0 && rng.chance(0.15)) delete node[rng.pick(keys)];
    else if (keys.length > 0 && rng.chance(0.8)) node[rng.pick(keys)] = value;
    else node[rng.pick(["extra", "name", "url", "email", "startDate", "keywords", "highlights"])] = value;
  }
  return copy;
};

test("3,000 seeded mutations of them: same verdicts and errors as ajv.compile", () => {
  const rng = new Rng(12);
  let invalid = 0;
  for (let i = 0; i < 3_000; i++) {
    const cv = mutate(rng.pick(cvs), rng);
    const expected = verdict(atRunTime, cv);
    assert.equal(verdict(ahead, cv), expected, `case ${i}`);
    if (!(expected as { valid: boolean }).valid) invalid++;
  }
  // Most mutations break the schema somewhere; some stay valid.
  assert.ok(invalid > 1_500 && invalid < 3_000, `${invalid} invalid`);
});

test.run();
