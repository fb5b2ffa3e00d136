import type { Resume } from "./resume.ts";

/** One piece of free text in a CV, with its path (`work[1].highlights[0]`). */
export interface TextLeaf {
  readonly path: string;
  readonly text: string;
}

/**
 * Every string in a value, depth first, with JSON-Resume-style paths. An
 * explicit stack, not recursion: each leaf is written once (no list copied
 * at every level) and a deep value cannot exhaust the call stack.
 */
export const stringLeaves = (value: unknown, path = ""): TextLeaf[] => {
  const out: TextLeaf[] = [];
  const stack: { value: unknown; path: string }[] = [{ value, path }];
  while (stack.length > 0) {
    const item = stack.pop()!;
    const v = item.value;
    if (typeof v === "string") out.push({ path: item.path, text: v });
    else if (Array.isArray(v)) {
      for (let i = v.length - 1; i >= 0; i--) stack.push({ value: v[i], path: `${item.path}[${i}]` });
    } else if (v !== null && typeof v === "object") {
      const entries = Object.entries(v);
      for (let i = entries.length - 1; i >= 0; i--) {
        const [k, x] = entries[i]!;
        stack.push({ value: x, path: item.path ? `${item.path}.${k}` : k });
      }
    }
  }
  return out;
};

/** The employer of a work entry: `name` in JSON Resume 1.x, `company` in older files. */
export const employerOf = (work: Record<string, unknown>): string | undefined => {
  const name = work["name"] ?? work["company"];
  return typeof name === "string" ? name : undefined;
};

/** Text of each section that speaks to a posting's requirements. */
export const sectionTexts = (cv: Resume): Record<string, string> =>
  Object.fromEntries(Object.entries(sectionParts(cv)).map(([name, parts]) => [name, parts.join("\n")]));

/** The strings of each section that `sectionTexts` joins with line breaks; sections with no text left out. */
export const sectionParts = (cv: Resume): Record<string, string[]> => {
  const join = (parts: unknown[]): string[] => parts.flat(2).filter((p): p is string => typeof p === "string");
  const out: Record<string, string[]> = {
    summary: join([cv.basics?.label, cv.basics?.summary]),
    work: join((cv.work ?? []).map((w) => [w.position, w.summary, w.description, w.highlights])),
    skills: join((cv.skills ?? []).map((s) => [s.name, s.keywords])),
    projects: join((cv.projects ?? []).map((p) => [p.name, p.description, p.highlights, p.keywords, p.roles])),
    education: join((cv.education ?? []).map((e) => [e.studyType, e.area, e.courses])),
  };
  for (const [key, parts] of Object.entries(out)) if (parts.join("\n") === "") delete out[key];
  return out;
};
