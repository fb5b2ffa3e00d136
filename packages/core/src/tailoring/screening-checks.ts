import type { Resume, ResumeEducation } from "../resume/resume.ts";
import { COUNT_WORDS } from "./count-words.ts";
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
    "ph\\.?\\s?d|doctora(?:te|l)|dphil|doctor of|pharm\\.?\\s?d|d\\.p\\.t|d\\.d\\.s|d\\.m\\.d|ed\\.d|psy\\.?d",
  ],
  [
    "master",
    "master(?:(?:'|’)s|s\\b| of| degree| in)|m\\.?\\s?sc|m\\.s|m\\.a|mba|m\\.?eng|m\\.?\\s?tech|m\\.e|mphil|ll\\.?\\s?m|m\\.com",
  ],
  [
    "bachelor",
    "bachelor(?:'|’)?s?|b\\.?\\s?sc|b\\.s|b\\.a|b\\.?eng|b\\.?\\s?tech|b\\.e|b\\.com|ll\\.?\\s?b|undergraduate degree|college degree|university degree",
  ],
  ["associate", "associate(?:'|’)?s? (?:degree|of (?:applied )?(?:science|arts))|a\\.a\\.s|a\\.\\s?s\\.|aas degree"],
];
/**
 * Degrees written as bare letters ("BS", "MSW", "DPT", "MD"): in a CV's `studyType` a degree; in a posting
 * only where a degree is written. Acronyms that are as often something else ("MFA" multi-factor auth, "DDS"
 * a middleware, "MA" a state) count in a posting only there.
 */
const SHORT_NAMES: Readonly<Record<DegreeLevel, string>> = {
  doctorate: "dpt|dds|dmd|md|jd|edd",
  master: "master|ms|ma|msc|mfa|mpa|msw|msn|mca|mcom",
  bachelor: "bs|ba|be|bsc|bba|bca|bfa|bsn|bcom",
  associate: "aas|as|associate(?:'|’)?s?",
};
/**
 * In a posting the letters are capitals ("be in the office", "Sales Associate in our store" are no degree),
 * and those that name only a degree count anywhere ("BSN required", "MSW from an accredited program");
 * the others ("BS", "MA", "MFA", "MD") only where a degree is written: followed by "in", "degree",
 * "required", "preferred" or "from", or by another degree ("BS/MS", "BS, MS or PhD", "BA or equivalent"),
 * and not after a comma ("Boston, MA", "Jackson, MS / Hybrid": a state).
 */
const POSTING_LETTERS: Readonly<Record<DegreeLevel, { readonly anywhere: string; readonly inContext: string }>> = {
  doctorate: { anywhere: "DPT|DNP|PharmD", inContext: "MD|JD|DDS|DMD|EdD" },
  master: { anywhere: "MSW|MSN|MPH|MBA", inContext: "MS|MA|MSc|MFA|MPA|MCA" },
  bachelor: { anywhere: "BSN|BBA|BFA", inContext: "BS|BA|BE|BSc|BCA|BCom" },
  associate: { anywhere: "AAS", inContext: "AS" },
};
const IN_DEGREE_CONTEXT =
  "(?<!,\\s?)(?=\\s{1,3}(?:in|degree|required|preferred|from)\\b|\\s{0,3}[/,]\\s{0,3}(?:B\\.?[SAE]|M\\.?[SA]|Ph\\.?\\s?D)\\b|\\s{1,3}or\\s{1,3}(?:B\\.?[SAE]|M\\.?[SA]|Ph\\.?\\s?D|equivalent|higher)\\b)";
const END = "\\.?(?![a-z0-9])";
/** Not inside an address or a word ("careers@b.com", "IT Dpt."). */
const ALONE = "(?<![@.\\w])";
const degreePatterns = (bare: boolean): readonly [DegreeLevel, RegExp][] =>
  DEGREE_NAMES.flatMap(([level, names]): [DegreeLevel, RegExp][] => {
    const written = new RegExp(`${ALONE}(?:(?:${names})${END}${bare ? `|(?:${SHORT_NAMES[level]})${END}` : ""})`, "i");
    if (bare) return [[level, written]];
    const letters = POSTING_LETTERS[level];
    return [
      [level, written],
      [
        level,
        new RegExp(`${ALONE}(?:(?:${letters.anywhere})(?![A-Za-z0-9])|(?:${letters.inContext})${IN_DEGREE_CONTEXT})`),
      ],
    ];
  });
const IN_POSTING = /* @__PURE__ */ degreePatterns(false);
const IN_CV = /* @__PURE__ */ degreePatterns(true);
/** The patterns built at run time, for the linear-time check (text-patterns.test.ts). */
export const TEXT_PATTERNS: readonly RegExp[] = [...IN_POSTING, ...IN_CV].map(([, re]) => re);

/** Every degree level a text names (a posting's, or `cv` for a CV's education fields). */
const levelsIn = (text: string, where: "posting" | "cv"): DegreeLevel[] => [
  ...new Set((where === "cv" ? IN_CV : IN_POSTING).filter(([, re]) => re.test(text)).map(([l]) => l)),
];

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

/** "5+ years", "3-5 years", "at least 2 years", "five years": the most the posting asks for. */
const yearsAsked = (text: string): number | null => {
  let most: number | null = null;
  // Read word by word (no pattern that could backtrack): "years" after "5+", "3-5", "3 to 5", "2 +" or "5".
  const words = text.replace(/[–+]/g, (c) => (c === "+" ? " " : "-")).split(/[\s,;:()]+/);
  words.forEach((word, i) => {
    if (!/^(?:years?|yrs?)\b/i.test(word)) return;
    let j = i - 1;
    // "Two or more years", "5 or more years".
    if (/^more$/i.test(words[j] ?? "") && /^or$/i.test(words[j - 1] ?? "")) j -= 2;
    if (
      /^\d{1,2}$/.test(words[j - 2] ?? "") &&
      /^(?:-|to)$/i.test(words[j - 1] ?? "") &&
      /^\d{1,2}$/.test(words[j] ?? "")
    )
      j -= 2;
    const m = /^(\d{1,2})(?:-\d{1,2})?$/.exec(words[j] ?? "");
    // A count in words asks for experience only where the posting says so ("five years of experience");
    // "three years running", "grown 5x in two years" ask for nothing.
    const asked =
      words
        .slice(i + 1, i + 3)
        .some((w) =>
          /^(?:of|experience|in|as|working|progressive|professional|related|relevant|post|required|minimum|preferred)\b/i.test(
            w,
          ),
        ) || /^(?:minimum|least)$/i.test(words[j - 1] ?? "");
    // "be 21 years of age", "5 years old": an age, not experience.
    const age =
      /^old\b/i.test(words[i + 1] ?? "") || (/^of$/i.test(words[i + 1] ?? "") && /^age\b/i.test(words[i + 2] ?? ""));
    const n = age
      ? 0
      : m === null
        ? asked
          ? (COUNT_WORDS.get((words[j] ?? "").toLowerCase()) ?? 0)
          : 0
        : Number(m[1]);
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
