/**
 * Words of free text as the content-word rule reads them: a tailored CV's
 * prose may only use words its source CV uses, apart from a small list of
 * connective words (ALLOWED_WORDS) that state no fact.
 */
import { wordsOf } from "./claims.ts";

// Marks (combining accents, U+034F, variation selectors), format characters
// (U+180E, zero-width joiners, U+E0020 tag characters...): invisible or
// decorative, so they must neither split a word nor hide one.
const MARK_OR_FORMAT = /[\p{M}\p{Cf}]/gu;

/** Normalized text with every mark, format and tag character removed (accents folded: "é" reads "e"). */
export const foldMarks = (normalized: string): string =>
  /[^\p{ASCII}]/u.test(normalized) ? normalized.normalize("NFKD").replace(MARK_OR_FORMAT, "") : normalized;

/** The words of normalized text, marks and format characters folded first. */
export const foldedWords = (normalized: string): string[] => wordsOf(foldMarks(normalized));

/**
 * Words a rephrasing may use that are not in the source CV: articles,
 * prepositions, conjunctions, pronouns and determiners, auxiliary verbs, the
 * fragments of contractions and "e.g.", and the framing words of the local
 * engine's composed summary ("Most recently … at …", "Relevant skills: …",
 * local-engine.ts). None names a role, a skill, an employer, a credential or
 * a quantity; every word outside this list must be the CV's own. Kept small on
 * purpose: each word added here is one a model may invent freely.
 */
export const ALLOWED_WORDS: ReadonlySet<string> = new Set(
  `a an the
  of in on at to for from with by as into onto over under across through via per within without between
  about after before during among toward towards up out
  and or but nor so yet while whereas both either neither also then than plus not
  i me my we our us you your he him his she her they them their it its this that these those
  which who whom whose what where when how each every all some any other such own same
  is are was were be been being am have has had having do does did can could will would shall should may might must
  s t d ll re ve m e g etc
  using including
  most recently relevant skills`.split(/\s+/),
);

/**
 * Words that state a rank or a role's weight: a tailored entry may only use
 * one its source entry uses ("Led" for "Assisted", "Staff" for "Senior").
 * Stems, as `stem` gives them.
 */
export const SENIORITY_WORDS: ReadonlySet<string> = new Set(
  "led lead leader senior staff principal head chief director founder cofounder vp president executive architect manager owner"
    .split(" ")
    .map((w) => stem(w)),
);

/**
 * A light suffix stripper, so that "engineers", "engineering" and "engineer",
 * or "managed" and "manage", read as one word. Not Porter's algorithm: no
 * dependency to add to the lockfile, and it only has to equate the regular
 * inflections of English (plural -s/-es/-ies, -ed, -ing, -ly), never derive one
 * word from another ("lead" and "led", "build" and "built", "architect" and
 * "architecture" stay apart: a rephrasing that needs them is refused, which is
 * the rule). Over-stemming only merges two forms of a word the CV has; it
 * never lets in a stem the CV lacks.
 */
export function stem(word: string): string {
  let w = word;
  if (w.length > 4 && w.endsWith("ies")) w = `${w.slice(0, -3)}y`;
  else if (w.length > 4 && w.endsWith("ied")) w = `${w.slice(0, -3)}y`;
  else if (w.length > 5 && w.endsWith("ing")) w = w.slice(0, -3);
  else if (w.length > 4 && w.endsWith("ed")) w = w.slice(0, -2);
  else if (w.length > 4 && w.endsWith("ly")) w = w.slice(0, -2);
  else if (w.length > 4 && w.endsWith("sses")) w = w.slice(0, -2);
  else if (w.length > 4 && w.endsWith("es") && !w.endsWith("ees")) w = w.slice(0, -2);
  else if (w.length > 3 && w.endsWith("s") && !w.endsWith("ss") && !w.endsWith("us") && !w.endsWith("is"))
    w = w.slice(0, -1);
  // "database"/"databases", "manage"/"managed": a final e is dropped after the suffix is.
  if (w.length > 3 && w.endsWith("e")) w = w.slice(0, -1);
  // "shipped" → "shipp" → "ship", "install"/"installed" → "instal".
  if (w.length > 3 && w[w.length - 1] === w[w.length - 2] && !/\d/.test(w[w.length - 1]!)) w = w.slice(0, -1);
  return w;
}

/** Tokens all of digits: numbers are checked as numbers (claims.ts), with their percent signs. */
export const isDigits = (word: string): boolean => /^\d+$/.test(word);
