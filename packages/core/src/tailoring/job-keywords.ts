import type { JobDescription } from "../contracts/job-request.ts";
import { extractTerms, type TermKind } from "./terms.ts";

export interface Keyword {
  readonly key: string;
  /** How the job ad writes it (most frequent spelling). */
  readonly display: string;
  readonly weight: number;
  /** Skill, acronym, proper noun or plain word. */
  readonly kind: TermKind;
}

/** Known skills, acronyms and proper nouns say more about a job than common words. */
const KIND_FACTOR: Record<TermKind, number> = { skill: 3, acronym: 2.5, proper: 1.8, word: 1 };
export const KIND_RANK: Record<TermKind, number> = { skill: 3, acronym: 2, proper: 1, word: 0 };
export const DEFAULT_KEYWORD_LIMIT = 40;

/**
 * Role words name the job, not what it needs: every engineering ad repeats
 * "engineer". They still tell jobs apart (the match score keeps them), but
 * when ranking one CV's highlights they must not outweigh the skills.
 */
const ROLE_WORDS = new Set(["engin", "develop", "role"]);

export interface KeywordOptions {
  readonly limit?: number;
  /** Weigh role words (engineer, developer, role) as 1, for ranking within a CV. */
  readonly discountRoleWords?: boolean;
}

/**
 * The job's keywords, heaviest first: term frequency (log-damped) × what kind
 * of term it is, doubled when the title names it. The company's own name is
 * not a requirement and is left out.
 */
export const jobKeywords = (job: JobDescription, options: KeywordOptions = {}): Keyword[] => {
  const limit = options.limit ?? DEFAULT_KEYWORD_LIMIT;
  const companyKeys = new Set(job.company === undefined ? [] : extractTerms(job.company).map((t) => t.key));
  const titleKeys = new Set(job.title === undefined ? [] : extractTerms(job.title).map((t) => t.key));
  const stats = new Map<string, { tf: number; kind: TermKind; first: number; surfaces: Map<string, number> }>();
  const terms = extractTerms(`${job.title ?? ""}\n${job.description}`);
  terms.forEach((term, index) => {
    if (companyKeys.has(term.key)) return;
    let s = stats.get(term.key);
    if (s === undefined) {
      s = { tf: 0, kind: term.kind, first: index, surfaces: new Map() };
      stats.set(term.key, s);
    }
    s.tf++;
    if (KIND_RANK[term.kind] > KIND_RANK[s.kind]) s.kind = term.kind;
    const surface = term.kind === "word" ? term.surface.toLowerCase() : term.surface;
    s.surfaces.set(surface, (s.surfaces.get(surface) ?? 0) + 1);
  });
  const keywords = [...stats.entries()].map(([key, s]) => {
    const display = [...s.surfaces.entries()].sort((a, b) => b[1] - a[1])[0]![0];
    const role = options.discountRoleWords === true && s.kind !== "skill" && ROLE_WORDS.has(key);
    const weight = role ? 1 : (1 + Math.log(s.tf)) * KIND_FACTOR[s.kind] * (titleKeys.has(key) ? 2 : 1);
    return { key, display, weight, kind: s.kind, first: s.first };
  });
  keywords.sort((a, b) => b.weight - a.weight || a.first - b.first);
  return keywords.slice(0, limit).map(({ key, display, weight, kind }) => ({ key, display, weight, kind }));
};
