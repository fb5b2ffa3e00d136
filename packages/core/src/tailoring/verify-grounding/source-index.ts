/**
 * The source CV read once for every look-up the verifier makes: its text and
 * whole values, dates, and lazily the numbers, addresses, words, terms and
 * tokens of its values (see `unionOf`), with phrase searches over its text.
 */
import { isWordChar } from "../../resume/char-classes.ts";
import type { Resume } from "../../resume/resume.ts";
import { stringLeaves } from "../../resume/text-leaves.ts";
import { decodeEntities } from "../normalize-text.ts";
import { PhraseMatcher, type PhraseMatcherOptions } from "../phrase-matcher.ts";
import { canonicalSkill } from "../terms.ts";
import type { TextTerms } from "../text-terms.ts";
import { addressesIn, isCheckedWord, numbersIn, wordsOf } from "./claims.ts";
import { DATE_FIELD } from "./fields.ts";
import { foldedWords, stem } from "./words.ts";

/**
 * Characters that glue onto a value: a value occurs in the source as whole
 * words when none of these touches it ("0% adoption" is not in "60%
 * adoption"). Read per UTF-16 code unit, as the search always did.
 */
const GLUE = /[\p{L}\p{N}$€£%.,]/u;
/** Per UTF-16 code unit: 0 not judged yet, 1 glue, 2 not (judged on first sight, not all 65,536 at import). */
const glueTable = new Uint8Array(0x10000);
const isGlue = (code: number): boolean => {
  let v = glueTable[code]!;
  if (v === 0) {
    v = GLUE.test(String.fromCharCode(code)) ? 1 : 2;
    glueTable[code] = v;
  }
  return v === 1;
};

/** Up to this many phrases are first looked for as plain substrings (one native search each). */
const SUBSTRING_PRECHECK = 8;

/**
 * The phrases that occur in `text` (see PhraseMatcher). A phrase occurs only
 * where its text is a substring, so a few phrases are first ruled out by a
 * substring search and the automaton is built, and run over the text, only
 * for what is left; many phrases go straight to the automaton's one pass, so
 * the work stays linear in the text and the phrases.
 */
const occurring = (phrases: readonly string[], text: string, options: PhraseMatcherOptions): Set<string> => {
  // The empty phrase occurs everywhere (as PhraseMatcher says): no search for it.
  const found = new Set<string>(phrases.includes("") ? [""] : []);
  const rest = phrases.filter((p) => p !== "");
  const candidates = rest.length <= SUBSTRING_PRECHECK ? rest.filter((p) => text.includes(p)) : rest;
  if (candidates.length === 0) return found;
  for (const i of new PhraseMatcher(candidates, options).find(text)) found.add(candidates[i]!);
  return found;
};

export interface SourceIndex {
  readonly text: string;
  /** URLs and e-mail addresses anywhere in the source, normalized. */
  hasAddress(address: string): boolean;
  /** The source's number words and words outside ASCII, folded: the only words the free-text check looks up. */
  hasWord(word: string): boolean;
  readonly strings: ReadonlySet<string>;
  /** Numbers in the source's prose (not its dates), with and without their percent sign. */
  hasNumber(number: string): boolean;
  /** Whether any source value has a term with this key. */
  hasTerm(key: string): boolean;
  /** Whether any source value has a token that is this, lower-cased. */
  hasToken(lower: string): boolean;
  readonly dates: ReadonlySet<string>;
  /** Whether any source value has a word with this stem (see `stem`): the content-word rule's look-up. */
  hasStem(stem: string): boolean;
  /** `hasSkill` for these skill claims, looked up in one pass over the source text. */
  skillLookup(skills: readonly string[]): (skill: string) => boolean;
  /** For each needle: it occurs in the source text as whole words (or is empty). One pass for all. */
  boundedLookup(needles: readonly string[]): boolean[];
}

/**
 * A free-text value as the bounded look-up compares it: decoded and folded
 * before `normalize` decodes again, so "&amp;lt;" reads as "<".
 */
export const textNeedle = (text: string, norm: (text: string) => string): string =>
  text.includes("&") ? norm(decodeEntities(text).normalize("NFKC")) : norm(text.normalize("NFKC"));

/**
 * Membership in the union of `values(text)` over `texts`, read lazily: first
 * the texts the job has already cut into tokens (`ready`: the engine read the
 * highlights, skills and summary sentences), then, only while a look-up
 * misses, the others one at a time, in order, until it is found. The answers
 * are those of the whole union; a value that is there is found early, and
 * only a value that is not reads every text.
 */
const unionOf = (
  texts: readonly string[],
  ready: (text: string) => boolean,
  values: (text: string) => readonly string[],
): ((value: string) => boolean) => {
  let known: Set<string> | undefined;
  const pending: string[] = [];
  let next = 0;
  return (value) => {
    if (known === undefined) {
      known = new Set();
      for (const text of texts) {
        if (ready(text)) for (const v of values(text)) known.add(v);
        else pending.push(text);
      }
    }
    while (!known.has(value) && next < pending.length) for (const v of values(pending[next++]!)) known.add(v);
    return known.has(value);
  };
};

export const indexSource = (source: Resume, norm: (text: string) => string, textTerms: TextTerms): SourceIndex => {
  const leaves = stringLeaves(source);
  const normalizedLeaves = leaves.map((l) => norm(l.text));
  const text = normalizedLeaves.join("\n");
  const strings = new Set(normalizedLeaves);
  const dates = new Set(leaves.filter((l) => DATE_FIELD.test(l.path)).map((l) => l.text));
  const texts = leaves.map((l) => l.text);
  const never = (): boolean => false;
  // A number in prose must come from prose: "team of 27" is not grounded by "2022-06-27".
  const prose = leaves.filter((l) => !DATE_FIELD.test(l.path)).map((l) => l.text);
  const numbers = unionOf(prose, never, (text) =>
    numbersIn(text.normalize("NFKC")).flatMap((n) => [n, n.replace(/%$/, "")]),
  );
  const addresses = unionOf(texts, never, addressesIn);
  // Only number words and words outside ASCII are ever looked up here.
  const words = unionOf(normalizedLeaves, never, (n) => wordsOf(n).filter(isCheckedWord));
  const terms = unionOf(
    texts,
    (text) => textTerms.hasTerms(text),
    (text) => textTerms.terms(text).map((t) => t.key),
  );
  const tokens = unionOf(
    texts,
    (text) => textTerms.hasTokens(text),
    (text) => textTerms.tokens(text).map((t) => t.lower),
  );
  // Read lazily like the others: a stem the source has (most look-ups) is found before every value is cut into words.
  const hasStem = unionOf(normalizedLeaves, never, (n) => foldedWords(n).map(stem));
  return {
    text,
    strings,
    hasStem,
    hasAddress: addresses,
    hasWord: words,
    hasNumber: numbers,
    hasTerm: terms,
    hasToken: tokens,
    dates,
    skillLookup(skills: readonly string[]): (skill: string) => boolean {
      // A claim the source holds as a whole value needs no search.
      const claims = [...new Set(skills.map(norm))].filter((n) => n !== "" && !strings.has(n));
      const found = occurring(claims, text, { isWord: isWordChar, edges: "word" });
      return (skill: string): boolean => {
        const n = norm(skill);
        if (n === "" || strings.has(n) || found.has(n)) return true;
        const canonical = canonicalSkill(skill);
        return canonical !== undefined && terms(canonical.toLowerCase());
      };
    },
    boundedLookup(needles: readonly string[]): boolean[] {
      // Only what the source does not hold as a whole value is searched for in its text.
      const search = [...new Set(needles.filter((n) => !strings.has(n)))];
      const found = occurring(search, text, { isWord: isGlue, edges: "any" });
      return needles.map((n) => strings.has(n) || found.has(n));
    },
  };
};
