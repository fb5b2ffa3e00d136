import type { Resume } from "./resume.ts";

/**
 * Parses a plain-text or Markdown CV into JSON Resume.
 *
 * PLACEHOLDER (foundation issue): keeps the text as the summary. The
 * tailoring issue replaces it with the real section parser, keeping this
 * signature.
 */
export const parseTextCv = (text: string): Resume => ({
  basics: { summary: text.trim() },
});
