import type { Resume, ResumeEducation, ResumeProject, ResumeWork } from "../../resume/resume.ts";
import { employerOf, stringLeaves, type TextLeaf } from "../../resume/text-leaves.ts";
import { normalize } from "../normalize-text.ts";
import { TextTerms } from "../text-terms.ts";
import type { VerificationReport, Violation } from "../types.ts";
import { bannedClaimViolations } from "./banned-claims.ts";
import { type CheckContext, checkSection, type SectionRule } from "./entries.ts";
import { DATE_FIELD, isNameField, META_FIELDS, str } from "./fields.ts";
import { freeTextIssues } from "./free-text.ts";
import { checkIdentity } from "./identity.ts";
import { indexSource, textNeedle } from "./source-index.ts";

const WORK: SectionRule<ResumeWork> = {
  path: "work",
  org: employerOf,
  orgKey: (w) => (w["name"] !== undefined ? "name" : "company"),
  orgLabel: "employer",
  fields: ["position"],
};
const VOLUNTEER: SectionRule<Record<string, unknown>> = {
  path: "volunteer",
  org: (v) => str(v["organization"]),
  orgKey: () => "organization",
  orgLabel: "organization",
  fields: ["position"],
};
const volunteerOf = (cv: Resume) => (cv.volunteer ?? []) as Record<string, unknown>[];
const EDUCATION: SectionRule<ResumeEducation> = {
  path: "education",
  org: (e) => str(e.institution),
  orgKey: () => "institution",
  orgLabel: "institution",
  fields: ["studyType", "area"],
};
const PROJECTS: SectionRule<ResumeProject> = {
  path: "projects",
  org: (p) => str(p.name),
  orgKey: () => "name",
  orgLabel: "project",
  fields: [],
};

/**
 * Checks that a tailored CV claims nothing its source does not.
 *
 * - Identity and contact fields (`basics` name, email, phone, url, image,
 *   location, profiles) are exactly the source's.
 * - Every employer, position, institution, degree (studyType, area) and
 *   project name is the source's, and each entry's dates are the dates the
 *   source gives that same entry.
 * - Every skill keyword exists in the source (as written, or as the same
 *   known skill: "React" for "React.js").
 * - In all free text (summary, highlights, descriptions, ...) every number
 *   (40% is not 60%) and every skill-like term (known skills, acronyms,
 *   product and proper names) occurs in the source.
 * - No phrase of `bannedClaims` occurs anywhere (case-insensitive).
 */
export const verifyGrounding = (
  source: Resume,
  tailored: Resume,
  bannedClaims: readonly string[] = [],
  terms: TextTerms = new TextTerms(),
): VerificationReport => {
  // Tailored values are mostly the source's own: each distinct string is normalized once per call.
  const normalized = new Map<string, string>();
  const norm = (text: string): string => {
    let n = normalized.get(text);
    if (n === undefined) {
      n = normalize(text);
      normalized.set(text, n);
    }
    return n;
  };
  const index = indexSource(source, norm, terms);
  const violations: Violation[] = [];
  const handled = new Set<string>();
  let checked = 0;
  const ungrounded = (path: string, text: string, reason: string): void => {
    violations.push({ code: "UNGROUNDED_CLAIM", path, text, reason });
  };
  const mark = (path: string): void => {
    handled.add(path);
    checked++;
  };

  checkIdentity(source, tailored, ungrounded, mark);

  const context: CheckContext = { ungrounded, mark, norm };
  // Each source section is indexed once; every tailored entry is then a few map look-ups.
  checkSection(WORK, source.work ?? [], tailored.work ?? [], context);
  checkSection(VOLUNTEER, volunteerOf(source), volunteerOf(tailored), context);
  checkSection(EDUCATION, source.education ?? [], tailored.education ?? [], context);
  // Skill claims are looked up in the source text together, in one pass over it.
  const skillClaims = [
    ...(tailored.projects ?? []).flatMap((p) => p.keywords ?? []),
    ...(tailored.skills ?? []).flatMap((s) => [
      ...(s.keywords ?? []),
      ...(s.name !== undefined && (s.keywords ?? []).length === 0 ? [s.name] : []),
    ]),
  ];
  const hasSkill = index.skillLookup(skillClaims);

  checkSection(PROJECTS, source.projects ?? [], tailored.projects ?? [], context, (p, i) => {
    (p.keywords ?? []).forEach((k, j) => {
      mark(`projects[${i}].keywords[${j}]`);
      if (!hasSkill(k)) ungrounded(`projects[${i}].keywords[${j}]`, k, "keyword does not appear in the source CV");
    });
  });
  (tailored.skills ?? []).forEach((s, i) => {
    (s.keywords ?? []).forEach((k, j) => {
      mark(`skills[${i}].keywords[${j}]`);
      if (!hasSkill(k)) ungrounded(`skills[${i}].keywords[${j}]`, k, "skill does not appear in the source CV");
    });
    if (s.name !== undefined && (s.keywords ?? []).length === 0) {
      // A group without keywords is itself a skill claim.
      mark(`skills[${i}].name`);
      if (!hasSkill(s.name)) ungrounded(`skills[${i}].name`, s.name, "skill does not appear in the source CV");
    }
  });

  const allLeaves = stringLeaves(tailored);
  const pending: { leaf: TextLeaf; kind: "date" | "name" | "text"; needle: string }[] = [];
  for (const leaf of allLeaves) {
    if (META_FIELDS.test(leaf.path) || leaf.path === "$schema") continue;
    if (DATE_FIELD.test(leaf.path) && !handled.has(leaf.path)) {
      pending.push({ leaf, kind: "date", needle: "" });
      continue;
    }
    if (handled.has(leaf.path)) continue;
    // Names of organisations, awarders, languages...: the whole value must be one the source has.
    if (isNameField(leaf.path)) pending.push({ leaf, kind: "name", needle: norm(leaf.text) });
    else pending.push({ leaf, kind: "text", needle: textNeedle(leaf.text, norm) });
  }
  // Whether each whole value occurs in the source text: one pass over it for all of them.
  const inSource = index.boundedLookup(pending.map((p) => p.needle));
  pending.forEach(({ leaf, kind }, i) => {
    if (kind === "date") {
      mark(leaf.path);
      if (!index.dates.has(leaf.text)) ungrounded(leaf.path, leaf.text, "date does not appear in the source CV");
      return;
    }
    checked++;
    if (kind === "name") {
      if (!inSource[i]) ungrounded(leaf.path, leaf.text, "name does not appear in the source CV");
      return;
    }
    if (inSource[i]) return;
    for (const v of freeTextIssues(index, leaf.text, norm, terms)) ungrounded(leaf.path, v.text, v.reason);
  });

  violations.push(...bannedClaimViolations(allLeaves, bannedClaims, norm));
  return { passed: violations.length === 0, checkedFields: checked, violations };
};
