/** Free text (summaries, highlights, descriptions) that the source does not hold whole, read claim by claim. */
import { decodeEntities } from "../normalize-text.ts";
import type { TextTerms } from "../text-terms.ts";
import { addressesIn, isCheckedWord, NUMBER_WORDS, numbersIn, wordsOf } from "./claims.ts";
import type { SourceIndex } from "./source-index.ts";
import { ALLOWED_WORDS, foldedWords, isDigits, stem } from "./words.ts";

const CHECKED_KINDS = new Set(["skill", "acronym", "proper"]);

/** Numbers and skill-like terms in a piece of free text (not in the source whole) that the source does not have. */
export const freeTextIssues = (
  index: SourceIndex,
  raw: string,
  norm: (text: string) => string,
  terms: TextTerms,
): { text: string; reason: string }[] => {
  // The caller has already passed text that the source holds whole (see `boundedLookup`).
  const text = decodeEntities(raw).normalize("NFKC");
  const issues: { text: string; reason: string }[] = [];
  for (const number of new Set(numbersIn(text))) {
    if (!index.hasNumber(number)) issues.push({ text: number, reason: "number does not appear in the source CV" });
  }
  for (const address of new Set(addressesIn(text))) {
    if (!index.hasAddress(address)) {
      issues.push({ text: address, reason: "link or address does not appear in the source CV" });
    }
  }
  for (const word of new Set(wordsOf(norm(text)))) {
    if (!isCheckedWord(word) || index.hasWord(word)) continue;
    if (NUMBER_WORDS.has(word)) issues.push({ text: word, reason: "number does not appear in the source CV" });
    // Names written with letters outside ASCII ("Ørsted") slip past the term extractor: check them whole.
    else if (/[^\p{ASCII}]/u.test(word))
      issues.push({ text: word, reason: `"${word}" does not appear in the source CV` });
  }
  const seen = new Set<string>();
  for (const term of terms.terms(text)) {
    if (!CHECKED_KINDS.has(term.kind) || seen.has(term.key)) continue;
    seen.add(term.key);
    if (index.hasTerm(term.key) || index.hasToken(term.surface.toLowerCase())) continue;
    issues.push({ text: term.surface, reason: `"${term.surface}" does not appear in the source CV` });
  }
  // Every other content word must be the CV's too: lower-case brands, "phd", "clearance", "founder" are
  // neither numbers nor terms. A word already reported above (inside a term or an address) is not again.
  const reported = new Set(issues.flatMap((i) => foldedWords(norm(i.text))));
  for (const word of new Set(foldedWords(norm(text)))) {
    if (ALLOWED_WORDS.has(word) || isDigits(word) || reported.has(word) || index.hasStem(stem(word))) continue;
    issues.push({
      text: word,
      reason: `"${word}" does not appear in the source CV (content words must be the CV's own)`,
    });
  }
  return issues;
};
