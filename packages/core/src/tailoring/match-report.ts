import type { Resume } from "../resume/resume.ts";
import { type PhraseWord, phraseWordsOf } from "./phrase-words.ts";
import type { PostingView } from "./posting-view.ts";
import { requirementPhrases } from "./requirement-phrases.ts";
import { screeningChecks } from "./screening-checks.ts";
import type { RequirementGroup } from "./skill-vocabulary.ts";
import { TextTerms } from "./text-terms.ts";
import type { CvPlace, MatchReport, RequirementMatch } from "./types.ts";

const pct = (part: number, whole: number): number => (whole <= 0 ? 0 : Math.round((100 * part) / whole));

/** Most explicit requirements a report lists (the posting's first ones); the phrases it derives come after. */
export const MAX_REPORTED_REQUIREMENTS = 100;
/** Phrases derived from the posting's text that a report lists (the measurement of issue 14 reads this many). */
export const DERIVED_REQUIREMENTS = 25;

interface Wanted {
  readonly display: string;
  readonly words: readonly PhraseWord[];
  readonly group: RequirementGroup;
  readonly weight: number;
  readonly explicit: boolean;
  readonly postingCount: number;
}

/** One CV entry's words: each key with how often and how it is written. */
interface Entry {
  readonly place: CvPlace;
  readonly text: string;
  readonly counts: ReadonlyMap<string, number>;
  readonly surfaces: ReadonlyMap<string, ReadonlySet<string>>;
}

const contains = (outer: readonly string[], inner: readonly string[]): boolean => {
  for (let i = 0; i + inner.length <= outer.length; i++) if (inner.every((w, j) => outer[i + j] === w)) return true;
  return false;
};
const overlap = (a: readonly string[], b: readonly string[]): boolean =>
  a.length > 0 && b.length > 0 && (contains(a, b) || contains(b, a));

/** Occurrences of `words` as consecutive words in `text` (at least once when it was derived from it). */
const countIn = (text: readonly string[], words: readonly string[]): number => {
  let n = 0;
  for (let i = 0; i + words.length <= text.length; i++) if (words.every((w, j) => text[i + j] === w)) n++;
  return n;
};

/**
 * The posting's explicit requirements first, in its order; then the phrases
 * its text names, less those an explicit requirement already names.
 */
const wantedOf = (posting: PostingView): Wanted[] => {
  const text = phraseWordsOf(posting.description).map((w) => w.key);
  const explicit: Wanted[] = [];
  const seen = new Set<string>();
  for (const display of (posting.requirements ?? []).slice(0, MAX_REPORTED_REQUIREMENTS)) {
    const words = phraseWordsOf(display);
    const id = words.map((w) => w.key).join(" ");
    if (words.length === 0 || seen.has(id)) continue;
    seen.add(id);
    const skill = words.some((w) => w.skill) || /[A-Z]/.test(display);
    explicit.push({
      display,
      words,
      group: skill ? "hard" : "other",
      weight: skill ? 3 : 2,
      explicit: true,
      postingCount: Math.max(
        1,
        countIn(
          text,
          words.map((w) => w.key),
        ),
      ),
    });
  }
  const derived = requirementPhrases(posting)
    .map((p) => ({ p, words: phraseWordsOf(p.display) }))
    .filter(
      ({ words }) =>
        words.length > 0 &&
        !explicit.some((e) =>
          overlap(
            e.words.map((w) => w.key),
            words.map((w) => w.key),
          ),
        ),
    )
    .slice(0, DERIVED_REQUIREMENTS)
    .map(({ p, words }) => ({
      display: p.display,
      words,
      group: p.group,
      weight: p.weight,
      explicit: false,
      postingCount: p.count,
    }));
  return [...explicit, ...derived];
};

/** The CV's entries, each with the section and index a reader finds it by. */
const entriesOf = (cv: Resume): Entry[] => {
  const out: Entry[] = [];
  const add = (place: CvPlace, parts: readonly unknown[]): void => {
    const text = parts
      .flat(2)
      .filter((p): p is string => typeof p === "string")
      .join("\n");
    if (text.trim() === "") return;
    const counts = new Map<string, number>();
    const surfaces = new Map<string, Set<string>>();
    for (const w of phraseWordsOf(text)) {
      counts.set(w.key, (counts.get(w.key) ?? 0) + 1);
      const s = surfaces.get(w.key) ?? new Set<string>();
      surfaces.set(w.key, s);
      s.add(w.surface);
    }
    out.push({ place, text: text.toLowerCase(), counts, surfaces });
  };
  add({ section: "summary" }, [cv.basics?.label, cv.basics?.summary]);
  for (const [i, w] of (cv.work ?? []).entries()) {
    add({ section: "work", index: i, ...label(w.position, w.name) }, [
      w.position,
      w.summary,
      w.description,
      w.highlights,
    ]);
  }
  for (const [i, s] of (cv.skills ?? []).entries())
    add({ section: "skills", index: i, ...label(s.name) }, [s.name, s.keywords]);
  for (const [i, p] of (cv.projects ?? []).entries()) {
    add({ section: "projects", index: i, ...label(p.name) }, [
      p.name,
      p.description,
      p.highlights,
      p.keywords,
      p.roles,
    ]);
  }
  for (const [i, e] of (cv.education ?? []).entries()) {
    add({ section: "education", index: i, ...label(e.studyType, e.institution) }, [e.studyType, e.area, e.courses]);
  }
  return out;
};

const label = (...parts: (string | undefined)[]): { label?: string } => {
  const text = parts.filter((p) => typeof p === "string" && p.trim() !== "").join(", ");
  return text === "" ? {} : { label: text };
};

const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** Recruiters screen named skills and tools first, then other competences, soft skills last. */
const GROUP_ORDER: Record<RequirementGroup, number> = { hard: 0, other: 1, soft: 2 };

/**
 * How well a CV covers a posting. What the posting asks for is its explicit
 * requirements (a JSON Resume posting's `skills[].keywords`, listed first in
 * its order) and the requirement phrases its text names. Each is met where
 * one CV entry has all its words (stems; a known skill by any of its
 * spellings, which the report calls a synonym, since an ATS may want the
 * exact term). The score is the weighted share met (0–100), and the same
 * share per section; the missing ones are listed as a recruiter screens
 * them: explicit ones, then hard skills, other competences, soft skills,
 * heaviest first. Besides keywords it checks title, degree, years and
 * measurable results (`screeningChecks`).
 */
export const matchReport = (cv: Resume, posting: PostingView, _terms: TextTerms = new TextTerms()): MatchReport => {
  const wanted = wantedOf(posting);
  const entries = entriesOf(cv);
  const requirements: (RequirementMatch & { readonly weight: number })[] = wanted.map((w) => {
    const keys = w.words.map((x) => x.key);
    const found = entries.filter((e) => keys.every((k) => e.counts.has(k)));
    const cvCount = found.reduce((sum, e) => sum + Math.min(...keys.map((k) => e.counts.get(k) ?? 0)), 0);
    const spelled = new RegExp(`(?<![a-z0-9])${escapeRegExp(w.display.toLowerCase())}(?![a-z0-9])`);
    const exact = found.some((e) => spelled.test(e.text));
    const cvTerms = [
      ...new Set(found.flatMap((e) => w.words.flatMap((x) => [...(e.surfaces.get(x.key) ?? [])]))),
    ].slice(0, 10);
    // A known skill written otherwise in the CV ("JavaScript" for "ES6"): say what matched.
    const synonym =
      !exact && w.words.some((x) => x.skill && found.every((e) => !e.surfaces.get(x.key)?.has(x.surface)));
    return {
      requirement: w.display,
      group: w.group,
      explicit: w.explicit,
      postingCount: w.postingCount,
      cvCount,
      match: found.length === 0 ? "missing" : exact ? "exact" : synonym ? "synonym" : "variant",
      ...(found.length === 0 ? {} : { cvTerms }),
      foundIn: found.map((e) => e.place),
      weight: w.weight,
    };
  });
  const total = requirements.reduce((sum, r) => sum + r.weight, 0);
  const met = requirements.filter((r) => r.match !== "missing");
  const missing = requirements
    .filter((r) => r.match === "missing")
    .sort(
      (a, b) =>
        Number(b.explicit) - Number(a.explicit) ||
        (a.explicit ? 0 : GROUP_ORDER[a.group] - GROUP_ORDER[b.group] || b.weight - a.weight),
    );
  const sections: Record<string, number> = {};
  for (const name of new Set(entries.map((e) => e.place.section))) {
    sections[name] = pct(
      requirements.filter((r) => r.foundIn.some((p) => p.section === name)).reduce((sum, r) => sum + r.weight, 0),
      total,
    );
  }
  return {
    score: pct(
      met.reduce((sum, r) => sum + r.weight, 0),
      total,
    ),
    matchedKeywords: met.map((r) => r.requirement),
    missingKeywords: missing.map((r) => r.requirement),
    sections,
    requirements: [...met, ...missing].map(({ weight: _weight, ...r }) => r),
    checks: screeningChecks(cv, posting),
  };
};
