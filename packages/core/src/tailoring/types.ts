import type { EngineName } from "../contracts/job-constants.ts";
import type { TailoringOptions } from "../contracts/job-request.ts";
import type { Resume } from "../resume/resume.ts";
import type { PostingView } from "./posting-view.ts";
import type { ScreeningChecks } from "./screening-checks.ts";
import type { RequirementGroup } from "./skill-vocabulary.ts";

export type { ScreeningChecks };

export interface TokenUsage {
  readonly inputTokens: number;
  readonly outputTokens: number;
  readonly totalTokens: number;
}

/**
 * What one engine is asked to do. The CV is already a valid JSON Resume; the
 * posting is one view of either form a producer sends (`postingView`).
 */
export interface TailorRequest {
  readonly cv: Resume;
  readonly posting: PostingView;
  readonly options: TailoringOptions;
}

/** What an engine returns before verification. */
export interface EngineOutput {
  readonly resume: Resume;
  readonly usage?: TokenUsage;
  readonly modelId?: string;
}

/** The port lives in ports/; re-exported for the code that still imports it from here. */
export type { TailoringEngine } from "../ports/tailoring-engine.ts";

export interface MatchReport {
  /** 0–100. */
  readonly score: number;
  readonly matchedKeywords: readonly string[];
  readonly missingKeywords: readonly string[];
  /** Relevance 0–100 per section (`work`, `skills`, `projects`, ...). */
  readonly sections: Readonly<Record<string, number>>;
  /** Each requirement: its group, counts, where the CV meets it and how; met ones first, then the missing in screening order. */
  readonly requirements: readonly RequirementMatch[];
  /** What recruiters screen on besides keywords. */
  readonly checks: ScreeningChecks;
}

/** A CV entry: `work` 2 is `work[2]`; the summary has no index. */
export interface CvPlace {
  readonly section: string;
  readonly index?: number;
  /** Position and employer, skill group, project or degree, as the CV names it. */
  readonly label?: string;
}

export interface RequirementMatch {
  /** As the posting writes it. */
  readonly requirement: string;
  /** Hard skills and tools, soft skills, or other (domains, practices, competences). */
  readonly group: RequirementGroup;
  /** One of the posting's own `skills[].keywords`. */
  readonly explicit: boolean;
  /** Times the posting writes it. */
  readonly postingCount: number;
  /** Times the CV writes it (all its words in one entry). */
  readonly cvCount: number;
  /**
   * `exact`: the CV writes it as the posting does; `variant`: other word forms
   * ("A/B testing" for "A/B tests"); `synonym`: a known skill by another name
   * ("JavaScript" for "ES6"; an ATS may want the exact term); `missing`.
   */
  readonly match: "exact" | "variant" | "synonym" | "missing";
  /** The CV's words that matched, lower-case. */
  readonly cvTerms?: readonly string[];
  readonly foundIn: readonly CvPlace[];
}

export type ViolationCode = "UNGROUNDED_CLAIM" | "BANNED_CLAIM";

export interface Violation {
  readonly code: ViolationCode;
  /** Where in the tailored CV, e.g. `work[1].position`. */
  readonly path: string;
  /** The offending text. */
  readonly text: string;
  readonly reason: string;
}

export interface VerificationReport {
  readonly passed: boolean;
  readonly checkedFields: number;
  readonly violations: readonly Violation[];
}

/** A verified tailoring: what the job record stores on success. */
export interface TailoringResult {
  readonly engine: EngineName;
  readonly modelId?: string;
  readonly resume: Resume;
  readonly markdown: string;
  readonly html: string;
  readonly match: MatchReport;
  readonly verification: VerificationReport;
  readonly usage?: TokenUsage;
}
