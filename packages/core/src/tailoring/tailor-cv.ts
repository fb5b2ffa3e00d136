import { CvpipeError } from "../errors.ts";
import type { Resume } from "../resume/resume.ts";
import type { TailoringEngine, TailoringResult, TailorRequest } from "./types.ts";

export interface TailorCvOptions {
  /** Phrases that must never appear in output (`BANNED_CLAIMS`). */
  readonly bannedClaims: readonly string[];
}

/**
 * Runs an engine and verifies its output against the source CV.
 * Throws CvpipeError(UNGROUNDED_CLAIM | BANNED_CLAIM) when verification fails.
 *
 * PLACEHOLDER (foundation issue): verifies only banned claims and renders
 * trivially. The tailoring issue replaces it with the real verifier, match
 * report and renderings, keeping this signature.
 */
export const tailorCv = async (
  engine: TailoringEngine,
  request: TailorRequest,
  options: TailorCvOptions,
): Promise<TailoringResult> => {
  const output = await engine.tailor(request);
  const text = JSON.stringify(output.resume).toLowerCase();
  const banned = options.bannedClaims.find((c) => text.includes(c.toLowerCase()));
  if (banned !== undefined) {
    throw new CvpipeError(`tailored CV contains a banned claim: "${banned}"`, {
      code: "BANNED_CLAIM",
      details: [{ code: "BANNED_CLAIM", path: "(cv)", text: banned, reason: "listed in BANNED_CLAIMS" }],
    });
  }
  const resume: Resume = output.resume;
  return {
    engine: engine.name,
    resume,
    markdown: `# ${resume.basics?.name ?? "CV"}\n`,
    html: `<h1>${resume.basics?.name ?? "CV"}</h1>`,
    match: { score: 0, matchedKeywords: [], missingKeywords: [], sections: {} },
    verification: { passed: true, checkedFields: 0, violations: [] },
    ...(output.usage ? { usage: output.usage } : {}),
    ...(output.modelId ? { modelId: output.modelId } : {}),
  };
};
