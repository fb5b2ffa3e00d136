/**
 * E-mail addresses in free text, found by a forward scan instead of the
 * pattern `/[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9.-]{1,253}\.[A-Za-z]{2,24}/`.
 * The matches are exactly that pattern's (leftmost start, then greedy), but
 * the cost is O(length): each `@` is looked at once, with at most 64
 * characters before it and 253 after.
 */
import { isAsciiLetter, isDigit } from "./char-classes.ts";

const LOCAL_MAX = 64;
const DOMAIN_MAX = 253;
const TLD_MAX = 24;

/** `[A-Za-z0-9._%+-]` */
const isLocalChar = (c: number): boolean =>
  isAsciiLetter(c) || isDigit(c) || c === 0x2e || c === 0x5f || c === 0x25 || c === 0x2b || c === 0x2d;
/** `[A-Za-z0-9.-]` */
const isDomainChar = (c: number): boolean => isAsciiLetter(c) || isDigit(c) || c === 0x2e || c === 0x2d;

export interface Found {
  readonly index: number;
  readonly text: string;
}

/** End of the domain part after the `@` at `at` (exclusive), or -1 when none follows. */
const domainEnd = (text: string, at: number): number => {
  const start = at + 1;
  let run = 0;
  while (start + run < text.length && run <= DOMAIN_MAX + TLD_MAX + 1 && isDomainChar(text.charCodeAt(start + run))) {
    run++;
  }
  // `{1,253}` is greedy: the last dot that leaves room for it and is followed by two letters.
  for (let k = Math.min(DOMAIN_MAX, run - 1); k >= 1; k--) {
    const dot = start + k;
    if (text.charCodeAt(dot) !== 0x2e) continue;
    let letters = 0;
    while (letters < TLD_MAX && isAsciiLetter(text.charCodeAt(dot + 1 + letters))) letters++;
    if (letters >= 2) return dot + 1 + letters;
  }
  return -1;
};

/** The first e-mail address at or after `from`, or undefined. */
export const findEmail = (text: string, from = 0): Found | undefined => {
  for (let at = text.indexOf("@", from); at >= 0; at = text.indexOf("@", at + 1)) {
    // Leftmost start: the local part is the run of local characters before the `@`, at most 64 of them.
    let start = at;
    while (start > from && at - start < LOCAL_MAX && isLocalChar(text.charCodeAt(start - 1))) start--;
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
