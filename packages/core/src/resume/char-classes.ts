/**
 * ASCII character classes by UTF-16 code unit, for the forward scans that
 * replace regular expressions (find-email.ts, find-phone.ts, the term
 * tokenizer, PII redaction). Whitespace is whitespace.ts's `isSpace`.
 */

/** `[0-9]` (`\d` without the `u` flag's other digits: a regular expression's `\d` is ASCII only). */
export const isDigit = (c: number): boolean => c >= 0x30 && c <= 0x39;

/** `[A-Za-z]` */
export const isAsciiLetter = (c: number): boolean => (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);

/** `[A-Za-z0-9]` */
export const isAsciiAlnum = (c: number): boolean => isDigit(c) || isAsciiLetter(c);

/** `\w`: `[A-Za-z0-9_]` */
export const isWordChar = (c: number): boolean => isAsciiAlnum(c) || c === 0x5f;
