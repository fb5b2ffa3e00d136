import { stemmer } from "stemmer";
import { GENERIC_WORDS, SKILL_ALIASES, STOP_WORDS } from "./lexicon.ts";

/**
 * Text → comparable terms. A term is either a known skill (canonical name, so
 * "React.js" and "reactjs" meet), or a Porter stem of a content word. Stop
 * words and the generic vocabulary of job ads are dropped.
 */

export type TermKind = "skill" | "acronym" | "proper" | "word";

export interface Term {
  /** Comparison key: canonical skill (lower-case) or stem. */
  readonly key: string;
  /** The text as written. */
  readonly surface: string;
  readonly kind: TermKind;
}

interface Token {
  readonly text: string;
  readonly lower: string;
  readonly sentenceStart: boolean;
}

// Keeps "node.js", "ci/cd", "c++", "c#", "a/b", "full-stack" and ".net" whole.
const TOKEN_RE = /\.?[A-Za-z0-9][A-Za-z0-9+#]*(?:[./-][A-Za-z0-9+#]+)*[+#]*/g;

// URLs and e-mail addresses are addresses, not skills. Checked per whitespace-separated
// chunk with anchored patterns, so the cost stays linear however long a run of text is.
const URL_START_RE = /https?:\/\/|www\./i;
// One "@" with text before it, and a dot after it that has text on both sides. Written so that
// each character can be read only one way (`[^@]+\.[^@]+` after the "@" backtracks quadratically).
const EMAIL_RE = /^[^@]+@[^@][^@.]*\.[^@]+$/;

const dropAddresses = (input: string): string =>
  !input.includes("@") && !input.includes("//") && !/www\./i.test(input)
    ? input
    : input.replace(/\S+/g, (chunk) => {
        if (EMAIL_RE.test(chunk)) return " ";
        const url = chunk.search(URL_START_RE);
        return url < 0 ? chunk : `${chunk.slice(0, url)} `;
      });

const SENTENCE_END = /[.!?:;•\-*+|()\n"“]/;

export const tokenize = (input: string): Token[] => {
  const out: Token[] = [];
  const text = dropAddresses(input);
  for (const m of text.matchAll(TOKEN_RE)) {
    let raw = m[0];
    // ".NET" is a token; a leading dot elsewhere ("end.Next") is punctuation.
    if (raw.startsWith(".") && !/^\.net$/i.test(raw)) raw = raw.slice(1);
    // Look back over the whitespace before the token (not the whole prefix: that would be quadratic).
    let i = m.index - 1;
    let newline = false;
    while (i >= 0 && /\s/.test(text[i]!)) {
      if (text[i] === "\n") newline = true;
      i--;
    }
    const prev = i >= 0 ? text[i] : undefined;
    const sentenceStart = prev === undefined || newline || SENTENCE_END.test(prev);
    out.push({ text: raw, lower: raw.toLowerCase(), sentenceStart });
  }
  return out;
};

const keyOf = (lower: string): string => (/^[a-z]{4,}$/.test(lower) ? stemmer(lower) : lower);

const phraseKey = (text: string): string =>
  tokenize(text)
    .map((t) => t.lower)
    .join(" ");

interface SkillEntry {
  readonly canonical: string;
  readonly length: number;
}

const SKILLS = new Map<string, SkillEntry>();
for (const [canonical, aliases] of Object.entries(SKILL_ALIASES)) {
  for (const spelling of [canonical, ...aliases]) {
    const k = phraseKey(spelling);
    SKILLS.set(k, { canonical, length: k.split(" ").length });
  }
}
const MAX_PHRASE = Math.max(...[...SKILLS.values()].map((s) => s.length));

const GENERIC_STEMS = new Set([...GENERIC_WORDS].map(keyOf));

/** Lower-case canonical name of a known skill spelling, or undefined. */
export const canonicalSkill = (text: string): string | undefined => SKILLS.get(phraseKey(text))?.canonical;

export const isNoise = (lower: string): boolean =>
  STOP_WORDS.has(lower) ||
  GENERIC_WORDS.has(lower) ||
  GENERIC_STEMS.has(keyOf(lower)) ||
  /^\d+$/.test(lower) ||
  (lower.length < 2 && lower !== "r" && lower !== "c");

/** At least two capital letters (A–Z). */
const twoCapitals = (t: string): boolean => {
  let n = 0;
  for (let i = 0; i < t.length && n < 2; i++) if (t.charCodeAt(i) >= 0x41 && t.charCodeAt(i) <= 0x5a) n++;
  return n >= 2;
};

const kindOf = (token: Token): TermKind => {
  const t = token.text;
  if (/^[A-Z0-9]{2,6}s?$/.test(t) && twoCapitals(t)) return "acronym";
  if (/[a-z][A-Z]|[.+#]/.test(t)) return "skill"; // PostgreSQL, iOS, Make.com, C++
  if (/^[A-Z]/.test(t) && !token.sentenceStart) return "proper";
  return "word";
};

/** Every term in `text`, in order. Known skills consume their words ("machine learning" is one term). */
export const extractTerms = (text: string): Term[] => {
  const tokens = tokenize(text);
  const out: Term[] = [];
  let i = 0;
  while (i < tokens.length) {
    let matched = false;
    for (let n = Math.min(MAX_PHRASE, tokens.length - i); n >= 1; n--) {
      const slice = tokens.slice(i, i + n);
      const entry = SKILLS.get(slice.map((t) => t.lower).join(" "));
      if (entry !== undefined && entry.length === n) {
        out.push({ key: entry.canonical.toLowerCase(), surface: slice.map((t) => t.text).join(" "), kind: "skill" });
        // "AWS Lambda" is also "AWS".
        if (n > 1) {
          for (const t of slice) {
            const inner = SKILLS.get(t.lower);
            if (inner !== undefined && inner.canonical !== entry.canonical) {
              out.push({ key: inner.canonical.toLowerCase(), surface: t.text, kind: "skill" });
            }
          }
        }
        i += n;
        matched = true;
        break;
      }
    }
    if (matched) continue;
    const token = tokens[i]!;
    i++;
    if (/[./]/.test(token.lower) && /[a-z]/.test(token.lower) && !/^\d/.test(token.lower) && /\./.test(token.lower)) {
      // An unknown dotted name (Make.com, Involve.AI) is kept whole.
      out.push({ key: token.lower, surface: token.text, kind: "skill" });
      continue;
    }
    const parts = /[-/]/.test(token.text)
      ? token.text
          .split(/[-/]/)
          .map((p, j) => ({ text: p, lower: p.toLowerCase(), sentenceStart: token.sentenceStart && j === 0 }))
      : [token];
    for (const part of parts) {
      if (part.lower === "" || isNoise(part.lower)) continue;
      out.push({ key: keyOf(part.lower), surface: part.text, kind: kindOf(part) });
    }
  }
  return out;
};

/** Distinct term keys of `text`. */
export const termKeys = (text: string): Set<string> => new Set(extractTerms(text).map((t) => t.key));
