import { ValidationError } from "@cvpipe/core/errors";
import { parseTextCv } from "@cvpipe/core/resume/parse-text-cv";
import type { Resume } from "@cvpipe/core/resume/resume";
import { resumeIssues } from "@cvpipe/core/resume/validate-resume";

/** The request's CV as a valid JSON Resume: text/Markdown is parsed, objects are checked. */
export const toResume = (cv: string | Record<string, unknown>): Resume => {
  const resume = typeof cv === "string" ? parseTextCv(cv) : (cv as Resume);
  const issues = resumeIssues(resume, "cv");
  if (issues.length > 0) throw new ValidationError(issues);
  return resume;
};
