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
import { extractTerms, tokenize } from "./terms.ts";
import { TextTerms } from "./text-terms.ts";

const TOKEN_PATTERN = /\.?[A-Za-z0-9][A-Za-z0-9+#]*(?:[./-][A-Za-z0-9+#]+)*[+#]*/g;
/** What resume/find-email.ts documents it finds (leftmost, then greedy). */
const EMAIL = /[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9.-]{1,253}\.[A-Za-z]{2,24}/g;

/** The tokens' texts by the documented pattern: addresses blanked, a leading dot dropped except in ".net". */
const byPattern = (input: string): string[] => {
  const text =
    !input.includes("@") && !input.includes("//") && !/www\./i.test(input)
      ? input
      : input.replace(/\S+/g, (chunk) => {
          const rest = chunk.replace(EMAIL, " ");
          const url = rest.search(/https?:\/\/|www\./i);
          return url < 0 ? rest : `${rest.slice(0, url)} `;
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
