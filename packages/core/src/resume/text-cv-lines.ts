import { hasLineTerminator, isSpace, skipSpaces, skipSpacesBack, spaceRunEnds, splitWith } from "./whitespace.ts";

/**
 * Line readers of the text-CV parser, each a scan in time linear in the line.
 * They replace backtracking patterns that were cubic or quadratic on a long
 * run of spaces: each function's comment names the pattern it stands for,
 * and its result is that pattern's, character for character.
 */

/** `/^\s{0,3}(#{1,6})\s+(.*?)\s*#*\s*$/`: an ATX heading's level and raw text. */
export const atxHeading = (line: string): { level: number; text: string } | undefined => {
  const indent = skipSpaces(line, 0);
  if (indent > 3) return undefined;
  let hashes = indent;
  while (hashes < line.length && line.charCodeAt(hashes) === 0x23) hashes++;
  const level = hashes - indent;
  if (level < 1 || level > 6 || hashes >= line.length || !isSpace(line.charCodeAt(hashes))) return undefined;
  const start = skipSpaces(line, hashes);
  // The closing sequence: trailing whitespace, then `#`s, then whitespace, read from the end.
  let end = skipSpacesBack(line, line.length, start);
  while (end > start && line.charCodeAt(end - 1) === 0x23) end--;
  end = skipSpacesBack(line, end, start);
  if (end <= start) return { level, text: "" };
  return hasLineTerminator(line, start, end) ? undefined : { level, text: line.slice(start, end) };
};

/** `.replace(/^\s*(\*\*|__)(.*)\1\s*:?\s*$/, "$2")`: a line wrapped whole in bold markers, unwrapped. */
const unwrapBold = (text: string): string => {
  const start = skipSpaces(text, 0);
  const marker = text.slice(start, start + 2);
  if (marker !== "**" && marker !== "__") return text;
  let end = skipSpacesBack(text, text.length, start + 2);
  if (end > start + 2 && text[end - 1] === ":") end = skipSpacesBack(text, end - 1, start + 2);
  const close = end - 2;
  if (close < start + 2 || text.slice(close, end) !== marker) return text;
  return hasLineTerminator(text, start + 2, close) ? text : text.slice(start + 2, close);
};

/** `.replace(/\s*#+\s*$/, "")`: a trailing run of `#`s and the whitespace around it, removed. */
const dropClosingHashes = (text: string): string => {
  const afterHashes = skipSpacesBack(text, text.length);
  let end = afterHashes;
  while (end > 0 && text.charCodeAt(end - 1) === 0x23) end--;
  return end === afterHashes ? text : text.slice(0, skipSpacesBack(text, end));
};

/** Heading text without bold wrapping and closing `#`s. */
export const stripEmphasis = (text: string): string => dropClosingHashes(unwrapBold(text)).trim();

/**
 * `/^(.*?)\s*(?:\((.*)\)|[-–—:]\s*(.*))$/`: "English (native)", "German – fluent",
 * "French: B2" → [language, fluency]; undefined when the item has no fluency part.
 */
export const splitLanguage = (item: string): [string, string] | undefined => {
  const n = item.length;
  const ends = spaceRunEnds(item);
  // terminatorFreeFrom[i]: no line terminator in item[i..] (what `(.*)$` needs).
  const firstTerminator = (() => {
    for (let i = 0; i < n; i++) if (hasLineTerminator(item, i, i + 1)) return i;
    return n;
  })();
  let lastTerminator = -1;
  for (let i = n - 1; i >= 0; i--) {
    if (hasLineTerminator(item, i, i + 1)) {
      lastTerminator = i;
      break;
    }
  }
  const freeFrom = (i: number): boolean => i > lastTerminator;
  const closesWithParen = n > 0 && item[n - 1] === ")";
  // `(.*?)` is lazy: the first split point that lets the rest match, and it cannot cross a line terminator.
  for (let i = 0; i <= Math.min(firstTerminator, n); i++) {
    const j = ends[i]!;
    if (j >= n) continue;
    const c = item[j];
    if (c === "(") {
      if (closesWithParen && j + 1 <= n - 1 && freeFrom(j + 1)) return [item.slice(0, i), item.slice(j + 1, n - 1)];
    } else if (c === "-" || c === "–" || c === "—" || c === ":") {
      const k = ends[j + 1]!;
      if (freeFrom(k)) return [item.slice(0, i), item.slice(k)];
    }
  }
  return undefined;
};

/** `.replace(/\[([^\]\n]{0,500})\]\(([^)\n]{0,500})\)/g, "$1 $2")`: Markdown links as "text url". */
export const unlinkMarkdown = (text: string): string => {
  const MAX = 500;
  let out = "";
  let copied = 0;
  let pos = 0;
  while (pos < text.length) {
    const open = text.indexOf("[", pos);
    if (open < 0) break;
    // Every "[" before the first "]" or newline after `open` shares that closing place.
    let close = open + 1;
    while (close < text.length && text[close] !== "]" && text[close] !== "\n") close++;
    if (close >= text.length) break;
    if (text[close] === "\n" || text[close + 1] !== "(") {
      pos = close + 1;
      continue;
    }
    let end = close + 2;
    while (end < text.length && end - (close + 2) <= MAX && text[end] !== ")" && text[end] !== "\n") end++;
    if (end >= text.length || text[end] !== ")" || end - (close + 2) > MAX) {
      pos = close + 1;
      continue;
    }
    // Leftmost start whose link text fits in 500 characters.
    const start = text.indexOf("[", Math.max(open, close - 1 - MAX));
    if (start < 0 || start >= close) {
      pos = close + 1;
      continue;
    }
    out += `${text.slice(copied, start)}${text.slice(start + 1, close)} ${text.slice(close + 2, end)}`;
    copied = end + 1;
    pos = end + 1;
  }
  return copied === 0 ? text : out + text.slice(copied);
};

/**
 * A split at separators made of one character of `marks` with whitespace
 * around it (`\s*[|•·]\s*`), a gap of three or more spaces when `wideGaps`
 * (`\s{3,}`), or one character of `dashes` with whitespace on both sides
 * (`\s+[–—]\s+`), tried in that order at each position as the alternation
 * would be.
 */
export const splitOnSeparators = (text: string, marks: string, dashes: string, wideGaps: boolean): string[] => {
  const ends = spaceRunEnds(text);
  return splitWith(text, (at) => {
    const q = ends[at]!;
    if (q < text.length && marks.includes(text[q]!)) return ends[q + 1]!;
    if (wideGaps && q - at >= 3) return q;
    if (q > at && q < text.length && dashes.includes(text[q]!) && ends[q + 1]! > q + 1) return ends[q + 1]!;
    return -1;
  });
};

/** `.replace(/\(\s*\)|\[\s*\]/g, " ")`: empty brackets become a space. */
export const blankEmptyBrackets = (text: string): string => {
  let out = "";
  let copied = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c !== "(" && c !== "[") continue;
    const j = skipSpaces(text, i + 1);
    if (text[j] !== (c === "(" ? ")" : "]")) {
      i = j - 1;
      continue;
    }
    out += `${text.slice(copied, i)} `;
    copied = j + 1;
    i = j;
  }
  return copied === 0 ? text : out + text.slice(copied);
};

/** `.replace(/\s*[|·,–—-]\s*$/, "")`: one trailing separator and the whitespace around it, removed. */
export const dropTrailingSeparator = (text: string): string => {
  const end = skipSpacesBack(text, text.length);
  if (end === 0 || !"|·,–—-".includes(text[end - 1]!)) return text;
  return text.slice(0, skipSpacesBack(text, end - 1));
};

/** `/^([^:]{1,80}):\s*(.*)$/`: "Group: a, b" → [group, rest]. */
export const splitGroupLine = (line: string): [string, string] | undefined => {
  const colon = line.indexOf(":");
  if (colon < 1 || colon > 80) return undefined;
  const rest = skipSpaces(line, colon + 1);
  return hasLineTerminator(line, rest) ? undefined : [line.slice(0, colon), line.slice(rest)];
};

const DEGREE_WORDS = ["bachelor", "master", "doctor", "associate"];

/** `/^((?:bachelor|master|doctor|associate)[^,]*?) of (.+)$/i`: "Master of Design" → ["Master", "Design"]. */
export const splitDegreeOf = (degree: string): [string, string] | undefined => {
  // `i` without `u` folds ASCII letters only; none of these words has a non-ASCII look-alike that folds to it.
  const word = DEGREE_WORDS.find((w) => degree.slice(0, w.length).toLowerCase() === w);
  if (word === undefined) return undefined;
  let lastTerminator = -1;
  for (let i = degree.length - 1; i >= 0; i--) {
    if (hasLineTerminator(degree, i, i + 1)) {
      lastTerminator = i;
      break;
    }
  }
  const comma = degree.indexOf(",", word.length);
  const limit = comma < 0 ? degree.length : comma;
  // `[^,]*?` is lazy: the first " of " before any comma whose remainder is non-empty and on one line.
  for (let at = indexOfOf(degree, word.length); at >= 0 && at <= limit; at = indexOfOf(degree, at + 1)) {
    if (at + 4 < degree.length && at + 4 > lastTerminator) return [degree.slice(0, at), degree.slice(at + 4)];
  }
  return undefined;
};

/** Index of " of " (any case) at or after `from`, or -1. */
const indexOfOf = (text: string, from: number): number => {
  for (let i = text.indexOf(" ", from); i >= 0 && i + 4 <= text.length; i = text.indexOf(" ", i + 1)) {
    if (
      text[i + 3] === " " &&
      (text[i + 1] === "o" || text[i + 1] === "O") &&
      (text[i + 2] === "f" || text[i + 2] === "F")
    )
      return i;
  }
  return -1;
};
