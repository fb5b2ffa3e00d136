/** The JSON a model's answer carries, whatever service ran the model. */
import { EngineOutputInvalidError, type FieldIssue, summarizeIssues } from "../errors.ts";
import type { Resume } from "../resume/resume.ts";
import { resumeShapeProblems } from "../resume/resume-shape.ts";
import { resumeIssues } from "../resume/validate-resume.ts";
import type { Redaction } from "./pii.ts";

const FENCE = "```";

/**
 * The JSON object in a model's reply: inside the first ``` fence that is
 * closed (```json or not), else anywhere in the reply; from the first `{` to
 * the last `}` of that text. What `/```(?:json|JSON)?\s*\n?([\s\S]*?)```/`
 * took as the fence's content, found by two searches instead (that pattern
 * reads the rest of the reply again from each opening fence: quadratic).
 * A reply without one is a SyntaxError, as unparsable JSON is.
 */
export const extractJson = (text: string): unknown => {
  const open = text.indexOf(FENCE);
  const close = open < 0 ? -1 : text.indexOf(FENCE, open + FENCE.length);
  // The fence's language tag and the blank space after it hold no brace: what follows is the same.
  const candidate = close < 0 ? text : text.slice(open + FENCE.length, close);
  const start = candidate.indexOf("{");
  const end = candidate.lastIndexOf("}");
  if (start < 0 || end <= start) throw new SyntaxError("the reply contains no JSON object");
  return JSON.parse(candidate.slice(start, end + 1));
};

/**
 * A model's reply that cannot be used as it stands (not JSON, not a CV's
 * shape, an invalid JSON Resume): the engine asks again saying why, and after
 * its malformed retries turns it into an EngineOutputInvalidError
 * (`invalidAnswerError`).
 */
export class MalformedAnswerError extends Error {
  readonly issues: readonly FieldIssue[];
  constructor(message: string, issues: readonly FieldIssue[] = []) {
    super(message);
    this.name = "MalformedAnswerError";
    this.issues = issues;
  }
}

/**
 * The tailored CV in a model's answer, placeholders restored. `json` is the
 * answer already parsed (a tool call's arguments), else `text` is searched
 * for it (`extractJson`). A `{resume: {...}}` wrapper is unwrapped: models
 * asked for "the tailored CV" add it often enough.
 */
export const parseResumeAnswer = (
  answer: { readonly text: string } | { readonly json: unknown },
  restore: (<T>(value: T) => T) | undefined,
): Resume => {
  let json: unknown;
  if ("json" in answer) {
    json = answer.json;
  } else {
    try {
      json = extractJson(answer.text);
    } catch (error) {
      throw new MalformedAnswerError(`not JSON (${(error as Error).message})`);
    }
  }
  if (json !== null && typeof json === "object" && "resume" in json && !("basics" in json) && !("work" in json)) {
    json = (json as { resume: unknown }).resume;
  }
  const problems = resumeShapeProblems(json);
  if (problems.length > 0) throw new MalformedAnswerError(`wrong shape: ${problems.join("; ")}`);
  const resume = (restore ? restore(json) : json) as Resume;
  const issues = resumeIssues(resume, "resume");
  if (issues.length > 0) throw new MalformedAnswerError(summarizeIssues(issues), issues);
  return resume;
};

/** The final refusal of an answer that stayed malformed after the engine asked again. */
export const invalidAnswerError = (error: MalformedAnswerError): EngineOutputInvalidError =>
  new EngineOutputInvalidError(
    `the model's answer is not a valid JSON Resume: ${error.message}`,
    error.issues.length > 0 ? error.issues : [{ path: "answer", rule: "json", message: error.message }],
  );

/**
 * Placeholders still in a restored answer: a placeholder the model invented or
 * mangled can't be put back, and storing it would lose the CV's details.
 */
export const assertRestored = (resume: Resume, redaction: Redaction | undefined): void => {
  const leftovers = redaction?.leftovers(resume) ?? [];
  if (leftovers.length > 0) {
    throw new EngineOutputInvalidError(
      `the model's answer has placeholders that can't be restored: ${leftovers.join(", ")}`,
      { placeholders: leftovers },
    );
  }
};

/** What the engine says when it asks again after a malformed answer. */
export const retryInstruction = (error: MalformedAnswerError): string =>
  `That answer was not usable: ${error.message}. Reply with only the tailored CV as one JSON Resume object.`;
