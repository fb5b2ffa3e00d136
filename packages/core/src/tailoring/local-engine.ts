import { copyJson, setOwnKey } from "../resume/copy-json.ts";
import type { Resume, ResumeProject, ResumeSkill, ResumeWork } from "../resume/resume.ts";
import { employerOf, sectionParts } from "../resume/text-leaves.ts";
import { isSpace } from "../resume/whitespace.ts";
import { bm25 } from "./bm25.ts";
import { Coverage, type Piece, type PieceGroup, restoreCoverage } from "./coverage.ts";
import { type EntrySection, entryKeys, type LostRequirement, lostRequirementsOf } from "./match-report.ts";
import { phraseWordsOfTokens } from "./phrase-words.ts";
import { type Keyword, postingKeywords, type RequirementTerms, requirementTerms } from "./posting-keywords.ts";
import { splitSentences } from "./sentences.ts";
import { summaryUnits } from "./summary-units.ts";
import { memoByText, type TextTerms, textTermsFor } from "./text-terms.ts";
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
 * A copy of `cv` (`copyJson`), but without copying the sections the engine
 * replaces anyway: their keys keep their place (as undefined until rebuilt).
 */
const copyExceptTailored = (cv: Resume): Resume => {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(cv)) {
    setOwnKey(out, key, TAILORED_SECTIONS.has(key) ? undefined : copyJson(value));
  }
  return out as Resume;
};

/** The posting's explicit requirements a text meets: every term of the phrase is among the text's. */
const metRequirements = (keys: ReadonlySet<string>, requirements: readonly RequirementTerms[]): number[] => {
  const met: number[] = [];
  requirements.forEach((r, j) => {
    if (r.keys.every((k) => keys.has(k))) met.push(j);
  });
  return met;
};

/** The query key of requirement `j` as a whole phrase (no term key starts with a control character). */
const phraseKey = (j: number): string => `\u0001${j}`;

/**
 * What the highlights are ranked against: the posting's keywords, each term of
 * its explicit requirements (however far down the keyword list), and each
 * requirement of several terms as one phrase, so a highlight that meets
 * "test automation" outranks one that only says "test". A requirement weighs
 * as its heaviest term, as in the match report.
 */
const rankingQuery = (
  keywords: readonly Keyword[],
  requirements: readonly RequirementTerms[],
  allWeights: ReadonlyMap<string, number>,
): Keyword[] => {
  const query = [...keywords];
  const inQuery = new Set(keywords.map((k) => k.key));
  requirements.forEach((r, j) => {
    for (const key of r.keys) {
      if (inQuery.has(key)) continue;
      inQuery.add(key);
      query.push({ key, display: key, weight: allWeights.get(key) ?? 1, kind: r.kind });
    }
    if (r.keys.length > 1) {
      const weight = Math.max(1, ...r.keys.map((k) => allWeights.get(k) ?? 0));
      query.push({ key: phraseKey(j), display: r.display, weight, kind: r.kind });
    }
  });
  return query;
};

/**
 * An entry's highlights in reading order: each next one is the one that meets
 * the most (by weight) of the posting's explicit requirements not yet shown,
 * then the most relevant (BM25). Shown are those the ones before it in the
 * entry meet and those the kept highlights of the entries above meet
 * (`shown`, which the first `budget` here join): a reader scanning the CV
 * sees each requirement met once, early, not the same one at the top of
 * every entry. With no requirement met it is the BM25 order.
 */
const leadWithRequirements = (
  scores: readonly number[],
  met: readonly (readonly number[])[],
  weights: readonly number[],
  above: Set<number>,
  budget: number,
): number[] => {
  const left = rank(scores);
  if (met.every((m) => m.length === 0)) return left;
  const shown = new Set(above);
  const order: number[] = [];
  while (left.length > 0) {
    let best = 0;
    let bestGain = -1;
    left.forEach((i, at) => {
      let gain = 0;
      for (const j of met[i]!) if (!shown.has(j)) gain += weights[j] ?? 1;
      // `left` is in BM25 order, so the first of equal gain is the more relevant.
      if (gain > bestGain) {
        best = at;
        bestGain = gain;
      }
    });
    const [i] = left.splice(best, 1);
    for (const j of met[i!]!) {
      shown.add(j);
      if (order.length < budget) above.add(j);
    }
    order.push(i!);
  }
  return order;
};

/** A group's kept pieces' texts, in its order. */
const keptTexts = (group: PieceGroup): string[] => group.pieces.filter((p) => p.kept).map((p) => p.text);

export const tailorLocally = (request: TailorRequest): Resume => {
  const { cv, posting, options } = request;
  const terms = textTermsFor(request);
  const maxHighlights = options.maxHighlightsPerEntry ?? DEFAULT_BUDGETS.maxHighlightsPerEntry;
  const maxSkills = options.maxSkills ?? DEFAULT_BUDGETS.maxSkills;
  const maxWords = options.maxWords ?? DEFAULT_BUDGETS.maxWords;
  const keywords = postingKeywords(posting, { discountRoleWords: true }, terms);
  const requirements = requirementTerms(posting, terms);
  const allWeights = new Map(
    postingKeywords(posting, { discountRoleWords: true, limit: Number.POSITIVE_INFINITY }, terms).map((k) => [
      k.key,
      k.weight,
    ]),
  );
  const query = rankingQuery(keywords, requirements, allWeights);
  // The role words the discount weighed down ("engineer"): they name the job, not a skill it needs.
  const roleWords = new Set(
    postingKeywords(posting, { limit: Number.POSITIVE_INFINITY }, terms)
      .filter((k) => k.weight !== allWeights.get(k.key))
      .map((k) => k.key),
  );
  // What the match report looks for: its keywords (as it extracts them) and every requirement's terms.
  const wanted = new Set([
    ...postingKeywords(posting, {}, terms).map((k) => k.key),
    ...requirements.flatMap((r) => r.keys),
  ]);
  // Once per text: pieces, fixed text and the needed terms read the same strings again.
  const wantedIn = memoByText((text): readonly string[] => [
    ...new Set(
      terms
        .terms(text)
        .map((t) => t.key)
        .filter((k) => wanted.has(k)),
    ),
  ]);
  const out = copyExceptTailored(cv);

  // One corpus for the whole CV, so relevance is comparable across sections.
  const docs: string[][] = [];
  const docMet: number[][] = [];
  const docOf = (keys: string[]): number => {
    const met = metRequirements(new Set(keys), requirements);
    for (const j of met) if (requirements[j]!.keys.length > 1) keys.push(phraseKey(j));
    docMet.push(met);
    return docs.push(keys) - 1;
  };
  const addDoc = (text: string): number => docOf(terms.terms(text).map((t) => t.key));
  const workDocs = (cv.work ?? []).map((w) => ({
    highlights: (w.highlights ?? []).map(addDoc),
    summary: splitSentences(w.summary ?? "").map(addDoc),
  }));
  const projectDocs = (cv.projects ?? []).map((p) => ({
    // The project's fields joined by line breaks, as one document.
    whole: docOf(
      terms
        .joined([p.name, p.description, ...(p.highlights ?? []), ...(p.keywords ?? [])].filter(Boolean).map(String))
        .map((t) => t.key),
    ),
    highlights: (p.highlights ?? []).map(addDoc),
  }));
  const skillDocs = (cv.skills ?? []).map((s) => ({
    name: addDoc(s.name ?? ""),
    keywords: (s.keywords ?? []).map(addDoc),
  }));
  const summarySentences = splitSentences(cv.basics?.summary ?? "");
  const summaryDocs = summarySentences.map(addDoc);
  const scores = bm25(docs, query);
  const scoreOf = (doc: number): number => scores[doc] ?? 0;

  const coverage = new Coverage(wanted);
  const groups: PieceGroup[] = [];
  /** Pieces ranked best first (ties keep the CV's order), the first `budget` kept. */
  // The requirements the highlights kept so far meet, in document order (work, then projects).
  const shownAbove = new Set<number>();
  const requirementWeight = requirements.map((r) => Math.max(1, ...r.keys.map((k) => allWeights.get(k) ?? 0)));
  const group = (texts: readonly string[], docIds: readonly number[], budget: number, age: number): PieceGroup => {
    const order = leadWithRequirements(
      docIds.map(scoreOf),
      docIds.map((d) => docMet[d] ?? []),
      requirementWeight,
      shownAbove,
      budget,
    );
    const pieces = order.map(
      (i): Piece => ({ text: texts[i]!, score: scoreOf(docIds[i]!), age, wanted: wantedIn(texts[i]!), kept: false }),
    );
    for (const p of pieces.slice(0, budget)) coverage.keep(p);
    const g = { pieces, budget };
    groups.push(g);
    return g;
  };
  /** Text that stays whatever is trimmed still shows what it carries. */
  const fixed = (...texts: (string | undefined)[]): void => {
    for (const t of texts) if (t) coverage.addFixed(wantedIn(t));
  };
  fixed(cv.basics?.label);
  for (const e of cv.education ?? []) fixed(e.studyType, e.area, ...(e.courses ?? []));

  const writers: (() => void)[] = [];
  // Which source group or project each tailored one is (skills regroup, projects reorder).
  const skillSource = new Map<ResumeSkill, number>();
  const projectSource = new Map<ResumeProject, number>();
  // Each source entry's pieces ("work:2", "skills:0", "projects:1", "summary"), for the repair at the end.
  const piecesOf = new Map<string, Piece[]>();
  const home = (key: string, pieces: readonly Piece[]): void => {
    piecesOf.set(key, [...(piecesOf.get(key) ?? []), ...pieces]);
  };
  const trimmable: { piece: Piece; owner: { highlights?: string[] } }[] = [];
  out.work = (cv.work ?? []).map((w, wi): ResumeWork => {
    const entry = copyJson(w);
    const d = workDocs[wi]!;
    fixed(w.position, w.description);
    // An older entry that says nothing the posting asks for stays (a gap in the
    // dates would raise more questions than the entry), condensed to its first
    // highlight and its summary's first statement, as the CV orders them.
    const condensed = wi > 0 && [...d.highlights, ...d.summary].every((doc) => scoreOf(doc) === 0);
    if (w.highlights !== undefined) {
      const g = group(w.highlights, d.highlights, condensed ? 1 : maxHighlights, wi);
      home(`work:${wi}`, g.pieces);
      writers.push(() => {
        entry.highlights = keptTexts(g);
        for (const piece of g.pieces) if (piece.kept) trimmable.push({ piece, owner: entry });
      });
    }
    if (condensed && d.summary.length > 1) {
      const sentences = splitSentences(w.summary!);
      // The first statement with what leans on it; a later one only if it carries what nothing else does.
      const units = summaryUnits(sentences).map((u) => u.map((i) => sentences[i]!).join(" "));
      const pieces = units.map((text): Piece => ({ text, score: 0, age: wi, wanted: wantedIn(text), kept: false }));
      coverage.keep(pieces[0]!);
      const g: PieceGroup = { pieces, budget: 1 };
      groups.push(g);
      home(`work:${wi}`, pieces);
      writers.push(() => {
        entry.summary = keptTexts(g).join(" ");
      });
    } else fixed(w.summary);
    return entry;
  });
  if (cv.work === undefined) delete out.work;

  if (cv.skills !== undefined) {
    const skills = cv.skills;
    const { items, pieces } = skillItems(skills, skillDocs, scoreOf, (gi, ki) => {
      const s = skills[gi]!;
      // A group's name shows while any of its skills does: each kept skill counts it once.
      return [...new Set([...wantedIn(s.name ?? ""), ...(ki < 0 ? [] : wantedIn(s.keywords![ki]!))])];
    });
    const g: PieceGroup = { pieces, budget: maxSkills };
    for (const p of pieces.slice(0, maxSkills)) coverage.keep(p);
    groups.push(g);
    for (const [i, item] of items.entries()) home(`skills:${item.gi}`, [pieces[i]!]);
    writers.push(() => {
      out.skills = groupSkills(
        skills,
        items.filter((_, i) => pieces[i]!.kept),
        skillSource,
      );
    });
  }

  if (out.basics !== undefined || summarySentences.length > 0) {
    const { chosen, left } = summaryPieces(summarySentences, summaryDocs.map(scoreOf), wantedIn);
    for (const p of chosen) coverage.keep(p);
    // Runs left out come back only to show what nothing else does, after the chosen ones.
    const g: PieceGroup = { pieces: left, budget: Number.POSITIVE_INFINITY };
    groups.push(g);
    home("summary", left);
    writers.push(() => {
      const parts = [...chosen.map((p) => p.text), ...keptTexts(g)];
      if (summarySentences.length === 0) parts.push(...fallbackSummary(cv));
      const skills = matchedCvSkills(cv, query, requirements, roleWords, DEFAULT_BUDGETS.maxSummarySkills, terms);
      if (skills.length > 0) parts.push(`Relevant skills: ${skills.join(", ")}.`);
      const text = parts.join(" ");
      if (text !== "") out.basics = { ...(out.basics ?? {}), summary: text };
    });
  }

  const needed = new Set<string>();
  for (const parts of Object.values(sectionParts(cv)))
    for (const part of parts) for (const k of wantedIn(part)) needed.add(k);
  if (cv.projects !== undefined) {
    const projects = cv.projects;
    // Projects come and go whole: the most relevant ones, and one left out only if it alone shows a
    // wanted term; then the kept ones' highlights are ranked and trimmed as an entry's are.
    const order = rank(projectDocs.map((p) => scoreOf(p.whole)));
    const wholes = order.map(
      (pi): Piece => ({
        text: projects[pi]!.name ?? "",
        score: scoreOf(projectDocs[pi]!.whole),
        age: 1000 + pi,
        wanted: [...new Set(projectParts(projects[pi]!).flatMap(wantedIn))],
        kept: false,
      }),
    );
    for (const w of wholes.slice(0, DEFAULT_BUDGETS.maxProjects)) coverage.keep(w);
    restoreCoverage(coverage, [...groups, { pieces: wholes, budget: DEFAULT_BUDGETS.maxProjects }], needed);
    const kept = order.filter((_, i) => wholes[i]!.kept);
    for (const w of wholes) coverage.drop(w);
    out.projects = kept.map((pi): ResumeProject => {
      const p = projects[pi]!;
      const entry = copyJson(p);
      projectSource.set(entry, pi);
      fixed(p.name, p.description, ...(p.keywords ?? []), ...(p.roles ?? []));
      if (p.highlights !== undefined) {
        const g = group(p.highlights, projectDocs[pi]!.highlights, maxHighlights, 1000 + pi);
        home(`projects:${pi}`, g.pieces);
        writers.push(() => {
          entry.highlights = keptTexts(g);
          for (const piece of g.pieces) if (piece.kept) trimmable.push({ piece, owner: entry });
        });
      }
      return entry;
    });
  }
  restoreCoverage(coverage, groups, needed);
  const write = (): void => {
    trimmable.length = 0;
    for (const w of writers) w();
  };
  write();
  trimToWordBudget(out, trimmable, coverage, maxWords);
  repairLost({
    cv,
    out,
    posting,
    terms,
    piecesOf,
    skillSource,
    projectSource,
    coverage,
    write,
    // A project left out whole comes back with its highlights as pieces none of which is kept yet.
    addProject: (pi) => {
      const p = cv.projects![pi]!;
      const entry = copyJson(p);
      projectSource.set(entry, pi);
      out.projects = [...(out.projects ?? []), entry];
      if (p.highlights === undefined) return;
      const pieces = p.highlights.map(
        (text, i): Piece => ({
          text,
          score: scoreOf(projectDocs[pi]!.highlights[i]!),
          age: 1000 + pi,
          wanted: [],
          kept: false,
        }),
      );
      home(`projects:${pi}`, pieces);
      writers.push(() => {
        entry.highlights = pieces.filter((x) => x.kept).map((x) => x.text);
      });
      entry.highlights = [];
    },
  });
  return out;
};

/** Rounds of the repair: each restores at least one requirement, so a CV's requirement count bounds it too. */
const MAX_REPAIR_ROUNDS = 8;

/**
 * The requirements the source CV meets that trimming lost (the report wants
 * all of a requirement's words in one entry, while coverage keeps each wanted
 * term somewhere: "application" in one entry and "migration" in another meet
 * nothing). For each, the fewest left-out texts of one of the entries that
 * met it in the source come back, whatever the budgets: the tailored CV must
 * never meet less of the posting than the source. Rechecked until nothing is
 * lost or nothing more can be restored.
 */
const repairLost = (job: {
  cv: Resume;
  out: Resume;
  posting: TailorRequest["posting"];
  terms: TextTerms;
  piecesOf: ReadonlyMap<string, Piece[]>;
  skillSource: ReadonlyMap<ResumeSkill, number>;
  projectSource: ReadonlyMap<ResumeProject, number>;
  coverage: Coverage;
  write: () => void;
  addProject: (pi: number) => void;
}): void => {
  const { cv, out, terms } = job;
  const keysOf = (text: string): Set<string> => new Set(phraseWordsOfTokens(terms.tokens(text)).map((w) => w.key));
  /** The tailored entry that stands for a source place, as the report reads it; `undefined` when not shown. */
  const shownKeys = (section: EntrySection, index: number): Set<string> | undefined => {
    switch (section) {
      case "summary":
        return entryKeys("summary", out.basics, terms);
      case "work":
        // Every work entry stays, in the source's order.
        return entryKeys("work", out.work?.[index], terms);
      case "skills":
        // A group not shown shows its name again with its first skill back.
        return entryKeys(
          "skills",
          out.skills?.find((s) => job.skillSource.get(s) === index) ?? { ...cv.skills?.[index], keywords: [] },
          terms,
        );
      case "projects": {
        const entry = out.projects?.find((p) => job.projectSource.get(p) === index);
        return entry === undefined ? undefined : entryKeys("projects", entry, terms);
      }
      default:
        return undefined;
    }
  };
  /** The fewest left-out pieces that give the entry every key of `r` it lacks (greedy cover), or undefined. */
  const cover = (r: LostRequirement, have: ReadonlySet<string>, pieces: readonly Piece[]): Piece[] | undefined => {
    const missing = new Set(r.keys.filter((k) => !have.has(k)));
    const left = pieces.filter((p) => !p.kept).map((p) => ({ p, keys: keysOf(p.text) }));
    const chosen: Piece[] = [];
    while (missing.size > 0) {
      let best: { p: Piece; keys: Set<string> } | undefined;
      let bestGain = 0;
      for (const c of left) {
        let gain = 0;
        for (const k of missing) if (c.keys.has(k)) gain++;
        if (gain > bestGain || (gain === bestGain && gain > 0 && best !== undefined && c.p.score > best.p.score)) {
          best = c;
          bestGain = gain;
        }
      }
      if (best === undefined) return undefined;
      chosen.push(best.p);
      for (const k of best.keys) missing.delete(k);
      left.splice(left.indexOf(best), 1);
    }
    return chosen;
  };
  const lostIn = lostRequirementsOf(cv, job.posting, terms);
  for (let round = 0; round < MAX_REPAIR_ROUNDS; round++) {
    const lost = lostIn(out);
    if (lost.length === 0) return;
    let restored = false;
    for (const r of lost) {
      let best: { pieces: Piece[]; project?: number } | undefined;
      for (const place of r.places) {
        const section = place.section as EntrySection;
        const index = place.index ?? 0;
        const key = section === "summary" ? "summary" : `${section}:${index}`;
        let have = shownKeys(section, index);
        let project: number | undefined;
        if (have === undefined && section === "projects") {
          // Left out whole: its fields but highlights come back with it.
          have = entryKeys("projects", { ...cv.projects![index]!, highlights: [] }, terms);
          project = index;
        }
        if (have === undefined) continue;
        const pieces = cover(r, have, project === undefined ? (job.piecesOf.get(key) ?? []) : []);
        const candidate =
          pieces ?? (project === undefined ? undefined : cover(r, have, highlightPieces(cv.projects![index]!)));
        if (candidate === undefined) continue;
        if (best === undefined || candidate.length < best.pieces.length)
          best = { pieces: candidate, ...(project === undefined ? {} : { project }) };
      }
      if (best === undefined) continue;
      if (best.project !== undefined) {
        job.addProject(best.project);
        // The project's own pieces now stand for the ones `cover` chose by text.
        const own = job.piecesOf.get(`projects:${best.project}`) ?? [];
        for (const p of best.pieces) {
          const piece = own.find((o) => o.text === p.text && !o.kept);
          if (piece !== undefined) job.coverage.keep(piece);
        }
      } else for (const p of best.pieces) job.coverage.keep(p);
      restored = true;
      // One entry at a time: what it brings back may also restore other lost requirements.
      break;
    }
    if (!restored) return;
    job.write();
  }
};

/** A project's highlights as pieces to choose from before the project itself is back. */
const highlightPieces = (p: ResumeProject): Piece[] =>
  (p.highlights ?? []).map((text): Piece => ({ text, score: 0, age: 0, wanted: [], kept: false }));

/** A project's texts, as the match report reads them. */
const projectParts = (p: ResumeProject): string[] =>
  [p.name, p.description, ...(p.highlights ?? []), ...(p.keywords ?? []), ...(p.roles ?? [])].filter(
    (t): t is string => typeof t === "string" && t !== "",
  );

interface SkillItem {
  readonly gi: number;
  /** -1: a group without keywords is itself one skill ("Kotlin", "unit testing"). */
  readonly ki: number;
  readonly score: number;
}

/** Every skill of the CV as a piece, best first. */
const skillItems = (
  skills: readonly ResumeSkill[],
  docs: readonly { name: number; keywords: readonly number[] }[],
  scoreOf: (doc: number) => number,
  wantedOf: (gi: number, ki: number) => string[],
): { items: SkillItem[]; pieces: Piece[] } => {
  const all = skills.flatMap((s, gi): SkillItem[] => {
    const d = docs[gi]!;
    if ((s.keywords ?? []).length === 0) return [{ gi, ki: -1, score: scoreOf(d.name) }];
    return (s.keywords ?? []).map((_, ki) => ({ gi, ki, score: scoreOf(d.keywords[ki]!) + 0.1 * scoreOf(d.name) }));
  });
  const items = rank(all.map((i) => i.score)).map((i) => all[i]!);
  const pieces = items.map(
    (item): Piece => ({
      text: item.ki < 0 ? (skills[item.gi]!.name ?? "") : skills[item.gi]!.keywords![item.ki]!,
      score: item.score,
      age: 0,
      wanted: wantedOf(item.gi, item.ki),
      kept: false,
    }),
  );
  return { items, pieces };
};

/** The kept skills in their groups: the most relevant group first, and within each group its most relevant skills first. */
const groupSkills = (
  skills: readonly ResumeSkill[],
  kept: readonly SkillItem[],
  sourceOf: Map<ResumeSkill, number>,
): ResumeSkill[] => {
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
      const entry = copyJson(source);
      if (source.keywords !== undefined) entry.keywords = g.keywords.map((ki) => source.keywords![ki]!);
      sourceOf.set(entry, gi);
      return entry;
    });
};

/**
 * The CV's own skills (group names and keywords, as the CV writes them) that
 * the posting asks for, best first: each meets one of its requirements or
 * names one of its skills, tools or names. A plain word or a role word in
 * common ("engineering best practices" for an ad that says "Engineer") is not enough.
 */
const matchedCvSkills = (
  cv: Resume,
  query: readonly Keyword[],
  requirements: readonly RequirementTerms[],
  roleWords: ReadonlySet<string>,
  limit: number,
  terms: TextTerms,
): string[] => {
  const weight = new Map<string, number>();
  for (const k of query) weight.set(k.key, Math.max(weight.get(k.key) ?? 0, k.weight));
  const named = new Set(query.filter((k) => k.kind !== "word" && !roleWords.has(k.key)).map((k) => k.key));
  const candidates = (cv.skills ?? []).flatMap((s) => [s.name ?? "", ...(s.keywords ?? [])]);
  const seen = new Set<string>();
  const scored: { text: string; score: number; i: number }[] = [];
  candidates.forEach((text, i) => {
    const norm = text.trim().toLowerCase();
    if (norm === "" || seen.has(norm)) return;
    const keys = new Set(terms.terms(text).map((t) => t.key));
    const met = metRequirements(keys, requirements);
    if (met.length === 0 && ![...keys].some((k) => named.has(k))) return;
    seen.add(norm);
    let score = 0;
    for (const k of keys) score += weight.get(k) ?? 0;
    for (const j of met) if (requirements[j]!.keys.length > 1) score += weight.get(phraseKey(j)) ?? 0;
    scored.push({ text: text.trim(), score, i });
  });
  return scored
    .sort((a, b) => b.score - a.score || a.i - b.i)
    .slice(0, limit)
    .map((s) => s.text);
};

/**
 * The summary's statements by relevance, at most `maxSummarySentences`
 * sentences: a sentence that leans on the one before it ("I have also…")
 * comes only right after it, so the best-scoring run of sentences leads and
 * keeps its own order. `left` are the runs left out whole.
 */
const summaryPieces = (
  sentences: readonly string[],
  sentenceScores: readonly number[],
  wantedIn: (text: string) => readonly string[],
): { chosen: Piece[]; left: Piece[] } => {
  const units = summaryUnits(sentences);
  // A run is as relevant as its best statement: "I have also provided mentorship" lifts the sentence it follows.
  const unitScores = units.map((u) => Math.max(...u.map((i) => sentenceScores[i] ?? 0)));
  let room: number = DEFAULT_BUDGETS.maxSummarySentences;
  const chosen: Piece[] = [];
  const left: Piece[] = [];
  for (const ui of rank(unitScores)) {
    const unit = units[ui]!;
    // A run longer than the room left keeps its opening sentences: they stand without what follows.
    const ids = room > 0 ? unit.slice(0, room) : unit;
    const text = ids.map((i) => sentences[i]!).join(" ");
    const piece: Piece = { text, score: unitScores[ui]!, age: 0, wanted: wantedIn(text), kept: false };
    if (room > 0) chosen.push(piece);
    else left.push(piece);
    room = Math.max(0, room - ids.length);
  }
  return { chosen, left };
};

/** With no summary in the CV: its label and latest role, in its own words. */
const fallbackSummary = (cv: Resume): string[] => {
  const parts: string[] = [];
  const label = cv.basics?.label?.trim();
  if (label) parts.push(/[.!?]$/.test(label) ? label : `${label}.`);
  const latest = (cv.work ?? []).find((w) => w.position && employerOf(w));
  if (latest) parts.push(`Most recently ${latest.position!.trim()} at ${employerOf(latest)!.trim()}.`);
  return parts;
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

/**
 * Drops the least relevant highlights (older ones first on ties) until the
 * tailorable text fits, passing over any that is the last to carry a term the
 * posting asks for or the last of its entry.
 */
const trimToWordBudget = (
  cv: Resume,
  kept: readonly { piece: Piece; owner: { highlights?: string[] } }[],
  coverage: Coverage,
  maxWords: number,
): void => {
  let words = countWords(cv);
  const victims = [...kept].sort((a, b) => a.piece.score - b.piece.score || b.piece.age - a.piece.age);
  for (const { piece, owner } of victims) {
    if (words <= maxWords) break;
    if (!coverage.canDrop(piece)) continue;
    const list = owner.highlights;
    const at = list?.indexOf(piece.text) ?? -1;
    // An entry keeps its lead highlight: condensed, not emptied.
    if (list === undefined || at < 0 || list.length === 1) continue;
    list.splice(at, 1);
    coverage.drop(piece);
    words -= wordCount(piece.text);
  }
};
