import { stemmer } from "stemmer";
import { COUNT_WORDS } from "./count-words.ts";
import {
  ACTION_VERBS,
  ACTIVITY_GERUNDS,
  COMMON_WORD_TOOLS,
  FILLER_WORDS,
  QUALITY_NOUNS,
  REQUIREMENT_CUE,
  ROLE_WORDS,
  VAGUE_HEADS,
  WEAK_WORDS,
} from "./job-ad-words.ts";
import { SKILL_ALIASES, STOP_WORDS } from "./lexicon.ts";
import { postingLines, Section } from "./posting-lines.ts";
import type { PostingView } from "./posting-view.ts";
import { HARD_SKILLS, PRACTICES, type RequirementGroup, SOFT_SKILLS } from "./skill-vocabulary.ts";
import { type Token, tokenize } from "./terms.ts";

/**
 * The requirements a posting's text names, as phrases: skills, tools,
 * domains and competences ("data processing pipelines", "Kubernetes",
 * "public speaking"), without the filler job ads are written in.
 *
 * Two sources, both general: a vocabulary of what postings ask for
 * (skill-vocabulary.ts, matched on stems, longest first), and the shape of a
 * noun phrase, read without a tagger: a run of words between punctuation,
 * function words, filler and role nouns, less a duty verb at its start
 * ("Build large scale data processing pipelines" → "large scale data
 * processing pipelines"); a one-word conjunct joins the other's head
 * ("change and configuration management"), a gerund after a preposition is
 * an activity ("for managing secrets"). Of two overlapping phrases the longer
 * names the requirement, except that a one-word tool also stays alone ("AWS"
 * beside "AWS APIs"). A phrase counts for more when it is known, written
 * like a product name (S3, PostgreSQL, Node.js), under a requirements heading
 * or after a cue ("experience with", "knowledge of", "such as"), and the more
 * often it is written, and for less in the company's prose; below a minimum
 * weight it is left out (fewer phrases rather than weak ones), and soft skills
 * come last. The lines and their sections (duties, requirements, prose; what
 * the employer offers left out) come from posting-lines.ts. Deterministic:
 * ties go to the earlier phrase.
 */
export interface RequirementPhrase {
  /** As the posting writes it (its most frequent spelling). */
  readonly display: string;
  /** Its words as stems, space-separated: the identity of the phrase. */
  readonly id: string;
  readonly group: RequirementGroup;
  /** How often the posting writes it. */
  readonly count: number;
  readonly weight: number;
  /** Named by the vocabulary, or written as a product name. */
  readonly named: boolean;
}

// Short words are left as written: Porter takes "are" to "ar" (AR) and "ml" is no stem.
const stemOf = (lower: string): string => (/^[a-z]{4,}$/.test(lower) ? stemmer(lower) : lower);
/** Stems seen before: postings repeat the same words. A pure function's cache, emptied when full. */
const STEMS = new Map<string, string>();
const stem = (lower: string): string => {
  let s = STEMS.get(lower);
  if (s === undefined) {
    s = stemOf(lower);
    if (STEMS.size >= 20_000) STEMS.clear();
    STEMS.set(lower, s);
  }
  return s;
};
/** A one-word entry is matched as written or as its plural: stems would take "create" for "creation". */
const singleKey = (lower: string): string => `=${lower}`;
const pluralOf = (lower: string): string | undefined =>
  lower.endsWith("ies")
    ? `${lower.slice(0, -3)}y`
    : lower.endsWith("es") || lower.endsWith("s")
      ? lower.slice(0, -1)
      : undefined;
const stemSet = (list: readonly string[]): ReadonlySet<string> => new Set(list.map(stem));

// As written (or its singular), not by stem: Porter takes "applicant" and "application" to one stem.
const FILLER = /* @__PURE__ */ (() => new Set(FILLER_WORDS))();
/** "easy-to-navigate", "up-to-date": an adjective of how something is, written as one hyphenated word. */
const EASE_COMPOUND = /^(?:easy|easier|hard|simple|quick|ready|difficult|up)-to-[a-z]+$/;
/** Plurals of filler adjectives that are nouns of their own: "managing keys" (API keys), not "key skills". */
const NOUN_PLURALS = /* @__PURE__ */ (() => new Set(["keys"]))();
const isFiller = (w: Word): boolean =>
  FILLER.has(w.lower) ||
  (!NOUN_PLURALS.has(w.lower) && FILLER.has(pluralOf(w.lower) ?? w.lower)) ||
  EASE_COMPOUND.test(w.lower);
const ROLES = /* @__PURE__ */ (() => new Set(ROLE_WORDS))();
const VERBS = /* @__PURE__ */ (() => stemSet(ACTION_VERBS))();
const VERB_FORMS = /* @__PURE__ */ (() => new Set(ACTION_VERBS))();
/** After these a gerund names an activity ("for managing keys", "A/B tests and analyzing user data"), not the duty. */
const NOMINAL_BEFORE = /* @__PURE__ */ (() =>
  new Set(["for", "of", "in", "at", "on", "against", "by", "about", "and", "or"]))();
/** Duty verbs that are as often a noun phrase's head: kept at a phrase's end. */
const NOUN_HEADS = /* @__PURE__ */ (() =>
  new Set(["design", "review", "test", "model", "audit", "support", "research", "release", "change", "build"]))();
/**
 * A noun-verb that starts a list item or follows a preposition, with a noun after it, is a noun
 * ("… storyboards, design prototypes", "experience with support tickets"); at a duty's start
 * ("Design and specify …") or after "to" it is the verb.
 */
const nounFirst = (run: readonly Word[], before: string): boolean =>
  run.length > 1 &&
  NOUN_HEADS.has(run[0]!.lower) &&
  !run[0]!.sentenceStart &&
  (before === "" || (NOMINAL_BEFORE.has(before) && !CONJUNCTIONS.has(before)));
/** Role words that follow a requirement without naming a job ("the inventory control team", "Lead", "Senior"). */
const NOT_TITLES = /* @__PURE__ */ (() =>
  new Set([
    "team",
    "teams",
    "member",
    "members",
    "staff",
    "person",
    "someone",
    "individual",
    "contributor",
    "contributors",
  ]))();
const CONJUNCTIONS = /* @__PURE__ */ (() => new Set(["and", "or", "&"]))();
const ACTIVITIES = /* @__PURE__ */ (() => new Set(ACTIVITY_GERUNDS))();
const WEAK = /* @__PURE__ */ (() => stemSet(WEAK_WORDS))();
const COMMON_TOOLS = /* @__PURE__ */ (() => new Set(COMMON_WORD_TOOLS))();
const QUALITIES = /* @__PURE__ */ (() => new Set(QUALITY_NOUNS))();
const VAGUE = /* @__PURE__ */ (() => new Set(VAGUE_HEADS))();
const DEGREES = /* @__PURE__ */ (() =>
  new Set([
    "degree",
    "degrees",
    "bachelor",
    "bachelors",
    "bachelor's",
    "master",
    "masters",
    "master's",
    "bs",
    "ba",
    "bsc",
    "ms",
    "msc",
    "ma",
    "phd",
    "mba",
    "diploma",
    "major",
    "background",
  ]))();

interface VocabEntry {
  readonly group: RequirementGroup;
  readonly length: number;
  /** Lower-case words as the vocabulary writes them (a role noun matches only where the entry has it). */
  readonly lowers: readonly string[];
  /** Their stems (of two words or more). */
  readonly stems: readonly string[];
}

/** Stems of a phrase's tokens, space-separated. */
const stemKey = (tokens: readonly { lower: string }[]): string => tokens.map((t) => stem(t.lower)).join(" ");

const VOCABULARY = /* @__PURE__ */ (() => {
  const map = new Map<string, VocabEntry>();
  const add = (phrase: string, group: RequirementGroup): void => {
    const tokens = tokenize(phrase);
    if (tokens.length === 0) return;
    const key = tokens.length === 1 ? singleKey(tokens[0]!.lower) : stemKey(tokens);
    if (!map.has(key))
      map.set(key, { group, length: tokens.length, lowers: tokens.map((t) => t.lower), stems: key.split(" ") });
  };
  for (const p of HARD_SKILLS) add(p, "hard");
  for (const [canonical, aliases] of Object.entries(SKILL_ALIASES))
    for (const p of [canonical, ...aliases]) add(p, "hard");
  for (const p of PRACTICES) add(p, "other");
  for (const p of SOFT_SKILLS) add(p, "soft");
  return map;
})();
/** The vocabulary's entries of two words or more by the stem of their first word, longest first: one lookup per word. */
const BY_FIRST_STEM = /* @__PURE__ */ (() => {
  const map = new Map<string, VocabEntry[]>();
  for (const entry of VOCABULARY.values()) {
    if (entry.length < 2) continue;
    const list = map.get(entry.stems[0]!) ?? [];
    list.push(entry);
    map.set(entry.stems[0]!, list);
  }
  for (const list of map.values()) list.sort((a, b) => b.length - a.length);
  return map;
})();

/** Where a phrase stands: the posting's prose, its duties, or what it asks for (the section of its line). */
const Context = Section;
type Context = Section;
/**
 * In a posting whose headings mark its duties and requirements, what its prose names counts half: there it
 * tells of the company and its products ("our website and mobile apps").
 */
const CONTEXT_FACTOR = [0.5, 1.4, 2] as const;
/** The least weight a reported phrase has: a two-word phrase among the duties once (1.6 × 1.4), or a known skill asked for. */
const MIN_WEIGHT = 2;

/** Written like a product or an acronym: S3, EC2, PostgreSQL, jQuery, Node.js, C++, AWS. */
const looksNamed = (text: string): boolean =>
  /^[A-Z][A-Za-z]*\d[A-Za-z0-9]*$/.test(text) ||
  /[a-z][A-Z]/.test(text) ||
  /[.+#]/.test(text) ||
  (/^[A-Z0-9]{2,7}s?$/.test(text) && capitals(text) >= 2);

const capitals = (text: string): number => {
  let n = 0;
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) >= 0x41 && text.charCodeAt(i) <= 0x5a) n++;
  return n;
};

interface Word {
  readonly text: string;
  readonly lower: string;
  readonly stem: string;
  readonly sentenceStart: boolean;
  /** Capitalised where a sentence does not start, after no other capital: a name ("Riak", "Solr"), unless a role noun. */
  readonly proper: boolean;
}

/** A token's words: a token joined by "/" that is no known spelling is alternatives ("Docker/Podman"); `null` breaks a run. */
const wordsOf = (tokens: readonly Token[], startsSentence: boolean): (Word | null)[] => {
  const out: (Word | null)[] = [];
  for (const [k, t] of tokens.entries()) {
    // Only the clause's first word can start a sentence (clauses end at full stops), and only if the clause does.
    const atStart = k === 0 && startsSentence;
    // "A/B", "I/O": letters joined by a slash are one word, not alternatives.
    const parts =
      t.text.includes("/") && !VOCABULARY.has(singleKey(t.lower)) && !/^[a-z0-9](?:\/[a-z0-9])+$/i.test(t.text)
        ? t.text.split("/")
        : [t.text];
    parts.forEach((part, i) => {
      if (i > 0) out.push(null);
      if (part === "") return;
      const lower = part.toLowerCase();
      const sentenceStart = atStart && i === 0;
      // In Title Case ("Emotionally Intelligent", "Salesforce Marketing Cloud") only the first capital tells.
      const prev = k > 0 ? tokens[k - 1]!.text : "";
      const proper = !sentenceStart && /^[A-Z][a-z]/.test(part) && !/^[A-Z]/.test(prev) && !ROLES.has(lower);
      out.push({ text: part, lower, stem: stem(lower), sentenceStart, proper });
    });
  }
  return out;
};

interface Stats {
  display: Map<string, number>;
  /** A one-word item of a list (see `note`). */
  listed?: boolean;
  count: number;
  context: Context;
  group: RequirementGroup;
  named: boolean;
  /** Written like a product name. */
  shape: boolean;
  /** One word, capitalised mid-sentence somewhere ("charting in Epic"). */
  proper: boolean;
  /** Named by the vocabulary. */
  known: boolean;
  words: number;
  first: number;
}

/** Splits a line into clauses at punctuation that ends a phrase (not the dot of "Node.js"). */
const CLAUSE_BREAK = /[,;:()[\]{}"“”!?|•]|\.(?=\s|$)|\s[–—-]\s|\s&\s/g;

/** A degree named ("BS", "Bachelor's", "degree"), then the field it is in ("in", "such as"): each test one linear scan. */
const DEGREE_WORD =
  /\b(?:degrees?|bachelor(?:'?s)?|master(?:'?s)?|b\.?s\.?c?|b\.?a|m\.?s\.?c?|m\.?a|ph\.?d|mba|diploma)\b/i;
const FIELD_INTRO = /\b(?:in|such as|e\.g)\b/i;
const degreeIn = (clause: string): boolean => {
  const m = DEGREE_WORD.exec(clause);
  return m !== null && FIELD_INTRO.test(clause.slice(m.index + m[0].length));
};
/** What ends a list of fields: "or a related discipline", "or equivalent". */
const LIST_CLOSE = /\b(?:related|equivalent|similar|other)\b/i;

/** Whether a one-word clause ("Numpy", "and Pandas") is a word of the skills vocabulary. */
const knownWord = (clause: string): boolean => {
  const word = clause
    .split(/\s+/)
    .find((w) => w !== "" && !CONJUNCTIONS.has(w.toLowerCase()))
    ?.toLowerCase();
  return word !== undefined && VOCABULARY.get(singleKey(word))?.length === 1;
};

/** The words of a list item, its conjunction left out ("and design specifications": 2). */
const itemWords = (clause: string): number =>
  clause.split(/\s+/).filter((w) => w !== "" && !CONJUNCTIONS.has(w.toLowerCase())).length;
const between = (n: number, low: number, high: number): boolean => n >= low && n <= high;

/** The clauses of a sentence with where each starts in it. */
const clausesOf = (sentence: string): { text: string; at: number }[] => {
  const out: { text: string; at: number }[] = [];
  let from = 0;
  for (const m of sentence.matchAll(CLAUSE_BREAK)) {
    out.push({ text: sentence.slice(from, m.index), at: from });
    from = m.index + m[0].length;
  }
  out.push({ text: sentence.slice(from), at: from });
  return out;
};

/**
 * Postings read before, by their text: the phrases depend on the posting
 * alone, and one posting is tailored against many CVs (a careers site sends
 * each applicant's). A pure function's cache, emptied when full.
 */
const READ = new Map<string, readonly RequirementPhrase[]>();
const READ_LIMIT = 64;

/**
 * The requirement phrases of `posting`'s text (not its explicit `requirements`), heaviest first.
 * Once per posting: the engine's keywords and the match report read the same phrases.
 */
export const requirementPhrases = (posting: PostingView): readonly RequirementPhrase[] => {
  const key = `${posting.company ?? ""}\u0000${posting.title ?? ""}\u0000${posting.description}`;
  let phrases = READ.get(key);
  if (phrases === undefined) {
    phrases = Object.freeze(readPhrases(posting).map((p) => Object.freeze(p)));
    if (READ.size >= READ_LIMIT) READ.clear();
    READ.set(key, phrases);
  }
  return phrases;
};

const readPhrases = (posting: PostingView): RequirementPhrase[] => {
  const company = new Set(posting.company === undefined ? [] : tokenize(posting.company).map((t) => t.lower));
  const titleStems = new Set(posting.title === undefined ? [] : tokenize(posting.title).map((t) => stem(t.lower)));
  const stats = new Map<string, Stats>();
  let order = 0;
  const note = (
    words: readonly Word[],
    context: Context,
    group: RequirementGroup | undefined,
    listed: "plural" | "tool" | undefined = undefined,
  ): void => {
    // "front-end" and "front end" are one phrase: a hyphenated word counts as its parts.
    const id = words
      .filter((w) => w.stem !== "")
      .map((w) => (w.lower.includes("-") ? w.lower.split("-").filter(Boolean).map(stem).join(" ") : w.stem))
      .join(" ");
    const display = words.map((w) => w.text).join(" ");
    let s = stats.get(id);
    if (s === undefined) {
      // A capitalised word names a tool where requirements are listed ("Riak/Cassandra"); in prose and duties it is
      // as often a customer, a partner or a brand ("customers like Airbnb", "our Agent").
      const shape = words.some((w) => looksNamed(w.text) || (w.proper && context === Context.Requirement));
      const named = group !== undefined || shape;
      s = {
        display: new Map(),
        count: 0,
        context,
        group: group ?? "other",
        named,
        shape,
        proper: false,
        known: group !== undefined,
        words: words.length,
        first: order++,
      };
      stats.set(id, s);
    }
    s.count++;
    if (words.length === 1 && words[0]!.proper) s.proper = true;
    // One plural noun among a list of short items ("personas, storyboards, scenarios, flowcharts") names a
    // deliverable as the items beside it do, said once or not.
    // So does any one word among a list of known tools.
    if (words.length === 1 && (listed === "tool" || (listed === "plural" && /[^s]s$/.test(words[0]!.lower))))
      s.listed = true;
    if (group !== undefined && !s.known) {
      s.known = true;
      s.named = true;
      s.group = group;
    }
    if (context > s.context) s.context = context;
    s.display.set(display, (s.display.get(display) ?? 0) + 1);
  };

  const { lines, marked } = postingLines(posting.description);
  for (const { line, section } of lines) {
    for (const sentence of line.split(/(?<=[.!?])\s+(?=[A-Z])/)) {
      const cue = sentence.search(REQUIREMENT_CUE);
      let at = 0;
      const clauses = clausesOf(sentence);
      // "degree in a relevant field, such as Computer Science, Data Science, or a related discipline": the
      // fields listed after a degree are the degree check's, up to the clause that closes the list.
      let degreeFields = false;
      // A list: three items or more of one to three words each ("content inventories, audits, and gap analyses").
      const enumerated = clauses.filter((c) => between(itemWords(c.text), 1, 3)).length >= 3;
      // A list whose one-word items include two known tools or more ("Pandas, Numpy, scikit"): each is a tool.
      const tools = enumerated && clauses.filter((c) => itemWords(c.text) === 1 && knownWord(c.text)).length >= 2;
      for (const clause of clauses) {
        const context = cue >= 0 && clause.at + clause.text.length > cue ? Context.Requirement : section;
        // After a colon or a dash a sentence starts again ("Analytical thinker: Become a Jedi …").
        const startsSentence = clause.at === 0 || /[:–—-]/.test(sentence.slice(at, clause.at).trim().slice(-1));
        const item = enumerated && itemWords(clause.text) === 1;
        const ofDegree: boolean = degreeFields && itemWords(clause.text) <= 4;
        if (!ofDegree)
          readClause(
            clause.text,
            startsSentence,
            context,
            company,
            item ? (w, c, g) => note(w, c, g, tools ? "tool" : "plural") : note,
          );
        degreeFields = (ofDegree || degreeIn(clause.text)) && !LIST_CLOSE.test(clause.text);
        at = clause.at + clause.text.length;
      }
    }
  }

  // Prose about the company is no list of requirements: there a phrase counts only if it is a named
  // skill or tool, or the posting comes back to it. A posting with no duties or requirements marked is all prose.
  const out = [...stats.entries()]
    .filter(([, s]) => !marked || s.context !== Context.Text || (s.known && s.group !== "soft"))
    // A lone common word ("manual", "creative", "license") is a requirement only if the posting comes back to it
    // twice; a name written mid-sentence ("charting in Epic") once.
    .filter(([, s]) => s.named || s.listed || s.words > 1 || s.count > 2 || (s.count > 1 && s.proper))
    // A quality of software alone ("availability", "latency") is what the work improves, not a skill.
    .filter(([, s]) => s.words > 1 || !QUALITIES.has(s.display.keys().next().value!.toLowerCase()))
    .map(([id, s]) => {
      const display = [...s.display.entries()].sort((a, b) => b[1] - a[1])[0]![0];
      const inTitle = id.split(" ").every((w) => titleStems.has(w));
      // Without headings the prose is all the posting says of the work: weighed as its duties.
      const context = marked || s.context !== Context.Text ? s.context : Context.Duty;
      const weight = (1 + Math.log(s.count)) * kindFactor(s) * CONTEXT_FACTOR[context] * (inTitle ? 0.6 : 1);
      return { display, id, group: s.group, count: s.count, weight, named: s.named, first: s.first, shape: s.shape };
    });
  out.sort((a, b) => b.weight - a.weight || a.first - b.first);
  // Fewer phrases rather than weak ones: below this a phrase is one common word or soft skill said once in passing.
  // Soft skills come last whatever their weight, as a recruiter screens them (the report groups them apart).
  const ordered = [...out.filter((p) => p.group !== "soft"), ...out.filter((p) => p.group === "soft")];
  const strong = (p: (typeof out)[number]): boolean => p.group === "soft" || p.weight >= MIN_WEIGHT;
  // One phrase per requirement: "usability testing" stands for "usability" and "usability testing plan" (its count grows).
  const kept: (typeof out)[number][] = [];
  for (const p of ordered) {
    const words = p.id.split(" ");
    const i = kept.findIndex((k) => overlaps(k.id.split(" "), words));
    const same = kept[i];
    if (same === undefined) {
      if (strong(p)) kept.push(p);
      continue;
    }
    const tool = isTool(same);
    if (words.length <= same.id.split(" ").length) same.count += p.count;
    // A tool's name stays as it is ("AWS"; an ATS looks for it alone), a longer phrase with it is one more.
    else if (tool) {
      if (strong(p) && !kept.some((k, j) => j !== i && overlaps(k.id.split(" "), words))) kept.push(p);
    }
    // Otherwise the longer phrase names the requirement ("web application frameworks", "conversion funnel");
    // it takes the place and the weight of the one it extends.
    else {
      kept[i] = {
        ...p,
        weight: same.weight,
        count: same.count + p.count,
        group: same.group === "other" ? p.group : same.group,
        named: same.named || p.named,
      };
      // It may extend two kept ones ("HSA", then "FSA elections", then "HSA and FSA elections"): one phrase.
      for (let j = kept.length - 1; j > i; j--) {
        const other = kept[j]!;
        const otherWords = other.id.split(" ");
        if (otherWords.length < words.length && overlaps(otherWords, words) && !isTool(other)) {
          kept[i] = { ...kept[i]!, count: kept[i]!.count + other.count };
          kept.splice(j, 1);
        }
      }
    }
  }
  kept.sort(
    (a, b) => Number(a.group === "soft") - Number(b.group === "soft") || b.weight - a.weight || a.first - b.first,
  );
  // A product's name the vocabulary does not know ("Gainsight", "Dentrix", "AutoCAD Civil 3D") is a tool
  // to the reader, as ATS scanners group it: with the hard skills (after the ranking, which it does not change).
  return kept.map(({ first: _first, shape, ...p }) =>
    shape && p.group === "other" && productName(p.display) ? { ...p, group: "hard" } : p,
  );
};

/** Up to three words, the last written as a name ("Gainsight", "Revit MEP", "Form 941"). */
const productName = (display: string): boolean => {
  const words = display.split(" ");
  return words.length <= 3 && /^[A-Z0-9]/.test(words[words.length - 1]!);
};

/** A known tool's name of one word ("AWS"): kept alone beside the longer phrases that hold it. */
const isTool = (p: { group: RequirementGroup; id: string }): boolean => p.group === "hard" && !p.id.includes(" ");

/** Known skills and tools first, then named things, phrases, and single words last. */
const kindFactor = (s: Stats): number => {
  // Recruiters screen hard skills first and soft skills last (Jobscan weighs them so): listed after the others.
  if (s.group === "soft") return 0.5;
  if (s.group === "hard") return 3;
  // A known practice of one word ("architecture", "testing") is a topic more often than a requirement.
  if (s.named && s.group === "other" && s.words === 1 && !s.shape) return 1.1;
  if (s.named || s.listed) return s.words > 1 ? 2.6 : 2.2;
  return s.words > 1 ? 1.6 : 1;
};

/** Whether one word sequence occurs in the other. */
const overlaps = (a: readonly string[], b: readonly string[]): boolean => {
  const [outer, inner] = a.length >= b.length ? [a, b] : [b, a];
  for (let i = 0; i + inner.length <= outer.length; i++) if (inner.every((w, j) => outer[i + j] === w)) return true;
  return false;
};

/** A past participle or an adverb: "products built", "seamlessly integrate" are no requirement. */
const verbal = (w: Word): boolean =>
  (/^[a-z]{3,}ed$/.test(w.lower) && !/(?:need|speed|feed|seed|bed)$/.test(w.lower)) ||
  (/^[a-z]{3,}ly$/.test(w.lower) && !/(?:supply|assembly|family|anomaly|apply|reply|italy|poly)$/.test(w.lower)) ||
  ["built", "done", "made", "shipped", "run", "seen", "known", "taken", "given", "written"].includes(w.lower);

/** A name in Title Case that starts with a participle: "Certified Payroll Professional", "Registered Dental Hygienist". */
const titled = (run: readonly Word[]): boolean =>
  run.length >= 2 && /^[A-Z][a-z]/.test(run[0]!.text) && /^[A-Z]/.test(run[1]!.text);

/** A gerund that is the duty ("managing keys"), not an activity asked for ("monitoring"). */
const dutyGerund = (w: Word): boolean => w.lower.endsWith("ing") && !ACTIVITIES.has(w.lower) && w.lower.length > 5;

/**
 * A gerund after a word that modifies it names a practice ("periodontal charting", "root planing",
 * "payroll processing"); after a verb or a plural it is a verb ("start building", "problems relating to").
 */
const nominalGerund = (run: readonly Word[]): boolean => {
  const last = run[run.length - 1]!;
  const before = run[run.length - 2]!;
  return (
    last.lower.endsWith("ing") &&
    !VERB_FORMS.has(before.lower) &&
    !verbal(before) &&
    !before.lower.endsWith("ing") &&
    // After a plural it is the plural's verb ("problems relating to …", "customers using …").
    !/[^s]s$/.test(before.lower)
  );
};

/** A duty verb's base or third-person form ("create", "creates"): the duty, not what it needs. */
// As written, not by stem: Porter takes "automation" and "automate" to one stem, and the noun is the skill.
const dutyVerb = (w: Word): boolean => VERB_FORMS.has(w.lower) || dutyGerund(w);

/** A duty verb's third-person form ("enables", "develops"): after a singular noun or at a phrase's start, the verb. */
const thirdPerson = (w: Word): boolean =>
  /^[a-z]{4,}s$/.test(w.lower) && !w.lower.endsWith("ss") && VERBS.has(stem(w.lower.replace(/(?:es|s)$/, "")));

/**
 * A duty starts with its verb, whatever the trade ("Administer local anesthesia", "Calculate and process
 * overtime", "Expose … digital radiographs"): the first word of a sentence among the duties, unless it is
 * written as a name or ends like a noun ("Documentation of …"); so does the word after "and" ("process").
 */
const imperative = (w: Word, context: Context): boolean => context === Context.Duty && w.sentenceStart && verbLike(w);
/** Could be a verb: no name, no noun's ending. */
const verbLike = (w: Word): boolean =>
  !looksNamed(w.text) && !/(?:tion|sion|ment|ness|ity|ance|ence|ship|ism|ogy|ics)s?$/.test(w.lower);

/** Counts written as words break a phrase like digits ("nine states", "two dozen"). */
const NUMBERS = /* @__PURE__ */ (() => new Set([...COUNT_WORDS.keys(), "dozens"]))();

/** A number or a "3D" written after a name is part of it ("Form 941", "OSHA 10", "AutoCAD Civil 3D", "ISO 9001"). */
const versionOf = (run: readonly Word[], w: Word): boolean =>
  run.length > 0 && /^[A-Z]/.test(run[run.length - 1]!.text) && /^\d{1,4}(?:[A-Z][A-Za-z]?)?$/.test(w.text);

/** Whether a word can stand alone as a keyword. */
const standsAlone = (w: Word): boolean => {
  if (WEAK.has(w.stem) || verbal(w)) return false;
  if (looksNamed(w.text)) return true;
  if (w.lower.endsWith("ing")) return ACTIVITIES.has(w.lower);
  // A plural ("audits", "tests") is a noun; a verb's base form is the duty.
  return !VERBS.has(w.stem) || w.lower.endsWith("s");
};

/** Notes the phrases of one clause: vocabulary matches, and each run of content words. */
const readClause = (
  clause: string,
  startsSentence: boolean,
  context: Context,
  company: ReadonlySet<string>,
  note: (words: readonly Word[], context: Context, group: RequirementGroup | undefined) => void,
): void => {
  const words = wordsOf(tokenize(clause), startsSentence);
  let run: Word[] = [];
  // The field of a degree ("BS in Computer Science") is the degree check's, not a skill.
  let degreeField = false;
  // The word before the run, and the run before it with the conjunction between them.
  let before = "";
  let runBefore = "";
  let previous: Word[] | null = null;
  let loneBefore: Word | null = null;
  let conjunction: Word | null = null;
  // The run before was a duty's verb alone ("Calculate"): after "and" another verb follows ("and process overtime").
  let afterVerb = false;
  const known = new Set<Word>();
  const nameOrKnown = (w: Word): boolean => known.has(w) || looksNamed(w.text) || w.proper;
  const flush = (): void => {
    if (degreeField && run.length > 0) {
      run = [];
      degreeField = false;
      previous = null;
      return;
    }
    const nominal = NOMINAL_BEFORE.has(runBefore) && (!CONJUNCTIONS.has(runBefore) || previous !== null);
    // One word that alone would be dropped as a verb may be the first conjunct of a noun phrase
    // ("change and configuration management"); kept aside for that, never noted alone.
    // (A gerund is not its weak stem's noun: "scaling and root planing" is no "scale".)
    const lone =
      run.length === 1 &&
      (!WEAK.has(run[0]!.stem) || run[0]!.lower.endsWith("ing")) &&
      !verbal(run[0]!) &&
      !imperative(run[0]!, context)
        ? run[0]!
        : null;
    const length = run.length;
    // A duty verb at the start is the duty ("Maintain …"), as is one after it ("design, write and deliver");
    // a gerund after a preposition or a coordinated noun phrase is the activity asked for.
    while (
      run.length > 0 &&
      ((VERB_FORMS.has(run[0]!.lower) && !nounFirst(run, runBefore)) ||
        (dutyGerund(run[0]!) && !(nominal && run.length > 1)) ||
        (verbal(run[0]!) && !titled(run)) ||
        (run.length > 1 && run[0]!.sentenceStart && thirdPerson(run[0]!)) ||
        (run.length > 1 &&
          !known.has(run[0]!) &&
          (imperative(run[0]!, context) ||
            (afterVerb && conjunction !== null && run.length === length && verbLike(run[0]!))))) &&
      !(run.length === 1 && standsAlone(run[0]!))
    )
      run.shift();
    // A verb taken off the front makes this a verb phrase ("plan and execute campaigns"): no conjunct of a noun phrase.
    const shifted = run.length < length;
    // A verb ends no noun phrase ("customers love"), but these are as often nouns there ("API-first design", "code review").
    while (
      run.length > 1 &&
      (verbal(run[run.length - 1]!) || dutyVerb(run[run.length - 1]!)) &&
      !NOUN_HEADS.has(run[run.length - 1]!.lower) &&
      !nominalGerund(run)
    )
      run.pop();
    let noted: Word[] | null = null;
    if (run.length > 0 && run.length <= 4 && !run.every((w) => WEAK.has(w.stem))) {
      if (run.length > 1 || (standsAlone(run[0]!) && !(imperative(run[0]!, context) && !known.has(run[0]!))))
        noted = run;
    } else if (run.length > 4) {
      // Too long to be one requirement: its head (last two words) stands for it.
      noted = run.slice(-2);
    }
    // "security challenges", "front lines": a phrase headed by a circumstance or an aim names no requirement.
    if (noted !== null && VAGUE.has(noted[noted.length - 1]!.lower)) noted = null;
    if (noted !== null) {
      note(noted, context, undefined);
      // "change and configuration management", "deployment and upgrades": one requirement as written
      // (a one-word conjunct shares the other's head), unless both sides are known skills or names
      // ("Java and Python", "Gainsight or ChurnZero" are two).
      const first = previous ?? (loneBefore !== null ? [loneBefore] : null);
      if (
        first !== null &&
        conjunction !== null &&
        !shifted &&
        first.length === 1 &&
        noted.length <= 3 &&
        (previous !== null || noted.length >= 2) &&
        !(first.every(nameOrKnown) && noted.every(nameOrKnown))
      )
        note([...first, conjunction, ...noted], context, undefined);
    }
    afterVerb = length === 1 && run.length === 1 && imperative(run[0]!, context) && !known.has(run[0]!);
    previous = noted;
    loneBefore = noted === null ? lone : null;
    conjunction = null;
    run = [];
  };
  const breakAt = (w: Word | null): void => {
    flush();
    if (w !== null && CONJUNCTIONS.has(w.lower)) conjunction = { ...w, stem: "" };
    else {
      previous = null;
      loneBefore = null;
    }
    before = w === null ? "/" : w.lower;
  };
  let i = 0;
  while (i < words.length) {
    const w = words[i];
    if (w === null || w === undefined) {
      breakAt(null);
      i++;
      continue;
    }
    const entry = vocabularyAt(words, i);
    if (entry !== undefined) {
      const span = words.slice(i, i + entry.length) as Word[];
      note(span, context, entry.group);
      // A duty gerund before a known skill is the activity, not part of its name ("a Jedi running A/B tests").
      const last = run[run.length - 1];
      if (last !== undefined && run.length > 1 && dutyGerund(last) && !known.has(last)) {
        run.pop();
        breakAt(last);
      }
      if (run.length === 0) runBefore = before;
      // A known phrase with a function word inside ("Ruby on Rails") is one word of the run.
      for (const x of span) {
        known.add(x);
        run.push(x);
      }
      i += entry.length;
      continue;
    }
    const breaks =
      STOP_WORDS.has(w.lower) ||
      CONJUNCTIONS.has(w.lower) ||
      isFiller(w) ||
      ROLES.has(w.lower) ||
      company.has(w.lower) ||
      ((!/[a-z]/i.test(w.text) || /^\d/.test(w.text)) && !versionOf(run, w)) ||
      NUMBERS.has(w.lower) ||
      // "401(k)": a lower-case letter alone is a piece of something else.
      (w.text.length === 1 && w.text === w.lower) ||
      // An adverb or a participle inside a run ends the phrase ("platform enables", "agents impacted").
      (run.length > 0 && verbal(w));
    // The words naming a role ("Software Engineer", "Site Reliability Engineers") are the role's, unless a known skill.
    if (breaks && ROLES.has(w.lower) && !NOT_TITLES.has(w.lower) && run.length > 0 && run.every((x) => !known.has(x))) {
      run = [];
      previous = null;
      loneBefore = null;
    }
    if (breaks) breakAt(w);
    else {
      if (run.length === 0) runBefore = before;
      run.push(w);
    }
    if (w.lower === "in" && i > 0 && DEGREES.has(words[i - 1]?.lower ?? "")) degreeField = true;
    i++;
  }
  flush();
};

/**
 * A one-word soft skill written in another form: soft skills are qualities, uncountable, so
 * "initiatives" (projects) and "influences" are not "initiative" and "influence".
 */
const inflectedSoftSkill = (entry: VocabEntry, first: Word): boolean =>
  entry.group === "soft" && entry.length === 1 && entry.lowers[0] !== first.lower;

/** The longest vocabulary entry spelled by the words from `i`. */
const vocabularyAt = (words: readonly (Word | null)[], i: number): VocabEntry | undefined => {
  const first = words[i]!;
  for (const entry of BY_FIRST_STEM.get(first.stem) ?? []) {
    if (i + entry.length > words.length) continue;
    let ok = true;
    for (let j = 1; j < entry.length && ok; j++) {
      const w = words[i + j];
      ok = w !== null && w !== undefined && w.stem === entry.stems[j];
    }
    // "Content Designer" is a role, not "content design": a role noun matches only where the entry writes it.
    for (let j = 0; j < entry.length && ok; j++) {
      const w = words[i + j]!;
      ok = !ROLES.has(w.lower) || entry.lowers[j] === w.lower;
    }
    if (ok && !inflectedSoftSkill(entry, first)) return entry;
  }
  const plural = pluralOf(first.lower);
  const entry =
    VOCABULARY.get(singleKey(first.lower)) ??
    (plural === undefined ? undefined : VOCABULARY.get(singleKey(plural))) ??
    (first.lower.endsWith("es") ? VOCABULARY.get(singleKey(first.lower.slice(0, -2))) : undefined);
  if (entry === undefined || entry.length !== 1 || inflectedSoftSkill(entry, first)) return undefined;
  if (ROLES.has(first.lower) && entry.lowers[0] !== first.lower) return undefined;
  // One-letter names ("R", "C", "Go") are too ambiguous in prose unless written as names.
  if (first.text.length <= 2 && first.text !== first.text.toUpperCase()) return undefined;
  if (COMMON_TOOLS.has(first.lower) && !first.proper && first.text !== first.text.toUpperCase()) return undefined;
  return entry;
};
