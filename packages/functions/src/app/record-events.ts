/**
 * The analytics worker's use case: a batch of queued events stored and folded into the weekly aggregates
 * (each exactly once, by the recorder), except the events of a user who asked, after cvpipe received
 * them, for their data to be deleted: those are neither stored nor counted (the deletion removes what is
 * stored; what is still queued must not come back).
 */
import type { AnalyticsEventMessage } from "@cvpipe/core/contracts/analytics-event-message";
import type { SuppressionLookup } from "@cvpipe/core/ports/deletion-store";
import type { BatchEventRecorder, RecordedEvent, RecordOutcome } from "@cvpipe/core/ports/event-recorder";

export interface RecordEventsDeps {
  readonly recorder: BatchEventRecorder;
  /** When a user asked for their data to be deleted, or undefined. */
  readonly suppressedSince: SuppressionLookup;
}

/** "suppressed": its user's data was deleted after it was received, so it was dropped. */
export type EventOutcome = RecordOutcome | "suppressed";

const isSuppressed = async (lookup: SuppressionLookup, message: AnalyticsEventMessage): Promise<boolean> => {
  if (message.userId === undefined) return false;
  const deletedAt = await lookup(message.tenantId, message.userId);
  return deletedAt !== undefined && message.receivedAt <= deletedAt;
};

/**
 * One outcome per event, in order, each settled on its own (as `recordBatch`'s); the suppressed events
 * are left out of the batch the recorder folds. Rejects only when a suppression lookup fails.
 */
export const recordEvents = async (
  deps: RecordEventsDeps,
  events: readonly RecordedEvent[],
): Promise<PromiseSettledResult<EventOutcome>[]> => {
  const suppressed = await Promise.all(events.map(({ message }) => isSuppressed(deps.suppressedSince, message)));
  const folded = await deps.recorder.recordBatch(events.filter((_, i) => !suppressed[i]));
  let next = 0;
  return suppressed.map((s): PromiseSettledResult<EventOutcome> => {
    if (s) return { status: "fulfilled", value: "suppressed" };
    return folded[next++] ?? { status: "rejected", reason: new Error("the recorder gave no outcome for an event") };
  });
};
