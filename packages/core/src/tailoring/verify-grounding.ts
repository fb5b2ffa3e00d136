import type { Resume, ResumeEducation, ResumeProject } from "../resume/resume.ts";
import { employerOf, stringLeaves } from "./resume-text.ts";
import { canonicalSkill, extractTerms, tokenize } from "./terms.ts";
import type { VerificationReport, Violation } from "./types.ts";

/**
 * Checks that a tailored CV claims nothing its source does not.
 *
 * - Identity and contact fields (`basics` name, email, phone, url, image,
 *   location, profiles) are exactly the source's.
 * - Every employer, position, institution, degree (studyType, area) and
 *   project name is the source's, and each entry's dates are the dates the
 *   source gives that same entry.
 * - Every skill keyword exists in the source (as written, or as the same
 *   known skill: "React" for "React.js").
 * - In all free text (summary, highlights, descriptions, ...) every number
 *   (40% is not 60%) and every skill-like term (known skills, acronyms,
 *   product and proper names) occurs in the source.
 * - No phrase of `bannedClaims` occurs anywhere (case-insensitive).
 */
export const verifyGrounding = (
  source: Resume,
  tailored: Resume,
  bannedClaims: readonly string[] = [],
): VerificationReport => {
  const index = indexSource(source);
  const violations: Violation[] = [];
  const handled = new Set<string>();
  let checked = 0;
  const ungrounded = (path: string, text: string, reason: string): void => {
    violations.push({ code: "UNGROUNDED_CLAIM", path, text, reason });
  };
  const mark = (path: string): void => {
    handled.add(path);
    checked++;
  };

  checkIdentity(source, tailored, ungrounded, mark);

  (tailored.work ?? []).forEach((w, i) => {
    checkEntry({
      path: `work[${i}]`,
      entry: w,
      candidates: source.work ?? [],
      orgKey: w["name"] !== undefined ? "name" : "company",
      org: (e) => employerOf(e),
      orgLabel: "employer",
      fields: ["position"],
      ungrounded,
      mark,
    });
  });
  ((tailored.volunteer ?? []) as Record<string, unknown>[]).forEach((v, i) => {
    checkEntry({
      path: `volunteer[${i}]`,
      entry: v,
      candidates: (source.volunteer ?? []) as Record<string, unknown>[],
      orgKey: "organization",
      org: (e) => str(e["organization"]),
      orgLabel: "organization",
      fields: ["position"],
      ungrounded,
      mark,
    });
  });
  (tailored.education ?? []).forEach((e, i) => {
    checkEntry({
      path: `education[${i}]`,
      entry: e,
      candidates: source.education ?? [],
      orgKey: "institution",
      org: (x: ResumeEducation) => str(x.institution),
      orgLabel: "institution",
      fields: ["studyType", "area"],
      ungrounded,
      mark,
    });
  });
  (tailored.projects ?? []).forEach((p, i) => {
    checkEntry({
      path: `projects[${i}]`,
      entry: p,
      candidates: source.projects ?? [],
      orgKey: "name",
      org: (x: ResumeProject) => str(x.name),
      orgLabel: "project",
      fields: [],
      ungrounded,
      mark,
    });
    (p.keywords ?? []).forEach((k, j) => {
      mark(`projects[${i}].keywords[${j}]`);
      if (!index.hasSkill(k))
        ungrounded(`projects[${i}].keywords[${j}]`, k, "keyword does not appear in the source CV");
    });
  });
  (tailored.skills ?? []).forEach((s, i) => {
    (s.keywords ?? []).forEach((k, j) => {
      mark(`skills[${i}].keywords[${j}]`);
      if (!index.hasSkill(k)) ungrounded(`skills[${i}].keywords[${j}]`, k, "skill does not appear in the source CV");
    });
    if (s.name !== undefined && (s.keywords ?? []).length === 0) {
      // A group without keywords is itself a skill claim.
      mark(`skills[${i}].name`);
      if (!index.hasSkill(s.name)) ungrounded(`skills[${i}].name`, s.name, "skill does not appear in the source CV");
    }
  });

  for (const leaf of stringLeaves(tailored)) {
    if (META_FIELDS.test(leaf.path) || leaf.path === "$schema") continue;
    if (/(^|\.)(startDate|endDate|date|releaseDate)$/.test(leaf.path) && !handled.has(leaf.path)) {
      mark(leaf.path);
      if (!index.dates.has(leaf.text)) ungrounded(leaf.path, leaf.text, "date does not appear in the source CV");
      continue;
    }
    if (handled.has(leaf.path)) continue;
    checked++;
    // Names of organisations, awarders, languages...: the whole value must be one the source has.
    if (NAME_FIELDS.test(leaf.path) && !containsBounded(index.text, normalize(leaf.text))) {
      ungrounded(leaf.path, leaf.text, "name does not appear in the source CV");
      continue;
    }
    for (const v of freeTextIssues(index, leaf.text)) ungrounded(leaf.path, v.text, v.reason);
  }

  const leaves = stringLeaves(tailored).map((l) => ({ path: l.path, text: loosen(normalize(l.text)) }));
  const everything = leaves.map((l) => l.text).join(" ");
  for (const claim of bannedClaims) {
    const phrase = loosen(normalize(claim));
    if (phrase === "") continue;
    const found = leaves.filter((l) => containsPhrase(l.text, phrase)).map((l) => l.path);
    // A phrase split across neighbouring fields still reads as the claim.
    const paths = found.length > 0 ? found : containsPhrase(everything, phrase) ? ["(across fields)"] : [];
    for (const path of paths) {
      violations.push({ code: "BANNED_CLAIM", path, text: claim, reason: `"${claim}" is listed in BANNED_CLAIMS` });
    }
  }

  return { passed: violations.length === 0, checkedFields: checked, violations };
};

// ---------------------------------------------------------------- source index

// Letters from other scripts that look like Latin ones ("sеcurity" with a Cyrillic е).
const CONFUSABLES: Readonly<Record<string, string>> = {
  а: "a",
  е: "e",
  о: "o",
  р: "p",
  с: "c",
  у: "y",
  х: "x",
  і: "i",
  ј: "j",
  ѕ: "s",
  ԁ: "d",
  ӏ: "l",
  ɡ: "g",
  α: "a",
  ο: "o",
  ν: "v",
  τ: "t",
  ι: "i",
  κ: "k",
  ρ: "p",
  υ: "u",
  χ: "x",
};
const CONFUSABLE_RE = new RegExp(`[${Object.keys(CONFUSABLES).join("")}]`, "g");

/** `&#x61;`, `&#97;` and the common named entities, as the text would display. */
const decodeEntities = (text: string): string =>
  text
    .replace(/&#x([0-9a-f]{1,6});/gi, (_m, hex: string) =>
      String.fromCodePoint(Math.min(Number.parseInt(hex, 16), 0x10ffff)),
    )
    .replace(/&#(\d{1,7});/g, (_m, dec: string) => String.fromCodePoint(Math.min(Number(dec), 0x10ffff)))
    .replace(/&(amp|lt|gt|quot|apos|nbsp);/g, (_m, name: string) =>
      name === "amp"
        ? "&"
        : name === "lt"
          ? "<"
          : name === "gt"
            ? ">"
            : name === "quot"
              ? '"'
              : name === "apos"
                ? "'"
                : " ",
    );

/** Text as a reader sees it: entities decoded, width and look-alike letters folded, invisible characters gone. */
const normalize = (text: string): string =>
  decodeEntities(text)
    .normalize("NFKC")
    .toLowerCase()
    .replace(/[\u00ad\u200b-\u200f\u2060-\u2064\ufeff]/g, "")
    .replace(CONFUSABLE_RE, (c) => CONFUSABLES[c] ?? c)
    .replace(/[‘’]/g, "'")
    .replace(/[“”]/g, '"')
    .replace(/[–—]/g, "-")
    .replace(/\s+/g, " ")
    .trim();

/** For banned phrases: punctuation and hyphens between words count as spaces ("security-clearance"). */
const loosen = (normalized: string): string => normalized.replace(/[^\p{L}\p{N}]+/gu, " ").trim();

/** `needle` occurs in `haystack` as whole words: not "0% adoption" inside "60% adoption". */
const containsBounded = (haystack: string, needle: string): boolean => {
  if (needle === "") return true;
  const edge = (c: string | undefined): boolean => c === undefined || !/[\p{L}\p{N}$€£%.,]/u.test(c);
  for (let at = haystack.indexOf(needle); at >= 0; at = haystack.indexOf(needle, at + 1)) {
    if (edge(haystack[at - 1]) && edge(haystack[at + needle.length])) return true;
  }
  return false;
};

const escapeRe = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** `phrase` in `text`, not inside a longer word ("led" is not in "skilled"). */
const containsPhrase = (text: string, phrase: string): boolean => {
  const before = /^\w/.test(phrase) ? "(?<![\\w])" : "";
  const after = /\w$/.test(phrase) ? "(?![\\w])" : "";
  return new RegExp(`${before}${escapeRe(phrase)}${after}`).test(text);
};

const str = (v: unknown): string | undefined => (typeof v === "string" ? v : undefined);

// 40%, 4,000+, $2.5M, 3x: the number with its percent sign; commas and signs dropped.
const NUMBER_RE = /(?<![\w.])\d[\d,]*(?:\.\d+)?(?:\s?(%|percent\b))?/gi;

export const numbersIn = (text: string): string[] =>
  [...text.matchAll(NUMBER_RE)].map((m) => {
    const value = m[0]
      .replace(/\s?(%|percent)$/i, "")
      .replace(/,/g, "")
      .replace(/\.0+$/, "");
    return m[1] === undefined ? value : `${value}%`;
  });

interface SourceIndex {
  readonly text: string;
  /** URLs and e-mail addresses anywhere in the source, normalized. */
  readonly addresses: ReadonlySet<string>;
  /** Every word as written, folded (number words and non-ASCII names are checked against these). */
  readonly words: ReadonlySet<string>;
  readonly strings: ReadonlySet<string>;
  readonly numbers: ReadonlySet<string>;
  readonly terms: ReadonlySet<string>;
  readonly tokens: ReadonlySet<string>;
  readonly dates: ReadonlySet<string>;
  hasSkill(text: string): boolean;
}

const indexSource = (source: Resume): SourceIndex => {
  const leaves = stringLeaves(source);
  const text = leaves.map((l) => normalize(l.text)).join("\n");
  const strings = new Set(leaves.map((l) => normalize(l.text)));
  const numbers = new Set<string>();
  const terms = new Set<string>();
  const tokens = new Set<string>();
  const dates = new Set<string>();
  const words = new Set<string>();
  const addresses = new Set<string>();
  for (const leaf of leaves) {
    const isDate = /(^|\.)(startDate|endDate|date|releaseDate)$/.test(leaf.path);
    // A number in prose must come from prose: "team of 27" is not grounded by "2022-06-27".
    for (const n of isDate ? [] : numbersIn(leaf.text.normalize("NFKC"))) {
      numbers.add(n);
      numbers.add(n.replace(/%$/, ""));
    }
    for (const a of addressesIn(leaf.text)) addresses.add(a);
    for (const w of wordsIn(leaf.text)) words.add(w);
    for (const t of extractTerms(leaf.text)) terms.add(t.key);
    for (const t of tokenize(leaf.text)) tokens.add(t.lower);
    if (/(^|\.)(startDate|endDate|date|releaseDate)$/.test(leaf.path)) dates.add(leaf.text);
  }
  return {
    text,
    strings,
    addresses,
    words,
    numbers,
    terms,
    tokens,
    dates,
    hasSkill(skill: string): boolean {
      const n = normalize(skill);
      if (n === "" || strings.has(n) || containsPhrase(text, n)) return true;
      const canonical = canonicalSkill(skill);
      return canonical !== undefined && terms.has(canonical.toLowerCase());
    },
  };
};

// ---------------------------------------------------------------- checks

type Report = (path: string, text: string, reason: string) => void;

const IDENTITY_FIELDS = ["name", "email", "phone", "url", "website", "image"] as const;

const checkIdentity = (source: Resume, tailored: Resume, report: Report, mark: (path: string) => void): void => {
  const a = (source.basics ?? {}) as Record<string, unknown>;
  const b = (tailored.basics ?? {}) as Record<string, unknown>;
  for (const field of IDENTITY_FIELDS) {
    const path = `basics.${field}`;
    mark(path);
    if (a[field] !== b[field]) {
      report(path, String(b[field] ?? ""), `identity field changed (source: ${JSON.stringify(a[field] ?? null)})`);
    }
  }
  for (const field of ["location", "profiles"] as const) {
    const path = `basics.${field}`;
    for (const leaf of stringLeaves(b[field], path)) mark(leaf.path);
    mark(path);
    if (JSON.stringify(a[field] ?? null) !== JSON.stringify(b[field] ?? null)) {
      report(
        path,
        JSON.stringify(b[field] ?? null),
        `identity field changed (source: ${JSON.stringify(a[field] ?? null)})`,
      );
    }
  }
};

interface EntryCheck<T extends Record<string, unknown>> {
  readonly path: string;
  readonly entry: T;
  readonly candidates: readonly T[];
  readonly orgKey: string;
  readonly org: (entry: T) => string | undefined;
  readonly orgLabel: string;
  /** Fields that must equal the matched source entry's (position; studyType, area). */
  readonly fields: readonly string[];
  readonly ungrounded: Report;
  readonly mark: (path: string) => void;
}

/**
 * An entry (job, school, project) must be one the source has: same
 * organization, same title fields, and that entry's own dates.
 */
const checkEntry = <T extends Record<string, unknown>>(c: EntryCheck<T>): void => {
  const org = c.org(c.entry);
  let matches = [...c.candidates];
  if (org !== undefined) {
    c.mark(`${c.path}.${c.orgKey}`);
    matches = matches.filter((s) => normalize(c.org(s) ?? "") === normalize(org));
    if (matches.length === 0) {
      c.ungrounded(`${c.path}.${c.orgKey}`, org, `${c.orgLabel} does not appear in the source CV`);
      return;
    }
  }
  for (const field of c.fields) {
    const value = str(c.entry[field]);
    if (value === undefined) continue;
    c.mark(`${c.path}.${field}`);
    const same = matches.filter((s) => normalize(str(s[field]) ?? "") === normalize(value));
    if (same.length === 0) {
      const where = org === undefined ? "the source CV" : `the source CV for ${org}`;
      c.ungrounded(`${c.path}.${field}`, value, `${field} does not appear in ${where}`);
      return;
    }
    matches = same;
  }
  // The dates must be one matching entry's dates, both ends: dropping an end date claims the role is current.
  const start = str(c.entry["startDate"]);
  const end = str(c.entry["endDate"]);
  c.mark(`${c.path}.startDate`);
  c.mark(`${c.path}.endDate`);
  if (start === undefined && end === undefined) return;
  if (matches.some((s) => str(s["startDate"]) === start && str(s["endDate"]) === end)) return;
  const startOk = matches.some((s) => str(s["startDate"]) === start);
  const which = startOk ? "endDate" : "startDate";
  const got = (startOk ? end : start) ?? "";
  const expected = matches.map((s) => `${str(s["startDate"]) ?? "?"} – ${str(s["endDate"]) ?? "present"}`).join(" or ");
  c.ungrounded(
    `${c.path}.${which}`,
    got,
    got === "" ? `${which} removed (source: ${expected})` : `${which} differs from the source CV (source: ${expected})`,
  );
};

const CHECKED_KINDS = new Set(["skill", "acronym", "proper"]);

/** Bookkeeping a tailored CV may set itself; every other `meta` field is checked like prose. */
const META_FIELDS = /^meta\.(lastModified|version|canonical)$/;

/** Fields that name someone or something: checked whole, not word by word. */
const NAME_FIELDS =
  /(^|\.)(name|company|entity|organization|institution|awarder|issuer|publisher|network|language|fluency|level|title|position|studyType|area|roles\[\d+\])$/;

/** Quantities written as words: a changed one is an inflated claim like a changed digit. */
const NUMBER_WORDS: ReadonlySet<string> = new Set(
  `zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen
  seventeen eighteen nineteen twenty thirty forty fifty sixty seventy eighty ninety hundred hundreds thousand
  thousands million millions billion billions trillion dozen dozens twice thrice double doubled triple tripled
  quadruple quadrupled tenfold half`.split(/\s+/),
);

/** Words as a reader sees them (letters and digits of any script), folded. */
const wordsIn = (text: string): string[] => normalize(text).match(/[\p{L}\p{N}]+/gu) ?? [];

/** URLs and e-mail addresses, normalized, without trailing punctuation. */
const addressesIn = (text: string): string[] =>
  (
    decodeEntities(text)
      .normalize("NFKC")
      .match(/(?:https?:\/\/|www\.)[^\s<>()"']+|[^\s<>()"'@]{1,64}@[^\s<>()"'@]{1,253}/gi) ?? []
  )
    .map((a) => a.toLowerCase().replace(/[.,;:!?\]]+$/, ""))
    .filter((a) => a.includes("."));

/** Numbers and skill-like terms in a piece of free text that the source does not have. */
const freeTextIssues = (index: SourceIndex, raw: string): { text: string; reason: string }[] => {
  const text = decodeEntities(raw).normalize("NFKC");
  const n = normalize(text);
  if (n === "" || index.strings.has(n) || containsBounded(index.text, n)) return [];
  const issues: { text: string; reason: string }[] = [];
  for (const number of new Set(numbersIn(text))) {
    if (!index.numbers.has(number)) issues.push({ text: number, reason: "number does not appear in the source CV" });
  }
  for (const address of new Set(addressesIn(text))) {
    if (!index.addresses.has(address)) {
      issues.push({ text: address, reason: "link or address does not appear in the source CV" });
    }
  }
  for (const word of new Set(wordsIn(text))) {
    if (index.words.has(word)) continue;
    if (NUMBER_WORDS.has(word)) issues.push({ text: word, reason: "number does not appear in the source CV" });
    // Names written with letters outside ASCII ("Ørsted") slip past the term extractor: check them whole.
    else if (/[^\p{ASCII}]/u.test(word))
      issues.push({ text: word, reason: `"${word}" does not appear in the source CV` });
  }
  const seen = new Set<string>();
  for (const term of extractTerms(text)) {
    if (!CHECKED_KINDS.has(term.kind) || seen.has(term.key)) continue;
    seen.add(term.key);
    if (index.terms.has(term.key) || index.tokens.has(term.surface.toLowerCase())) continue;
    issues.push({ text: term.surface, reason: `"${term.surface}" does not appear in the source CV` });
  }
  return issues;
};
