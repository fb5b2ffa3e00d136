import { stemmer } from "stemmer";
import { STOP_WORDS } from "./lexicon.ts";
import { canonicalSkill, tokenize } from "./terms.ts";

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

const MAX_SKILL_WINDOW = 5;

export const phraseWordsOf = (text: string): PhraseWord[] => {
  const tokens = tokenize(text);
  const out: PhraseWord[] = [];
  let i = 0;
  while (i < tokens.length) {
    // Only a word some known spelling starts with is looked up, and only as far as such a spelling runs.
    let n = Math.min(MAX_SKILL_WINDOW, tokens[i]!.word.skillStart, tokens.length - i);
    for (; n >= 1; n--) {
      const surface = tokens
        .slice(i, i + n)
        .map((t) => t.text)
        .join(" ");
      const skill = canonicalSkill(surface);
      if (skill !== undefined) {
        out.push({ key: skill.toLowerCase(), surface: surface.toLowerCase(), skill: true });
        break;
      }
    }
    if (n >= 1) {
      i += n;
      continue;
    }
    for (const part of tokens[i]!.lower.split(/[-/]/)) {
      if (part === "" || STOP_WORDS.has(part)) continue;
      out.push({ key: /^[a-z]{3,}$/.test(part) ? stemmer(part) : part, surface: part, skill: false });
    }
    i++;
  }
  return out;
};

/** The keys of `phraseWordsOf(text)`. */
export const phraseWords = (text: string): string[] => phraseWordsOf(text).map((w) => w.key);
