import type { Resume, ResumeEducation, ResumeProject, ResumeSkill, ResumeWork } from "../resume/resume.ts";
import { type PhraseWord, phraseWordsOfTokens } from "./phrase-words.ts";
import type { PostingView } from "./posting-view.ts";
import { requirementPhrases } from "./requirement-phrases.ts";
import { screeningChecks } from "./screening-checks.ts";
import type { RequirementGroup } from "./skill-vocabulary.ts";
import { memoByText, TextTerms } from "./text-terms.ts";
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

/** One CV entry's words: each key a requirement names, with how often and how it is written. */
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
const wantedOf = (posting: PostingView, key: string, terms: TextTerms): readonly Wanted[] => {
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

/**
 * The strings of each kind of CV entry the report reads, one place for both
 * the report and `entryKeys` (the engine's repair must read an entry as the
 * report does, or it would restore words the report does not count).
 */
const PARTS = {
  summary: (b: Resume["basics"]) => [b?.label, b?.summary],
  work: (w: ResumeWork) => [w.position, w.summary, w.description, w.highlights],
  skills: (s: ResumeSkill) => [s.name, s.keywords],
  projects: (p: ResumeProject) => [p.name, p.description, p.highlights, p.keywords, p.roles],
  education: (e: ResumeEducation) => [e.studyType, e.area, e.courses],
} as const;

export type EntrySection = keyof typeof PARTS;

const stringsOf = (parts: readonly unknown[]): string[] =>
  parts.flat(2).filter((p): p is string => typeof p === "string" && p.trim() !== "");

/**
 * The phrase words of each string the job reads, once per job: the source CV,
 * the tailored CV (mostly the same strings) and the engine's repair, which
 * compares the two, all read them.
 */
const phraseWordsMemo = (terms: TextTerms): ((text: string) => readonly PhraseWord[]) =>
  memoByText(
    (text) => phraseWordsOfTokens(terms.tokens(text)),
    terms.derived("match-report:phrase-words", () => new Map<string, readonly PhraseWord[]>()),
  );

/** What a report asks of a CV for one posting: the posting's requirements, and the words of a CV string that any of them names. */
interface Asked {
  readonly wanted: readonly Wanted[];
  /** The phrase words of `text` whose key is one of the requirements' (no other key is ever looked up). */
  readonly wordsOf: (text: string) => readonly PhraseWord[];
}

/** `Asked` for the posting, once per job: the source CV, each round of the engine's repair and the report share it. */
const askedOf = (posting: PostingView, terms: TextTerms): Asked => {
  const key = postingKey(posting);
  return terms.derived(`match-report:asked\u0000${key}`, (): Asked => {
    const wanted = wantedOf(posting, key, terms);
    const keys = new Set(wanted.flatMap((w) => w.keys));
    const allWords = phraseWordsMemo(terms);
    return { wanted, wordsOf: memoByText((text) => allWords(text).filter((w) => keys.has(w.key))) };
  });
};

/**
 * The CV's entries, each with the section and index a reader finds it by, and
 * the words `asked` looks for in it. `keysOnly`: whether an entry is met is
 * all the caller asks (no spellings, no text), which is most of the cost.
 */
const entriesOf = (cv: Resume, asked: Asked, keysOnly = false): Entry[] => {
  const out: Entry[] = [];
  const wordsOf = asked.wordsOf;
  const add = (place: CvPlace, parts: readonly unknown[]): void => {
    const strings = stringsOf(parts);
    if (strings.length === 0) return;
    const counts = new Map<string, number>();
    const surfaces = new Map<string, Set<string>>();
    for (const part of strings) {
      for (const w of wordsOf(part)) {
        counts.set(w.key, (counts.get(w.key) ?? 0) + 1);
        if (keysOnly) continue;
        const s = surfaces.get(w.key);
        if (s === undefined) surfaces.set(w.key, new Set([w.surface]));
        else s.add(w.surface);
      }
    }
    out.push({ place, text: keysOnly ? "" : strings.join("\n").toLowerCase(), counts, surfaces });
  };
  add({ section: "summary" }, PARTS.summary(cv.basics));
  for (const [i, w] of (cv.work ?? []).entries())
    add({ section: "work", index: i, ...label(w.position, w.name) }, PARTS.work(w));
  for (const [i, s] of (cv.skills ?? []).entries())
    add({ section: "skills", index: i, ...label(s.name) }, PARTS.skills(s));
  for (const [i, p] of (cv.projects ?? []).entries())
    add({ section: "projects", index: i, ...label(p.name) }, PARTS.projects(p));
  for (const [i, e] of (cv.education ?? []).entries()) {
    add({ section: "education", index: i, ...label(e.studyType, e.institution) }, PARTS.education(e));
  }
  return out;
};

/** The phrase-word keys of one entry as the report reads it (`undefined`: an entry the CV does not show). */
export const entryKeys = <S extends EntrySection>(
  section: S,
  entry: Parameters<(typeof PARTS)[S]>[0] | undefined,
  terms: TextTerms,
): Set<string> => {
  const keys = new Set<string>();
  if (entry === undefined) return keys;
  const wordsOf = phraseWordsMemo(terms);
  for (const part of stringsOf((PARTS[section] as (e: unknown) => readonly unknown[])(entry)))
    for (const w of wordsOf(part)) keys.add(w.key);
  return keys;
};

/** A requirement the source CV meets and a tailored one does not. */
export interface LostRequirement {
  readonly requirement: string;
  /** Its phrase-word keys, all of which one entry must show. */
  readonly keys: readonly string[];
  /** The source CV's entries that meet it (section and index in the source). */
  readonly places: readonly CvPlace[];
}

/**
 * The requirements `source` meets and `tailored` does not, as `matchReport`
 * meets them (same requirements, same entries): an extractive engine checks
 * its output with this, since a requirement lost is a lower score and
 * evidence a reader no longer finds.
 */
export const lostRequirements = (
  source: Resume,
  tailored: Resume,
  posting: PostingView,
  terms: TextTerms,
): LostRequirement[] => lostRequirementsOf(source, posting, terms)(tailored);

/**
 * `lostRequirements` for one source and posting, for tailored CVs checked in
 * turn (the engine's repair rechecks its output after each change): the
 * source's entries are read once, and only when a requirement is not met.
 */
export const lostRequirementsOf = (
  source: Resume,
  posting: PostingView,
  terms: TextTerms,
): ((tailored: Resume) => LostRequirement[]) => {
  const asked = askedOf(posting, terms);
  let before: Entry[] | undefined;
  return (tailored) => {
    const after = entriesOf(tailored, asked, true);
    const lost: LostRequirement[] = [];
    for (const w of asked.wanted) {
      const meets = (e: Entry): boolean => w.keys.every((k) => e.counts.has(k));
      if (after.some(meets)) continue;
      before ??= entriesOf(source, asked, true);
      const places = before.filter(meets).map((e) => e.place);
      if (places.length > 0) lost.push({ requirement: w.display, keys: w.keys, places });
    }
    return lost;
  };
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
  const asked = askedOf(posting, terms);
  const wanted = asked.wanted;
  const entries = entriesOf(cv, asked);
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
