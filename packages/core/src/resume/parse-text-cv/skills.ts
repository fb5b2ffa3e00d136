/** Stage 5: skills and other list sections (languages, interests) split into items. */
import type { ResumeSkill } from "../resume.ts";
import { splitGroupLine } from "../text-cv-lines.ts";
import { append, BULLET_RE, stripMarkdown } from "./lines.ts";

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

export const listItems = (lines: readonly string[]): string[] =>
  lines
    .map((l) => l.replace(BULLET_RE, "").trim())
    .filter(Boolean)
    .flatMap((l) => (BULLET_RE.test(l) ? [l] : splitList(l)));

export const parseSkills = (lines: readonly string[]): ResumeSkill[] => {
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
