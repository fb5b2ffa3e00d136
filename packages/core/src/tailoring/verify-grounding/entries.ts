/**
 * Entries of a section (jobs, schools, certificates, languages, ...): each
 * tailored entry must be one entry of the source's same section, as a whole.
 * Its identity fields (employer and position, institution and degree,
 * certificate name and issuer, language, ...) pick the source entries it can
 * be; every other field it keeps must be that entry's (dates, URLs, fluency,
 * courses, keywords); its prose (summary, description, highlights) may only
 * use words of that same entry, so a highlight moved under another employer
 * or a "Led" that only another job says is refused. Fields may be omitted.
 */
import { stringLeaves } from "../../resume/text-leaves.ts";
import { str } from "./fields.ts";
import type { Mark, Report } from "./report.ts";
import { ALLOWED_WORDS, foldedWords, SENIORITY_WORDS, stem } from "./words.ts";

/** Fields holding prose (a string, or a list of strings for highlights): read word by word against the entry. */
const TEXT_FIELDS: ReadonlySet<string> = new Set(["summary", "description", "reference", "highlights"]);
const DATE_KEYS = ["startDate", "endDate"] as const;
/** A field the entry does not have, in a signature (no normalized value is this). */
const ABSENT = "\u0000";
/** At most this many source entries with the same identity and fields are compared prose by prose. */
const MAX_CANDIDATES = 8;
/** At most this many source date ranges are listed in a violation's reason. */
const MAX_LISTED_RANGES = 10;

/** One of the fields that tell a section's entries apart. */
export interface IdentityField<T> {
  /** The key the entry holds it in (a job's `name`, or the older `company`). */
  readonly key: (entry: T) => string;
  readonly value: (entry: T) => string | undefined;
  /** In a violation's reason: "employer does not appear in the source CV". */
  readonly label: string;
}

/** How a section's entries are told apart. */
export interface SectionRule<T extends Record<string, unknown>> {
  /** The section's key (`work`, `education`, ...): its entries are at `<path>[i]`. */
  readonly path: string;
  /** In order: the first is the organization (or the entry's name), the rest title fields. */
  readonly identity: readonly IdentityField<T>[];
}

/** A plain identity field, held under its own key. */
export const field = <T extends Record<string, unknown>>(key: string, label = key): IdentityField<T> => ({
  key: () => key,
  value: (e) => str(e[key]),
  label,
});

/** What every check of a verification shares: where it reports, what it marks checked, how it normalizes. */
export interface CheckContext {
  readonly ungrounded: Report;
  readonly mark: Mark;
  readonly norm: (text: string) => string;
  /** Whether a word stem occurs anywhere in the source CV. */
  readonly inSource: (stem: string) => boolean;
}

interface EntryGroup<T> {
  readonly entries: T[];
}

/** The source entries that agree on some fields, and their subgroups by one more field each, built on first use. */
interface GroupNode<T> extends EntryGroup<T> {
  /** Signature key → value → the entries of this group with that value. */
  readonly by: Map<string, Map<string, GroupNode<T>>>;
}

const dateKey = (entry: Record<string, unknown>): string =>
  JSON.stringify([str(entry["startDate"]) ?? null, str(entry["endDate"]) ?? null]);

/**
 * The source entries of one section, grouped by the values of the fields a
 * tailored entry names, so that "the source entries with this employer, this
 * position and these dates" is a few map look-ups, not a scan of every source
 * entry for every tailored one (a CV may list hundreds of entries of one
 * employer). A group is split by a field once, on first use; the look-ups
 * walk the values themselves, so no key string is built per look-up.
 */
class EntryIndex<T extends Record<string, unknown>> {
  readonly #entries: readonly T[];
  readonly #rule: SectionRule<T>;
  readonly #norm: (text: string) => string;
  readonly #root: GroupNode<T>;
  readonly #stems = new Map<T, Set<string>>();
  readonly #strings = new Map<T, Set<string>>();

  constructor(entries: readonly T[], rule: SectionRule<T>, norm: (text: string) => string) {
    this.#entries = entries;
    this.#rule = rule;
    this.#norm = norm;
    this.#root = { entries: [...entries], by: new Map() };
  }

  get size(): number {
    return this.#entries.length;
  }

  /** An entry's value for a signature key: `#<i>` an identity field, `#dates` both dates, else a field. */
  valueOf(entry: T, key: string): string {
    if (key === "#dates") return dateKey(entry);
    if (key.startsWith("#")) {
      const v = this.#rule.identity[Number(key.slice(1))]!.value(entry);
      return v === undefined ? ABSENT : this.#norm(v);
    }
    return signature(entry[key], this.#norm);
  }

  /** The source entries whose value for each of `keys` is the one at the same place in `values` (in the source's order); undefined if none. */
  group(keys: readonly string[], values: readonly string[]): EntryGroup<T> | undefined {
    let node: GroupNode<T> | undefined = this.#root;
    for (let i = 0; i < keys.length && node !== undefined; i++) {
      const key = keys[i]!;
      let split = node.by.get(key);
      if (split === undefined) {
        split = new Map();
        for (const entry of node.entries) {
          const v = this.valueOf(entry, key);
          const sub = split.get(v);
          if (sub === undefined) split.set(v, { entries: [entry], by: new Map() });
          else sub.entries.push(entry);
        }
        node.by.set(key, split);
      }
      node = split.get(values[i]!);
    }
    // With no field named, the group is every source entry: none in a section the source lacks.
    return node !== undefined && node.entries.length > 0 ? node : undefined;
  }

  /** The source entry's own values, normalized: prose kept verbatim needs no word look-up. */
  stringsOf(entry: T): Set<string> {
    let s = this.#strings.get(entry);
    if (s === undefined) {
      s = new Set(stringLeaves(entry).map((leaf) => this.#norm(leaf.text)));
      this.#strings.set(entry, s);
    }
    return s;
  }

  /** The stems of every word the source entry says, read once per entry. */
  stemsOf(entry: T): Set<string> {
    let s = this.#stems.get(entry);
    if (s === undefined) {
      s = new Set();
      for (const leaf of stringLeaves(entry)) for (const w of foldedWords(this.#norm(leaf.text))) s.add(stem(w));
      this.#stems.set(entry, s);
    }
    return s;
  }
}

/** A value as the entry look-up compares it: strings normalized, anything else as JSON. */
const signature = (value: unknown, norm: (text: string) => string): string =>
  value === undefined ? ABSENT : typeof value === "string" ? norm(value) : JSON.stringify(value);

const isStringList = (value: unknown): value is string[] =>
  Array.isArray(value) && value.every((v) => typeof v === "string");

interface Issue {
  readonly path: string;
  readonly text: string;
  readonly reason: string;
}

/**
 * The issues of a tailored entry's prose and lists against one source entry:
 * a list item (course, keyword, role) that entry does not list, and words of
 * the CV that entry does not say (words the whole CV lacks are the free-text
 * check's to report).
 */
const issuesAgainst = <T extends Record<string, unknown>>(
  entry: T,
  path: string,
  candidate: T,
  index: EntryIndex<T>,
  context: CheckContext,
  name: string,
): Issue[] => {
  const issues: Issue[] = [];
  for (const [key, value] of Object.entries(entry)) {
    if (TEXT_FIELDS.has(key)) {
      const texts: (readonly [string, string])[] = typeof value === "string" ? [[`${path}.${key}`, value]] : [];
      if (isStringList(value)) {
        value.forEach((t, j) => {
          texts.push([`${path}.${key}[${j}]`, t]);
        });
      }
      const own = index.stringsOf(candidate);
      for (const [at, text] of texts) {
        // A highlight copied as the entry has it (what the extractive engine does) is the entry's own.
        if (own.has(context.norm(text))) continue;
        const stems = index.stemsOf(candidate);
        const moved = [
          ...new Set(
            foldedWords(context.norm(text)).filter((w) => {
              if (ALLOWED_WORDS.has(w)) return false;
              const s = stem(w);
              return !stems.has(s) && context.inSource(s);
            }),
          ),
        ];
        if (moved.length === 0) continue;
        const senior = moved.filter((w) => SENIORITY_WORDS.has(stem(w)));
        issues.push({
          path: at,
          text: moved.join(" "),
          reason:
            senior.length > 0
              ? `seniority word "${senior.join(" ")}" is not in the source CV's entry for ${name}`
              : `"${moved.join(" ")}" is not in the source CV's entry for ${name} (moved from another entry)`,
        });
      }
    } else if (isStringList(value)) {
      const own = candidate[key];
      const allowed = new Set(isStringList(own) ? own.map(context.norm) : []);
      value.forEach((item, j) => {
        if (!allowed.has(context.norm(item))) {
          issues.push({
            path: `${path}.${key}[${j}]`,
            text: item,
            reason: `${key} not in the source CV's entry for ${name}`,
          });
        }
      });
    }
  }
  return issues;
};

const dateIssue = <T extends Record<string, unknown>>(entry: T, path: string, group: EntryGroup<T>): Issue => {
  const start = str(entry["startDate"]);
  const end = str(entry["endDate"]);
  const startOk = group.entries.some((s) => str(s["startDate"]) === start);
  const which = startOk ? "endDate" : "startDate";
  const got = (startOk ? end : start) ?? "";
  const listed = group.entries
    .slice(0, MAX_LISTED_RANGES)
    .map((s) => `${str(s["startDate"]) ?? "?"} – ${str(s["endDate"]) ?? "present"}`);
  const more = group.entries.length - listed.length;
  const expected = listed.join(" or ") + (more > 0 ? ` or ${more} more` : "");
  return {
    path: `${path}.${which}`,
    text: got,
    // Dropping an end date claims the role is current.
    reason:
      got === ""
        ? `${which} removed (source: ${expected})`
        : `${which} differs from the source CV (source: ${expected})`,
  };
};

/** Every leaf of a field marked checked: a field compared whole is not read again as prose. */
const markAll = (mark: Mark, path: string, value: unknown): void => {
  mark(path);
  if (typeof value === "object" && value !== null) for (const leaf of stringLeaves(value, path)) mark(leaf.path);
};

const checkEntry = <T extends Record<string, unknown>>(
  rule: SectionRule<T>,
  index: EntryIndex<T>,
  entry: T,
  path: string,
  context: CheckContext,
): void => {
  const { ungrounded, mark } = context;
  const keys: string[] = [];
  const values: string[] = [];
  const consumed = new Set<string>();
  let failed = false;
  let name: string | undefined;
  rule.identity.forEach((id, j) => {
    const value = id.value(entry);
    const key = id.key(entry);
    consumed.add(key);
    if (value === undefined) return;
    mark(`${path}.${key}`);
    name ??= value;
    const k = `#${j}`;
    const v = context.norm(value);
    if (!failed && index.group([...keys, k], [...values, v]) !== undefined) {
      keys.push(k);
      values.push(v);
      return;
    }
    // After the first miss each identity field is judged alone: an invented awarder is named even with an invented title.
    if (!failed || index.group([k], [v]) === undefined) {
      const where = keys.length === 0 || failed ? `the source CV's ${rule.path}` : `the source CV for ${name}`;
      ungrounded(`${path}.${key}`, value, `${id.label} does not appear in ${where}`);
    }
    failed = true;
  });
  const scalarKeys = Object.keys(entry).filter(
    (k) =>
      !consumed.has(k) &&
      !TEXT_FIELDS.has(k) &&
      !isStringList(entry[k]) &&
      !(DATE_KEYS as readonly string[]).includes(k),
  );
  if (failed) {
    for (const k of [...DATE_KEYS, ...scalarKeys]) if (entry[k] !== undefined) markAll(mark, `${path}.${k}`, entry[k]);
    return;
  }
  if (index.group(keys, values) === undefined) {
    // A section the source does not have, and an entry with no identity field to name.
    mark(path);
    ungrounded(path, JSON.stringify(entry), `entry does not appear in the source CV's ${rule.path}`);
    return;
  }
  const issues: Issue[] = [];
  const narrow = (key: string, value: string, issue: (group: EntryGroup<T>) => Issue): void => {
    const current = index.group(keys, values)!;
    if (index.group([...keys, key], [...values, value]) === undefined) issues.push(issue(current));
    else {
      keys.push(key);
      values.push(value);
    }
  };
  mark(`${path}.startDate`);
  mark(`${path}.endDate`);
  if (entry["startDate"] !== undefined || entry["endDate"] !== undefined) {
    narrow("#dates", dateKey(entry), (group) => dateIssue(entry, path, group));
  }
  const shown = (v: unknown): string => (typeof v === "string" ? v : JSON.stringify(v));
  for (const k of scalarKeys) {
    markAll(mark, `${path}.${k}`, entry[k]);
    narrow(k, signature(entry[k], context.norm), (group) => {
      const held = [
        ...new Set(
          group.entries
            .map((e) => e[k])
            .filter((v) => v !== undefined)
            .map(shown),
        ),
      ];
      return {
        path: `${path}.${k}`,
        text: shown(entry[k]),
        reason:
          held.length === 0
            ? `${k} is not in the source CV's entry for ${name ?? rule.path}`
            : `${k} differs from the source CV's entry for ${name ?? rule.path} (source: ${held.slice(0, 3).join(" or ")})`,
      };
    });
  }
  for (const [k, v] of Object.entries(entry))
    if (isStringList(v) && !TEXT_FIELDS.has(k)) markAll(mark, `${path}.${k}`, v);
  // The prose and lists must be one source entry's: the one of the (few) left that fits best.
  const candidates = index.group(keys, values)!.entries.slice(0, MAX_CANDIDATES);
  let best: Issue[] | undefined;
  for (const candidate of candidates) {
    const own = index.valueOf(candidate, "#0");
    const found = issuesAgainst(
      entry,
      path,
      candidate,
      index,
      context,
      own === ABSENT ? rule.path : (rule.identity[0]!.value(candidate) ?? rule.path),
    );
    if (best === undefined || found.length < best.length) best = found;
    if (found.length === 0) break;
  }
  for (const issue of [...issues, ...(best ?? [])]) ungrounded(issue.path, issue.text, issue.reason);
};

/**
 * Every tailored entry of a section checked against the source's entries,
 * which are indexed once; violations keep the entries' order.
 */
export const checkSection = <T extends Record<string, unknown>>(
  rule: SectionRule<T>,
  source: readonly T[],
  tailored: readonly T[],
  context: CheckContext,
): void => {
  const index = new EntryIndex(source, rule, context.norm);
  tailored.forEach((entry, i) => {
    if (typeof entry !== "object" || entry === null || Array.isArray(entry)) return;
    checkEntry(rule, index, entry, `${rule.path}[${i}]`, context);
  });
};
