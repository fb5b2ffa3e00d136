import type { Resume, ResumeEducation } from "../resume/resume.ts";
import { phraseWords } from "./phrase-words.ts";
import type { PostingView } from "./posting-view.ts";

/**
 * What recruiters screen on besides keywords (Jobscan's match report checks
 * the same): the job title, the degree asked for, the years of experience
 * asked for against those the CV's dates show, and whether the CV's
 * highlights state measurable results. Deterministic and clock-free: an open
 * ("present") position runs to the latest date the CV itself names.
 */
export interface ScreeningChecks {
  readonly jobTitle: { readonly posting: string | null; readonly cv: string | null; readonly matched: boolean };
  readonly degree: {
    readonly required: DegreeLevel | null;
    readonly cv: DegreeLevel | null;
    readonly met: boolean | null;
  };
  readonly yearsOfExperience: {
    readonly required: number | null;
    readonly cv: number | null;
    readonly met: boolean | null;
  };
  readonly measurableResults: { readonly highlights: number; readonly withNumbers: number };
}

export type DegreeLevel = "associate" | "bachelor" | "master" | "doctorate";
const LEVELS: readonly DegreeLevel[] = ["associate", "bachelor", "master", "doctorate"];

/** Each degree level's names, as regular-expression alternatives (dotted or not: "B.Tech", "BTech"). */
const DEGREE_NAMES: readonly [DegreeLevel, string][] = [
  [
    "doctorate",
    "ph\\.?\\s?d|doctora(?:te|l)|dphil|doctor of|d\\.?p\\.?t|pharm\\.?\\s?d|d\\.?d\\.?s|d\\.?m\\.?d|ed\\.?d|psy\\.?d",
  ],
  [
    "master",
    "master(?:'|’)?s?|m\\.?sc|m\\.s\\.|m\\.a\\.|mba|m\\.?eng|m\\.?tech|m\\.e\\.|mphil|mfa|mpa|msw|msn|mca|ll\\.?m|m\\.?com",
  ],
  [
    "bachelor",
    "bachelor(?:'|’)?s?|b\\.?sc|b\\.s\\.|b\\.a\\.|b\\.?eng|b\\.?tech|b\\.e\\.|bba|b\\.?com|bca|bfa|bsn|ll\\.?b|undergraduate degree|college degree|university degree",
  ],
  ["associate", "associate(?:'|’)?s? (?:degree|of (?:applied )?(?:science|arts))|a\\.a\\.s\\.?|aas degree"],
];
/** The bare two letters of a degree: in a CV's `studyType` a degree; in a posting only where a degree is written. */
const SHORT_NAMES: Partial<Record<DegreeLevel, string>> = { master: "ms|ma", bachelor: "bs|ba" };
/** "BS in Computer Science", "BS/MS", "BA or BS", "MS degree" ("MS Excel" and "the BA team" are none). */
const IN_DEGREE_CONTEXT = "(?=\\s{1,3}(?:in|degree|or|and)\\b|\\s{0,3}[/,])";
const END = "(?![a-z0-9])";
const degreePatterns = (bare: boolean): readonly [DegreeLevel, RegExp][] =>
  DEGREE_NAMES.map(([level, names]) => {
    const short = SHORT_NAMES[level];
    const alternatives =
      short === undefined ? `(?:${names})${END}` : `(?:${names})${END}|(?:${short})${bare ? END : IN_DEGREE_CONTEXT}`;
    return [level, new RegExp(`\\b(?:${alternatives})`, "i")];
  });
const IN_POSTING = /* @__PURE__ */ degreePatterns(false);
const IN_CV = /* @__PURE__ */ degreePatterns(true);
/** The patterns built at run time, for the linear-time check (text-patterns.test.ts). */
export const TEXT_PATTERNS: readonly RegExp[] = [...IN_POSTING, ...IN_CV].map(([, re]) => re);

/** Every degree level a text names (a posting's, or `cv` for a CV's education fields). */
const levelsIn = (text: string, where: "posting" | "cv"): DegreeLevel[] =>
  (where === "cv" ? IN_CV : IN_POSTING).filter(([, re]) => re.test(text)).map(([l]) => l);

/** A degree the CV says was left ("Dropped out in the 4th semester", "did not complete"): not held. */
const LEFT = /\b(?:dropped out|did not (?:complete|finish|graduate)|not completed|incomplete|discontinued|withdrew)\b/i;
const unfinished = (e: ResumeEducation): boolean =>
  [e.studyType, e.area, e["note"], e["summary"]].some((t) => typeof t === "string" && LEFT.test(t));

/** Seniority and level words: "Senior Backend Engineer" and "Backend Engineer" are one title. */
const SENIORITY = new Set([
  "senior",
  "sr",
  "junior",
  "jr",
  "lead",
  "principal",
  "staff",
  "head",
  "chief",
  "i",
  "ii",
  "iii",
  "iv",
]);

const titleWords = (title: string): string[] => phraseWords(withoutAsides(title)).filter((w) => !SENIORITY.has(w));

/** `text` less its parenthesised asides ("Senior Engineer (Payments)" → "Senior Engineer "). */
const withoutAsides = (text: string): string => {
  let out = "";
  let depth = 0;
  for (const c of text) {
    if (c === "(") depth++;
    else if (c === ")" && depth > 0) depth--;
    else out += depth > 0 ? "" : c;
  }
  return out;
};

/** Month index of a JSON Resume date (YYYY, YYYY-MM or YYYY-MM-DD), or undefined. */
const monthOf = (date: string | undefined): number | undefined => {
  const m = /^(\d{4})(?:-(\d{2}))?/.exec(date ?? "");
  return m === null ? undefined : Number(m[1]) * 12 + (m[2] === undefined ? 0 : Number(m[2]) - 1);
};

/** Whole years the CV's positions cover, overlaps counted once. */
const yearsShown = (cv: Resume): number | null => {
  const dates = (cv.work ?? [])
    .flatMap((w) => [monthOf(w.startDate), monthOf(w.endDate)])
    .filter((m) => m !== undefined);
  if (dates.length === 0) return null;
  const latest = Math.max(...dates);
  const spans = (cv.work ?? [])
    .map((w) => [monthOf(w.startDate), monthOf(w.endDate) ?? latest] as const)
    .filter((s): s is readonly [number, number] => s[0] !== undefined && s[1] >= s[0])
    .sort((a, b) => a[0] - b[0]);
  let months = 0;
  let end = Number.NEGATIVE_INFINITY;
  for (const [s, e] of spans) {
    const from = Math.max(s, end);
    if (e + 1 > from) months += e + 1 - from;
    end = Math.max(end, e + 1);
  }
  return Math.floor(months / 12);
};

/** Counts written as words ("five years of experience"). */
const COUNTS: ReadonlyMap<string, number> = new Map(
  ["one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve"].map((w, i) => [
    w,
    i + 1,
  ]),
);

/** "5+ years", "3-5 years", "at least 2 years", "five years": the most the posting asks for. */
const yearsAsked = (text: string): number | null => {
  let most: number | null = null;
  // Read word by word (no pattern that could backtrack): "years" after "5+", "3-5", "3 to 5", "2 +" or "5".
  const words = text.replace(/[–+]/g, (c) => (c === "+" ? " " : "-")).split(/[\s,;:()]+/);
  words.forEach((word, i) => {
    if (!/^(?:years?|yrs?)\b/i.test(word)) return;
    let j = i - 1;
    if (
      /^\d{1,2}$/.test(words[j - 2] ?? "") &&
      /^(?:-|to)$/i.test(words[j - 1] ?? "") &&
      /^\d{1,2}$/.test(words[j] ?? "")
    )
      j -= 2;
    const m = /^(\d{1,2})(?:-\d{1,2})?$/.exec(words[j] ?? "");
    const n = m === null ? (COUNTS.get((words[j] ?? "").toLowerCase()) ?? 0) : Number(m[1]);
    if (n > 0 && n <= 30) most = Math.max(most ?? 0, n);
  });
  return most;
};

const NUMBER_RESULT = /\d|%|\$|€|£/;

export const screeningChecks = (cv: Resume, posting: PostingView): ScreeningChecks => {
  const cvTitles = [cv.basics?.label, ...(cv.work ?? []).map((w) => w.position)].filter(
    (t): t is string => typeof t === "string" && t.trim() !== "",
  );
  const wanted = posting.title === undefined ? [] : titleWords(posting.title);
  const titleMatch =
    wanted.length === 0
      ? undefined
      : (cvTitles.find((t) => t.trim().toLowerCase() === posting.title?.trim().toLowerCase()) ??
        // The same title up to seniority ("Backend Engineer" for "Senior Backend Engineer (Payments)").
        cvTitles.find((t) => {
          const have = new Set(titleWords(t));
          return wanted.every((w) => have.has(w));
        }));

  const askedLevels = levelsIn(posting.description, "posting");
  // "BS, MS or PhD" asks for the least of them; the CV shows the most it holds.
  const required = askedLevels.length === 0 ? null : LEVELS[Math.min(...askedLevels.map((l) => LEVELS.indexOf(l)))]!;
  const cvLevels = (cv.education ?? [])
    .filter((e) => !unfinished(e))
    .flatMap((e) => levelsIn(`${e.studyType ?? ""} ${e.area ?? ""}`, "cv"));
  const held = cvLevels.length === 0 ? null : LEVELS[Math.max(...cvLevels.map((l) => LEVELS.indexOf(l)))]!;

  const askedYears = yearsAsked(posting.description);
  const shownYears = yearsShown(cv);

  const highlights = [...(cv.work ?? []), ...(cv.projects ?? [])].flatMap((e) => e.highlights ?? []);
  return {
    jobTitle: { posting: posting.title ?? null, cv: titleMatch ?? null, matched: titleMatch !== undefined },
    degree: {
      required,
      cv: held,
      met: required === null ? null : held !== null && LEVELS.indexOf(held) >= LEVELS.indexOf(required),
    },
    yearsOfExperience: {
      required: askedYears,
      cv: shownYears,
      met: askedYears === null ? null : shownYears !== null && shownYears >= askedYears,
    },
    measurableResults: {
      highlights: highlights.length,
      withNumbers: highlights.filter((h) => NUMBER_RESULT.test(h)).length,
    },
  };
};
