import type { EngineName, TailoringOptions } from "../contracts/job-request.ts";
import type { Resume } from "../resume/resume.ts";
import type { PostingView } from "./posting-view.ts";

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
