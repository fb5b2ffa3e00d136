/** Stage 3: the lines of an entry section (work, education, ...) cut into entries with title, dates and bullets. */
import { findDateRange } from "../dates.ts";
import { blankEmptyBrackets, dropTrailingSeparator, splitOnSeparators } from "../text-cv-lines.ts";
import { BULLET_RE, stripMarkdown } from "./lines.ts";
import type { Section } from "./sections.ts";

export interface Entry {
  title: string;
  /** Second header line, when the entry writes employer and position on two lines. */
  subtitle?: string;
  range?: ReturnType<typeof findDateRange>;
  location?: string;
  summary?: string;
  highlights: string[];
}

/** A line that starts a new entry in a section without sub-headings. */
export const looksLikeEntryStart = (line: string, next: string | undefined): boolean => {
  const t = line.trim();
  if (t === "" || BULLET_RE.test(line) || t.length > 120) return false;
  if (findDateRange(t) !== undefined) return true;
  if (next !== undefined && next.trim() !== "" && !BULLET_RE.test(next) && findDateRange(next) !== undefined) {
    return next.trim().length <= 120;
  }
  return /\s[—–|@]\s|\sat\s/.test(t) && !/[.!?]$/.test(t);
};

export const parseEntries = (section: Section): Entry[] => {
  const entries: Entry[] = [];
  const lines = section.lines;
  const hasSubheadings = lines.some((l) => l.startsWith("### "));
  let entry: Entry | undefined;
  let headerOpen = false;
  let summary: string[] = [];
  let lastWasBullet = false;
  let blankBefore = true;

  const finish = (): void => {
    if (entry !== undefined) {
      if (summary.length > 0) entry.summary = summary.join(" ").trim();
      entries.push(entry);
    }
    entry = undefined;
    summary = [];
  };
  const start = (title: string): void => {
    finish();
    entry = { title: stripMarkdown(title), highlights: [] };
    headerOpen = true;
    lastWasBullet = false;
  };

  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const t = line.trim();
    if (t === "") {
      blankBefore = true;
      if (entry !== undefined && (entry.range !== undefined || entry.subtitle !== undefined)) headerOpen = false;
      continue;
    }
    const nextAdjacent = lines[i + 1];
    if (line.startsWith("### ")) {
      start(line.slice(4));
    } else if (BULLET_RE.test(line)) {
      if (entry === undefined) start("");
      headerOpen = false;
      entry!.highlights.push(line.replace(BULLET_RE, "").trim());
      lastWasBullet = true;
      blankBefore = false;
      continue;
    } else if (lastWasBullet && /^\s{2,}\S/.test(line) && entry !== undefined && entry.highlights.length > 0) {
      entry.highlights[entry.highlights.length - 1] += ` ${t}`;
      continue;
    } else if (
      entry === undefined ||
      (!hasSubheadings && (blankBefore || lastWasBullet) && !headerOpen && looksLikeEntryStart(line, nextAdjacent))
    ) {
      start(t);
    } else if (headerOpen && entry !== undefined) {
      const range = entry.range === undefined ? findDateRange(t) : undefined;
      if (range !== undefined && t.length <= 120) {
        entry.range = range;
        const rest = splitOnSeparators(t.replace(range.text, " ").replace(/[()[\]]/g, " "), "|·•,", "–—-", false)
          .map((p) => p.trim())
          .filter(Boolean);
        if (rest.length > 0 && rest.join(", ").length <= 60) entry.location = rest.join(", ");
      } else if (entry.subtitle === undefined && entry.range === undefined && t.length <= 80 && !/[.!?]$/.test(t)) {
        entry.subtitle = stripMarkdown(t);
      } else {
        headerOpen = false;
        summary.push(t);
      }
    } else {
      summary.push(t);
    }
    lastWasBullet = false;
    blankBefore = false;
  }
  finish();
  // Dates written on the title line itself: "Engineer, Acme (2019 - 2021)".
  for (const e of entries) {
    if (e.range === undefined) {
      const range = findDateRange(e.title);
      if (range !== undefined) {
        e.range = range;
        e.title = dropTrailingSeparator(blankEmptyBrackets(e.title.replace(range.text, " ")))
          .replace(/\s+/g, " ")
          .trim();
      }
    }
  }
  return entries;
};
