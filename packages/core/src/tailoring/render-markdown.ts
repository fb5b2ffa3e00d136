import { isDigit } from "../resume/char-classes.ts";
import type { Resume } from "../resume/resume.ts";
import { type ResumeOutline, resumeOutline } from "../resume/resume-outline.ts";
import { oneLine as foldLines } from "../resume/whitespace.ts";

/** Every character `escapeMarkdown` may change (`!` only before `[`, `&` only before an entity's name; both classes here). */
const MARKDOWN_SPECIAL = /[&<>\\`[\]]/;

/**
 * CV text as literal Markdown text, by backslash escapes alone (CommonMark
 * reads a backslash before ASCII punctuation as that character): `<` and `>`
 * (no raw HTML, no autolinks), backslashes, brackets, `!` before `[` and
 * backticks (no links, images or code spans), and `&` where it would start an
 * entity reference (`&lt;`, `&#60;`). HTML entities would be wrong here: a
 * Markdown file is read as text too, and "R&D" must read "R&D". Other
 * Markdown punctuation is left alone so ordinary text reads as written.
 */
export const escapeMarkdown = (text: string): string =>
  !MARKDOWN_SPECIAL.test(text) ? text : text.replace(/&(?=#?[A-Za-z0-9]+;)|[<>\\`[\]]|!(?=\[)/g, "\\$&");

const STRUCTURAL = " \t|:-=*_+";
const onlyStructural = (line: string): boolean => {
  for (let i = 0; i < line.length; i++) if (!STRUCTURAL.includes(line[i]!)) return false;
  return true;
};

/**
 * Escapes what would make a line of CV text start a block of its own: an
 * ATX heading (`#`), a list item (`- `, `+ `, `* `, `1. `, `1) `), a code
 * fence (`~~~`), or a line of only rule, underline or table-delimiter
 * characters (`---`, `===`, `| --- |`), which would also turn the line above
 * into a heading or a table. A backslash before ASCII punctuation is always
 * the character itself in CommonMark.
 */
const escapeLineStart = (line: string): string => {
  const first = line[0];
  if (first === undefined) return line;
  if (onlyStructural(line)) return line.replace(/[|:\-=*_+]/g, "\\$&");
  if (first === "#" || first === "~") return `\\${line}`;
  if ((first === "-" || first === "+" || first === "*") && (line[1] === " " || line[1] === "\t")) return `\\${line}`;
  let digits = 0;
  while (digits < line.length && isDigit(line.charCodeAt(digits))) digits++;
  if (digits >= 1 && digits <= 9 && (line[digits] === "." || line[digits] === ")")) {
    const after = line[digits + 1];
    if (after === undefined || after === " " || after === "\t")
      return `${line.slice(0, digits)}\\${line.slice(digits)}`;
  }
  return line;
};

/**
 * A field as inline Markdown on one line: every form of line break (CR, LF,
 * CRLF, VT, FF, NEL, U+2028, U+2029) folded into a space, then escaped.
 */
const inline = (text: string): string => escapeMarkdown(foldLines(text));

/** A field that is a line of its own (a paragraph, a list item's text): inline, and no block syntax at its start. */
const lineOf = (text: string): string => escapeLineStart(inline(text));

/**
 * A field wrapped in emphasis (`*meta*`, `**label**`): its own `*` and `_` are
 * escaped, so a location of `*` cannot close the emphasis early or turn the line
 * into a thematic break (`***`).
 */
const emphasized = (text: string, mark: "*" | "**"): string => `${mark}${inline(text).replace(/[*_]/g, "\\$&")}${mark}`;

/** Heading text: a trailing run of `#` would be read as the heading's closing sequence and dropped. */
const headingOf = (text: string): string => {
  const t = inline(text);
  let hashes = t.length;
  while (hashes > 0 && t[hashes - 1] === "#") hashes--;
  return hashes < t.length && (hashes === 0 || t[hashes - 1] === " ") ? `${t.slice(0, hashes)}\\${t.slice(hashes)}` : t;
};

/** A tailored CV as Markdown: `#` name, `##` sections, `###` entries, bullets for highlights. */
export const renderMarkdown = (cv: Resume, outline: ResumeOutline = resumeOutline(cv)): string => {
  const out: string[] = [`# ${headingOf(outline.name)}`];
  if (outline.label) out.push("", emphasized(outline.label, "**"));
  if (outline.contact.length > 0) out.push("", escapeLineStart(outline.contact.map((c) => inline(c.text)).join(" | ")));
  for (const section of outline.sections) {
    out.push("", `## ${headingOf(section.title)}`);
    for (const e of section.entries) {
      out.push("");
      if (e.heading) out.push(`### ${headingOf(e.heading)}`);
      if (e.meta) out.push(emphasized(e.meta, "*"));
      if (e.heading || e.meta) if (e.paragraphs.length > 0 || e.bullets.length > 0) out.push("");
      for (const p of e.paragraphs) out.push(lineOf(p));
      if (e.paragraphs.length > 0 && e.bullets.length > 0) out.push("");
      for (const b of e.bullets) out.push(`- ${lineOf(b)}`);
    }
  }
  return `${out.join("\n").replace(/\n{3,}/g, "\n\n")}\n`;
};
