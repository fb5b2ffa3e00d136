/**
 * The claims free text makes that the verifier looks up in the source:
 * numbers, links and e-mail addresses, number words and words outside ASCII.
 * Read the same way from the source CV and from the tailored one.
 */

import { URL_START, URL_START_AT } from "../../resume/web-address.ts";
import { isSpace, trimEndChars } from "../../resume/whitespace.ts";
import { COUNT_WORDS } from "../count-words.ts";
import { decodeEntities } from "../normalize-text.ts";

// 40%, 4,000+, $2.5M, 3x: the number with its percent sign; commas and signs dropped.
const NUMBER_RE = /(?<![\w.])\d[\d,]*(?:\.\d+)?(?:\s?(%|percent\b))?/gi;

export const numbersIn = (text: string): string[] =>
  [...text.matchAll(NUMBER_RE)].map((m) => {
    const value = dropZeroFraction(m[0].replace(/\s?(%|percent)$/i, "").replace(/,/g, ""));
    return m[1] === undefined ? value : `${value}%`;
  });

/** `.replace(/\.0+$/, "")` as a scan: "2.00" → "2". */
const dropZeroFraction = (n: string): string => {
  const dot = n.lastIndexOf(".");
  if (dot < 0 || dot === n.length - 1) return n;
  for (let i = dot + 1; i < n.length; i++) if (n[i] !== "0") return n;
  return n.slice(0, dot);
};

/** Quantities written as words: a changed one is an inflated claim like a changed digit. */
export const NUMBER_WORDS: ReadonlySet<string> = new Set([
  ...COUNT_WORDS.keys(),
  ..."hundreds thousands millions billions dozens twice thrice double doubled triple tripled quadruple quadrupled tenfold half".split(
    " ",
  ),
]);

/** A word the free-text check looks up: a number word, or one with letters outside ASCII. */
export const isCheckedWord = (word: string): boolean => NUMBER_WORDS.has(word) || /[^\p{ASCII}]/u.test(word);

/** Words of normalized text (letters and digits of any script). */
export const wordsOf = (normalized: string): string[] => normalized.match(/[\p{L}\p{N}]+/gu) ?? [];

/** URLs and e-mail addresses, normalized, without trailing punctuation. */
export const addressesIn = (text: string): string[] =>
  scanAddresses(decodeEntities(text).normalize("NFKC"))
    .map((a) => trimEndChars(a.toLowerCase(), ".,;:!?]"))
    .filter((a) => a.includes("."));

/** `[\s<>()"']`: never part of an address. */
const isAddressStop = (c: number): boolean =>
  isSpace(c) || c === 0x3c || c === 0x3e || c === 0x28 || c === 0x29 || c === 0x22 || c === 0x27;

/**
 * What `(?:https?:\/\/|www\.)[^\s<>()"']+|[^\s<>()"'@]{1,64}@[^\s<>()"'@]{1,253}`
 * (global, case-insensitive) matches, by one forward scan: the run of
 * characters before an `@` is measured once, not again from each of its
 * positions.
 */
const scanAddresses = (text: string): string[] => {
  // Every address has an "@" or starts with a URL prefix.
  if (!text.includes("@") && !URL_START.test(text)) return [];
  const out: string[] = [];
  const isLocal = (c: number): boolean => !isAddressStop(c) && c !== 0x40;
  let runEnd = -1; // end of the run of local-part characters that holds `at`
  let at = 0;
  while (at < text.length) {
    URL_START_AT.lastIndex = at;
    const url = URL_START_AT.exec(text);
    if (url !== null && at + url[0].length < text.length && !isAddressStop(text.charCodeAt(at + url[0].length))) {
      let end = at + url[0].length;
      while (end < text.length && !isAddressStop(text.charCodeAt(end))) end++;
      out.push(text.slice(at, end));
      at = end;
      continue;
    }
    if (!isLocal(text.charCodeAt(at))) {
      at++;
      continue;
    }
    if (runEnd <= at) {
      runEnd = at;
      while (runEnd < text.length && isLocal(text.charCodeAt(runEnd))) runEnd++;
    }
    // 1–64 local-part characters right before an `@`, then 1–253 domain characters (greedy).
    if (text.charCodeAt(runEnd) === 0x40 && runEnd - at <= 64) {
      let end = runEnd + 1;
      while (end < text.length && end - runEnd <= 253 && isLocal(text.charCodeAt(end))) end++;
      if (end > runEnd + 1) {
        out.push(text.slice(at, end));
        at = end;
        continue;
      }
    }
    at++;
  }
  return out;
};
