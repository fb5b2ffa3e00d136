import type { Found } from "./find-email.ts";
import { isSpace } from "./whitespace.ts";

/**
 * A phone-number-like run in free text, found by a forward scan instead of
 * `/(?:\+|\(?\d)[\d\s().-]{6,}\d/`. Same match (leftmost start, then the
 * greedy run up to its last digit), in O(length): a run that cannot hold a
 * number is skipped whole instead of being rescanned from each of its
 * characters.
 */

const isDigit = (c: number): boolean => c >= 0x30 && c <= 0x39;
/** `[\d\s().-]` */
const isPhoneChar = (c: number): boolean =>
  isDigit(c) || isSpace(c) || c === 0x28 || c === 0x29 || c === 0x2e || c === 0x2d;

export const findPhone = (text: string): Found | undefined => {
  let at = 0;
  while (at < text.length) {
    const c = text.charCodeAt(at);
    // Where the `[\d\s().-]{6,}` part starts for a match beginning at `at`, if one can begin there.
    const body =
      c === 0x2b ? at + 1 : c === 0x28 && isDigit(text.charCodeAt(at + 1)) ? at + 2 : isDigit(c) ? at + 1 : -1;
    if (body < 0) {
      at++;
      continue;
    }
    let end = body;
    let lastDigit = -1;
    while (end < text.length && isPhoneChar(text.charCodeAt(end))) {
      if (isDigit(text.charCodeAt(end))) lastDigit = end;
      end++;
    }
    if (lastDigit - body >= 6) return { index: at, text: text.slice(at, lastDigit + 1) };
    // Every later start inside this run ends at the same last digit with less room: none can match.
    at = Math.max(at + 1, end);
  }
  return undefined;
};
