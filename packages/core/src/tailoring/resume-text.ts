import type { Resume } from "../resume/resume.ts";

/** One piece of free text in a CV, with its path (`work[1].highlights[0]`). */
export interface TextLeaf {
  readonly path: string;
  readonly text: string;
}

/** Every string in a value, depth first, with JSON-Resume-style paths. */
export const stringLeaves = (value: unknown, path = ""): TextLeaf[] => {
  if (typeof value === "string") return [{ path, text: value }];
  if (Array.isArray(value)) return value.flatMap((v, i) => stringLeaves(v, `${path}[${i}]`));
  if (value !== null && typeof value === "object") {
    return Object.entries(value).flatMap(([k, v]) => stringLeaves(v, path ? `${path}.${k}` : k));
  }
  return [];
};

/** The employer of a work entry: `name` in JSON Resume 1.x, `company` in older files. */
export const employerOf = (work: Record<string, unknown>): string | undefined => {
  const name = work["name"] ?? work["company"];
  return typeof name === "string" ? name : undefined;
};

/** Text of each section that speaks to a job's requirements. */
export const sectionTexts = (cv: Resume): Record<string, string> => {
  const join = (parts: unknown[]): string =>
    parts
      .flat(2)
      .filter((p): p is string => typeof p === "string")
      .join("\n");
  const out: Record<string, string> = {
    summary: join([cv.basics?.label, cv.basics?.summary]),
    work: join((cv.work ?? []).map((w) => [w.position, w.summary, w.description, w.highlights])),
    skills: join((cv.skills ?? []).map((s) => [s.name, s.keywords])),
    projects: join((cv.projects ?? []).map((p) => [p.name, p.description, p.highlights, p.keywords, p.roles])),
    education: join((cv.education ?? []).map((e) => [e.studyType, e.area, e.courses])),
  };
  for (const key of Object.keys(out)) if (out[key] === "") delete out[key];
  return out;
};
