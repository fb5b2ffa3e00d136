/** Stage 1: the document's lines cut into a header and sections (by Markdown heading or a known section name). */
import { atxHeading, stripEmphasis } from "../text-cv-lines.ts";
import { looksLikeEntryStart } from "./entries.ts";

export type SectionKind =
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

export interface Section {
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

export const splitSections = (lines: readonly string[]): { header: string[]; sections: Section[] } => {
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
