import type { Resume, ResumeEducation, ResumeProject } from "../resume/resume.ts";
import { isSpace, trimEndChars } from "../resume/whitespace.ts";
import { decodeEntities, loosen, normalize } from "./normalize-text.ts";
import { PhraseMatcher } from "./phrase-matcher.ts";
import { employerOf, stringLeaves, type TextLeaf } from "./resume-text.ts";
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

  // Each source section is indexed once; every tailored entry is then a few map look-ups.
  const workIndex = new EntryIndex(source.work ?? [], (e) => employerOf(e), ["position"]);
  const volunteerIndex = new EntryIndex(
    (source.volunteer ?? []) as Record<string, unknown>[],
    (e) => str(e["organization"]),
    ["position"],
  );
  const educationIndex = new EntryIndex(source.education ?? [], (x: ResumeEducation) => str(x.institution), [
    "studyType",
    "area",
  ]);
  const projectIndex = new EntryIndex(source.projects ?? [], (x: ResumeProject) => str(x.name), []);

  (tailored.work ?? []).forEach((w, i) => {
    checkEntry({
      path: `work[${i}]`,
      entry: w,
      candidates: workIndex,
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
      candidates: volunteerIndex,
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
      candidates: educationIndex,
      orgKey: "institution",
      org: (x: ResumeEducation) => str(x.institution),
      orgLabel: "institution",
      fields: ["studyType", "area"],
      ungrounded,
      mark,
    });
  });
  // Skill claims are looked up in the source text together, in one pass over it.
  const skillClaims = [
    ...(tailored.projects ?? []).flatMap((p) => p.keywords ?? []),
    ...(tailored.skills ?? []).flatMap((s) => [
      ...(s.keywords ?? []),
      ...(s.name !== undefined && (s.keywords ?? []).length === 0 ? [s.name] : []),
    ]),
  ];
  const hasSkill = index.skillLookup(skillClaims);

  (tailored.projects ?? []).forEach((p, i) => {
    checkEntry({
      path: `projects[${i}]`,
      entry: p,
      candidates: projectIndex,
      orgKey: "name",
      org: (x: ResumeProject) => str(x.name),
      orgLabel: "project",
      fields: [],
      ungrounded,
      mark,
    });
    (p.keywords ?? []).forEach((k, j) => {
      mark(`projects[${i}].keywords[${j}]`);
      if (!hasSkill(k)) ungrounded(`projects[${i}].keywords[${j}]`, k, "keyword does not appear in the source CV");
    });
  });
  (tailored.skills ?? []).forEach((s, i) => {
    (s.keywords ?? []).forEach((k, j) => {
      mark(`skills[${i}].keywords[${j}]`);
      if (!hasSkill(k)) ungrounded(`skills[${i}].keywords[${j}]`, k, "skill does not appear in the source CV");
    });
    if (s.name !== undefined && (s.keywords ?? []).length === 0) {
      // A group without keywords is itself a skill claim.
      mark(`skills[${i}].name`);
      if (!hasSkill(s.name)) ungrounded(`skills[${i}].name`, s.name, "skill does not appear in the source CV");
    }
  });

  const allLeaves = stringLeaves(tailored);
  const pending: { leaf: TextLeaf; kind: "date" | "name" | "text"; needle: string }[] = [];
  for (const leaf of allLeaves) {
    if (META_FIELDS.test(leaf.path) || leaf.path === "$schema") continue;
    if (DATE_FIELD.test(leaf.path) && !handled.has(leaf.path)) {
      pending.push({ leaf, kind: "date", needle: "" });
      continue;
    }
    if (handled.has(leaf.path)) continue;
    // Names of organisations, awarders, languages...: the whole value must be one the source has.
    if (isNameField(leaf.path)) pending.push({ leaf, kind: "name", needle: normalize(leaf.text) });
    else pending.push({ leaf, kind: "text", needle: normalize(decodeEntities(leaf.text).normalize("NFKC")) });
  }
  // Whether each whole value occurs in the source text: one pass over it for all of them.
  const inSource = index.boundedLookup(pending.map((p) => p.needle));
  pending.forEach(({ leaf, kind }, i) => {
    if (kind === "date") {
      mark(leaf.path);
      if (!index.dates.has(leaf.text)) ungrounded(leaf.path, leaf.text, "date does not appear in the source CV");
      return;
    }
    checked++;
    if (kind === "name") {
      if (!inSource[i]) ungrounded(leaf.path, leaf.text, "name does not appear in the source CV");
      return;
    }
    if (inSource[i]) return;
    for (const v of freeTextIssues(index, leaf.text)) ungrounded(leaf.path, v.text, v.reason);
  });

  const leaves = allLeaves.map((l) => ({ path: l.path, text: loosen(normalize(l.text)) }));
  const phrases = bannedClaims.map((claim) => loosen(normalize(claim)));
  const banned = new PhraseMatcher(phrases, { isWord: isAsciiWord, edges: "word" });
  const foundIn = new Map<number, string[]>();
  for (const l of leaves) {
    for (const c of banned.find(l.text)) {
      const paths = foundIn.get(c);
      if (paths === undefined) foundIn.set(c, [l.path]);
      else paths.push(l.path);
    }
  }
  // A phrase split across neighbouring fields still reads as the claim.
  const acrossFields = banned.find(leaves.map((l) => l.text).join(" "));
  bannedClaims.forEach((claim, c) => {
    if (phrases[c] === "") return;
    const paths = foundIn.get(c) ?? (acrossFields.has(c) ? ["(across fields)"] : []);
    for (const path of paths) {
      violations.push({ code: "BANNED_CLAIM", path, text: claim, reason: `"${claim}" is listed in BANNED_CLAIMS` });
    }
  });

  return { passed: violations.length === 0, checkedFields: checked, violations };
};

// ---------------------------------------------------------------- source index

/**
 * Characters that glue onto a value: a value occurs in the source as whole
 * words when none of these touches it ("0% adoption" is not in "60%
 * adoption"). Read per UTF-16 code unit, as the search always did.
 */
const GLUE = /[\p{L}\p{N}$€£%.,]/u;
const glueTable = new Uint8Array(0x10000);
for (let c = 0; c < 0x10000; c++) glueTable[c] = GLUE.test(String.fromCharCode(c)) ? 1 : 0;
const isGlue = (code: number): boolean => glueTable[code] === 1;

/** `\w`: a phrase is not found inside a longer word ("led" is not in "skilled"). */
const isAsciiWord = (c: number): boolean =>
  (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || c === 0x5f;

const str = (v: unknown): string | undefined => (typeof v === "string" ? v : undefined);

// 40%, 4,000+, $2.5M, 3x: the number with its percent sign; commas and signs dropped.
const NUMBER_RE = /(?<![\w.])\d[\d,]*(?:\.\d+)?(?:\s?(%|percent\b))?/gi;

export const numbersIn = (text: string): string[] =>
  [...text.matchAll(NUMBER_RE)].map((m) => {
    const value = dropZeroFraction(m[0].replace(/\s?(%|percent)$/i, "").replace(/,/g, ""));
    return m[1] === undefined ? value : `${value}%`;
  });

/** `.replace(/\.0+$/, "")` as a scan: "2.00" → "2". */
const dropZeroFraction = (n: string): string => {
  const dot = n.lastIndexOf(".");
  if (dot < 0 || dot === n.length - 1) return n;
  for (let i = dot + 1; i < n.length; i++) if (n[i] !== "0") return n;
  return n.slice(0, dot);
};

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
  /** `hasSkill` for these skill claims, looked up in one pass over the source text. */
  skillLookup(skills: readonly string[]): (skill: string) => boolean;
  /** For each needle: it occurs in the source text as whole words (or is empty). One pass for all. */
  boundedLookup(needles: readonly string[]): boolean[];
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
    const isDate = DATE_FIELD.test(leaf.path);
    // A number in prose must come from prose: "team of 27" is not grounded by "2022-06-27".
    for (const n of isDate ? [] : numbersIn(leaf.text.normalize("NFKC"))) {
      numbers.add(n);
      numbers.add(n.replace(/%$/, ""));
    }
    for (const a of addressesIn(leaf.text)) addresses.add(a);
    for (const w of wordsIn(leaf.text)) words.add(w);
    for (const t of extractTerms(leaf.text)) terms.add(t.key);
    for (const t of tokenize(leaf.text)) tokens.add(t.lower);
    if (isDate) dates.add(leaf.text);
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
    skillLookup(skills: readonly string[]): (skill: string) => boolean {
      const claims = [...new Set(skills.map(normalize))];
      const matcher = new PhraseMatcher(claims, { isWord: isAsciiWord, edges: "word" });
      const found = new Set([...matcher.find(text)].map((i) => claims[i]!));
      return (skill: string): boolean => {
        const n = normalize(skill);
        if (n === "" || strings.has(n) || found.has(n)) return true;
        const canonical = canonicalSkill(skill);
        return canonical !== undefined && terms.has(canonical.toLowerCase());
      };
    },
    boundedLookup(needles: readonly string[]): boolean[] {
      const found = new PhraseMatcher(needles, { isWord: isGlue, edges: "any" }).find(text);
      return needles.map((n, i) => strings.has(n) || found.has(i));
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

/**
 * The source entries of one section, grouped by their normalized organization
 * and title fields, so that finding "the source entries with this employer
 * and this position" is a map look-up instead of normalizing every source
 * entry again for every tailored entry.
 */
class EntryIndex<T extends Record<string, unknown>> {
  readonly #entries: readonly T[];
  readonly #keys: readonly (readonly string[])[];
  readonly #groups = new Map<string, Map<string, EntryGroup<T>>>();

  constructor(entries: readonly T[], org: (entry: T) => string | undefined, fields: readonly string[]) {
    this.#entries = entries;
    this.#keys = entries.map((e) => [normalize(org(e) ?? ""), ...fields.map((f) => normalize(str(e[f]) ?? ""))]);
  }

  /**
   * The entries whose normalized values equal `values` at the positions
   * `used` (0 = organization, 1… = the title fields), in source order, with
   * their dates. Each combination of positions is grouped once, on first use.
   */
  group(used: readonly number[], values: readonly string[]): EntryGroup<T> | undefined {
    const signature = used.join(",");
    let groups = this.#groups.get(signature);
    if (groups === undefined) {
      const built = new Map<string, EntryGroup<T>>();
      this.#entries.forEach((entry, i) => {
        const key = JSON.stringify(used.map((u) => this.#keys[i]![u]));
        let g = built.get(key);
        if (g === undefined) {
          g = { entries: [], dates: new Set(), starts: new Set() };
          built.set(key, g);
        }
        g.entries.push(entry);
        g.dates.add(dateKey(str(entry["startDate"]), str(entry["endDate"])));
        g.starts.add(dateKey(str(entry["startDate"]), undefined));
      });
      this.#groups.set(signature, built);
      groups = built;
    }
    return groups.get(JSON.stringify(values));
  }
}

interface EntryGroup<T> {
  readonly entries: T[];
  /** `dateKey(start, end)` of each entry. */
  readonly dates: Set<string>;
  /** `dateKey(start, undefined)` of each entry. */
  readonly starts: Set<string>;
}

const dateKey = (start: string | undefined, end: string | undefined): string =>
  JSON.stringify([start ?? null, end ?? null]);

/** At most this many source date ranges are listed in a violation's reason. */
const MAX_LISTED_RANGES = 10;

interface EntryCheck<T extends Record<string, unknown>> {
  readonly path: string;
  readonly entry: T;
  readonly candidates: EntryIndex<T>;
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
  const used: number[] = [];
  const values: string[] = [];
  if (org !== undefined) {
    c.mark(`${c.path}.${c.orgKey}`);
    used.push(0);
    values.push(normalize(org));
    if (c.candidates.group(used, values) === undefined) {
      c.ungrounded(`${c.path}.${c.orgKey}`, org, `${c.orgLabel} does not appear in the source CV`);
      return;
    }
  }
  for (const [f, field] of c.fields.entries()) {
    const value = str(c.entry[field]);
    if (value === undefined) continue;
    c.mark(`${c.path}.${field}`);
    used.push(f + 1);
    values.push(normalize(value));
    if (c.candidates.group(used, values) === undefined) {
      const where = org === undefined ? "the source CV" : `the source CV for ${org}`;
      c.ungrounded(`${c.path}.${field}`, value, `${field} does not appear in ${where}`);
      return;
    }
  }
  // The dates must be one matching entry's dates, both ends: dropping an end date claims the role is current.
  const start = str(c.entry["startDate"]);
  const end = str(c.entry["endDate"]);
  c.mark(`${c.path}.startDate`);
  c.mark(`${c.path}.endDate`);
  if (start === undefined && end === undefined) return;
  const matches = c.candidates.group(used, values) ?? {
    entries: [],
    dates: new Set<string>(),
    starts: new Set<string>(),
  };
  if (matches.dates.has(dateKey(start, end))) return;
  const startOk = matches.starts.has(dateKey(start, undefined));
  const which = startOk ? "endDate" : "startDate";
  const got = (startOk ? end : start) ?? "";
  const listed = matches.entries
    .slice(0, MAX_LISTED_RANGES)
    .map((s) => `${str(s["startDate"]) ?? "?"} – ${str(s["endDate"]) ?? "present"}`);
  const more = matches.entries.length - listed.length;
  const expected = listed.join(" or ") + (more > 0 ? ` or ${more} more` : "");
  c.ungrounded(
    `${c.path}.${which}`,
    got,
    got === "" ? `${which} removed (source: ${expected})` : `${which} differs from the source CV (source: ${expected})`,
  );
};

const CHECKED_KINDS = new Set(["skill", "acronym", "proper"]);

/** Bookkeeping a tailored CV may set itself; every other `meta` field is checked like prose. */
const META_FIELDS = /^meta\.(lastModified|version|canonical)$/;

const DATE_FIELD = /(^|\.)(startDate|endDate|date|releaseDate)$/;

/** Fields that name someone or something: checked whole, not word by word. */
const NAME_FIELDS: ReadonlySet<string> = new Set(
  "name company entity organization institution awarder issuer publisher network language fluency level title position studyType area".split(
    " ",
  ),
);
const ROLE_INDEX = /^roles\[\d+\]$/;
/** The last segment of a leaf path (after its last `.`) names a name field, or is `roles[i]`. */
const isNameField = (path: string): boolean => {
  const last = path.slice(path.lastIndexOf(".") + 1);
  return NAME_FIELDS.has(last) || ROLE_INDEX.test(last);
};

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
  scanAddresses(decodeEntities(text).normalize("NFKC"))
    .map((a) => trimEndChars(a.toLowerCase(), ".,;:!?]"))
    .filter((a) => a.includes("."));

/** `[\s<>()"']`: never part of an address. */
const isAddressStop = (c: number): boolean =>
  isSpace(c) || c === 0x3c || c === 0x3e || c === 0x28 || c === 0x29 || c === 0x22 || c === 0x27;
const URL_START = /https?:\/\/|www\./iy;

/**
 * What `(?:https?:\/\/|www\.)[^\s<>()"']+|[^\s<>()"'@]{1,64}@[^\s<>()"'@]{1,253}`
 * (global, case-insensitive) matches, by one forward scan: the run of
 * characters before an `@` is measured once, not again from each of its
 * positions.
 */
const scanAddresses = (text: string): string[] => {
  const out: string[] = [];
  const isLocal = (c: number): boolean => !isAddressStop(c) && c !== 0x40;
  let runEnd = -1; // end of the run of local-part characters that holds `at`
  let at = 0;
  while (at < text.length) {
    URL_START.lastIndex = at;
    const url = URL_START.exec(text);
    if (url !== null && at + url[0].length < text.length && !isAddressStop(text.charCodeAt(at + url[0].length))) {
      let end = at + url[0].length;
      while (end < text.length && !isAddressStop(text.charCodeAt(end))) end++;
      out.push(text.slice(at, end));
      at = end;
      continue;
    }
    if (!isLocal(text.charCodeAt(at))) {
      at++;
      continue;
    }
    if (runEnd <= at) {
      runEnd = at;
      while (runEnd < text.length && isLocal(text.charCodeAt(runEnd))) runEnd++;
    }
    // 1–64 local-part characters right before an `@`, then 1–253 domain characters (greedy).
    if (text.charCodeAt(runEnd) === 0x40 && runEnd - at <= 64) {
      let end = runEnd + 1;
      while (end < text.length && end - runEnd <= 253 && isLocal(text.charCodeAt(end))) end++;
      if (end > runEnd + 1) {
        out.push(text.slice(at, end));
        at = end;
        continue;
      }
    }
    at++;
  }
  return out;
};

/** Numbers and skill-like terms in a piece of free text (not in the source whole) that the source does not have. */
const freeTextIssues = (index: SourceIndex, raw: string): { text: string; reason: string }[] => {
  // The caller has already passed text that the source holds whole (see `boundedLookup`).
  const text = decodeEntities(raw).normalize("NFKC");
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
