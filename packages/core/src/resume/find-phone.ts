import { isDigit } from "./char-classes.ts";
import type { Found } from "./find-email.ts";
import { isSpace } from "./whitespace.ts";

/**
 * Phone-number-like runs in free text, found by forward scans instead of
 * patterns ending in `[\d\s().-]{6,}\d`: the CV text parser's `findPhone`
 * here, and PII redaction's phone runs (tailoring/pii.ts), which start
 * differently and read the same run with `phoneRunAt`.
 */

/** `[\d\s().-]` */
export const isPhoneChar = (c: number): boolean =>
  isDigit(c) || isSpace(c) || c === 0x28 || c === 0x29 || c === 0x2e || c === 0x2d;

export interface PhoneRun {
  /** Just after the run's last digit when `[\d\s().-]{6,}\d` matches at the start given (greedy); else -1. */
  readonly end: number;
  /** Where the run of phone characters stops: no match can start inside it and end later. */
  readonly runEnd: number;
}

/** The phone-like run whose `[\d\s().-]{6,}\d` part starts at `body`, read once in O(its length). */
export const phoneRunAt = (text: string, body: number): PhoneRun => {
  let end = body;
  let lastDigit = -1;
  while (end < text.length && isPhoneChar(text.charCodeAt(end))) {
    if (isDigit(text.charCodeAt(end))) lastDigit = end;
    end++;
  }
  return { end: lastDigit - body >= 6 ? lastDigit + 1 : -1, runEnd: end };
};

/**
 * The first match of `/(?:\+|\(?\d)[\d\s().-]{6,}\d/` (leftmost start, then
 * the greedy run up to its last digit), in O(length): a run that cannot hold
 * a number is skipped whole instead of being rescanned from each of its
 * characters.
 */
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
    const run = phoneRunAt(text, body);
    if (run.end >= 0) return { index: at, text: text.slice(at, run.end) };
    // Every later start inside this run ends at the same last digit with less room: none can match.
    at = Math.max(at + 1, run.runEnd);
  }
  return undefined;
};
