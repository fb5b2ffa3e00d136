import type { Resume } from "@cvpipe/core/resume/resume";

/**
 * Reversible PII redaction for a CV on its way to a model: e-mail addresses,
 * phone numbers, URLs, the candidate's name and street address become
 * placeholders (`[EMAIL_1]`), and `restore` puts the originals back in the
 * model's answer. Dates are never touched.
 */
export interface Redaction {
  readonly resume: Resume;
  /** placeholder → original */
  readonly placeholders: ReadonlyMap<string, string>;
  restore<T>(value: T): T;
}

const URL_RE = /\b(?:https?:\/\/|www\.)[^\s"<>()]+/gi;
// Bounded parts (RFC 5321: 64-char local part): an unbounded run would make the search quadratic.
const EMAIL_RE = /[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9.-]{1,253}\.[A-Za-z]{2,24}/g;
const PHONE_RE = /\+\d[\d\s().-]{6,}\d|\(\d{3}\)\s?\d{3}[\s.-]\d{4}/g;
const DATE_KEY = /date$/i;

const escapeRe = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

const mapStrings = (value: unknown, fn: (s: string, key: string) => string, key = ""): unknown => {
  if (typeof value === "string") return fn(value, key);
  if (Array.isArray(value)) return value.map((v) => mapStrings(v, fn, key));
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, mapStrings(v, fn, k)]));
  }
  return value;
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
  const literal = (kind: string, value: unknown): [RegExp, string] | undefined =>
    typeof value === "string" && value.trim().length >= 3
      ? [new RegExp(`(?<![\\w])${escapeRe(value.trim())}(?![\\w])`, "g"), kind]
      : undefined;

  const name = cv.basics?.name?.trim();
  const nameParts = (name ?? "").split(/\s+/).filter((p) => p.length >= 3 && /^\p{Lu}/u.test(p));
  const fixed = [
    literal("PHONE", cv.basics?.phone),
    literal("ADDRESS", cv.basics?.location?.address),
    literal("POSTCODE", cv.basics?.location?.postalCode),
    literal("NAME", name),
    ...nameParts.map((p) => literal("NAME", p)),
  ].filter((x): x is [RegExp, string] => x !== undefined);

  const redact = (text: string, key: string): string => {
    if (DATE_KEY.test(key)) return text;
    let out = text.replace(URL_RE, (m) => placeholderFor("URL", m));
    out = out.replace(EMAIL_RE, (m) => placeholderFor("EMAIL", m));
    out = out.replace(PHONE_RE, (m) => placeholderFor("PHONE", m));
    for (const [re, kind] of fixed) out = out.replace(re, (m) => placeholderFor(kind, m));
    return out;
  };
  const resume = mapStrings(cv, redact) as Resume;
  const placeholderRe = /\[(?:URL|EMAIL|PHONE|ADDRESS|POSTCODE|NAME)_\d+\]/g;
  return {
    resume,
    placeholders,
    restore: <T>(value: T): T =>
      mapStrings(value, (s) => s.replace(placeholderRe, (p) => placeholders.get(p) ?? p)) as T,
  };
};
