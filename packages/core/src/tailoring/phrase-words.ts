import { stemmer } from "stemmer";
import { STOP_WORDS } from "./lexicon.ts";
import { skillAt, type Token, tokenize } from "./terms.ts";

/**
 * A phrase as the words a match compares: a known skill spelling as its
 * canonical name ("NodeJS" and "Node.js" are one word, "continuous
 * integration" is "ci/cd"), longest first; other words as Porter stems,
 * split at "-" and "/", function words dropped. Unlike the term keys of
 * terms.ts no job-ad filler is dropped: a requirement "people management"
 * keeps both its words.
 */
export interface PhraseWord {
  readonly key: string;
  /** As written, lower-case. */
  readonly surface: string;
  /** A known skill's canonical name (so another spelling of it is a synonym). */
  readonly skill: boolean;
}

/**
 * The phrase words of one token that no known skill takes, by its lower-case
 * text. Every CV and posting repeats the same words, and each costs a split
 * and a Porter stem; a pure function's cache, emptied when full.
 */
const PLAIN = new Map<string, readonly PhraseWord[]>();
const PLAIN_LIMIT = 20_000;

const plainWords = (lower: string): readonly PhraseWord[] => {
  let words = PLAIN.get(lower);
  if (words === undefined) {
    const out: PhraseWord[] = [];
    for (const part of lower.split(/[-/]/)) {
      if (part === "" || STOP_WORDS.has(part)) continue;
      out.push({ key: /^[a-z]{3,}$/.test(part) ? stemmer(part) : part, surface: part, skill: false });
    }
    words = out;
    if (PLAIN.size >= PLAIN_LIMIT) PLAIN.clear();
    PLAIN.set(lower, words);
  }
  return words;
};

/** `phraseWordsOf` of text already cut into tokens (the job's memo has the tokens of every CV string). */
export const phraseWordsOfTokens = (tokens: readonly Token[]): PhraseWord[] => {
  const out: PhraseWord[] = [];
  let i = 0;
  while (i < tokens.length) {
    const skill = skillAt(tokens, i);
    if (skill !== undefined) {
      let surface = tokens[i]!.lower;
      for (let j = i + 1; j < i + skill.length; j++) surface += ` ${tokens[j]!.lower}`;
      out.push({ key: skill.canonical.toLowerCase(), surface, skill: true });
      i += skill.length;
      continue;
    }
    for (const w of plainWords(tokens[i]!.lower)) out.push(w);
    i++;
  }
  return out;
};

export const phraseWordsOf = (text: string): PhraseWord[] => phraseWordsOfTokens(tokenize(text));

/** The keys of `phraseWordsOf(text)`. */
export const phraseWords = (text: string): string[] => phraseWordsOf(text).map((w) => w.key);
