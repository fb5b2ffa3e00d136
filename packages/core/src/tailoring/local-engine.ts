import type { Resume, ResumeProject, ResumeSkill, ResumeWork } from "../resume/resume.ts";
import { employerOf } from "../resume/text-leaves.ts";
import { isSpace } from "../resume/whitespace.ts";
import { bm25 } from "./bm25.ts";
import { type Keyword, postingKeywords } from "./posting-keywords.ts";
import { splitSentences } from "./sentences.ts";
import { type TextTerms, textTermsFor } from "./text-terms.ts";
import type { EngineOutput, TailoringEngine, TailorRequest } from "./types.ts";

/** Budgets used when the request leaves them out. */
export const DEFAULT_BUDGETS = {
  maxHighlightsPerEntry: 4,
  maxSkills: 20,
  maxWords: 900,
  maxProjects: 4,
  maxSummarySentences: 3,
  maxSummarySkills: 5,
} as const;

/** `text.split(/\s+/).filter(Boolean).length`: the runs of non-space characters, counted without splitting. */
const wordCount = (text: string | undefined): number => {
  if (text === undefined) return 0;
  let words = 0;
  let inWord = false;
  for (let i = 0; i < text.length; i++) {
    const space = isSpace(text.charCodeAt(i));
    if (!space && !inWord) words++;
    inWord = !space;
  }
  return words;
};

/** Indices of `scores` best first; ties keep the original order. */
const rank = (scores: readonly number[]): number[] =>
  scores
    .map((s, i) => ({ s, i }))
    .sort((a, b) => b.s - a.s || a.i - b.i)
    .map((x) => x.i);

interface HighlightRef {
  readonly owner: { highlights?: string[] };
  readonly text: string;
  readonly score: number;
  /** Older entries give way first when scores tie. */
  readonly age: number;
}

/**
 * The deterministic, extractive engine. It never writes a sentence of its own
 * about the candidate: it selects and reorders the CV's highlights, skills and
 * projects by BM25 relevance to the posting's keywords, trims them to budgets, and
 * builds the summary from the CV's own summary sentences plus a list of the
 * CV's own skill keywords that the posting asks for. Identity fields are copied.
 */
export class LocalEngine implements TailoringEngine {
  readonly name = "local" as const;

  async tailor(request: TailorRequest): Promise<EngineOutput> {
    return { resume: tailorLocally(request) };
  }
}

/** The sections the engine rebuilds from cloned entries (each one replaced whenever the CV has it). */
const TAILORED_SECTIONS: ReadonlySet<string> = new Set(["work", "projects", "skills"]);

/**
 * `structuredClone(cv)`, but without cloning the sections the engine replaces
 * anyway: their keys keep their place (as undefined until rebuilt).
 */
const copyExceptTailored = (cv: Resume): Resume => {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(cv)) {
    // defineProperty, not assignment: a "__proto__" key stays a key, as structuredClone keeps it.
    Object.defineProperty(out, key, {
      value: TAILORED_SECTIONS.has(key) ? undefined : structuredClone(value),
      writable: true,
      enumerable: true,
      configurable: true,
    });
  }
  return out as Resume;
};

export const tailorLocally = (request: TailorRequest): Resume => {
  const { cv, posting, options } = request;
  const terms = textTermsFor(request);
  const maxHighlights = options.maxHighlightsPerEntry ?? DEFAULT_BUDGETS.maxHighlightsPerEntry;
  const maxSkills = options.maxSkills ?? DEFAULT_BUDGETS.maxSkills;
  const maxWords = options.maxWords ?? DEFAULT_BUDGETS.maxWords;
  const keywords = postingKeywords(posting, { discountRoleWords: true }, terms);
  const out = copyExceptTailored(cv);

  // One corpus for the whole CV, so relevance is comparable across sections.
  const docs: string[][] = [];
  const addDoc = (text: string): number => docs.push(terms.terms(text).map((t) => t.key)) - 1;
  const workDocs = (cv.work ?? []).map((w) => (w.highlights ?? []).map(addDoc));
  const projectDocs = (cv.projects ?? []).map((p) => ({
    // The project's fields joined by line breaks, as one document.
    whole:
      docs.push(
        terms
          .joined([p.name, p.description, ...(p.highlights ?? []), ...(p.keywords ?? [])].filter(Boolean).map(String))
          .map((t) => t.key),
      ) - 1,
    highlights: (p.highlights ?? []).map(addDoc),
  }));
  const skillDocs = (cv.skills ?? []).map((s) => ({
    name: addDoc(s.name ?? ""),
    keywords: (s.keywords ?? []).map(addDoc),
  }));
  const summarySentences = splitSentences(cv.basics?.summary ?? "");
  const summaryDocs = summarySentences.map(addDoc);
  const scores = bm25(docs, keywords);
  const scoreOf = (doc: number): number => scores[doc] ?? 0;

  const refs: HighlightRef[] = [];
  out.work = (cv.work ?? []).map((w, wi): ResumeWork => {
    const entry = structuredClone(w);
    if (w.highlights !== undefined) {
      const ids = workDocs[wi]!;
      const kept = rank(ids.map(scoreOf)).slice(0, maxHighlights);
      entry.highlights = kept.map((i) => w.highlights![i]!);
      for (const i of kept) refs.push({ owner: entry, text: w.highlights[i]!, score: scoreOf(ids[i]!), age: wi });
    }
    return entry;
  });
  if (cv.work === undefined) delete out.work;

  if (cv.projects !== undefined) {
    const order = rank(projectDocs.map((p) => scoreOf(p.whole))).slice(0, DEFAULT_BUDGETS.maxProjects);
    out.projects = order.map((pi): ResumeProject => {
      const p = cv.projects![pi]!;
      const entry = structuredClone(p);
      if (p.highlights !== undefined) {
        const ids = projectDocs[pi]!.highlights;
        const kept = rank(ids.map(scoreOf)).slice(0, maxHighlights);
        entry.highlights = kept.map((i) => p.highlights![i]!);
        for (const i of kept)
          refs.push({ owner: entry, text: p.highlights[i]!, score: scoreOf(ids[i]!), age: 1000 + pi });
      }
      return entry;
    });
  }

  if (cv.skills !== undefined) out.skills = tailorSkills(cv.skills, skillDocs, scoreOf, maxSkills);

  if (out.basics !== undefined || summarySentences.length > 0) {
    const summary = composeSummary(cv, summarySentences, summaryDocs.map(scoreOf), keywords, terms);
    if (summary !== "") out.basics = { ...(out.basics ?? {}), summary };
  }

  trimToWordBudget(out, refs, maxWords);
  return out;
};

const tailorSkills = (
  skills: readonly ResumeSkill[],
  docs: readonly { name: number; keywords: readonly number[] }[],
  scoreOf: (doc: number) => number,
  maxSkills: number,
): ResumeSkill[] => {
  // A group without keywords is itself one skill ("Kotlin", "unit testing").
  const items = skills.flatMap((s, gi) => {
    const d = docs[gi]!;
    if ((s.keywords ?? []).length === 0) return [{ gi, ki: -1, score: scoreOf(d.name) }];
    return (s.keywords ?? []).map((_, ki) => ({ gi, ki, score: scoreOf(d.keywords[ki]!) + 0.1 * scoreOf(d.name) }));
  });
  const kept = rank(items.map((i) => i.score))
    .slice(0, maxSkills)
    .map((i) => items[i]!);
  const groups = new Map<number, { score: number; keywords: number[] }>();
  for (const item of kept) {
    const g = groups.get(item.gi) ?? { score: 0, keywords: [] };
    g.score += item.score;
    if (item.ki >= 0) g.keywords.push(item.ki);
    groups.set(item.gi, g);
  }
  return [...groups.entries()]
    .sort((a, b) => b[1].score - a[1].score || a[0] - b[0])
    .map(([gi, g]) => {
      const source = skills[gi]!;
      const entry = structuredClone(source);
      if (source.keywords !== undefined) entry.keywords = g.keywords.map((ki) => source.keywords![ki]!);
      return entry;
    });
};

/** CV skill keywords (as the CV writes them) that the posting asks for, best first. */
const matchedCvSkills = (cv: Resume, keywords: readonly Keyword[], limit: number, terms: TextTerms): string[] => {
  const weight = new Map(keywords.map((k) => [k.key, k.weight]));
  const candidates = (cv.skills ?? []).flatMap((s) =>
    (s.keywords ?? []).length > 0 ? (s.keywords ?? []) : [s.name ?? ""],
  );
  const seen = new Set<string>();
  const scored: { text: string; score: number; i: number }[] = [];
  candidates.forEach((text, i) => {
    const keys = terms.terms(text).map((t) => t.key);
    const score = keys.reduce((sum, k) => sum + (weight.get(k) ?? 0), 0);
    const norm = text.trim().toLowerCase();
    if (score > 0 && norm !== "" && !seen.has(norm)) {
      seen.add(norm);
      scored.push({ text: text.trim(), score, i });
    }
  });
  return scored
    .sort((a, b) => b.score - a.score || a.i - b.i)
    .slice(0, limit)
    .map((s) => s.text);
};

const composeSummary = (
  cv: Resume,
  sentences: readonly string[],
  sentenceScores: readonly number[],
  keywords: readonly Keyword[],
  terms: TextTerms,
): string => {
  const parts: string[] = [];
  if (sentences.length > 0) {
    for (const i of rank(sentenceScores).slice(0, DEFAULT_BUDGETS.maxSummarySentences)) parts.push(sentences[i]!);
  } else {
    const label = cv.basics?.label?.trim();
    if (label) parts.push(/[.!?]$/.test(label) ? label : `${label}.`);
    const latest = (cv.work ?? []).find((w) => w.position && employerOf(w));
    if (latest) parts.push(`Most recently ${latest.position!.trim()} at ${employerOf(latest)!.trim()}.`);
  }
  const skills = matchedCvSkills(cv, keywords, DEFAULT_BUDGETS.maxSummarySkills, terms);
  if (skills.length > 0) parts.push(`Relevant skills: ${skills.join(", ")}.`);
  return parts.join(" ");
};

const countWords = (cv: Resume): number =>
  wordCount(cv.basics?.summary) +
  (cv.work ?? []).reduce(
    (sum, w) => sum + wordCount(w.summary) + (w.highlights ?? []).reduce((s, h) => s + wordCount(h), 0),
    0,
  ) +
  (cv.projects ?? []).reduce(
    (sum, p) => sum + wordCount(p.description) + (p.highlights ?? []).reduce((s, h) => s + wordCount(h), 0),
    0,
  ) +
  (cv.skills ?? []).reduce(
    (sum, s) => sum + (s.keywords ?? []).reduce((k, w) => k + wordCount(w), wordCount(s.name)),
    0,
  );

/** Drops the least relevant highlights (older ones first on ties) until the tailorable text fits. */
const trimToWordBudget = (cv: Resume, refs: HighlightRef[], maxWords: number): void => {
  let words = countWords(cv);
  const victims = [...refs].sort((a, b) => a.score - b.score || b.age - a.age);
  for (const victim of victims) {
    if (words <= maxWords) break;
    const list = victim.owner.highlights;
    const at = list?.indexOf(victim.text) ?? -1;
    if (list === undefined || at < 0) continue;
    list.splice(at, 1);
    words -= wordCount(victim.text);
  }
};
