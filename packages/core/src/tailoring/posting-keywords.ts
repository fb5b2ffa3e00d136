import type { PostingView } from "./posting-view.ts";
import { requirementPhrases } from "./requirement-phrases.ts";
import { extractTerms, type TermKind } from "./terms.ts";
import { TextTerms } from "./text-terms.ts";

export interface Keyword {
  readonly key: string;
  /** How the posting writes it (most frequent spelling). */
  readonly display: string;
  readonly weight: number;
  /** Skill, acronym, proper noun or plain word. */
  readonly kind: TermKind;
}

/** Known skills, acronyms and proper nouns say more about a posting than common words. */
const KIND_FACTOR: Record<TermKind, number> = { skill: 3, acronym: 2.5, proper: 1.8, word: 1 };
export const KIND_RANK: Record<TermKind, number> = { skill: 3, acronym: 2, proper: 1, word: 0 };
export const DEFAULT_KEYWORD_LIMIT = 40;

/**
 * Role words name the role, not what it needs: every engineering ad repeats
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
 * A term that is part of one of the posting's requirement phrases
 * (requirement-phrases.ts: its skills, tools and competences, filler left
 * out) counts for this much more than one that is not ("Kafka" in "experience
 * with Kafka" against "easy" in "easy to deploy").
 */
const IN_PHRASE_FACTOR = 2;
const OUTSIDE_PHRASES_FACTOR = 0.5;

/**
 * The posting's keywords, heaviest first: term frequency (log-damped) × what kind
 * of term it is, doubled when the title names it and doubled when one of the
 * posting's explicit requirements does, and weighed up when one of its
 * requirement phrases holds it, down when none does. The company's own name
 * is not a requirement and is left out.
 */
export const postingKeywords = (
  posting: PostingView,
  options: KeywordOptions = {},
  terms: TextTerms = new TextTerms(),
): Keyword[] => {
  const discount = options.discountRoleWords === true;
  // Weighed and sorted once per job for each weighing: the engine asks for several lengths of both.
  const ranked = terms.derived(`${statsKey(posting)}\u0000keywords:${discount}`, () =>
    rankedKeywords(termStats(posting, terms), discount),
  );
  return ranked.slice(0, options.limit ?? DEFAULT_KEYWORD_LIMIT);
};

/** Every term of the posting as a keyword, heaviest first (see `postingKeywords`). */
const rankedKeywords = (stats: readonly TermStats[], discountRoleWords: boolean): readonly Keyword[] => {
  const keywords = stats.map((s) => {
    const role = discountRoleWords && s.kind !== "skill" && ROLE_WORDS.has(s.key);
    const phrase = s.inPhrase ? IN_PHRASE_FACTOR : OUTSIDE_PHRASES_FACTOR;
    const weight = role
      ? 1
      : (1 + Math.log(s.tf)) * KIND_FACTOR[s.kind] * (s.inTitle ? 2 : 1) * (s.inRequirements ? 2 : 1) * phrase;
    return { key: s.key, display: s.display, weight, kind: s.kind, first: s.first };
  });
  keywords.sort((a, b) => b.weight - a.weight || a.first - b.first);
  return keywords.map(({ key, display, weight, kind }) => ({ key, display, weight, kind }));
};

interface TermStats {
  readonly key: string;
  readonly display: string;
  readonly tf: number;
  readonly kind: TermKind;
  /** Position of the first occurrence. */
  readonly first: number;
  readonly inTitle: boolean;
  readonly inRequirements: boolean;
  /** Part of one of the posting's requirement phrases. */
  readonly inPhrase: boolean;
}

/** Each term of the posting (the company's aside) with its counts, in order of first use; once per job. */
const termStats = (posting: PostingView, terms: TextTerms): readonly TermStats[] =>
  terms.derived(statsKey(posting), () => {
    const companyKeys = new Set(posting.company === undefined ? [] : terms.terms(posting.company).map((t) => t.key));
    const titleKeys = new Set(posting.title === undefined ? [] : terms.terms(posting.title).map((t) => t.key));
    const requirementKeys = new Set(requirementTerms(posting, terms).flatMap((r) => r.keys));
    const phraseKeys = phraseTermKeys(posting);
    const stats = new Map<string, { tf: number; kind: TermKind; first: number; surfaces: Map<string, number> }>();
    terms.terms(`${posting.title ?? ""}\n${posting.description}`).forEach((term, index) => {
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
    return [...stats.entries()].map(([key, s]) => ({
      key,
      display: [...s.surfaces.entries()].sort((a, b) => b[1] - a[1])[0]![0],
      tf: s.tf,
      kind: s.kind,
      first: s.first,
      inTitle: titleKeys.has(key),
      inRequirements: requirementKeys.has(key),
      inPhrase: phraseKeys.has(key),
    }));
  });

/**
 * The term keys of the posting's requirement phrases. They depend on the
 * posting alone, which many CVs are tailored to: a pure function's cache,
 * emptied when full (requirementPhrases keeps the phrases the same way).
 */
const PHRASE_KEYS = new Map<string, ReadonlySet<string>>();
const PHRASE_KEYS_LIMIT = 64;

const phraseTermKeys = (posting: PostingView): ReadonlySet<string> => {
  const key = `${posting.company ?? ""}\u0000${posting.title ?? ""}\u0000${posting.description}`;
  let keys = PHRASE_KEYS.get(key);
  if (keys === undefined) {
    keys = new Set(requirementPhrases(posting).flatMap((p) => extractTerms(p.display).map((t) => t.key)));
    if (PHRASE_KEYS.size >= PHRASE_KEYS_LIMIT) PHRASE_KEYS.clear();
    PHRASE_KEYS.set(key, keys);
  }
  return keys;
};

/** Everything the statistics are computed from (the memo's key). */
const statsKey = (posting: PostingView): string =>
  [
    "posting",
    posting.company ?? "",
    posting.title ?? "",
    posting.description,
    ...(posting.requirements ?? []).map((r) => `\u0001${r}`),
  ].join("\u0000");

/** One of the posting's explicit requirements and the term keys that name it (all must be met). */
export interface RequirementTerms {
  /** As the posting writes it. */
  readonly display: string;
  readonly keys: readonly string[];
  /** The strongest kind among its terms. */
  readonly kind: TermKind;
}

/**
 * The posting's explicit requirements as terms, in the posting's order; one
 * that names no term (punctuation alone) or only what an earlier one names is
 * left out. The company's name is left out as it is from the keywords.
 */
export const requirementTerms = (posting: PostingView, terms: TextTerms = new TextTerms()): RequirementTerms[] => {
  const companyKeys = new Set(posting.company === undefined ? [] : terms.terms(posting.company).map((t) => t.key));
  const seen = new Set<string>();
  const out: RequirementTerms[] = [];
  for (const display of posting.requirements ?? []) {
    const found = terms.terms(display).filter((t) => !companyKeys.has(t.key));
    const keys = [...new Set(found.map((t) => t.key))];
    const id = [...keys].sort().join("\u0000");
    if (keys.length === 0 || seen.has(id)) continue;
    seen.add(id);
    const kind = found.reduce<TermKind>((k, t) => (KIND_RANK[t.kind] > KIND_RANK[k] ? t.kind : k), "word");
    out.push({ display, keys, kind });
  }
  return out;
};
