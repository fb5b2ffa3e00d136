/**
 * Whitespace and line breaks, scanned by hand in one pass. These replace
 * patterns such as `\s*\n\s*` or `\s+$`, which a backtracking engine runs
 * in quadratic time on a long run of spaces (every start position rescans the
 * run).
 */

/** Exactly the characters of a regular expression's `\s` (and of `String.prototype.trim`). */
export const isSpace = (code: number): boolean =>
  code === 0x20 ||
  (code >= 0x09 && code <= 0x0d) ||
  code === 0xa0 ||
  code === 0x1680 ||
  (code >= 0x2000 && code <= 0x200a) ||
  code === 0x2028 ||
  code === 0x2029 ||
  code === 0x202f ||
  code === 0x205f ||
  code === 0x3000 ||
  code === 0xfeff;

/**
 * Every way text can end a line somewhere: LF, CR (alone or in CRLF), VT, FF,
 * NEL (U+0085), LINE SEPARATOR (U+2028) and PARAGRAPH SEPARATOR (U+2029).
 * CommonMark ends lines at CR and LF; other readers and editors at the rest.
 */
export const isLineBreak = (code: number): boolean =>
  (code >= 0x0a && code <= 0x0d) || code === 0x85 || code === 0x2028 || code === 0x2029;

/** Some character of {@link isLineBreak}. */
const ANY_LINE_BREAK = /[\n\v\f\r\u0085\u2028\u2029]/;

/** What `.` in a regular expression does not match (without the `s` flag). */
export const isLineTerminator = (code: number): boolean =>
  code === 0x0a || code === 0x0d || code === 0x2028 || code === 0x2029;

export const hasLineTerminator = (text: string, from = 0, to = text.length): boolean => {
  for (let i = from; i < to; i++) if (isLineTerminator(text.charCodeAt(i))) return true;
  return false;
};

/**
 * The text on one line: each run of whitespace that holds a line break (any
 * form of {@link isLineBreak}) becomes one space, then the ends are trimmed.
 * Runs without a line break stay as written. For LF-only text this is exactly
 * replacing `\s*\n\s*` (global) with a space, then trimming.
 */
export const oneLine = (text: string): string => {
  // No line break anywhere: no run to fold, only the ends to trim.
  if (!ANY_LINE_BREAK.test(text)) return text.trim();
  let out = "";
  let copied = 0;
  let i = 0;
  while (i < text.length) {
    const code = text.charCodeAt(i);
    if (!isSpace(code) && code !== 0x85) {
      i++;
      continue;
    }
    const start = i;
    let breaks = false;
    while (i < text.length) {
      const c = text.charCodeAt(i);
      if (!isSpace(c) && c !== 0x85) break;
      if (isLineBreak(c)) breaks = true;
      i++;
    }
    if (breaks) {
      out += `${text.slice(copied, start)} `;
      copied = i;
    }
  }
  return (copied === 0 ? text : out + text.slice(copied)).trim();
};

/** Index of the first character at or after `from` that is not whitespace (`text.length` if none). */
export const skipSpaces = (text: string, from: number): number => {
  let i = from;
  while (i < text.length && isSpace(text.charCodeAt(i))) i++;
  return i;
};

/** Index just after the last character before `to` that is not whitespace (`floor` if none). */
export const skipSpacesBack = (text: string, to: number, floor = 0): number => {
  let i = to;
  while (i > floor && isSpace(text.charCodeAt(i - 1))) i--;
  return i;
};

/** `text` without the characters of `chars` at its end: `/[.)\]]+$/` as a backward scan. */
export const trimEndChars = (text: string, chars: string): string => {
  let end = text.length;
  while (end > 0 && chars.includes(text[end - 1]!)) end--;
  return end === text.length ? text : text.slice(0, end);
};

/**
 * For each index, the end of the whitespace run starting there (the index
 * itself when it is not whitespace). One backward pass; lets a split try every
 * position without rescanning a long run of spaces.
 */
export const spaceRunEnds = (text: string): Int32Array => {
  const ends = new Int32Array(text.length + 1);
  ends[text.length] = text.length;
  for (let i = text.length - 1; i >= 0; i--) ends[i] = isSpace(text.charCodeAt(i)) ? ends[i + 1]! : i;
  return ends;
};

/**
 * `String.prototype.split` with a separator given as a matcher: `matchAt(p)`
 * returns the end of a separator starting at `p`, or -1. Same pieces as a
 * regular-expression split whose pattern matches exactly there (no captures,
 * never empty); linear when `matchAt` costs O(1).
 */
export const splitWith = (text: string, matchAt: (at: number) => number): string[] => {
  const out: string[] = [];
  let piece = 0;
  let at = 0;
  while (at < text.length) {
    const end = matchAt(at);
    if (end < 0 || end === piece) {
      at++;
      continue;
    }
    out.push(text.slice(piece, at));
    piece = end;
    at = end;
  }
  out.push(text.slice(piece));
  return out;
};

/**
 * A split at the pattern `\n\s*\n`, in one pass: a blank line (LF, whitespace holding
 * at least one more LF) separates paragraphs.
 */
export const splitParagraphs = (text: string): string[] => {
  const ends = spaceRunEnds(text);
  // The last LF of the whitespace run that follows each position, found once per run.
  let runEnd = -1;
  let lastBreak = -1;
  return splitWith(text, (at) => {
    if (text.charCodeAt(at) !== 0x0a) return -1;
    if (at >= runEnd) {
      runEnd = ends[at + 1]!;
      lastBreak = text.lastIndexOf("\n", runEnd - 1);
    }
    return lastBreak > at ? lastBreak + 1 : -1;
  });
};
