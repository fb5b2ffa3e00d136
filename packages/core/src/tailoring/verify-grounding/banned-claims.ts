/** BANNED_CLAIMS: phrases a deployment forbids anywhere in a tailored CV, whatever the source says. */
import { isWordChar } from "../../resume/char-classes.ts";
import type { TextLeaf } from "../../resume/text-leaves.ts";
import { loosen, normalize } from "../normalize-text.ts";
import { PhraseMatcher } from "../phrase-matcher.ts";
import type { Violation } from "../types.ts";

/**
 * A violation per field holding a banned phrase (case-insensitive, whole
 * words: `\w` on neither side, so "led" is not in "skilled"), and one
 * "(across fields)" for a phrase that only neighbouring fields spell
 * together. An empty phrase is never reported.
 */
export const bannedClaimViolations = (
  leaves: readonly TextLeaf[],
  bannedClaims: readonly string[],
  norm: (text: string) => string,
): Violation[] => {
  const phrases = bannedClaims.map((claim) => loosen(normalize(claim)));
  // With no phrase but empty ones, nothing below can find anything.
  if (phrases.every((p) => p === "")) return [];
  const texts = leaves.map((l) => ({ path: l.path, text: loosen(norm(l.text)) }));
  const banned = new PhraseMatcher(phrases, { isWord: isWordChar, edges: "word" });
  const foundIn = new Map<number, string[]>();
  for (const l of texts) {
    for (const c of banned.find(l.text)) {
      const paths = foundIn.get(c);
      if (paths === undefined) foundIn.set(c, [l.path]);
      else paths.push(l.path);
    }
  }
  // A phrase split across neighbouring fields still reads as the claim.
  const acrossFields = banned.find(texts.map((l) => l.text).join(" "));
  const violations: Violation[] = [];
  bannedClaims.forEach((claim, c) => {
    if (phrases[c] === "") return;
    const paths = foundIn.get(c) ?? (acrossFields.has(c) ? ["(across fields)"] : []);
    for (const path of paths) {
      violations.push({ code: "BANNED_CLAIM", path, text: claim, reason: `"${claim}" is listed in BANNED_CLAIMS` });
    }
  });
  return violations;
};
