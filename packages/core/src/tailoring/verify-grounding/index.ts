import type { Resume } from "../../resume/resume.ts";
import { employerOf, stringLeaves, type TextLeaf } from "../../resume/text-leaves.ts";
import { normalize } from "../normalize-text.ts";
import { TextTerms } from "../text-terms.ts";
import type { VerificationReport, Violation } from "../types.ts";
import { bannedClaimViolations } from "./banned-claims.ts";
import { type CheckContext, checkSection, field, type SectionRule } from "./entries.ts";
import { DATE_FIELD, isNameField } from "./fields.ts";
import { freeTextIssues } from "./free-text.ts";
import { checkIdentity } from "./identity.ts";
import { checkBookkeeping } from "./meta.ts";
import { checkBasicsSeniority } from "./seniority.ts";
import { indexSource, textNeedle } from "./source-index.ts";

type Entry = Record<string, unknown>;
/**
 * The sections whose entries are checked whole (entries.ts), each with the
 * fields that tell its entries apart. Skills are not among them: a keyword is
 * a claim about the person, checked against the whole CV, and a model may
 * regroup keywords.
 */
const SECTIONS: readonly SectionRule<Entry>[] = [
  {
    path: "work",
    identity: [
      { key: (w) => (w["name"] !== undefined ? "name" : "company"), value: employerOf, label: "employer" },
      field("position"),
    ],
  },
  { path: "volunteer", identity: [field("organization"), field("position")] },
  { path: "education", identity: [field("institution", "institution"), field("studyType"), field("area")] },
  { path: "projects", identity: [field("name", "project")] },
  { path: "awards", identity: [field("title"), field("awarder")] },
  { path: "certificates", identity: [field("name", "certificate"), field("issuer")] },
  { path: "publications", identity: [field("name", "publication"), field("publisher")] },
  { path: "languages", identity: [field("language")] },
  { path: "interests", identity: [field("name", "interest")] },
  { path: "references", identity: [field("name", "reference")] },
];
const entriesOf = (cv: Resume, path: string): Entry[] => {
  const v = (cv as Record<string, unknown>)[path];
  return Array.isArray(v) ? (v as Entry[]) : [];
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

  checkBookkeeping(source, tailored, ungrounded, mark);
  checkBasicsSeniority(source, tailored, ungrounded, norm, index.hasStem);

  const context: CheckContext = { ungrounded, mark, norm, inSource: (s) => index.hasStem(s) };
  // Each source section is indexed once; every tailored entry is then a few map look-ups.
  for (const rule of SECTIONS)
    checkSection(rule, entriesOf(source, rule.path), entriesOf(tailored, rule.path), context);
  // Skill claims are looked up in the source text together, in one pass over it.
  const skillClaims = (tailored.skills ?? []).flatMap((s) => [
    ...(s.keywords ?? []),
    ...(s.name !== undefined && (s.keywords ?? []).length === 0 ? [s.name] : []),
  ]);
  const hasSkill = index.skillLookup(skillClaims);
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
