import type { Resume } from "@cvpipe/core/resume/resume";

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

const URL_RE = /\b(?:https?:\/\/|www\.)[^\s"<>()]+/gi;
// Bounded parts (RFC 5321: 64-char local part): an unbounded run would make the search quadratic.
const EMAIL_RE = /[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9.-]{1,253}\.[A-Za-z]{2,24}/g;
const PHONE_RE = /\+\d[\d\s().-]{6,}\d|\(\d{3}\)\s?\d{3}[\s.-]\d{4}/g;
const DATE_KEY = /date$/i;
/** Exactly what `redactPii` writes. */
const PLACEHOLDER_RE = new RegExp(`\\[(?:${KIND_ALT})_\\d+\\]`, "g");
const HAS_PLACEHOLDER = new RegExp(PLACEHOLDER_RE.source);
/** What a model may make of one: any case, space/dash/no separator, spaces inside the brackets, or no brackets. */
const LEFTOVER_RE = new RegExp(
  `\\[\\s*(?:${KIND_ALT})[\\s_-]*\\d+\\s*\\]|(?<![\\p{L}\\p{N}])(?:${KIND_ALT})_\\d+(?![\\p{L}\\p{N}_])`,
  "giu",
);
/** Lower-case particles of a name that identify nobody on their own ("de", "van"). */
const PARTICLES = new Set(["al", "bin", "da", "de", "del", "della", "der", "di", "du", "la", "le", "van", "von"]);
const SEP = "[\\s().\\-/]*";

const escapeRe = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
/** Whole words only: no letter, digit or `_` on either side (so `NAME` in `[NAME_1]` is safe too). */
const wholeWord = (pattern: string): RegExp => new RegExp(`(?<![\\p{L}\\p{N}_])${pattern}(?![\\p{L}\\p{N}_])`, "giu");
const flexibleSpaces = (value: string): string => value.split(/\s+/).map(escapeRe).join("\\s+");

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
  const literal = (kind: string, value: unknown, minLength = 3): [RegExp, string] | undefined =>
    typeof value === "string" && value.trim().length >= minLength
      ? [wholeWord(flexibleSpaces(value.trim())), kind]
      : undefined;

  const basics = cv.basics;
  const name = basics?.name?.trim();
  const nameParts = [
    ...new Set(
      (name ?? "")
        .split(/[\s-]+/)
        .map((p) => p.replace(/^[^\p{L}]+|[^\p{L}]+$/gu, ""))
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
  const fixed = [
    literal("PHONE", basics?.phone),
    ...(typeof basics?.phone === "string" ? phonePatterns(basics.phone) : []).map((re): [RegExp, string] => [
      re,
      "PHONE",
    ]),
    literal("ADDRESS", basics?.location?.address),
    literal("POSTCODE", basics?.location?.postalCode),
    ...usernames.map((u) => [wholeWord(`@?${escapeRe(u)}`), "USERNAME"] as [RegExp, string]),
    literal("NAME", name, 1),
    ...nameParts.map((p) => literal("NAME", p, 1)),
  ].filter((x): x is [RegExp, string] => x !== undefined);

  const redact = (text: string, key: string): string => {
    if (DATE_KEY.test(key)) return text;
    let out = text.replace(URL_RE, (m) => placeholderFor("URL", m));
    out = out.replace(EMAIL_RE, (m) => placeholderFor("EMAIL", m));
    out = out.replace(PHONE_RE, (m) => placeholderFor("PHONE", m));
    for (const [re, kind] of fixed) out = out.replace(re, (m) => placeholderFor(kind, m));
    // A user name is personal even when it is not a word of its own (`jd`, `j.d`).
    if (key === "username" && out.trim() !== "" && !HAS_PLACEHOLDER.test(out)) out = placeholderFor("USERNAME", out);
    return out;
  };
  const resume = mapStrings(cv, redact) as Resume;
  const inCv = new Set(allStrings(cv).flatMap((s) => s.match(LEFTOVER_RE) ?? []));
  return {
    resume,
    placeholders,
    restore: <T>(value: T): T =>
      mapStrings(value, (s) => s.replace(PLACEHOLDER_RE, (p) => placeholders.get(p) ?? p)) as T,
    leftovers: (value: unknown): string[] => [
      ...new Set(allStrings(value).flatMap((s) => (s.match(LEFTOVER_RE) ?? []).filter((m) => !inCv.has(m)))),
    ],
  };
};
