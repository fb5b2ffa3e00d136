/** BANNED_CLAIMS: phrases a deployment forbids anywhere in a tailored CV, whatever the source says. */
import type { TextLeaf } from "../../resume/text-leaves.ts";
import { normalize } from "../normalize-text.ts";
import type { Violation } from "../types.ts";
import { foldMarks } from "./words.ts";

/** Runs of letters and digits: what is left of a text once every separator is taken out. */
const WORD_RUN = /[\p{L}\p{N}]+/gu;

/**
 * Text as banned phrases are matched in it: its letters and digits only
 * (`letters`), with where its words start and end. Marks, format and tag
 * characters are removed first (U+034F, U+180E, U+FE0F, U+E0020 join the
 * letters around them); hyphens, spaces of any width and punctuation are then
 * dropped too, so "secu-rity clearance", "secu\u00A0rity" and "security
 * clearance" read alike, while a match must still start and end at a word's
 * edge ("hd" is not in "graphdb").
 */
interface Compact {
  readonly letters: string;
  /** 1 where a word starts at this offset of `letters`, 2 where one ends just before it (both: 3). */
  readonly edges: Uint8Array;
}

const compact = (normalized: string): Compact => {
  const runs = foldMarks(normalized).match(WORD_RUN) ?? [];
  const letters = runs.join("");
  const edges = new Uint8Array(letters.length + 1);
  let at = 0;
  for (const run of runs) {
    edges[at]! |= 1;
    at += run.length;
    edges[at]! |= 2;
  }
  return { letters, edges };
};

/**
 * Whether `phrase` (compacted letters) occurs in `text` from a word's start to
 * a word's end. Native `indexOf` from each candidate start: every start is
 * tried once, so the work is linear in the text for a phrase of bounded length.
 */
const occursIn = (text: Compact, phrase: string): boolean => {
  let from = text.letters.indexOf(phrase);
  while (from >= 0) {
    if ((text.edges[from]! & 1) !== 0 && (text.edges[from + phrase.length]! & 2) !== 0) return true;
    from = text.letters.indexOf(phrase, from + 1);
  }
  return false;
};

/**
 * A violation per field holding a banned phrase (case-insensitive, from a
 * word's start to a word's end, through any separator or invisible
 * character), and one "(across fields)" for a phrase that only neighbouring
 * fields spell together. An empty phrase is never reported.
 */
export const bannedClaimViolations = (
  leaves: readonly TextLeaf[],
  bannedClaims: readonly string[],
  norm: (text: string) => string,
): Violation[] => {
  const phrases = bannedClaims.map((claim) => compact(normalize(claim)).letters);
  // With no phrase but empty ones, nothing below can find anything.
  if (phrases.every((p) => p === "")) return [];
  // A phrase split across neighbouring fields still reads as the claim. All fields together are read
  // first: a phrase that is not there is in no field, so most CVs are compacted once, not field by field.
  const all = compact(leaves.map((l) => norm(l.text)).join(" "));
  const present = phrases.map((p) => p !== "" && occursIn(all, p));
  if (!present.includes(true)) return [];
  const texts = leaves.map((l) => ({ path: l.path, text: compact(norm(l.text)) }));
  const violations: Violation[] = [];
  bannedClaims.forEach((claim, c) => {
    const phrase = phrases[c]!;
    if (!present[c]) return;
    const paths = texts.filter((t) => occursIn(t.text, phrase)).map((t) => t.path);
    if (paths.length === 0) paths.push("(across fields)");
    for (const path of paths) {
      violations.push({ code: "BANNED_CLAIM", path, text: claim, reason: `"${claim}" is listed in BANNED_CLAIMS` });
    }
  });
  return violations;
};
