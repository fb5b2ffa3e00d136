/** Stage 4: entries mapped to JSON Resume work, volunteer, project and education items. */
import type { ResumeEducation, ResumeProject, ResumeWork } from "../resume.ts";
import { splitDegreeOf } from "../text-cv-lines.ts";
import type { Entry } from "./entries.ts";

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

export const toWork = (e: Entry): ResumeWork => {
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

export const toVolunteer = (e: Entry): Record<string, unknown> => {
  const [position, organization] = splitTitle(e.title, e.subtitle);
  return {
    ...(organization ? { organization } : {}),
    ...(position ? { position } : {}),
    ...withDates(e.range),
    ...(e.summary ? { summary: e.summary } : {}),
    ...(e.highlights.length > 0 ? { highlights: e.highlights } : {}),
  };
};

export const toProject = (e: Entry): ResumeProject => ({
  ...(e.title ? { name: e.title } : {}),
  ...withDates(e.range),
  ...(e.summary ? { description: e.summary } : {}),
  ...(e.highlights.length > 0 ? { highlights: e.highlights } : {}),
});

const INSTITUTION_WORDS =
  /\b(university|college|school|institute|academy|polytechnic|universidade|universit[àé]|escola|ecole|école|hochschule|conservatory|coursera|edx|udacity)\b/i;

export const toEducation = (e: Entry): ResumeEducation => {
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
