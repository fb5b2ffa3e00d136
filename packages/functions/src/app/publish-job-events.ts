import { analyticsEventOutgoing } from "@cvpipe/core/contracts/analytics-event-message";
import { finishedJobEvents } from "@cvpipe/core/jobs/job-outcome";
import type { JobRecord } from "@cvpipe/core/jobs/job-record";
import type { QueuePublisher } from "@cvpipe/core/ports/queue-publisher";

/**
 * Publishes a finished job's analytics events: retractions of earlier endings
 * first, then the outcome that stands — in the job's message group, so they
 * keep that order, deduplicated by event id. Nothing for an unfinished job.
 * `correlationId` (the job message's) goes on with them.
 */
export const publishJobEvents = async (
  queue: QueuePublisher,
  record: JobRecord,
  correlationId?: string,
): Promise<void> => {
  if (record.status !== "SUCCEEDED" && record.status !== "FAILED") return;
  const messages = finishedJobEvents(record).map((event) =>
    analyticsEventOutgoing(
      record,
      // Fixed for ever, not by this publish: the outcome's finish time (a retraction's is the time of the
      // outcome it takes back), so every copy of one ending is judged against the same dedup window.
      { source: "tailor", receivedAt: event.occurredAt, event },
      { deduplicationId: event.eventId, correlationId },
    ),
  );
  await queue.sendBatch("analyticsEvents", messages);
};
