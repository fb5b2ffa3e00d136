import type { AnalyticsEventMessage } from "@cvpipe/core/contracts/analytics-event-message";
import { messageBody, messageGroupId } from "@cvpipe/core/contracts/message-envelope";
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
  const messages = finishedJobEvents(record).map((event) => {
    const body: AnalyticsEventMessage = {
      schema: "analytics-event.v1",
      tenantId: record.tenantId,
      userId: record.userId,
      source: "tailor",
      // Fixed for ever, not by this publish: the outcome's finish time (a retraction's is the time of the
      // outcome it takes back), so every copy of one ending is judged against the same dedup window.
      receivedAt: event.occurredAt,
      event,
    };
    return {
      body: messageBody(body),
      groupId: messageGroupId(record.tenantId, record.userId),
      deduplicationId: event.eventId,
      ...(correlationId === undefined ? {} : { correlationId }),
    };
  });
  await queue.sendBatch("analyticsEvents", messages);
};
