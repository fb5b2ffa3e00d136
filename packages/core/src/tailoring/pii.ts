import { InvalidCvError } from "../errors.ts";
import { isDigit } from "../resume/char-classes.ts";
import { replaceEmails } from "../resume/find-email.ts";
import { phoneRunAt } from "../resume/find-phone.ts";
import type { Resume } from "../resume/resume.ts";
import { URL_START_SOURCE } from "../resume/web-address.ts";
import { isSpace } from "../resume/whitespace.ts";

/**
 * Reversible PII redaction for a CV on its way to a model: e-mail addresses,
 * phone numbers, URLs, profile user names, the candidate's name and street
 * address become placeholders (`[EMAIL_1]`), and `restore` puts the originals
 * back in the model's answer. Dates are never touched.
 *
 * Matching of the candidate's own details is case-insensitive and on whole
 * words ("JO LI" and "Li" for "Jo Li", never the "li" in "Linux"); the phone
 * number is found by its digits, whatever the spacing, and also in its
 * national form ("020 7946 0958" for "+44 20 7946 0958").
 *
 * Every search runs in time linear in the text: the patterns have no
 * unbounded repetition that could backtrack (checked by `TEXT_PATTERNS` and
 * `piiPatterns` in the tests); e-mail addresses, phone-like runs, spaces
 * between the words of a name and placeholder-like tokens are scanned by
 * hand. A CV naming more than `MAX_NAMED_VALUES` name parts or user names is
 * refused (InvalidCvError, `INVALID_CV`) rather than searched once per value.
 */
export interface Redaction {
  readonly resume: Resume;
  /** placeholder → original */
  readonly placeholders: ReadonlyMap<string, string>;
  restore<T>(value: T): T;
  /**
   * Placeholder-like tokens still in `value` after `restore` — unknown numbers
   * (`[EMAIL_9]`) or mangled ones (`[NAME 1]`, `[name_1]`) — except any that
   * were already in the CV itself. Non-empty means the answer can't be stored.
   */
  leftovers(value: unknown): string[];
}

const KINDS = ["URL", "EMAIL", "PHONE", "ADDRESS", "POSTCODE", "NAME", "USERNAME"] as const;
const KIND_ALT = KINDS.join("|");

const URL_RE = new RegExp(String.raw`\b${URL_START_SOURCE}[^\s"<>()]+`, "gi");
const DATE_KEY = /date$/i;
/** What `redactPii` writes, found by `\[KIND_\d+` and checked for its closing bracket (no backtracking). */
const PLACEHOLDER_RE = new RegExp(`\\[(?:${KIND_ALT})_\\d+\\]?`, "g");
/** A placeholder's kind, case-insensitive as a model may write it (Unicode case folding). */
const KIND_AT = new RegExp(`(?:${KIND_ALT})`, "iuy");
/** Where a bare `KIND_1` may start: not after a letter or digit. */
const BARE_KIND_AT = new RegExp(`(?<![\\p{L}\\p{N}])(?:${KIND_ALT})_(?=\\d)`, "iuy");
const WORD_CHAR = /[\p{L}\p{N}_]/u;
const LETTER = /\p{L}/u;
/** `(?![\p{L}\p{N}_])` at a position, and its mirror before it. */
const NOT_WORD_AFTER = /(?![\p{L}\p{N}_])/uy;
const NOT_WORD_BEFORE = /(?<![\p{L}\p{N}_])/uy;
/** A run of phone-separator characters (`[\s().\-/]`): the phone patterns allow up to this many in a row. */
const MAX_SEPARATORS = 8;
/** Name parts and profile user names: each is one more pass over every string. */
export const MAX_NAMED_VALUES = 24;
/** Longest name, address or postcode PII redaction searches for (words and characters). */
export const MAX_VALUE_WORDS = 32;
export const MAX_VALUE_CHARS = 300;
/** A phone number as written (spaces, brackets, "ext.") and its digits: E.164 allows 15. */
export const MAX_PHONE_CHARS = 40;
export const MAX_PHONE_DIGITS = 15;

/** The fixed patterns this module applies to CV text (checked for linear-time matching by the tests). */
export const TEXT_PATTERNS: readonly RegExp[] = [
  URL_RE,
  DATE_KEY,
  PLACEHOLDER_RE,
  KIND_AT,
  BARE_KIND_AT,
  WORD_CHAR,
  LETTER,
  NOT_WORD_AFTER,
  NOT_WORD_BEFORE,
];
/** Lower-case particles of a name that identify nobody on their own ("de", "van"). */
const PARTICLES = new Set(["al", "bin", "da", "de", "del", "della", "der", "di", "du", "la", "le", "van", "von"]);
const SEP = `[\\s().\\-/]{0,${MAX_SEPARATORS}}`;

/** `.replace(/^[^\p{L}]+|[^\p{L}]+$/gu, "")` by code point from each end (that pattern is quadratic on a run of non-letters). */
const trimToLetters = (part: string): string => {
  const points = [...part];
  let start = 0;
  let end = points.length;
  while (start < end && !LETTER.test(points[start]!)) start++;
  while (end > start && !LETTER.test(points[end - 1]!)) end--;
  return points.slice(start, end).join("");
};

const escapeRe = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
/** Whole words only: no letter, digit or `_` on either side (so `NAME` in `[NAME_1]` is safe too). */
const wholeWord = (pattern: string): RegExp => new RegExp(`(?<![\\p{L}\\p{N}_])${pattern}(?![\\p{L}\\p{N}_])`, "giu");

/** Finds occurrences in a text; `replaceWith` calls `next(text, from)` until it returns undefined. */
interface Finder {
  next(text: string, from: number): { index: number; end: number } | undefined;
  /** The regular expressions it runs, for the linear-time check. */
  readonly patterns: readonly RegExp[];
}

const regexFinder = (re: RegExp): Finder => ({
  patterns: [re],
  next(text, from) {
    re.lastIndex = from;
    const m = re.exec(text);
    return m === null ? undefined : { index: m.index, end: m.index + m[0].length };
  },
});

/**
 * A value of several words as whole words, any whitespace between them, any
 * case: what `wholeWord(words.join("\\s+"))` matched. The first word is found
 * by a search, each further one by an anchored match after the spaces are
 * skipped by hand, so no run of spaces is read twice by one attempt.
 */
const flexibleFinder = (value: string): Finder => {
  const words = value.split(/\s+/).map(escapeRe);
  if (words.length === 1) return regexFinder(wholeWord(words[0]!));
  const first = new RegExp(`(?<![\\p{L}\\p{N}_])${words[0]}`, "giu");
  const rest = words.slice(1).map((w) => new RegExp(w, "iuy"));
  return {
    patterns: [first, ...rest, NOT_WORD_AFTER],
    next(text, from) {
      for (let start = from; start <= text.length; ) {
        first.lastIndex = start;
        const m = first.exec(text);
        if (m === null) return undefined;
        let at = m.index + m[0].length;
        let ok = true;
        for (const word of rest) {
          let skip = at;
          while (skip < text.length && isSpace(text.charCodeAt(skip))) skip++;
          word.lastIndex = skip;
          if (skip === at || !word.test(text)) {
            ok = false;
            break;
          }
          at = word.lastIndex;
        }
        NOT_WORD_AFTER.lastIndex = at;
        if (ok && NOT_WORD_AFTER.test(text)) return { index: m.index, end: at };
        start = m.index + 1;
      }
      return undefined;
    },
  };
};

/**
 * Runs of more than MAX_SEPARATORS separator characters shortened to their
 * first and last four, with where each kept character came from. The phone
 * patterns read a separator run whole or up to its last three characters
 * (`(0)`), so their matches on the shortened text are the matches of the
 * same patterns with unbounded runs on the original.
 */
const isSeparator = (c: number): boolean =>
  isSpace(c) || c === 0x28 || c === 0x29 || c === 0x2e || c === 0x2d || c === 0x2f;
const shortenSeparatorRuns = (text: string): { short: string; from: number[] } | undefined => {
  let long = false;
  for (let i = 0, run = 0; i < text.length && !long; i++) {
    run = isSeparator(text.charCodeAt(i)) ? run + 1 : 0;
    long = run > MAX_SEPARATORS;
  }
  if (!long) return undefined;
  let short = "";
  const from: number[] = [];
  for (let i = 0; i < text.length; ) {
    let j = i;
    while (j < text.length && isSeparator(text.charCodeAt(j))) j++;
    const kept = j - i > MAX_SEPARATORS ? [i, i + 1, i + 2, i + 3, j - 4, j - 3, j - 2, j - 1] : [];
    if (j === i) kept.push(i);
    else if (kept.length === 0) for (let k = i; k < j; k++) kept.push(k);
    for (const k of kept) {
      short += text[k];
      from.push(k);
    }
    i = Math.max(j, i + 1);
  }
  from.push(text.length);
  return { short, from };
};

/** A phone pattern, run on the text with long separator runs shortened (see `shortenSeparatorRuns`). */
const phoneFinder = (re: RegExp): Finder => {
  let cached: { text: string; shortened: ReturnType<typeof shortenSeparatorRuns> } | undefined;
  return {
    patterns: [re],
    next(text, from) {
      if (cached?.text !== text) cached = { text, shortened: shortenSeparatorRuns(text) };
      const shortened = cached.shortened;
      if (shortened === undefined) return regexFinder(re).next(text, from);
      // The first kept character at or after `from` (kept positions increase): a binary search.
      let lo = 0;
      let hi = shortened.from.length - 1;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (shortened.from[mid]! < from) lo = mid + 1;
        else hi = mid;
      }
      re.lastIndex = lo;
      const m = re.exec(shortened.short);
      if (m === null) return undefined;
      return { index: shortened.from[m.index]!, end: shortened.from[m.index + m[0].length - 1]! + 1 };
    },
  };
};

/** `text` with every occurrence `finder` finds replaced by `fn(match)`, left to right, as a global replace would. */
const replaceWith = (text: string, finder: Finder, fn: (match: string) => string): string => {
  let out = "";
  let copied = 0;
  for (let m = finder.next(text, 0); m !== undefined; m = finder.next(text, m.end > m.index ? m.end : m.end + 1)) {
    out += text.slice(copied, m.index) + fn(text.slice(m.index, m.end));
    copied = m.end;
  }
  return copied === 0 ? text : out + text.slice(copied);
};

/**
 * A phone-like run: `\+\d[\d\s().-]{6,}\d` (greedy, to its last digit) or
 * `(ddd) ddd-dddd`, found by a forward scan. A run too short to hold a number
 * is skipped whole.
 */
const US_PHONE_AT = /\(\d{3}\)\s?\d{3}[\s.-]\d{4}/y;
/**
 * `text.indexOf(ch, from)`, remembering the last answer per character: the
 * finder is asked for matches at increasing positions of one text, and a text
 * without any `+` must not be searched to its end once per match (quadratic).
 */
const lastFound = new Map<string, { text: string; from: number; at: number }>();
const firstIndex = (text: string, ch: string, from: number): number => {
  const known = lastFound.get(ch);
  if (known && known.text === text && known.from <= from && (known.at < 0 || known.at >= from)) return known.at;
  const at = text.indexOf(ch, from);
  lastFound.set(ch, { text, from, at });
  return at;
};

const phoneRunFinder: Finder = {
  patterns: [US_PHONE_AT],
  next(text, from) {
    for (let at = firstIndex(text, "+", from), paren = firstIndex(text, "(", from); at >= 0 || paren >= 0; ) {
      if (paren >= 0 && (at < 0 || paren < at)) {
        US_PHONE_AT.lastIndex = paren;
        if (US_PHONE_AT.test(text)) return { index: paren, end: US_PHONE_AT.lastIndex };
        paren = firstIndex(text, "(", paren + 1);
        continue;
      }
      if (isDigit(text.charCodeAt(at + 1))) {
        const run = phoneRunAt(text, at + 2);
        if (run.end >= 0) return { index: at, end: run.end };
      }
      at = firstIndex(text, "+", at + 1);
    }
    return undefined;
  },
};

/** Placeholder-like tokens in `s`, as a global match of LEFTOVER_PATTERN would list them (see `leftoversIn`). */
const leftoversIn = (s: string): string[] => {
  const out: string[] = [];
  const skipSpaces = (i: number): number => {
    let j = i;
    while (j < s.length && isSpace(s.charCodeAt(j))) j++;
    return j;
  };
  const digitsEnd = (i: number): number => {
    let j = i;
    while (j < s.length && isDigit(s.charCodeAt(j))) j++;
    return j;
  };
  for (let at = 0; at < s.length; ) {
    if (s[at] === "[") {
      // `\[\s*KIND[\s_-]*\d+\s*\]`: each part's characters differ from the next part's, so one greedy pass decides.
      KIND_AT.lastIndex = skipSpaces(at + 1);
      if (KIND_AT.test(s)) {
        let i = KIND_AT.lastIndex;
        while (i < s.length && (isSpace(s.charCodeAt(i)) || s[i] === "_" || s[i] === "-")) i++;
        const d = digitsEnd(i);
        const close = skipSpaces(d);
        if (d > i && s[close] === "]") {
          out.push(s.slice(at, close + 1));
          at = close + 1;
          continue;
        }
      }
    } else if (KIND_INITIALS.includes(s[at]!)) {
      // `(?<![\p{L}\p{N}])KIND_\d+(?![\p{L}\p{N}_])`: the digits are read whole, then what follows them.
      BARE_KIND_AT.lastIndex = at;
      if (BARE_KIND_AT.test(s)) {
        const d = digitsEnd(BARE_KIND_AT.lastIndex);
        const next = s.codePointAt(d);
        if (next === undefined || !WORD_CHAR.test(String.fromCodePoint(next))) {
          out.push(s.slice(at, d));
          at = d;
          continue;
        }
      }
    }
    at++;
  }
  return out;
};

/** First letters of the kinds in either case: no other character folds to one of them. */
const KIND_INITIALS = [...new Set(KINDS.map((k) => k[0]!))].flatMap((c) => [c, c.toLowerCase()]).join("");

const hasPlaceholder = (s: string): boolean => [...s.matchAll(PLACEHOLDER_RE)].some((m) => m[0].endsWith("]"));
const restorePlaceholders = (s: string, placeholders: ReadonlyMap<string, string>): string =>
  s.replace(PLACEHOLDER_RE, (p) => (p.endsWith("]") ? (placeholders.get(p) ?? p) : p));

const mapStrings = (value: unknown, fn: (s: string, key: string) => string, key = ""): unknown => {
  if (typeof value === "string") return fn(value, key);
  if (Array.isArray(value)) return value.map((v) => mapStrings(v, fn, key));
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, mapStrings(v, fn, k)]));
  }
  return value;
};

const allStrings = (value: unknown, out: string[] = []): string[] => {
  mapStrings(value, (s) => {
    out.push(s);
    return s;
  });
  return out;
};

/**
 * The phone number wherever its digits appear: with any spacing, with or
 * without the country code (`+44`, `0044`), with the trunk `0` or `(0)`.
 */
const phonePatterns = (phone: string): RegExp[] => {
  const raw = phone.trim().replace(/\(0\)/g, "");
  const digits = raw.replace(/\D/g, "");
  if (digits.length < 7) return [];
  const international = /^(?:\+|00)/.test(raw);
  // national significant number(s), and the country code when the number shows it
  const candidates: { nsn: string; cc: string | undefined }[] = [];
  if (international) {
    const body = raw.startsWith("+") ? raw.slice(1) : raw.slice(2);
    const cc = /^(\d{1,3})(?=[\s().-])/.exec(body.trim())?.[1];
    if (cc !== undefined) candidates.push({ nsn: digits.slice((raw.startsWith("00") ? 2 : 0) + cc.length), cc });
    else {
      const all = raw.startsWith("00") ? digits.slice(2) : digits;
      for (const k of [1, 2, 3]) candidates.push({ nsn: all.slice(k), cc: all.slice(0, k) });
    }
  } else {
    candidates.push({ nsn: digits.replace(/^0/, ""), cc: undefined });
  }
  return candidates
    .filter((c) => c.nsn.length >= 6)
    .sort((a, b) => b.nsn.length - a.nsn.length)
    .map(({ nsn, cc }) => {
      const code = cc ?? "\\d{1,3}";
      const prefix = `(?:(?:\\+|00)${SEP}${code}${SEP}(?:\\(0\\)${SEP})?|\\(?0\\)?${SEP})?`;
      const body = [...nsn].join(SEP);
      return new RegExp(`(?<![\\d+])\\(?${prefix}${body}(?!\\d)`, "g");
    });
};

export const redactPii = (cv: Resume): Redaction => {
  const toPlaceholder = new Map<string, string>();
  const placeholders = new Map<string, string>();
  const counters: Record<string, number> = {};
  const placeholderFor = (kind: string, original: string): string => {
    let p = toPlaceholder.get(original);
    if (p === undefined) {
      counters[kind] = (counters[kind] ?? 0) + 1;
      p = `[${kind}_${counters[kind]}]`;
      toPlaceholder.set(original, p);
      placeholders.set(p, original);
    }
    return p;
  };
  const literal = (kind: string, value: unknown, minLength = 3): [Finder, string] | undefined =>
    typeof value === "string" && value.trim().length >= minLength ? [flexibleFinder(value.trim()), kind] : undefined;

  const basics = cv.basics;
  const name = basics?.name?.trim();
  const nameParts = [
    ...new Set(
      (name ?? "")
        .split(/[\s-]+/)
        .map(trimToLetters)
        // An initial ("A.") would take every "a" with it; digits and particles identify nobody.
        .filter((p) => p.length >= 2 && /\p{L}/u.test(p) && !PARTICLES.has(p)),
    ),
  ].sort((a, b) => b.length - a.length);
  const usernames = [
    ...new Set(
      (basics?.profiles ?? [])
        .map((p) => (typeof p?.username === "string" ? p.username.trim().replace(/^@/, "") : ""))
        .filter((u) => u.length >= 2),
    ),
  ].sort((a, b) => b.length - a.length);
  for (const [what, count] of [
    ["basics.name has", nameParts.length],
    ["basics.profiles have", usernames.length],
  ] as const) {
    if (count > MAX_NAMED_VALUES) {
      throw new InvalidCvError(
        `${what} ${count} distinct ${what.startsWith("basics.name") ? "parts" : "user names"}; PII redaction handles at most ${MAX_NAMED_VALUES}`,
      );
    }
  }
  // Each value is searched as a sequence of words from every position of every string: a value of
  // thousands of words (or a "phone" of thousands of digits) is no person's detail, and would make
  // that search quadratic. Refused, like too many name parts, so nothing personal is left unredacted.
  const bounds: [string, unknown, number, number][] = [
    ["basics.name", name, MAX_VALUE_WORDS, MAX_VALUE_CHARS],
    ["basics.phone", basics?.phone, MAX_VALUE_WORDS, MAX_PHONE_CHARS],
    ["basics.location.address", basics?.location?.address, MAX_VALUE_WORDS, MAX_VALUE_CHARS],
    ["basics.location.postalCode", basics?.location?.postalCode, MAX_VALUE_WORDS, MAX_VALUE_CHARS],
  ];
  for (const [field, value, maxWords, maxChars] of bounds) {
    if (typeof value !== "string") continue;
    const words = value.trim() === "" ? 0 : value.trim().split(/\s+/).length;
    if (value.length > maxChars || words > maxWords) {
      throw new InvalidCvError(
        `${field} is ${value.length} characters in ${words} words; PII redaction handles at most ${maxChars} characters and ${maxWords} words`,
        [{ path: field, rule: "pii_value_length" }],
      );
    }
  }
  const phoneDigits = typeof basics?.phone === "string" ? basics.phone.replace(/\D/g, "").length : 0;
  if (phoneDigits > MAX_PHONE_DIGITS) {
    throw new InvalidCvError(
      `basics.phone has ${phoneDigits} digits; a phone number has at most ${MAX_PHONE_DIGITS} (E.164)`,
      [{ path: "basics.phone", rule: "e164_digits" }],
    );
  }
  const fixed = [
    literal("PHONE", basics?.phone),
    ...(typeof basics?.phone === "string" ? phonePatterns(basics.phone) : []).map((re): [Finder, string] => [
      phoneFinder(re),
      "PHONE",
    ]),
    literal("ADDRESS", basics?.location?.address),
    literal("POSTCODE", basics?.location?.postalCode),
    ...usernames.map((u): [Finder, string] => [regexFinder(wholeWord(`@?${escapeRe(u)}`)), "USERNAME"]),
    literal("NAME", name, 1),
    ...nameParts.map((p) => literal("NAME", p, 1)),
  ].filter((x): x is [Finder, string] => x !== undefined);
  patternsOf.set(
    cv,
    fixed.flatMap(([f]) => f.patterns),
  );

  const redact = (text: string, key: string): string => {
    if (DATE_KEY.test(key)) return text;
    let out = text.replace(URL_RE, (m) => placeholderFor("URL", m));
    out = replaceEmails(out, (m) => placeholderFor("EMAIL", m));
    out = replaceWith(out, phoneRunFinder, (m) => placeholderFor("PHONE", m));
    for (const [finder, kind] of fixed) out = replaceWith(out, finder, (m) => placeholderFor(kind, m));
    // A user name is personal even when it is not a word of its own (`jd`, `j.d`).
    if (key === "username" && out.trim() !== "" && !hasPlaceholder(out)) out = placeholderFor("USERNAME", out);
    return out;
  };
  const resume = mapStrings(cv, redact) as Resume;
  const inCv = new Set(allStrings(cv).flatMap(leftoversIn));
  return {
    resume,
    placeholders,
    restore: <T>(value: T): T => mapStrings(value, (s) => restorePlaceholders(s, placeholders)) as T,
    leftovers: (value: unknown): string[] => [
      ...new Set(allStrings(value).flatMap((s) => leftoversIn(s).filter((m) => !inCv.has(m)))),
    ],
  };
};

const patternsOf = new WeakMap<Resume, readonly RegExp[]>();

/** The patterns `redactPii(cv)` built from the CV's own details (for the linear-time check in the tests). */
export const piiPatterns = (cv: Resume): readonly RegExp[] => {
  if (!patternsOf.has(cv)) redactPii(cv);
  return patternsOf.get(cv) ?? [];
};
