import { InvalidCvError, ValidationError } from "../errors.ts";
import { parseTextCv } from "./parse-text-cv/index.ts";
import type { Resume } from "./resume.ts";
import { resumeIssues } from "./validate-resume.ts";

/**
 * A request's `cv` → a valid JSON Resume.
 *
 * - An object must already be one: otherwise a ValidationError
 *   (`VALIDATION_ERROR`) whose issues point into it (`body.cv.work[2].startDate`).
 * - Text is parsed (`parseTextCv`); if nothing CV-like comes out, or the result
 *   would not validate, an InvalidCvError (`INVALID_CV`) with field issues.
 *
 * @example
 * const cv = normalizeCv(request.cv, "body.cv");
 */
/** Something to tailor: at least one work, education, skills or projects entry, or a summary. */
const hasContent = (cv: Resume): boolean =>
  (cv.work?.length ?? 0) +
    (cv.education?.length ?? 0) +
    (cv.skills?.length ?? 0) +
    (cv.projects?.length ?? 0) +
    (cv.basics?.summary ? 1 : 0) >
  0;

export const normalizeCv = (cv: string | Record<string, unknown>, root = "cv"): Resume => {
  if (typeof cv !== "string") {
    const issues = resumeIssues(cv, root);
    if (issues.length === 0 && !hasContent(cv as Resume)) {
      issues.push({
        path: root,
        rule: "content",
        message: "has nothing to tailor: add work, education, skills or projects entries, or basics.summary",
      });
    }
    if (issues.length > 0) throw new ValidationError(issues);
    return cv as Resume;
  }
  const parsed = parseTextCv(cv);
  const issues = resumeIssues(parsed, root);
  if (!hasContent(parsed)) {
    issues.push({
      path: root,
      rule: "sections",
      message:
        "no CV sections found: expected headings such as Experience, Education, Skills or Summary (Markdown # headings or lines of their own)",
    });
  }
  if (issues.length > 0) {
    throw new InvalidCvError(`the text CV could not be read: ${issues[0]!.path}: ${issues[0]!.message}`, issues);
  }
  return parsed;
};
