/**
 * The hand-written scans that replaced backtracking patterns give the
 * patterns' results exactly: each is compared with the pattern it replaced
 * (kept here as the reference) on thousands of random strings built from the
 * characters the pattern cares about. Deterministic: a seeded generator.
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { seededRandom } from "../testing/random.ts";
import { findEmail, replaceEmails } from "./find-email.ts";
import { findPhone, phoneRunAt } from "./find-phone.ts";
import {
  atxHeading,
  blankEmptyBrackets,
  dropTrailingSeparator,
  splitDegreeOf,
  splitGroupLine,
  splitLanguage,
  splitOnSeparators,
  stripEmphasis,
  unlinkMarkdown,
} from "./text-cv-lines.ts";
import { oneLine, splitParagraphs, trimEndChars } from "./whitespace.ts";

/** `count` random strings of up to `max` pieces drawn from `pieces`. */
const strings = (seed: number, pieces: readonly string[], max: number, count = 4000): string[] => {
  const next = seededRandom(seed);
  return Array.from({ length: count }, () => {
    let s = "";
    const n = Math.floor(next() * (max + 1));
    for (let i = 0; i < n; i++) s += pieces[Math.floor(next() * pieces.length)];
    return s;
  });
};

const same = <T>(
  name: string,
  inputs: readonly string[],
  ours: (s: string) => T,
  reference: (s: string) => T,
): void => {
  for (const s of inputs) assert.equal(ours(s), reference(s), `${name}(${JSON.stringify(s)})`);
};

const SPACES = [" ", " ", "  ", "\t", "\u00a0", "\u2028", "\u3000"];

test("atxHeading and stripEmphasis = the ATX heading and emphasis patterns", () => {
  const inputs = strings(1, [...SPACES, "#", "#", "##", "a", "b c", "**", "__", ":", "*", "_", "\u2029"], 10);
  same(
    "atxHeading",
    inputs,
    (s) => atxHeading(s) ?? null,
    (s) => {
      const m = /^\s{0,3}(#{1,6})\s+(.*?)\s*#*\s*$/.exec(s);
      return m ? { level: m[1]!.length, text: m[2]! } : null;
    },
  );
  same("stripEmphasis", inputs, stripEmphasis, (s) =>
    s
      .replace(/^\s*(\*\*|__)(.*)\1\s*:?\s*$/, "$2")
      .replace(/\s*#+\s*$/, "")
      .trim(),
  );
});

test("splitLanguage = /^(.*?)\\s*(?:\\((.*)\\)|[-–—:]\\s*(.*))$/", () => {
  same(
    "splitLanguage",
    strings(2, [...SPACES, "(", ")", "-", "–", "—", ":", "a", "En", "\u2028"], 9),
    (s) => {
      const m = splitLanguage(s);
      return m ? [m[0], m[1]] : null;
    },
    (s) => {
      const m = /^(.*?)\s*(?:\((.*)\)|[-–—:]\s*(.*))$/.exec(s);
      return m ? [m[1]!, (m[2] ?? m[3])!] : null;
    },
  );
});

test("unlinkMarkdown = the Markdown link pattern, 500-character bounds included", () => {
  const long = "x".repeat(499);
  same(
    "unlinkMarkdown",
    strings(3, ["[", "]", "(", ")", "a", "\n", " ", long, `${long}x`, "[a](b)"], 8),
    unlinkMarkdown,
    (s) => s.replace(/\[([^\]\n]{0,500})\]\(([^)\n]{0,500})\)/g, "$1 $2"),
  );
});

test("splitOnSeparators = the header and date-line split patterns", () => {
  const inputs = strings(4, [...SPACES, "|", "•", "·", ",", "–", "—", "-", "a", "bc"], 10);
  same(
    "header split",
    inputs,
    (s) => splitOnSeparators(s, "|•·", "–—", true),
    (s) => s.split(/\s*[|•·]\s*|\s{3,}|\s+[–—]\s+/),
  );
  same(
    "date-line split",
    inputs,
    (s) => splitOnSeparators(s, "|·•,", "–—-", false),
    (s) => s.split(/\s*[|·•,]\s*|\s+[–—-]\s+/),
  );
});

test("small line edits = their patterns", () => {
  const inputs = strings(5, [...SPACES, "(", ")", "[", "]", "|", "·", ",", "–", "-", "a", ":", ".", "\n"], 9);
  same("blankEmptyBrackets", inputs, blankEmptyBrackets, (s) => s.replace(/\(\s*\)|\[\s*\]/g, " "));
  same("dropTrailingSeparator", inputs, dropTrailingSeparator, (s) => s.replace(/\s*[|·,–—-]\s*$/, ""));
  same(
    "splitGroupLine",
    [...inputs, `${"a".repeat(80)}: b`, `${"a".repeat(81)}: b`],
    (s) => splitGroupLine(s) ?? null,
    (s) => {
      const m = /^([^:]{1,80}):\s*(.*)$/.exec(s);
      return m ? [m[1]!, m[2]!] : null;
    },
  );
  same(
    "trimEndChars",
    inputs,
    (s) => trimEndChars(s, ".)]"),
    (s) => s.replace(/[.)\]]+$/, ""),
  );
});

test("splitDegreeOf = /^((?:bachelor|master|doctor|associate)[^,]*?) of (.+)$/i", () => {
  same(
    "splitDegreeOf",
    strings(6, ["Master", "bachelor", "DOCTOR", " of ", " OF ", " Of", "f ", ",", "x", " ", "\u2028", "o"], 8),
    (s) => splitDegreeOf(s) ?? null,
    (s) => {
      const m = /^((?:bachelor|master|doctor|associate)[^,]*?) of (.+)$/i.exec(s);
      return m ? [m[1]!, m[2]!] : null;
    },
  );
});

/** What find-email.ts documents it finds: internationalised addresses (RFC 6531), a top-level label with a letter. */
const EMAIL =
  /[\p{L}\p{M}\p{N}._%+-][\p{L}\p{M}\p{N}._%+'’-]{0,63}@[\p{L}\p{M}\p{N}.-]{1,253}\.(?=[\p{L}\p{M}\p{N}-]{0,62}\p{L})[\p{L}\p{M}\p{N}-]{1,62}[\p{L}\p{M}\p{N}]/gu;

test("findEmail and findPhone = the bounded e-mail and the phone patterns", () => {
  const longLocal = "a".repeat(63);
  const longLabel = "b".repeat(62);
  const emails = strings(
    7,
    [
      ...["a", "b1", ".", "@", "-", " ", ".io", "x", longLocal, longLabel, "é", "%+", "'", "’", "ö", "ü"],
      ...["\u0301", "𝒳", "日本", "١٢", "0", ".c0m", ".de", ".xn--p1ai", "-.", ".1", "_", "\u00a0", "\ud800"],
    ],
    10,
  );
  same(
    "findEmail",
    emails,
    (s) => findEmail(s)?.text ?? null,
    (s) => new RegExp(EMAIL.source, "u").exec(s)?.[0] ?? null,
  );
  same(
    "replaceEmails",
    emails,
    (s) => replaceEmails(s, (a) => `<${a}>`),
    (s) => s.replace(EMAIL, (a) => `<${a}>`),
  );
  same(
    "findPhone",
    strings(8, ["1", "23", "+", "(", ")", " ", "-", ".", "a", "\u2028", "0"], 14),
    (s) => findPhone(s)?.text ?? null,
    (s) => /(?:\+|\(?\d)[\d\s().-]{6,}\d/.exec(s)?.[0] ?? null,
  );
});

test("findEmail reads internationalised addresses whole (RFC 6531), a mistyped top-level domain too", () => {
  const found = (s: string) => findEmail(s)?.text ?? null;
  for (const address of [
    "jo@example.org",
    "jörg.müller@bücher-gmbh.de",
    "josé@empresa.es",
    "josé.garcía@empresa.es",
    "jörg@münchen.de",
    "mary.o'brien@acme.com",
    "mary.o’brien@acme.com",
    "talent@acme.c0m",
    "x@acme.co1",
    "jo@xn--mnchen-3ya.de",
    "jo@example.xn--p1ai",
    "иван@пример.рф",
    "用户@例子.广告",
    "राम@डाटामेल.भारत",
    "jose\u0301@empresa.es",
    "𝒳y@acme.com",
  ]) {
    assert.is(found(`Write to ${address} today`), address);
    assert.is(found(`(${address}),`), address);
  }
  // Quotes around an address are not part of it; the text glued to it by letters is (over-redaction is safe).
  assert.is(found("'jo@x.com'"), "jo@x.com");
  assert.is(found("‘mary.o’brien@acme.com’"), "mary.o’brien@acme.com");
  assert.is(found("a@b.com-"), "a@b.com");
  assert.is(found("a@b.com."), "a@b.com");
  assert.is(found("a@b.co.c0m.1"), "a@b.co.c0m");
  for (const none of ["react@18.2.0", "a@b", "a@b.c", "a@.com", "@example.org", "jo@10.0.0.1", "a@b.-", "'@b.com"]) {
    assert.is(found(none), null, none);
  }
});

test("phoneRunAt = `[\\d\\s().-]{6,}\\d` (greedy) at the position given: the run findPhone and PII redaction share", () => {
  const inputs = strings(10, ["1", "23", "+", "(", ")", " ", "-", ".", "a", "\u2028", "0"], 14);
  const runs: string[] = [];
  for (const s of inputs) for (let at = 0; at <= Math.min(s.length, 3); at++) runs.push(`${at}|${s}`);
  same(
    "phoneRunAt",
    runs,
    (r) => {
      const at = Number(r.slice(0, 1));
      const end = phoneRunAt(r.slice(2), at).end;
      return end < 0 ? null : r.slice(2).slice(at, end);
    },
    (r) => {
      const re = /[\d\s().-]{6,}\d/y;
      re.lastIndex = Number(r.slice(0, 1));
      return re.exec(r.slice(2))?.[0] ?? null;
    },
  );
});

test("oneLine and splitParagraphs = the LF patterns they generalize", () => {
  const inputs = strings(9, [" ", "\n", "\n\n", "\t", "a", "b c", "\u00a0"], 10);
  same("oneLine", inputs, oneLine, (s) => s.replace(/\s*\n\s*/g, " ").trim());
  same("splitParagraphs", inputs, splitParagraphs, (s) => s.split(/\n\s*\n/));
});

test("oneLine folds every line-break form, runs of whitespace around it included", () => {
  for (const br of ["\r", "\r\n", "\n", "\u2028", "\u2029", "\u0085", "\u000b", "\u000c"]) {
    assert.is(oneLine(`a ${br}  b${br}${br}c${br}`), "a b c", JSON.stringify(br));
  }
  assert.is(oneLine("a   b"), "a   b", "spaces without a break stay as written");
});

test.run();
