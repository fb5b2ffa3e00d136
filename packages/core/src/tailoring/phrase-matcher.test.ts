import { test } from "uvu";
import * as assert from "uvu/assert";
import { seededRandom } from "../testing/random.ts";
import { PhraseMatcher } from "./phrase-matcher.ts";

// The searches the matcher replaces in the verifier, as they were written: the reference.
const containsBounded = (haystack: string, needle: string): boolean => {
  if (needle === "") return true;
  const edge = (c: string | undefined): boolean => c === undefined || !/[\p{L}\p{N}$€£%.,]/u.test(c);
  for (let at = haystack.indexOf(needle); at >= 0; at = haystack.indexOf(needle, at + 1)) {
    if (edge(haystack[at - 1]) && edge(haystack[at + needle.length])) return true;
  }
  return false;
};
const escapeRe = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
const containsPhrase = (text: string, phrase: string): boolean => {
  const before = /^\w/.test(phrase) ? "(?<![\\w])" : "";
  const after = /\w$/.test(phrase) ? "(?![\\w])" : "";
  return new RegExp(`${before}${escapeRe(phrase)}${after}`).test(text);
};

const GLUE = /[\p{L}\p{N}$€£%.,]/u;
const isGlue = (c: number): boolean => GLUE.test(String.fromCharCode(c));
const isAsciiWord = (c: number): boolean => /\w/.test(String.fromCharCode(c));

const ALPHABET = ["a", "b", "a", "b", " ", " ", ".", ",", "%", "$", "-", "_", "1", "é", "\u{1F600}", "+", "\n"];
const randomText = (next: () => number, max: number): string => {
  let s = "";
  const n = Math.floor(next() * max);
  for (let i = 0; i < n; i++) s += ALPHABET[Math.floor(next() * ALPHABET.length)];
  return s;
};

test("agrees with the substring searches it replaces on 3,000 random cases each", () => {
  const next = seededRandom(9);
  for (let round = 0; round < 150; round++) {
    const text = randomText(next, 60);
    // Phrases: pieces of the text (so many occur) and random ones.
    const phrases = Array.from({ length: 20 }, (_, i) => {
      if (i % 2 === 1) return randomText(next, 6);
      const from = Math.floor(next() * (text.length + 1));
      return text.slice(from, from + Math.floor(next() * 8));
    });
    const any = new PhraseMatcher(phrases, { isWord: isGlue, edges: "any" }).find(text);
    const word = new PhraseMatcher(phrases, { isWord: isAsciiWord, edges: "word" }).find(text);
    phrases.forEach((p, i) => {
      const where = `${JSON.stringify(p)} in ${JSON.stringify(text)}`;
      assert.is(any.has(i), containsBounded(text, p), `edges any: ${where}`);
      assert.is(word.has(i), containsPhrase(text, p), `edges word: ${where}`);
    });
  }
});

test("the verifier's cases: whole words, numbers with their glue, repeated phrases", () => {
  const m = new PhraseMatcher(["0% adoption", "60% adoption", "led", "c++", ".net", "led"], {
    isWord: isGlue,
    edges: "any",
  });
  assert.equal([...m.find("raised 60% adoption; skilled in c++ and asp.net")].sort(), [1, 3]);
  const w = new PhraseMatcher(["led", "c++", ".net"], { isWord: isAsciiWord, edges: "word" });
  assert.equal([...w.find("skilled in c++ and asp.net")].sort(), [1, 2]);
});

test("work is linear: steps stay within a constant of text plus phrases on adversarial input", () => {
  // Phrases that share long prefixes and suffixes ("a a a … b") over a text of "a a a …": the
  // case where one search per phrase would rescan the text for every phrase.
  const steps = (n: number): number => {
    const phrases = Array.from({ length: n / 10 }, (_, i) => `${"a ".repeat(i % 50)}b${i}`);
    const m = new PhraseMatcher(phrases, { isWord: isAsciiWord, edges: "word" });
    m.find("a ".repeat(n));
    return m.steps;
  };
  const small = steps(2_000);
  const large = steps(8_000);
  assert.ok(large / small < 4.5, `steps ${small} → ${large} for 4× the input`);
  assert.ok(large < 4 * 2 * 8_000, `${large} steps for 16,000 tokens of text`);
});

test.run();
