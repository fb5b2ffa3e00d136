/**
 * The analytics events a finished job publishes: its outcome, and a retraction
 * of every earlier outcome it superseded (a retryable failure that was
 * redriven and ended again). Pure functions of the job record, so a
 * re-publish (a retry, a redelivery of a finished job) sends the same events
 * with the same ids and the fold counts each once (fold-event.ts).
 */
import {
  MAX_OUTCOME_KEYWORDS,
  type TailoringOutcomeEvent,
  type TailoringRetractionEvent,
} from "../contracts/analytics-event.ts";
import type { JobRecord } from "./job-record.ts";

/** The outcome of the job's current ending; one id per attempt that ended it. */
export const outcomeEvent = (record: JobRecord): TailoringOutcomeEvent => {
  const end = record.finishedAt ?? record.updatedAt;
  const match = record.result?.match;
  return {
    eventId: `tailoring-outcome-${record.jobId}-${record.attempts}`,
    type: "tailoring.outcome",
    occurredAt: end,
    jobId: record.jobId,
    engine: record.engine,
    outcome: record.status === "SUCCEEDED" ? "succeeded" : "failed",
    ...(record.error ? { errorCode: record.error.code } : {}),
    latencyMs: Math.max(0, Date.parse(end) - Date.parse(record.createdAt)),
    ...(match ? { matchScore: match.score } : {}),
    ...(record.usage ? { inputTokens: record.usage.inputTokens, outputTokens: record.usage.outputTokens } : {}),
    missingKeywords: [...(match?.missingKeywords ?? [])].slice(0, MAX_OUTCOME_KEYWORDS),
  };
};

export const retractionEvent = (superseded: TailoringOutcomeEvent): TailoringRetractionEvent => ({
  eventId: superseded.eventId.replace(/^tailoring-outcome-/, "tailoring-retraction-"),
  type: "tailoring.retraction",
  occurredAt: superseded.occurredAt,
  jobId: superseded.jobId,
  supersedes: superseded,
});

/** In publishing order: retractions first, then the outcome that stands. */
export const finishedJobEvents = (record: JobRecord): (TailoringOutcomeEvent | TailoringRetractionEvent)[] => [
  ...(record.supersededOutcomes ?? []).map(retractionEvent),
  outcomeEvent(record),
];
