import type { Resume } from "../resume/resume.ts";
import { sectionParts } from "../resume/text-leaves.ts";
import { type Keyword, KIND_RANK, postingKeywords, requirementTerms } from "./posting-keywords.ts";
import type { PostingView } from "./posting-view.ts";
import { TextTerms } from "./text-terms.ts";
import type { MatchReport } from "./types.ts";

const pct = (part: number, whole: number): number => (whole <= 0 ? 0 : Math.round((100 * part) / whole));

/** Most explicit requirements a report lists (the posting's first ones); the keywords it derives come after. */
export const MAX_REPORTED_REQUIREMENTS = 100;

/** What the report counts: an explicit requirement (met when the CV names all its terms) or a derived keyword. */
interface Wanted {
  readonly display: string;
  readonly keys: readonly string[];
  readonly weight: number;
  readonly kind: Keyword["kind"];
  readonly explicit: boolean;
}

/**
 * The posting's explicit requirements first, in its order, each weighed as its
 * heaviest term; then the keywords derived from its text, less those a
 * one-term requirement already names or a requirement spells.
 */
const wantedOf = (posting: PostingView, keywords: readonly Keyword[], terms: TextTerms): Wanted[] => {
  const requirements = requirementTerms(posting, terms).slice(0, MAX_REPORTED_REQUIREMENTS);
  if (requirements.length === 0) return keywords.map((k) => ({ ...k, keys: [k.key], explicit: false }));
  const weightOf = new Map(
    postingKeywords(posting, { limit: Number.POSITIVE_INFINITY }, terms).map((k) => [k.key, k.weight]),
  );
  const explicit = requirements.map((r) => ({
    display: r.display,
    keys: r.keys,
    kind: r.kind,
    weight: Math.max(1, ...r.keys.map((key) => weightOf.get(key) ?? 0)),
    explicit: true,
  }));
  const named = new Set(requirements.filter((r) => r.keys.length === 1).map((r) => r.keys[0]!));
  // A keyword written as a requirement is, whatever its term in a sentence ("HTML5" in "HTML5/CSS3").
  const written = new Set((posting.requirements ?? []).map((r) => r.toLowerCase()));
  const derived = keywords
    .filter((k) => !named.has(k.key) && !written.has(k.display.toLowerCase()))
    .map((k) => ({ display: k.display, keys: [k.key], weight: k.weight, kind: k.kind, explicit: false }));
  return [...explicit, ...derived];
};

/**
 * How well a CV covers a posting: the weighted share of what the posting asks
 * for found anywhere in the CV (0–100), which of it matched and which is
 * missing, and the same share per CV section. What it asks for is its explicit
 * requirements (a JSON Resume posting's `skills[].keywords`), listed first in
 * the posting's order, and the keywords of its text (named skills and tools
 * first among the missing ones, then by weight).
 */
export const matchReport = (
  cv: Resume,
  posting: PostingView,
  given?: readonly Keyword[],
  terms: TextTerms = new TextTerms(),
): MatchReport => {
  const wanted = wantedOf(posting, given ?? postingKeywords(posting, {}, terms), terms);
  // Each section's text is its parts joined by line breaks (`sectionTexts`).
  const sectionKeys = Object.fromEntries(
    Object.entries(sectionParts(cv)).map(([name, parts]) => [name, new Set(terms.joined(parts).map((t) => t.key))]),
  );
  const all = new Set(Object.values(sectionKeys).flatMap((keys) => [...keys]));
  const meets = (keys: ReadonlySet<string>) => (w: Wanted) => w.keys.every((key) => keys.has(key));
  const total = wanted.reduce((sum, w) => sum + w.weight, 0);
  const matched = wanted.filter(meets(all));
  // Named skills and tools first: "Terraform" is a more useful gap to report than "write".
  const missing = wanted
    .filter((w) => !meets(all)(w))
    .sort(
      (a, b) =>
        Number(b.explicit) - Number(a.explicit) ||
        (a.explicit ? 0 : KIND_RANK[b.kind] - KIND_RANK[a.kind] || b.weight - a.weight),
    );
  const perSection: Record<string, number> = {};
  for (const [name, keys] of Object.entries(sectionKeys)) {
    perSection[name] = pct(
      wanted.filter(meets(keys)).reduce((sum, w) => sum + w.weight, 0),
      total,
    );
  }
  return {
    score: pct(
      matched.reduce((sum, w) => sum + w.weight, 0),
      total,
    ),
    matchedKeywords: matched.map((w) => w.display),
    missingKeywords: missing.map((w) => w.display),
    sections: perSection,
  };
};
