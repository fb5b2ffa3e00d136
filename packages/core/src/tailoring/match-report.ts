import type { Posting } from "../contracts/job-request.ts";
import type { Resume } from "../resume/resume.ts";
import { sectionParts } from "../resume/text-leaves.ts";
import { type Keyword, KIND_RANK, postingKeywords } from "./posting-keywords.ts";
import { TextTerms } from "./text-terms.ts";
import type { MatchReport } from "./types.ts";

const pct = (part: number, whole: number): number => (whole <= 0 ? 0 : Math.round((100 * part) / whole));

/**
 * How well a CV covers a posting: the weighted share of the posting's keywords found
 * anywhere in the CV (0–100), which keywords matched and which are missing
 * (named skills and tools first, then by weight), and the same share per CV section.
 */
export const matchReport = (
  cv: Resume,
  posting: Posting,
  given?: readonly Keyword[],
  terms: TextTerms = new TextTerms(),
): MatchReport => {
  const keywords = given ?? postingKeywords(posting, {}, terms);
  // Each section's text is its parts joined by line breaks (`sectionTexts`).
  const sectionKeys = Object.fromEntries(
    Object.entries(sectionParts(cv)).map(([name, parts]) => [name, new Set(terms.joined(parts).map((t) => t.key))]),
  );
  const all = new Set(Object.values(sectionKeys).flatMap((keys) => [...keys]));
  const total = keywords.reduce((sum, k) => sum + k.weight, 0);
  const matched = keywords.filter((k) => all.has(k.key));
  // Named skills and tools first: "Terraform" is a more useful gap to report than "write".
  const missing = keywords
    .filter((k) => !all.has(k.key))
    .sort((a, b) => KIND_RANK[b.kind] - KIND_RANK[a.kind] || b.weight - a.weight);
  const perSection: Record<string, number> = {};
  for (const [name, keys] of Object.entries(sectionKeys)) {
    perSection[name] = pct(
      keywords.filter((k) => keys.has(k.key)).reduce((sum, k) => sum + k.weight, 0),
      total,
    );
  }
  return {
    score: pct(
      matched.reduce((sum, k) => sum + k.weight, 0),
      total,
    ),
    matchedKeywords: matched.map((k) => k.display),
    missingKeywords: missing.map((k) => k.display),
    sections: perSection,
  };
};
