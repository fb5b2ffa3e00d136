import { Posting } from "../../contracts/posting.ts";
import { phraseWords } from "../phrase-words.ts";
import { type PostingView, postingView } from "../posting-view.ts";
import { loadJob } from "./eval-set.ts";

/**
 * The measurement of issue 14 §1: how many of a posting's requirement phrases
 * (its `skills[].keywords`) the keywords extracted from its text name, and
 * how many of those keywords are part of a requirement.
 *
 * A phrase is compared as its sequence of words: each lower-cased, a known
 * skill's spelling as its canonical name ("NodeJS" and "Node.js" meet), other
 * words as Porter stems split at "-" and "/", function words dropped. The
 * comparison uses no list of the extractor's filler, so dropping a word from
 * the keywords can never make a requirement easier to meet.
 */
export { phraseWords };

/** Whether `inner` occurs in `outer` as consecutive words. */
const contains = (outer: readonly string[], inner: readonly string[]): boolean => {
  if (inner.length === 0 || inner.length > outer.length) return false;
  for (let i = 0; i + inner.length <= outer.length; i++) {
    if (inner.every((w, j) => outer[i + j] === w)) return true;
  }
  return false;
};

/**
 * A keyword is inside a requirement when one's words occur in the other's
 * ("distributed systems design" / "distributed systems"; "design" is inside
 * "design systems", as the issue words it: part of a requirement).
 */
export const meets = (keyword: readonly string[], requirement: readonly string[]): boolean =>
  contains(keyword, requirement) || contains(requirement, keyword);

/**
 * A requirement is covered by a keyword that contains it ("data processing
 * pipelines" by "large scale data processing pipelines"), or, when it has
 * three words or more, by one inside it that keeps its last two, the head of
 * an English noun phrase ("processing pipelines"). Stricter than `meets`: a
 * one-word keyword ("testing", "design") never covers a longer requirement
 * ("unit testing", "design systems"), so common words cannot buy coverage.
 */
export const covers = (keyword: readonly string[], requirement: readonly string[]): boolean =>
  contains(keyword, requirement) ||
  (requirement.length >= 3 &&
    keyword.length >= 2 &&
    contains(requirement, keyword) &&
    contains(keyword, requirement.slice(-2)));

/**
 * A posting of the set as the issue sends it: as text, its description,
 * responsibilities and qualifications (under their headings, as postingView
 * writes them and a pasted posting has them); its `skills` withheld (the
 * answers), and the extra lists the set adds (`niceToHave`) left out too.
 */
export const withheldPosting = (file: string): { view: PostingView; requirements: string[] } => withheld(loadJob(file));

/** `withheldPosting` of a posting already read. */
export const withheld = (job: Posting): { view: PostingView; requirements: string[] } => {
  const requirements = [...new Set((job.skills ?? []).flatMap((s) => s.keywords ?? []))];
  const view = postingView(
    Posting.parse({
      ...(job.title === undefined ? {} : { title: job.title }),
      ...(job.company === undefined ? {} : { company: job.company }),
      ...(job.description === undefined ? {} : { description: job.description }),
      ...(job.responsibilities === undefined ? {} : { responsibilities: job.responsibilities }),
      ...(job.qualifications === undefined ? {} : { qualifications: job.qualifications }),
    }),
  );
  return { view, requirements };
};

export interface CoverageRow {
  readonly file: string;
  readonly requirements: number;
  readonly covered: number;
  readonly keywords: number;
  readonly inside: number;
  readonly uncovered: readonly string[];
  readonly outside: readonly string[];
}

/** The figures for one posting: its requirements covered by `keywords`, and the keywords inside one of them. */
export const coverage = (file: string, requirements: readonly string[], keywords: readonly string[]): CoverageRow => {
  const req = requirements.map((r) => ({ r, w: phraseWords(r) }));
  const kw = keywords.map((k) => ({ k, w: phraseWords(k) }));
  const uncovered = req.filter((r) => !kw.some((k) => covers(k.w, r.w))).map((r) => r.r);
  const outside = kw.filter((k) => !req.some((r) => meets(k.w, r.w))).map((k) => k.k);
  return {
    file,
    requirements: req.length,
    covered: req.length - uncovered.length,
    keywords: kw.length,
    inside: kw.length - outside.length,
    uncovered,
    outside,
  };
};

/** Pooled figures: every requirement of every posting counts once, every reported keyword once. */
export const pooled = (rows: readonly CoverageRow[]): { coverage: number; precision: number } => {
  const sum = (f: (r: CoverageRow) => number) => rows.reduce((s, r) => s + f(r), 0);
  return {
    coverage:
      sum((r) => r.covered) /
      Math.max(
        1,
        sum((r) => r.requirements),
      ),
    precision:
      sum((r) => r.inside) /
      Math.max(
        1,
        sum((r) => r.keywords),
      ),
  };
};
