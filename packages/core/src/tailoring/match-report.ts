import type { Resume } from "../resume/resume.ts";
import { type PhraseWord, phraseWordsOfTokens } from "./phrase-words.ts";
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
  /** `display` lower-case: an entry that writes this spells it exactly. */
  readonly spelled: string;
  readonly words: readonly PhraseWord[];
  readonly keys: readonly string[];
  readonly group: RequirementGroup;
  readonly weight: number;
  readonly explicit: boolean;
  readonly postingCount: number;
}

/** One CV entry's words: each key with how often and how it is written, indexed once per job. */
interface Entry {
  readonly place: CvPlace;
  /** The entry's strings lower-case, one per line (an exact spelling never runs across two). */
  readonly text: string;
  readonly counts: ReadonlyMap<string, number>;
  readonly surfaces: ReadonlyMap<string, ReadonlySet<string>>;
}

/** Where each key occurs in a sequence of keys. */
const positionsOf = (keys: readonly string[]): Map<string, number[]> => {
  const at = new Map<string, number[]>();
  keys.forEach((k, i) => {
    const list = at.get(k);
    if (list === undefined) at.set(k, [i]);
    else list.push(i);
  });
  return at;
};

/** Occurrences of `words` as consecutive keys of `text`, found from the positions of its first word. */
const countIn = (
  text: readonly string[],
  at: ReadonlyMap<string, readonly number[]>,
  words: readonly string[],
): number => {
  let n = 0;
  for (const i of at.get(words[0]!) ?? []) if (words.every((w, j) => text[i + j] === w)) n++;
  return n;
};

const contains = (outer: readonly string[], inner: readonly string[]): boolean => {
  for (let i = 0; i + inner.length <= outer.length; i++) if (inner.every((w, j) => outer[i + j] === w)) return true;
  return false;
};
const overlap = (a: readonly string[], b: readonly string[]): boolean =>
  a.length > 0 && b.length > 0 && (contains(a, b) || contains(b, a));

/** Whether `text` has `phrase` with no letter or digit either side. */
const spells = (text: string, phrase: string): boolean => {
  for (let i = text.indexOf(phrase); i >= 0; i = text.indexOf(phrase, i + 1)) {
    const before = i === 0 ? "" : text[i - 1]!;
    const after = text[i + phrase.length] ?? "";
    if (!/[a-z0-9]/.test(before) && !/[a-z0-9]/.test(after)) return true;
  }
  return false;
};

/**
 * The posting's explicit requirements first, in its order; then the phrases
 * its text names, less those an explicit requirement already names. They do
 * not depend on the CV: once per job, shared through the job's memo.
 */
const wantedOf = (posting: PostingView, terms: TextTerms): readonly Wanted[] => {
  const key = postingKey(posting);
  let wanted = WANTED.get(key);
  if (wanted === undefined) {
    wanted = readWanted(posting, terms);
    if (WANTED.size >= WANTED_LIMIT) WANTED.clear();
    WANTED.set(key, wanted);
  }
  return wanted;
};

/**
 * Postings read before (one posting is matched against many CVs): a pure
 * function's cache, emptied when full.
 */
const WANTED = new Map<string, readonly Wanted[]>();
const WANTED_LIMIT = 64;

const readWanted = (posting: PostingView, terms: TextTerms): readonly Wanted[] => {
  const text = phraseWordsOfTokens(terms.tokens(posting.description)).map((w) => w.key);
  const at = positionsOf(text);
  const explicit: Wanted[] = [];
  const seen = new Set<string>();
  for (const display of (posting.requirements ?? []).slice(0, MAX_REPORTED_REQUIREMENTS)) {
    const words = phraseWordsOfTokens(terms.tokens(display));
    const keys = words.map((w) => w.key);
    const id = keys.join(" ");
    if (words.length === 0 || seen.has(id)) continue;
    seen.add(id);
    const skill = words.some((w) => w.skill) || /[A-Z]/.test(display);
    explicit.push({
      display,
      spelled: display.toLowerCase(),
      words,
      keys,
      group: skill ? "hard" : "other",
      weight: skill ? 3 : 2,
      explicit: true,
      postingCount: Math.max(1, countIn(text, at, keys)),
    });
  }
  const derived: Wanted[] = [];
  for (const p of requirementPhrases(posting)) {
    if (derived.length >= DERIVED_REQUIREMENTS) break;
    const words = phraseWordsOfTokens(terms.tokens(p.display));
    const keys = words.map((w) => w.key);
    if (words.length === 0 || explicit.some((e) => overlap(e.keys, keys))) continue;
    derived.push({
      display: p.display,
      spelled: p.display.toLowerCase(),
      words,
      keys,
      group: p.group,
      weight: p.weight,
      explicit: false,
      postingCount: p.count,
    });
  }
  return Object.freeze([...explicit, ...derived]);
};

/** Everything the posting's requirements are computed from (the memo's key). */
const postingKey = (posting: PostingView): string =>
  [
    posting.company ?? "",
    posting.title ?? "",
    posting.description,
    ...(posting.requirements ?? []).map((r) => `\u0001${r}`),
  ].join("\u0000");

/** The CV's entries, each with the section and index a reader finds it by; each string's tokens from the job's memo. */
const entriesOf = (cv: Resume, terms: TextTerms): Entry[] => {
  const out: Entry[] = [];
  const add = (place: CvPlace, parts: readonly unknown[]): void => {
    const strings = parts.flat(2).filter((p): p is string => typeof p === "string" && p.trim() !== "");
    if (strings.length === 0) return;
    const counts = new Map<string, number>();
    const surfaces = new Map<string, Set<string>>();
    for (const part of strings) {
      for (const w of phraseWordsOfTokens(terms.tokens(part))) {
        counts.set(w.key, (counts.get(w.key) ?? 0) + 1);
        const s = surfaces.get(w.key);
        if (s === undefined) surfaces.set(w.key, new Set([w.surface]));
        else s.add(w.surface);
      }
    }
    out.push({ place, text: strings.join("\n").toLowerCase(), counts, surfaces });
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
export const matchReport = (cv: Resume, posting: PostingView, terms: TextTerms = new TextTerms()): MatchReport => {
  const wanted = wantedOf(posting, terms);
  const entries = entriesOf(cv, terms);
  const requirements: (RequirementMatch & { readonly weight: number })[] = wanted.map((w) => {
    const keys = w.keys;
    const found = entries.filter((e) => keys.every((k) => e.counts.has(k)));
    const cvCount = found.reduce((sum, e) => sum + Math.min(...keys.map((k) => e.counts.get(k) ?? 0)), 0);
    const exact = found.some((e) => spells(e.text, w.spelled));
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
