/**
 * The shortcuts the speed work took keep their definitions, checked on seeded
 * random text built from the characters and words that matter (joiners, +,
 * #, dots, addresses, line breaks, multi-word skills):
 * - tokenize reads exactly the matches of the token pattern it documents;
 * - TextTerms.joined(parts) is extractTerms(parts.join("\n")), including
 *   when a known skill runs across a break;
 * - a memo's answers are extractTerms' and tokenize's.
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { Rng } from "../testing/random.ts";
import { matchReport } from "./match-report.ts";
import { postingView } from "./posting-view.ts";
import { extractTerms, tokenize } from "./terms.ts";
import { TextTerms } from "./text-terms.ts";

const TOKEN_PATTERN = /\.?[A-Za-z0-9][A-Za-z0-9+#]*(?:[./-][A-Za-z0-9+#]+)*[+#]*/g;
/** What resume/find-email.ts documents it finds (internationalised addresses, a top-level label with a letter). */
const EMAIL =
  /[\p{L}\p{M}\p{N}._%+-][\p{L}\p{M}\p{N}._%+'’-]{0,63}@[\p{L}\p{M}\p{N}.-]{1,253}\.(?=[\p{L}\p{M}\p{N}-]{0,62}\p{L})[\p{L}\p{M}\p{N}-]{1,62}[\p{L}\p{M}\p{N}]/u;

/** The tokens' texts by the documented pattern: a chunk holding an address dropped whole, a leading dot dropped except in ".net". */
const byPattern = (input: string): string[] => {
  const text =
    !input.includes("@") && !input.includes("//") && !/www\./i.test(input)
      ? input
      : input.replace(/\S+/g, (chunk) => {
          if (EMAIL.test(chunk)) return " ";
          const url = chunk.search(/https?:\/\/|www\./i);
          return url < 0 ? chunk : `${chunk.slice(0, url)} `;
        });
  return [...text.matchAll(TOKEN_PATTERN)].map((m) =>
    m[0].startsWith(".") && !/^\.net$/i.test(m[0]) ? m[0].slice(1) : m[0],
  );
};

const PIECES = [
  "a",
  "B",
  "z",
  "0",
  "9",
  ".",
  "/",
  "-",
  "+",
  "#",
  " ",
  "\n",
  "\t",
  "@",
  ".net",
  ".NET",
  "c++",
  "C#",
  "://",
  "www.",
  "x@y.co",
  "é",
  "ö",
  "'",
  ".c0m",
  "xn--p1ai",
  "“",
  "•",
  "(",
  ":",
  "_",
  "\u00a0",
  "\u2028",
  "node",
  "js",
  "Node.js",
  "ci",
  "cd",
];
const WORDS = [
  "machine",
  "learning",
  "Machine",
  "aws",
  "AWS",
  "lambda",
  "Lambda",
  "node",
  "js",
  "ci",
  "/",
  "cd",
  "react",
  "end",
  "to",
  "end-to-end",
  "testing",
  "the",
  "and",
  "Kubernetes",
  "site",
  "reliability",
  "engineering",
  "ruby",
  "on",
  "rails",
  ".",
  ",",
  "a/b",
  "google",
  "cloud",
  "platform",
  "x@y.com",
  "www.site.com",
  "Go",
  "C++",
  " ",
  "",
];

test("tokenize reads the token pattern's matches (20,000 seeded strings)", () => {
  const rng = new Rng(20);
  for (let k = 0; k < 20_000; k++) {
    const text = Array.from({ length: rng.int(1, 14) }, () => rng.pick(PIECES)).join("");
    assert.equal(
      tokenize(text).map((t) => t.text),
      byPattern(text),
      JSON.stringify(text),
    );
  }
});

// Found by review of issue 10 (e8b87fe): only the ASCII part of an address was blanked, so the rest of a
// non-ASCII or apostrophe address ("rg.m", "ller", "cher-gmbh.de", "jos", "mary.o", "acme.c0m")
// became terms, and the match report listed them as missing requirements.
const REVIEW_CV = {
  basics: { name: "A" },
  skills: [{ name: "Kubernetes" }, { name: "Go" }],
  work: [{ name: "X", position: "Engineer", highlights: ["Ran Kubernetes clusters in Go"] }],
};
for (const contact of [
  "jörg.müller@bücher-gmbh.de",
  "josé@empresa.es",
  "mary.o'brien@acme.com",
  "mary.o’brien@acme.com",
  "talent@acme.c0m",
  "иван@пример.рф",
  "(contact:jo@acme.com),",
]) {
  test(`no term from the address ${contact}`, () => {
    assert.equal(
      extractTerms(`Write to ${contact} today`).map((t) => t.surface),
      ["Write", "today"].filter((w) => extractTerms(w).length > 0),
    );
  });
  test(`the match report does not miss the address ${contact}`, () => {
    const description = `Platform engineer. Requirements: Kubernetes, Go. Questions? Write to ${contact}.`;
    const report = matchReport(REVIEW_CV, postingView({ description, title: "Platform engineer" }));
    assert.equal(report.missingKeywords, []);
    assert.is(report.score, 100);
  });
}

test("a package version is no address: react@18.2.0 keeps its terms", () => {
  assert.equal(
    tokenize("Upgraded react@18.2.0").map((t) => t.text),
    ["Upgraded", "react", "18.2.0"],
  );
});

test("TextTerms.joined(parts) is extractTerms of the parts joined by line breaks (20,000 seeded joins)", () => {
  const rng = new Rng(21);
  let across = 0;
  for (let k = 0; k < 20_000; k++) {
    const parts = Array.from({ length: rng.int(1, 5) }, () =>
      Array.from({ length: rng.int(0, 4) }, () => rng.pick(WORDS)).join(rng.chance(0.7) ? " " : ""),
    );
    const terms = new TextTerms();
    if (rng.chance(0.5)) for (const p of parts) terms.terms(p);
    const whole = extractTerms(parts.join("\n"));
    assert.equal(terms.joined(parts), whole, JSON.stringify(parts));
    if (JSON.stringify(whole) !== JSON.stringify(parts.flatMap((p) => extractTerms(p)))) across++;
  }
  // Known skills do run across breaks in some of these ("machine\nlearning").
  assert.ok(across > 50, `${across} joins with a skill across a break`);
});

test("a memo answers as extractTerms and tokenize do, asked twice", () => {
  const terms = new TextTerms();
  for (const text of ["Built CI/CD on AWS Lambda with Node.js", "machine\nlearning at Acme", ""]) {
    for (let i = 0; i < 2; i++) {
      assert.equal(terms.terms(text), extractTerms(text));
      assert.equal(terms.tokens(text), tokenize(text));
    }
  }
});

test.run();
