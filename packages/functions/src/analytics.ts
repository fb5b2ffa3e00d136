/**
 * Analytics λ: consumer of analytics-events.fifo. Stores each event once and
 * folds it into the weekly aggregates once, keyed on the event id and the FIFO
 * sequence number — never on the messageId, which a DLQ redrive changes.
 */

import { AnalyticsEventMessage } from "@cvpipe/core/contracts/messages";
import type { EventRecorder } from "@cvpipe/core/ports/event-recorder";
import type { SQSRecord } from "aws-lambda";
import { analyticsDeps, releaseRecords } from "./composition.ts";
import { createLogger } from "./logger.ts";
import { fifoWorker } from "./middleware/fifo-worker.ts";
import { parseRecordBody } from "./middleware/record-body.ts";

const logger = createLogger("analytics");
let recorder: EventRecorder | undefined;

const recordEvent = async function recordEvent(record: SQSRecord): Promise<void> {
  recorder ??= analyticsDeps();
  const message = parseRecordBody(record, AnalyticsEventMessage);
  const outcome = await recorder.record(message, {
    sequenceNumber: record.attributes.SequenceNumber ?? "0",
    messageGroupId: record.attributes.MessageGroupId ?? "",
  });
  if (outcome === "stale") {
    logger.warn("event not counted: received longer ago than duplicates can be detected", {
      eventId: message.event.eventId,
      receivedAt: message.receivedAt,
    });
  } else {
    logger.debug("event recorded", { eventId: message.event.eventId, type: message.event.type, outcome });
  }
};

export const handler = fifoWorker("analyticsBatch", logger, recordEvent, releaseRecords);
