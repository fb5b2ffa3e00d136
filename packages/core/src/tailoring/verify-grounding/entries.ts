/**
 * Entries of a section (jobs, volunteering, schools, projects): each tailored
 * entry must be one the source has, with that entry's own dates.
 */
import { str } from "./fields.ts";
import type { Mark, Report } from "./report.ts";

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

  constructor(
    entries: readonly T[],
    org: (entry: T) => string | undefined,
    fields: readonly string[],
    norm: (text: string) => string,
  ) {
    this.#entries = entries;
    this.#keys = entries.map((e) => [norm(org(e) ?? ""), ...fields.map((f) => norm(str(e[f]) ?? ""))]);
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
  readonly mark: Mark;
  readonly norm: (text: string) => string;
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
    values.push(c.norm(org));
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
    values.push(c.norm(value));
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

/** What every check of a verification shares: where it reports, what it marks checked, how it normalizes. */
export interface CheckContext {
  readonly ungrounded: Report;
  readonly mark: Mark;
  readonly norm: (text: string) => string;
}

/** How a section's entries are told apart: by an organization, then title fields. */
export interface SectionRule<T extends Record<string, unknown>> {
  /** The section's key (`work`, `education`, ...): its entries are at `<path>[i]`. */
  readonly path: string;
  readonly org: (entry: T) => string | undefined;
  /** The field an entry holds its organization in (a job's `name`, or the older `company`). */
  readonly orgKey: (entry: T) => string;
  /** The organization in a violation's reason ("employer does not appear ..."). */
  readonly orgLabel: string;
  /** Fields that must equal the matched source entry's (position; studyType, area). */
  readonly fields: readonly string[];
}

/**
 * Every tailored entry of a section checked against the source's entries,
 * which are indexed once; `each` runs after each entry's check (a project's
 * keywords), so violations keep the entries' order.
 */
export const checkSection = <T extends Record<string, unknown>>(
  rule: SectionRule<T>,
  source: readonly T[],
  tailored: readonly T[],
  context: CheckContext,
  each?: (entry: T, i: number) => void,
): void => {
  const candidates = new EntryIndex(source, rule.org, rule.fields, context.norm);
  tailored.forEach((entry, i) => {
    checkEntry({
      ...context,
      path: `${rule.path}[${i}]`,
      entry,
      candidates,
      orgKey: rule.orgKey(entry),
      org: rule.org,
      orgLabel: rule.orgLabel,
      fields: rule.fields,
    });
    each?.(entry, i);
  });
};
