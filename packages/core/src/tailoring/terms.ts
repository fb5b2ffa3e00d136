import { stemmer } from "stemmer";
import { isAsciiAlnum, isDigit } from "../resume/char-classes.ts";
import { findEmail } from "../resume/find-email.ts";
import { URL_START } from "../resume/web-address.ts";
import { isSpace } from "../resume/whitespace.ts";
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

export interface Token {
  readonly text: string;
  readonly lower: string;
  readonly sentenceStart: boolean;
  /** What the token's text means as a term, wherever it stands. */
  readonly word: Word;
}

/** `[A-Za-z0-9+#]` */
const isTokenChar = (c: number): boolean => isAsciiAlnum(c) || c === 0x2b || c === 0x23;
/** `[./-]` */
const isJoiner = (c: number): boolean => c === 0x2e || c === 0x2f || c === 0x2d;

// URLs and e-mail addresses are addresses, not skills. Checked per whitespace-separated
// chunk with anchored patterns, so the cost stays linear however long a run of text is.

const dropAddresses = (input: string): string =>
  !input.includes("@") && !input.includes("//") && !/www\./i.test(input)
    ? input
    : input.replace(/\S+/g, (chunk) => {
        // A chunk holding an e-mail address as the PII redactor finds one (resume/find-email.ts) is
        // dropped whole, so no part of the address ("rg.m" of "jörg.müller@…") or what is glued to it
        // ("Contact:jo@x.com") is read as a term.
        if (findEmail(chunk) !== undefined) return " ";
        const url = chunk.search(URL_START);
        return url < 0 ? chunk : `${chunk.slice(0, url)} `;
      });

/** Characters after which a capital starts a sentence rather than a name: `.!?:;•-*+|()"“` and LF. */
// Module tables are built by calls marked pure, so a bundle without the engine drops them (and their cost).
const SENTENCE_END = /* @__PURE__ */ (() => {
  const table = new Uint8Array(0x2030);
  for (const c of '\n.!?:;•-*+|()"“') table[c.charCodeAt(0)] = 1;
  return table;
})();
const endsSentence = (code: number): boolean => SENTENCE_END[code] === 1;

/**
 * Each token's text and whether it starts a sentence, in order. A token is
 * each leftmost match of `\.?[A-Za-z0-9][A-Za-z0-9+#]*(?:[./-][A-Za-z0-9+#]+)*[+#]*`
 * (which keeps "node.js", "ci/cd", "c++", "c#", "a/b", "full-stack" and ".net"
 * whole), read here by one forward scan: no character can be read two ways,
 * so the scan is that pattern's match, without a match object per token.
 */
const scanTokens = (input: string, emit: (raw: string, sentenceStart: boolean) => void): void => {
  const text = dropAddresses(input);
  const n = text.length;
  let p = 0;
  while (p < n) {
    const c = text.charCodeAt(p);
    const dot = c === 0x2e && p + 1 < n && isAsciiAlnum(text.charCodeAt(p + 1));
    if (!dot && !isAsciiAlnum(c)) {
      p++;
      continue;
    }
    const start = p;
    let end = dot ? p + 2 : p + 1;
    while (end < n && isTokenChar(text.charCodeAt(end))) end++;
    while (end + 1 < n && isJoiner(text.charCodeAt(end)) && isTokenChar(text.charCodeAt(end + 1))) {
      end += 2;
      while (end < n && isTokenChar(text.charCodeAt(end))) end++;
    }
    // The trailing `[+#]*` has nothing left to take: each run above stops only before a character outside the class.
    p = end;
    let raw = text.slice(start, end);
    // ".NET" is a token; a leading dot elsewhere ("end.Next") is punctuation.
    if (dot && !/^\.net$/i.test(raw)) raw = raw.slice(1);
    // Look back over the whitespace before the token (not the whole prefix: that would be quadratic).
    let i = start - 1;
    let newline = false;
    for (let c = text.charCodeAt(i); i >= 0 && isSpace(c); c = text.charCodeAt(--i)) if (c === 0x0a) newline = true;
    emit(raw, i < 0 || newline || endsSentence(text.charCodeAt(i)));
  }
};

export const tokenize = (input: string): Token[] => {
  const out: Token[] = [];
  scanTokens(input, (raw, sentenceStart) => {
    const word = wordOf(raw);
    out.push({ text: raw, lower: word.lower, sentenceStart, word });
  });
  return out;
};

const keyOf = (lower: string): string => (/^[a-z]{4,}$/.test(lower) ? stemmer(lower) : lower);

/** The lower-case tokens of `text`, space-separated: how a skill spelling is looked up. */
const phraseKey = (text: string): string => {
  const parts: string[] = [];
  scanTokens(text, (raw) => parts.push(raw.toLowerCase()));
  return parts.join(" ");
};

export interface SkillEntry {
  readonly canonical: string;
  readonly length: number;
}

const SKILLS = /* @__PURE__ */ (() => {
  const skills = new Map<string, SkillEntry>();
  for (const [canonical, aliases] of Object.entries(SKILL_ALIASES)) {
    for (const spelling of [canonical, ...aliases]) {
      const k = phraseKey(spelling);
      skills.set(k, { canonical, length: k.split(" ").length });
    }
  }
  return skills;
})();
/** First word of a known skill spelling → the most words a spelling starting with it has. */
const SKILL_STARTS = /* @__PURE__ */ (() => {
  const starts = new Map<string, number>();
  for (const [k, entry] of SKILLS) {
    const first = k.split(" ")[0]!;
    starts.set(first, Math.max(starts.get(first) ?? 0, entry.length));
  }
  return starts;
})();

/** The most tokens any known skill spelling has. */
const MAX_SKILL_TOKENS = /* @__PURE__ */ (() => Math.max(...[...SKILLS.values()].map((s) => s.length)))();

const GENERIC_STEMS = /* @__PURE__ */ (() => new Set([...GENERIC_WORDS].map(keyOf)))();

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

/** The kind of a word as written; "proper" means "capitalised", a plain word at the start of a sentence. */
const kindOf = (t: string): TermKind => {
  if (/^[A-Z0-9]{2,6}s?$/.test(t) && twoCapitals(t)) return "acronym";
  if (/[a-z][A-Z]|[.+#]/.test(t)) return "skill"; // PostgreSQL, iOS, Make.com, C++
  if (/^[A-Z]/.test(t)) return "proper";
  return "word";
};

/** A term a word yields outside a known skill, mid-sentence and at the start of one. */
interface WordTerm {
  readonly term: Term;
  readonly atSentenceStart: Term;
}

/** A token's text as a term, everything but where it stands in a sentence. */
export interface Word {
  readonly lower: string;
  /** The most tokens a known skill spelling starting with this word has; 0 if none starts with it. */
  readonly skillStart: number;
  /** The known skill this word alone spells. */
  readonly skill: SkillEntry | undefined;
  /** The terms it yields when no known skill takes it: an unknown dotted name whole, else its parts (split at - and /) that are not noise. */
  readonly terms: readonly WordTerm[];
}

/** The term of one word or part (not a known skill, not noise). */
const wordTerm = (text: string, lower: string, atStart: boolean): WordTerm => {
  const key = keyOf(lower);
  const kind = kindOf(text);
  const term: Term = { key, surface: text, kind };
  // A capital at the start of a sentence says nothing: the first part of a token there is a plain word.
  return { term, atSentenceStart: kind === "proper" && atStart ? { key, surface: text, kind: "word" } : term };
};

const termsOfWord = (text: string, lower: string): WordTerm[] => {
  if (lower.includes(".") && /[a-z]/.test(lower) && !isDigit(lower.charCodeAt(0))) {
    // An unknown dotted name (Make.com, Involve.AI) is kept whole.
    const term: Term = { key: lower, surface: text, kind: "skill" };
    return [{ term, atSentenceStart: term }];
  }
  if (!text.includes("-") && !text.includes("/")) return isNoise(lower) ? [] : [wordTerm(text, lower, true)];
  const out: WordTerm[] = [];
  text.split(/[-/]/).forEach((part, j) => {
    const partLower = part.toLowerCase();
    if (partLower !== "" && !isNoise(partLower)) out.push(wordTerm(part, partLower, j === 0));
  });
  return out;
};

/**
 * Words seen before, as written. The same words recur in every CV and
 * posting, and each costs a Porter stem (twice: once for the noise check)
 * and a handful of patterns. A pure function's cache, so results never
 * depend on it; emptied when full, so memory stays bounded whatever the input.
 */
const WORDS = new Map<string, Word>();
const WORDS_LIMIT = 20_000;

const wordOf = (text: string): Word => {
  let word = WORDS.get(text);
  if (word === undefined) {
    const lower = text.toLowerCase();
    word = {
      lower,
      skillStart: SKILL_STARTS.get(lower) ?? 0,
      skill: SKILLS.get(lower),
      terms: termsOfWord(text, lower),
    };
    if (WORDS.size >= WORDS_LIMIT) WORDS.clear();
    WORDS.set(text, word);
  }
  return word;
};

/** The known skill spelled by the tokens from `i`, longest first, with its length in tokens. */
export const skillAt = (tokens: readonly Token[], i: number): SkillEntry | undefined => {
  const first = tokens[i]!;
  if (first.word.skillStart === 0) return undefined;
  for (let n = Math.min(first.word.skillStart, tokens.length - i); n >= 1; n--) {
    let key = first.lower;
    for (let j = i + 1; j < i + n; j++) key += ` ${tokens[j]!.lower}`;
    const entry = SKILLS.get(key);
    if (entry !== undefined && entry.length === n) return entry;
  }
  return undefined;
};

/** Every term in `text`, in order. Known skills consume their words ("machine learning" is one term). */
export const extractTerms = (text: string): Term[] => termsOf(tokenize(text));

/** The terms of text already cut into tokens (`extractTerms(text)` is `termsOf(tokenize(text))`). */
export const termsOf = (tokens: readonly Token[]): Term[] => {
  const out: Term[] = [];
  let i = 0;
  while (i < tokens.length) {
    const entry = skillAt(tokens, i);
    if (entry !== undefined) {
      const n = entry.length;
      let surface = tokens[i]!.text;
      for (let j = i + 1; j < i + n; j++) surface += ` ${tokens[j]!.text}`;
      out.push({ key: entry.canonical.toLowerCase(), surface, kind: "skill" });
      // "AWS Lambda" is also "AWS".
      if (n > 1) {
        for (let j = i; j < i + n; j++) {
          const t = tokens[j]!;
          const inner = t.word.skill;
          if (inner !== undefined && inner.canonical !== entry.canonical) {
            out.push({ key: inner.canonical.toLowerCase(), surface: t.text, kind: "skill" });
          }
        }
      }
      i += n;
      continue;
    }
    const token = tokens[i]!;
    i++;
    for (const t of token.word.terms) out.push(token.sentenceStart ? t.atSentenceStart : t.term);
  }
  return out;
};

/** Whether a known skill spelling starts in `tokens` before `end` and runs past it. */
const skillCrosses = (tokens: readonly Token[], end: number): boolean => {
  for (let i = Math.max(0, end - MAX_SKILL_TOKENS + 1); i < end; i++) {
    const first = tokens[i]!;
    for (let n = Math.min(first.word.skillStart, tokens.length - i); n > end - i; n--) {
      let key = first.lower;
      for (let j = i + 1; j < i + n; j++) key += ` ${tokens[j]!.lower}`;
      if (SKILLS.get(key)?.length === n) return true;
    }
  }
  return false;
};

/**
 * `termsOf` of several token lists one after the other, given each list's own
 * terms. Unless a known skill could run across a boundary, the scan never
 * looks past a boundary, so the terms are each list's terms in turn; otherwise
 * the whole sequence is read again. Each boundary is checked on the few
 * tokens around it.
 */
export const termsOfSequence = (
  lists: readonly (readonly Token[])[],
  termsOfList: (index: number) => readonly Term[],
): Term[] => {
  const reach = MAX_SKILL_TOKENS - 1;
  for (let k = 0; k < lists.length - 1; k++) {
    // The last `reach` tokens before the boundary and the first `reach` after it.
    const before: Token[] = [];
    for (let j = k; j >= 0 && before.length < reach; j--) {
      const list = lists[j]!;
      for (let t = list.length - 1; t >= 0 && before.length < reach; t--) before.push(list[t]!);
    }
    if (before.length === 0) continue;
    const window = before.reverse();
    const boundary = window.length;
    for (let j = k + 1; j < lists.length && window.length < boundary + reach; j++) {
      for (const t of lists[j]!) {
        if (window.length >= boundary + reach) break;
        window.push(t);
      }
    }
    if (skillCrosses(window, boundary)) return termsOf(lists.flat());
  }
  const out: Term[] = [];
  for (let k = 0; k < lists.length; k++) for (const t of termsOfList(k)) out.push(t);
  return out;
};

/** Distinct term keys of `text`. */
export const termKeys = (text: string): Set<string> => new Set(extractTerms(text).map((t) => t.key));
