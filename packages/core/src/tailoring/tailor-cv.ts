import { EngineOutputInvalidError, summarizeIssues, VerificationError } from "../errors.ts";
import type { TailoringEngine } from "../ports/tailoring-engine.ts";
import { resumeOutline } from "../resume/resume-outline.ts";
import { resumeIssues } from "../resume/validate-resume.ts";
import { matchReport } from "./match-report.ts";
import { renderHtml } from "./render-html.ts";
import { renderMarkdown } from "./render-markdown.ts";
import { withTextTerms } from "./text-terms.ts";
import type { TailoringResult, TailorRequest, Violation } from "./types.ts";
import { verifyGrounding } from "./verify-grounding/index.ts";

export interface TailorCvOptions {
  /** Phrases that must never appear in output (`BANNED_CLAIMS`). */
  readonly bannedClaims: readonly string[];
}

/**
 * Runs an engine, then holds its output to the same bar whatever the engine:
 * a valid JSON Resume (else an EngineOutputInvalidError, `ENGINE_OUTPUT_INVALID`)
 * that claims nothing the source CV does not (else a VerificationError,
 * `BANNED_CLAIM` or `UNGROUNDED_CLAIM`, with the violations as `details`). All three are final: retrying cannot fix them.
 * Engine errors (e.g. a retryable `ENGINE_UNAVAILABLE`) pass through.
 *
 * @example
 * const result = await tailorCv(new LocalEngine(), { cv, posting, options: {} }, { bannedClaims: [] });
 * result.match.score; // 0–100
 */
export const tailorCv = (
  engine: TailoringEngine,
  request: TailorRequest,
  options: TailorCvOptions,
): Promise<TailoringResult> =>
  // One memo of tokens and terms for the job: the local engine, the verifier and the match report share it.
  withTextTerms(request, async (terms) => {
    const output = await engine.tailor(request);
    const issues = resumeIssues(output.resume, "resume");
    if (issues.length > 0) {
      throw new EngineOutputInvalidError(
        `the ${engine.name} engine returned an invalid JSON Resume: ${summarizeIssues(issues)}`,
        issues,
      );
    }
    const verification = verifyGrounding(request.cv, output.resume, options.bannedClaims, terms);
    if (!verification.passed) throw groundingError(verification.violations);
    const resume = output.resume;
    // One outline of the CV for both renderings.
    const outline = resumeOutline(resume);
    return {
      engine: engine.name,
      ...(output.modelId === undefined ? {} : { modelId: output.modelId }),
      resume,
      markdown: renderMarkdown(resume, outline),
      html: renderHtml(resume, outline),
      match: matchReport(resume, request.posting, terms),
      verification,
      ...(output.usage === undefined ? {} : { usage: output.usage }),
    };
  });

/** BANNED_CLAIM wins over UNGROUNDED_CLAIM; the message names the first offending text. */
export const groundingError = (violations: readonly Violation[]): VerificationError => {
  const banned = violations.find((v) => v.code === "BANNED_CLAIM");
  const first = banned ?? violations[0]!;
  const what = first.code === "BANNED_CLAIM" ? "a banned claim" : "an ungrounded claim";
  const more = violations.length > 1 ? ` (+${violations.length - 1} more)` : "";
  return new VerificationError(
    `tailored CV contains ${what}: "${first.text}" at ${first.path}: ${first.reason}${more}`,
    first.code,
    violations,
  );
};
