import { findDateRange } from "./dates.ts";
import { findEmail } from "./find-email.ts";
import { findPhone } from "./find-phone.ts";
import type { Resume, ResumeBasics, ResumeEducation, ResumeProject, ResumeSkill, ResumeWork } from "./resume.ts";
import {
  atxHeading,
  blankEmptyBrackets,
  dropTrailingSeparator,
  splitDegreeOf,
  splitGroupLine,
  splitLanguage,
  splitOnSeparators,
  stripEmphasis,
  unlinkMarkdown,
} from "./text-cv-lines.ts";
import { trimEndChars } from "./whitespace.ts";

/**
 * Parses a plain-text or Markdown CV into JSON Resume.
 *
 * Reads: the name (first line), label and contact lines (email, phone, URLs,
 * "City, Region") up to the first section; sections by Markdown heading or by
 * a line naming a known section ("Experience", "WORK HISTORY", "Skills:");
 * entries by sub-heading or by a header line ("Position — Employer",
 * "Position at Employer", "Employer" over "Position") with a date line
 * ("Jan 2020 – Present", "2019-03 - 2021-06", "2018 to 2020"); bullets as
 * highlights; other prose as the entry's summary; skills as "Group: a, b"
 * or comma/pipe-separated lists. The result validates against the JSON
 * Resume schema (only well-formed emails and URLs are kept).
 */
export const parseTextCv = (text: string): Resume => {
  const lines = text.replace(/\r\n?/g, "\n").replace(/\t/g, "    ").split("\n");
  const blocks = splitSections(lines);
  const resume: Resume = {};
  const basics = parseHeader(blocks.header);
  for (const section of blocks.sections) {
    switch (section.kind) {
      case "summary": {
        const summary = paragraphs(section.lines);
        if (summary) basics.summary = basics.summary ? `${basics.summary}\n${summary}` : summary;
        break;
      }
      case "work":
        resume.work = append(resume.work, parseEntries(section).map(toWork));
        break;
      case "volunteer":
        resume.volunteer = append(resume.volunteer, parseEntries(section).map(toVolunteer));
        break;
      case "projects":
        resume.projects = append(resume.projects, parseEntries(section).map(toProject));
        break;
      case "education":
        resume.education = append(resume.education, parseEntries(section).map(toEducation));
        break;
      case "skills":
        resume.skills = append(resume.skills, parseSkills(section.lines));
        break;
      case "languages":
        resume.languages = listItems(section.lines).map((item) => {
          const m = splitLanguage(item);
          return m?.[1] ? { language: m[0].trim(), fluency: m[1].trim() } : { language: item };
        });
        break;
      case "interests":
        resume.interests = listItems(section.lines).map((name) => ({ name }));
        break;
      case "certificates":
        resume.certificates = parseEntries(section).map((e) => ({
          name: e.title,
          ...(e.range?.startDate ? { date: e.range.startDate } : {}),
        }));
        break;
      case "awards":
        resume.awards = parseEntries(section).map((e) => ({
          title: e.title,
          ...(e.range?.startDate ? { date: e.range.startDate } : {}),
          ...(e.summary ? { summary: e.summary } : {}),
        }));
        break;
      case "publications":
        resume.publications = parseEntries(section).map((e) => ({
          name: e.title,
          ...(e.range?.startDate ? { releaseDate: e.range.startDate } : {}),
          ...(e.summary ? { summary: e.summary } : {}),
        }));
        break;
      default:
        break;
    }
  }
  if (Object.keys(basics).length > 0) resume.basics = basics;
  return resume;
};

/**
 * `items` added to the end of `list` in place (a new list when there is none):
 * a repeated section must not copy everything read before it, and a spread of
 * a long list into `push` would overflow the stack.
 */
const append = <T>(list: T[] | undefined, items: readonly T[]): T[] => {
  const out = list ?? [];
  for (const item of items) out.push(item);
  return out;
};

// ---------------------------------------------------------------- sections

type SectionKind =
  | "summary"
  | "work"
  | "volunteer"
  | "projects"
  | "education"
  | "skills"
  | "languages"
  | "interests"
  | "certificates"
  | "awards"
  | "publications"
  | "other";

const SECTION_NAMES: Readonly<Record<string, SectionKind>> = {};
const addNames = (kind: SectionKind, names: string): void => {
  for (const n of names.split("|")) (SECTION_NAMES as Record<string, SectionKind>)[n] = kind;
};
addNames(
  "summary",
  "summary|profile|about|about me|professional summary|career summary|executive summary|objective|career objective|overview|personal statement|professional profile",
);
addNames(
  "work",
  "experience|work experience|professional experience|relevant experience|employment|employment history|work history|career history|career|professional background|positions|work",
);
addNames("volunteer", "volunteer|volunteering|volunteer experience|volunteer work|community involvement");
addNames("projects", "projects|personal projects|side projects|selected projects|key projects|open source|portfolio");
addNames("education", "education|academic background|education and training|academic qualifications|studies|training");
addNames(
  "skills",
  "skills|technical skills|core skills|key skills|skills and tools|skills and technologies|competencies|core competencies|technologies|tools|tech stack|expertise|areas of expertise|technical expertise",
);
addNames("languages", "languages|spoken languages");
addNames("interests", "interests|hobbies|hobbies and interests");
addNames(
  "certificates",
  "certifications|certificates|licenses|licenses and certifications|certifications and licenses",
);
addNames("awards", "awards|honors|honours|awards and honors|achievements|honors and awards");
addNames("publications", "publications|talks|publications and talks|papers");

const normalizeHeading = (text: string): string =>
  text
    .toLowerCase()
    .replace(/&/g, " and ")
    .replace(/[^a-z ]+/g, " ")
    .replace(/\s+/g, " ")
    .trim();

const knownSection = (text: string): SectionKind | undefined =>
  SECTION_NAMES[normalizeHeading(stripEmphasis(text).replace(/:$/, ""))];

const ENTRY_SECTIONS: ReadonlySet<SectionKind> = new Set(["work", "volunteer", "projects", "education"]);

interface Section {
  readonly kind: SectionKind;
  readonly level: number;
  readonly lines: string[];
}

interface HeadingLine {
  readonly level: number;
  readonly text: string;
}

const SETEXT_UNDERLINE = /^\s*(=+|-{3,})\s*$/;
const RULE_LINE = /^\s*(=+|-{3,}|\*{3,}|_{3,})\s*$/;
const STARTS_BULLET = /^\s*[-*+•]\s/;

const headingOf = (line: string, next: string | undefined): HeadingLine | undefined => {
  const md = atxHeading(line);
  if (md) return { level: md.level, text: stripEmphasis(md.text) };
  // Setext: a line underlined with === or ---.
  if (next !== undefined && line.trim() !== "" && SETEXT_UNDERLINE.test(next) && !STARTS_BULLET.test(line)) {
    return { level: next.includes("=") ? 1 : 2, text: stripEmphasis(line) };
  }
  return undefined;
};

const splitSections = (lines: readonly string[]): { header: string[]; sections: Section[] } => {
  const header: string[] = [];
  const sections: Section[] = [];
  let current: Section | undefined;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (RULE_LINE.test(line)) continue; // rules and setext underlines
    const heading = headingOf(line, lines[i + 1]);
    const plain = heading === undefined && /^\S/.test(line) ? knownSection(line) : undefined;
    const isPlainHeading =
      plain !== undefined && (line.trimEnd().endsWith(":") || line.trim().length <= 40) && !STARTS_BULLET.test(line);
    if (heading !== undefined) {
      const kind = knownSection(heading.text);
      const top = header.length === 0 && sections.length === 0 && current === undefined;
      if (kind !== undefined) {
        current = { kind, level: heading.level, lines: [] };
        sections.push(current);
      } else if (top || current === undefined) {
        header.push(heading.text);
      } else if (
        heading.level > current.level ||
        (ENTRY_SECTIONS.has(current.kind) && looksLikeEntryStart(heading.text, nextNonBlank(lines, i + 1)))
      ) {
        current.lines.push(`### ${heading.text}`);
      } else {
        current = { kind: "other", level: heading.level, lines: [] };
        sections.push(current);
      }
      continue;
    }
    if (isPlainHeading) {
      current = { kind: plain, level: 2, lines: [] };
      sections.push(current);
      continue;
    }
    if (isAllCapsHeading(line) && (current !== undefined || header.length > 0)) {
      current = { kind: "other", level: 2, lines: [] };
      sections.push(current);
      continue;
    }
    if (current === undefined) header.push(line);
    else current.lines.push(line);
  }
  return { header, sections };
};

/** The first line at or after `from` that is not blank (a forward scan: no copy of the rest of the document). */
const nextNonBlank = (lines: readonly string[], from: number): string | undefined => {
  for (let i = from; i < lines.length; i++) if (lines[i]!.trim() !== "") return lines[i];
  return undefined;
};

const isAllCapsHeading = (line: string): boolean => {
  const t = line.trim().replace(/:$/, "");
  return /^[A-Z][A-Z &/]+[A-Z]$/.test(t) && t.split(/\s+/).length >= 2 && t.split(/\s+/).length <= 5;
};

// ---------------------------------------------------------------- header

const URL_RE =
  /\b(?:https?:\/\/|www\.)[^\s|,;<>()]+|\b(?:linkedin\.com|github\.com|gitlab\.com|twitter\.com|x\.com)\/[^\s|,;<>()]+/i;

const NETWORKS: ReadonlyArray<readonly [RegExp, string]> = [
  [/linkedin\.com/i, "LinkedIn"],
  [/github\.com/i, "GitHub"],
  [/gitlab\.com/i, "GitLab"],
  [/(?:twitter|x)\.com/i, "Twitter"],
  [/stackoverflow\.com/i, "Stack Overflow"],
];

const normalizeUrl = (raw: string): string | undefined => {
  const url = trimEndChars(raw, ".)]");
  const withScheme = /^https?:\/\//i.test(url) ? url : `https://${url}`;
  try {
    return new URL(withScheme).href === "" ? undefined : withScheme;
  } catch {
    return undefined;
  }
};

const stripMarkdown = (text: string): string =>
  unlinkMarkdown(text.replace(/^\s*#+\s*/, ""))
    .replace(/(\*\*|__)/g, "")
    .trim();

const parseHeader = (raw: readonly string[]): ResumeBasics => {
  const basics: ResumeBasics = {};
  const lines = raw.map(stripMarkdown).filter((l) => l !== "");
  const prose: string[] = [];
  const profiles: NonNullable<ResumeBasics["profiles"]> = [];
  lines.forEach((line, index) => {
    if (index === 0 && findEmail(line) === undefined && !URL_RE.test(line)) {
      basics.name = line;
      return;
    }
    const pieces = splitOnSeparators(line, "|•·", "–—", true)
      .map((p) => p.trim())
      .filter(Boolean);
    let contact = false;
    const rest: string[] = [];
    for (const piece of pieces) {
      const email = findEmail(piece);
      const url = URL_RE.exec(piece);
      const phone = findPhone(piece);
      if (email && basics.email === undefined) {
        basics.email = email.text;
        contact = true;
      } else if (url) {
        const href = normalizeUrl(url[0]);
        const network = NETWORKS.find(([re]) => re.test(url[0]))?.[1] ?? /^([A-Za-z][\w ]*):\s/.exec(piece)?.[1];
        if (href !== undefined && network !== undefined) profiles.push({ network, url: href });
        else if (href !== undefined && basics.url === undefined) basics.url = href;
        contact = true;
      } else if (phone && phone.text.replace(/\D/g, "").length >= 7 && basics.phone === undefined) {
        basics.phone = phone.text.trim();
        contact = true;
      } else if (piece.length <= 60 && pieces.length > 1 && /^[A-Z][\w .'-]*,\s*[A-Z][\w .'-]*$/.test(piece)) {
        const [city, region] = piece.split(/,\s*/);
        basics.location = { city: city!, ...(region ? { region } : {}) };
        contact = true;
      } else {
        rest.push(piece);
      }
    }
    if (contact) return;
    if (basics.label === undefined && prose.length === 0 && line.length <= 120) basics.label = line;
    else prose.push(line);
  });
  if (profiles.length > 0) basics.profiles = profiles;
  if (prose.length > 0) basics.summary = prose.join(" ");
  return basics;
};

// ---------------------------------------------------------------- entries

const BULLET_RE = /^\s*(?:[-*+•▪◦‣–]|\d{1,2}[.)])\s+/;

interface Entry {
  title: string;
  /** Second header line, when the entry writes employer and position on two lines. */
  subtitle?: string;
  range?: ReturnType<typeof findDateRange>;
  location?: string;
  summary?: string;
  highlights: string[];
}

/** A line that starts a new entry in a section without sub-headings. */
const looksLikeEntryStart = (line: string, next: string | undefined): boolean => {
  const t = line.trim();
  if (t === "" || BULLET_RE.test(line) || t.length > 120) return false;
  if (findDateRange(t) !== undefined) return true;
  if (next !== undefined && next.trim() !== "" && !BULLET_RE.test(next) && findDateRange(next) !== undefined) {
    return next.trim().length <= 120;
  }
  return /\s[—–|@]\s|\sat\s/.test(t) && !/[.!?]$/.test(t);
};

const parseEntries = (section: Section): Entry[] => {
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

/** Lines → paragraphs: blank lines separate them, the lines of one are joined with a space. */
const paragraphs = (lines: readonly string[]): string => {
  const out: string[] = [];
  let current: string[] = [];
  for (const raw of lines) {
    const line = raw.trim();
    if (line !== "") current.push(line);
    else if (current.length > 0) {
      out.push(current.join(" "));
      current = [];
    }
  }
  if (current.length > 0) out.push(current.join(" "));
  return out.join("\n");
};

const listItems = (lines: readonly string[]): string[] =>
  lines
    .map((l) => l.replace(BULLET_RE, "").trim())
    .filter(Boolean)
    .flatMap((l) => (BULLET_RE.test(l) ? [l] : splitList(l)));

// ---------------------------------------------------------------- work / education

const TITLE_WORDS =
  /\b(engineer|developer|programmer|manager|director|lead|head|intern|architect|analyst|designer|scientist|consultant|specialist|advisor|adviser|officer|founder|co-founder|cto|ceo|cfo|coo|vp|president|journalist|reporter|editor|producer|administrator|technician|coordinator|associate|instructor|teacher|lecturer|professor|researcher|owner|tester|sre|devops|assistant|representative|writer|strategist|partner|fellow|trainee|apprentice|contractor|freelance|freelancer|principal|staff|senior|junior)\b/i;
const ORG_WORDS =
  /\b(inc|ltd|llc|llp|corp|corporation|gmbh|plc|university|college|school|institute|group|technologies|labs|agency|company|bank|hospital|services|solutions|systems|foundation)\b\.?/i;

const SEPARATORS = [" — ", " – ", " | ", " @ ", " at ", " - ", ", "];

/** "Position — Employer" (either order) → [position, employer]. */
const splitTitle = (title: string, subtitle: string | undefined): [string | undefined, string | undefined] => {
  if (subtitle !== undefined) {
    const subIsTitle = TITLE_WORDS.test(subtitle) && !TITLE_WORDS.test(title);
    return subIsTitle ? [subtitle, title] : [title, subtitle];
  }
  for (const sep of SEPARATORS) {
    const at = title.indexOf(sep);
    if (at <= 0) continue;
    // A comma or hyphen inside a title is common ("Tech Lead, SDKs"): split on them only when one side is an org.
    const left = title.slice(0, at).trim();
    const right = title.slice(at + sep.length).trim();
    if ((sep === ", " || sep === " - ") && !ORG_WORDS.test(right) && !ORG_WORDS.test(left)) continue;
    if (sep === " at " || sep === " @ ") return [left, right];
    const swap = !TITLE_WORDS.test(left) && TITLE_WORDS.test(right) && !ORG_WORDS.test(right);
    return swap ? [right, left] : [left, right];
  }
  return [title || undefined, undefined];
};

const withDates = (range: Entry["range"]): { startDate?: string; endDate?: string } => ({
  ...(range?.startDate ? { startDate: range.startDate } : {}),
  ...(range?.endDate ? { endDate: range.endDate } : {}),
});

const toWork = (e: Entry): ResumeWork => {
  const [position, employer] = splitTitle(e.title, e.subtitle);
  return {
    ...(employer ? { name: employer } : {}),
    ...(position ? { position } : {}),
    ...(e.location ? { location: e.location } : {}),
    ...withDates(e.range),
    ...(e.summary ? { summary: e.summary } : {}),
    ...(e.highlights.length > 0 ? { highlights: e.highlights } : {}),
  };
};

const toVolunteer = (e: Entry): Record<string, unknown> => {
  const [position, organization] = splitTitle(e.title, e.subtitle);
  return {
    ...(organization ? { organization } : {}),
    ...(position ? { position } : {}),
    ...withDates(e.range),
    ...(e.summary ? { summary: e.summary } : {}),
    ...(e.highlights.length > 0 ? { highlights: e.highlights } : {}),
  };
};

const toProject = (e: Entry): ResumeProject => ({
  ...(e.title ? { name: e.title } : {}),
  ...withDates(e.range),
  ...(e.summary ? { description: e.summary } : {}),
  ...(e.highlights.length > 0 ? { highlights: e.highlights } : {}),
});

const INSTITUTION_WORDS =
  /\b(university|college|school|institute|academy|polytechnic|universidade|universit[àé]|escola|ecole|école|hochschule|conservatory|coursera|edx|udacity)\b/i;

const toEducation = (e: Entry): ResumeEducation => {
  let institution: string | undefined;
  let degree: string | undefined;
  const parts = e.subtitle !== undefined ? [e.title, e.subtitle] : splitOnce(e.title, [" — ", " – ", " | ", ", "]);
  if (parts.length === 2) {
    const [a, b] = parts as [string, string];
    const aIsInstitution = INSTITUTION_WORDS.test(a) && !INSTITUTION_WORDS.test(b);
    [degree, institution] = aIsInstitution ? [b, a] : [a, b];
  } else if (INSTITUTION_WORDS.test(e.title)) {
    institution = e.title;
  } else {
    degree = e.title;
  }
  let studyType = degree;
  let area: string | undefined;
  if (degree !== undefined) {
    const at = degree.lastIndexOf(" in ");
    if (at > 0) {
      studyType = degree.slice(0, at).trim();
      area = degree.slice(at + 4).trim();
    } else {
      const of = splitDegreeOf(degree);
      if (of && !/^(arts|science|engineering|business|philosophy|laws|fine arts)\b/i.test(of[1])) {
        studyType = of[0].trim();
        area = of[1].trim();
      }
    }
  }
  return {
    ...(institution ? { institution } : {}),
    ...(area ? { area } : {}),
    ...(studyType ? { studyType } : {}),
    ...withDates(e.range),
    ...(e.summary ? { summary: e.summary } : {}),
    ...(e.highlights.length > 0 ? { courses: e.highlights } : {}),
  };
};

const splitOnce = (text: string, seps: readonly string[]): string[] => {
  for (const sep of seps) {
    const at = text.indexOf(sep);
    if (at > 0) return [text.slice(0, at).trim(), text.slice(at + sep.length).trim()];
  }
  return [text];
};

// ---------------------------------------------------------------- skills

/** Splits "a, b (c, d) | e; f" at top-level commas, pipes, semicolons and bullets. */
export const splitList = (text: string): string[] => {
  const out: string[] = [];
  let depth = 0;
  let start = 0;
  // By code unit: every character looked at is in the BMP, so a surrogate is never one of them.
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === "(" || ch === "[") depth++;
    if (ch === ")" || ch === "]") depth = Math.max(0, depth - 1);
    if (depth === 0 && (ch === "," || ch === "|" || ch === ";" || ch === "•" || ch === "·")) {
      out.push(text.slice(start, i));
      start = i + 1;
    }
  }
  out.push(text.slice(start));
  return out.map((s) => s.trim().replace(/\.$/, "").trim()).filter(Boolean);
};

const parseSkills = (lines: readonly string[]): ResumeSkill[] => {
  const groups: ResumeSkill[] = [];
  const loose: string[] = [];
  let group: ResumeSkill | undefined;
  for (const raw of lines) {
    const t = stripMarkdown(raw.replace(BULLET_RE, "")).trim();
    if (t === "") continue;
    if (raw.startsWith("### ")) {
      group = { name: t.replace(/^###\s*/, ""), keywords: [] };
      groups.push(group);
      continue;
    }
    const colon = splitGroupLine(t);
    if (colon && !/^https?$/i.test(colon[0])) {
      const keywords = splitList(colon[1]);
      groups.push({ name: colon[0].trim(), ...(keywords.length > 0 ? { keywords } : {}) });
      group = undefined;
      continue;
    }
    const items = splitList(t);
    if (group !== undefined) group.keywords = append(group.keywords, items);
    else if (items.length > 1) groups.push({ keywords: items });
    else append(loose, items);
  }
  // Single skills, one per bullet, become one unnamed group... unless each was a named group of its own.
  for (const name of loose) groups.push({ name });
  return groups.map((g) => (g.keywords !== undefined && g.keywords.length === 0 ? { name: g.name ?? "" } : g));
};
