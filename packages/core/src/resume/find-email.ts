/**
 * E-mail addresses in free text: the one notion of an address for PII
 * redaction (tailoring/pii.ts), the term reader (tailoring/terms.ts) and the
 * text-CV header (parse-text-cv/header.ts). Internationalised addresses
 * (RFC 6531, IDN domains) count as well as ASCII ones: a local part of
 * letters, marks and digits of any script and `._%+-'’` (not starting with
 * an apostrophe), an `@`, and a host name of labels of letters, marks, digits
 * and hyphens whose last label (the top-level domain) has at least two
 * characters, one a letter. So `jörg.müller@bücher-gmbh.de`,
 * `mary.o'brien@acme.com`, `josé@xn--bcher-kva.de` and a mistyped
 * `talent@acme.c0m` are addresses; `react@18.2.0` and `a@b` are not. A
 * mistyped top-level domain is kept on purpose: for PII, redacting too much
 * is the safe side (a whole value that must be valid is checked with
 * contracts/email-address.ts instead).
 *
 * Found by a forward scan instead of the pattern (flag `u`)
 * `/[\p{L}\p{M}\p{N}._%+-][\p{L}\p{M}\p{N}._%+'’-]{0,63}@[\p{L}\p{M}\p{N}.-]{1,253}\.(?=[\p{L}\p{M}\p{N}-]{0,62}\p{L})[\p{L}\p{M}\p{N}-]{1,62}[\p{L}\p{M}\p{N}]/u`.
 * The matches are exactly that pattern's (leftmost start, then greedy), but
 * the cost is O(length): each `@` is looked at once, with at most 64 code
 * points before it and 317 after.
 */
import { isAsciiLetter, isDigit } from "./char-classes.ts";

const LOCAL_MAX = 64;
const DOMAIN_MAX = 253;
/** A DNS label's longest. */
const TLD_MAX = 63;

const LETTER_AT = /\p{L}/uy;
const WORD_AT = /[\p{L}\p{M}\p{N}]/uy;
/** The fixed patterns the scan applies (text-patterns.test.ts checks every literal). */
export const TEXT_PATTERNS: readonly RegExp[] = [LETTER_AT, WORD_AT];

/** `\p{L}` for the code point starting at `i` (ASCII read directly). */
const isLetterAt = (text: string, i: number): boolean => {
  const c = text.charCodeAt(i);
  if (c < 0x80) return isAsciiLetter(c);
  LETTER_AT.lastIndex = i;
  return LETTER_AT.test(text);
};
/** `[\p{L}\p{M}\p{N}]` for the code point starting at `i`. */
const isWordAt = (text: string, i: number): boolean => {
  const c = text.charCodeAt(i);
  if (c < 0x80) return isAsciiLetter(c) || isDigit(c);
  WORD_AT.lastIndex = i;
  return WORD_AT.test(text);
};
const isApostrophe = (c: number): boolean => c === 0x27 || c === 0x2019;
/** `[\p{L}\p{M}\p{N}._%+'’-]` */
const isLocalAt = (text: string, i: number): boolean => {
  const c = text.charCodeAt(i);
  return c === 0x2e || c === 0x5f || c === 0x25 || c === 0x2b || c === 0x2d || isApostrophe(c) || isWordAt(text, i);
};
/** `[\p{L}\p{M}\p{N}-]` */
const isLabelAt = (text: string, i: number): boolean => text.charCodeAt(i) === 0x2d || isWordAt(text, i);

/** UTF-16 length of the code point starting at `i` (1 or 2). */
const width = (text: string, i: number): number => {
  const c = text.charCodeAt(i);
  if (c < 0xd800 || c > 0xdbff) return 1;
  const d = text.charCodeAt(i + 1);
  return d >= 0xdc00 && d <= 0xdfff ? 2 : 1;
};
/** Start of the code point ending just before `i`. */
const before = (text: string, i: number): number => {
  const c = text.charCodeAt(i - 1);
  if (c < 0xdc00 || c > 0xdfff || i < 2) return i - 1;
  const h = text.charCodeAt(i - 2);
  return h >= 0xd800 && h <= 0xdbff ? i - 2 : i - 1;
};

export interface Found {
  readonly index: number;
  readonly text: string;
}

/**
 * The top-level label starting at `i`: up to TLD_MAX code points of label
 * characters, trailing hyphens dropped; its end when it has two code points
 * or more and a letter, else -1.
 */
const tldEnd = (text: string, i: number): number => {
  let p = i;
  let count = 0;
  let end = -1;
  let kept = 0;
  let letter = false;
  while (p < text.length && count < TLD_MAX && isLabelAt(text, p)) {
    const w = width(text, p);
    count++;
    if (text.charCodeAt(p) !== 0x2d) {
      letter ||= isLetterAt(text, p);
      end = p + w;
      kept = count;
    }
    p += w;
  }
  return letter && kept >= 2 ? end : -1;
};

/** End of the domain part after the `@` at `at` (exclusive), or -1 when none follows. */
const domainEnd = (text: string, at: number): number => {
  // The dots among the first DOMAIN_MAX + 1 code points of the run of domain characters, with their index in code points.
  const dots: number[] = [];
  let p = at + 1;
  for (let count = 0; count <= DOMAIN_MAX && p < text.length; count++) {
    const c = text.charCodeAt(p);
    if (c === 0x2e) {
      if (count >= 1) dots.push(p);
    } else if (!isLabelAt(text, p)) break;
    p += width(text, p);
  }
  // `{1,253}` is greedy: the last dot that leaves room for it and is followed by a top-level label.
  for (let k = dots.length - 1; k >= 0; k--) {
    const end = tldEnd(text, dots[k]! + 1);
    if (end >= 0) return end;
  }
  return -1;
};

/** The first e-mail address at or after `from`, or undefined. */
export const findEmail = (text: string, from = 0): Found | undefined => {
  for (let at = text.indexOf("@", from); at >= 0; at = text.indexOf("@", at + 1)) {
    // Leftmost start: the run of local characters before the `@`, at most 64 code points, less its leading apostrophes.
    let start = at;
    for (let count = 0; start > from && count < LOCAL_MAX; count++) {
      const prev = before(text, start);
      if (prev < from || !isLocalAt(text, prev)) break;
      start = prev;
    }
    while (start < at && isApostrophe(text.charCodeAt(start))) start++;
    if (start === at) continue;
    const end = domainEnd(text, at);
    if (end >= 0) return { index: start, text: text.slice(start, end) };
  }
  return undefined;
};

/** Every e-mail address, left to right, not overlapping (what a global search finds). */
export const findEmails = (text: string): Found[] => {
  const out: Found[] = [];
  for (let m = findEmail(text); m !== undefined; m = findEmail(text, m.index + m.text.length)) out.push(m);
  return out;
};

/** `text` with each e-mail address replaced by `replace(address)`. */
export const replaceEmails = (text: string, replace: (address: string) => string): string => {
  let out = "";
  let copied = 0;
  for (const m of findEmails(text)) {
    out += text.slice(copied, m.index) + replace(m.text);
    copied = m.index + m.text.length;
  }
  return copied === 0 ? text : out + text.slice(copied);
};
