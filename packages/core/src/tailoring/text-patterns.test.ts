/**
 * Static check: every regular expression the CV-text modules apply can only
 * be matched in linear time (no super-linear backtracking), judged by
 * redos-detector or, for patterns without unbounded repetition, by their
 * shape. Deterministic: nothing is timed.
 *
 * The regex literals are read from the source files with the TypeScript
 * parser, so a new one is checked the moment it is written. A pattern built
 * at run time (`new RegExp`) cannot be read that way: its module exports the
 * built objects as `TEXT_PATTERNS`, and DYNAMIC_SITES below counts the call
 * sites per file, so a new one fails this test until it is registered.
 */
import { readdirSync } from "node:fs";
import { join, relative, sep } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { isFinitePattern, judgePattern, regexSites, unsafePatterns } from "./testing/pattern-safety.ts";

const SRC = join(import.meta.dirname, "..");
/** The modules under `dir`, its sub-folders included (a split module is a folder), test helpers aside. */
const filesIn = (dir: string): string[] =>
  readdirSync(join(SRC, dir), { recursive: true, encoding: "utf8" })
    .filter((f) => f.endsWith(".ts") && !f.endsWith(".test.ts") && !f.split(sep).includes("testing"))
    .sort()
    .map((f) => join(SRC, dir, f));
const name = (file: string): string => relative(SRC, file);

/**
 * Generated code, not written here: resume/resume-validator.ts is the JSON
 * Resume schema compiled by ajv (see resume/testing/resume-validator-source.ts).
 * Its patterns are the schema's iso8601 date and ajv-formats' "uri" and
 * "email" formats, the same ones ajv applied to every CV when it compiled the
 * schema at run time. The detector flags the uri and email patterns; that is
 * ajv-formats' choice, not a pattern of this code, and it predates the file.
 */
const GENERATED: ReadonlySet<string> = new Set(["resume/resume-validator.ts"]);
const FILES = [...filesIn("resume"), ...filesIn("tailoring")].filter((f) => !GENERATED.has(name(f)));

/** `new RegExp` call sites per file, and why each is safe to build at run time. */
const DYNAMIC_SITES: Readonly<Record<string, { count: number; why: string }>> = {
  "resume/dates.ts": { count: 2, why: "constant patterns built from word lists; exported as TEXT_PATTERNS" },
  "resume/web-address.ts": {
    count: 2,
    why: "where a web address starts, in its two forms (anywhere, sticky); exported",
  },
  "resume/parse-text-cv/header.ts": { count: 1, why: "a contact line's address, from the one URL start; exported" },
  "tailoring/normalize-text.ts": { count: 1, why: "a constant character class of look-alike letters; exported" },
  "tailoring/screening-checks.ts": {
    count: 2,
    why: "degree names from a constant list, one pattern per level; exported",
  },
  "tailoring/pii.ts": {
    count: 8,
    why: "placeholder patterns from a constant kind list and the web address from the one URL start (exported); the CV-built ones are checked in pii.test.ts",
  },
};

test("every regex literal in the CV-text modules is linear-time", () => {
  const bad: string[] = [];
  let count = 0;
  for (const file of FILES) {
    for (const site of regexSites(file)) {
      if (site.literal === undefined) continue;
      count++;
      const v = judgePattern(new RegExp(site.literal.source, site.literal.flags));
      if (!v.safe) bad.push(`${name(file)}:${site.line} ${site.text} — ${v.why}`);
    }
  }
  assert.ok(count > 50, `found only ${count} literals: is the scan reading the files?`);
  assert.equal(bad, [], `super-linear patterns:\n${bad.join("\n")}`);
});

test("every regex built at run time is registered and exported as TEXT_PATTERNS, and is linear-time", async () => {
  const problems: string[] = [];
  for (const file of FILES) {
    const dynamic = regexSites(file).filter((s) => s.literal === undefined);
    const expected = DYNAMIC_SITES[name(file)]?.count ?? 0;
    if (dynamic.length !== expected) {
      problems.push(
        `${name(file)}: ${dynamic.length} new RegExp sites, ${expected} registered (${dynamic.map((s) => `line ${s.line}`).join(", ")})`,
      );
    }
    if (dynamic.length === 0) continue;
    const mod = (await import(file)) as { TEXT_PATTERNS?: readonly RegExp[] };
    if (mod.TEXT_PATTERNS === undefined) {
      problems.push(`${name(file)} builds patterns at run time but exports no TEXT_PATTERNS`);
      continue;
    }
    for (const v of unsafePatterns(mod.TEXT_PATTERNS)) problems.push(`${name(file)}: /${v.pattern.source}/ — ${v.why}`);
  }
  assert.equal(problems, [], problems.join("\n"));
});

test("the checker itself: it flags the patterns of issue 9 and passes their replacements", () => {
  const flagged = [
    /^\s{0,3}(#{1,6})\s+(.*?)\s*#*\s*$/, // MD_HEADING: cubic on a run of spaces
    /^\s*(\*\*|__)(.*)\1\s*:?\s*$/, // stripEmphasis
    /^(.*?)\s*(?:\((.*)\)|[-–—:]\s*(.*))$/, // languages
    /^[^@]+@[^@]+\.[^@]+$/, // terms.ts EMAIL_RE
    /\s*\n\s*/g, // newline folding
    /[.)\]]+$/, // trailing punctuation
  ];
  for (const re of flagged) assert.not.ok(judgePattern(re).safe, `${re} should be flagged`);
  const fine = [/\s+/g, /^[^@]+@[^@][^@.]*\.[^@]+$/, /\b(?:engineer|developer|manager)\b/i, /\r\n?/g];
  for (const re of fine) assert.ok(judgePattern(re).safe, `${re} should pass: ${judgePattern(re).why}`);
  assert.ok(isFinitePattern("\\b(?:a|b)\\b\\.?"));
  assert.not.ok(isFinitePattern("a{1,64}@"));
  assert.not.ok(isFinitePattern("a[b*]+"));
  assert.ok(isFinitePattern("[*+]{2}"));
});

test.run();
