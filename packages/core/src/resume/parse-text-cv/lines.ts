/** Line helpers shared by the stages of the text-CV parser. */
import { unlinkMarkdown } from "../text-cv-lines.ts";

export const BULLET_RE = /^\s*(?:[-*+•▪◦‣–]|\d{1,2}[.)])\s+/;

/**
 * `items` added to the end of `list` in place (a new list when there is none):
 * a repeated section must not copy everything read before it, and a spread of
 * a long list into `push` would overflow the stack.
 */
export const append = <T>(list: T[] | undefined, items: readonly T[]): T[] => {
  const out = list ?? [];
  for (const item of items) out.push(item);
  return out;
};

export const stripMarkdown = (text: string): string =>
  unlinkMarkdown(text.replace(/^\s*#+\s*/, ""))
    .replace(/(\*\*|__)/g, "")
    .trim();

/** Lines → paragraphs: blank lines separate them, the lines of one are joined with a space. */
export const paragraphs = (lines: readonly string[]): string => {
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
