/**
 * Analytics λ: worker of analytics-events.fifo. Stores each event once and
 * folds it into the weekly aggregates once, keyed on the event id — never on
 * the messageId, which a DLQ redrive changes.
 *
 * The records of an invocation are folded together (one aggregate write per
 * item touched instead of three per event; fold-event.ts): before the FIFO
 * worker walks the batch, the whole batch's fold is started, and the worker
 * then takes each record's outcome in order — so a record is reported done
 * only if every earlier record of its message group is, and logs still carry
 * each record's correlation id. A record after a failed one of its group may
 * have been folded already; its redelivery is then a duplicate.
 */

import { AnalyticsEventMessage } from "@cvpipe/core/contracts/analytics-event-message";
import type { RecordedEvent } from "@cvpipe/core/ports/event-recorder";
import type { SQSEvent, SQSRecord } from "aws-lambda";
import { type EventOutcome, type RecordEventsDeps, recordEvents } from "./app/record-events.ts";
import { analyticsDeps, analyticsSuppressions } from "./composition/analytics.ts";
import { releaseRecords } from "./composition/shared.ts";
import { createLogger, withLambdaContext } from "./logger.ts";
import { createMetrics, withMetrics } from "./metrics.ts";
import { fifoDelivery } from "./worker/fifo-delivery.ts";
import { fifoWorker } from "./worker/fifo-worker.ts";
import { parseRecordBody } from "./worker/record-body.ts";

const logger = createLogger("analytics");
const metrics = createMetrics();
let deps: RecordEventsDeps | undefined;

type Folded =
  | {
      readonly message: AnalyticsEventMessage;
      readonly outcome: EventOutcome;
    }
  | { readonly error: unknown };

/** Each record's fold, started for the whole batch before the worker takes them one by one. */
const folds = new WeakMap<SQSRecord, Promise<Folded>>();

const startFolds = (records: readonly SQSRecord[]): void => {
  deps ??= { recorder: analyticsDeps(process.env, metrics), suppressedSince: analyticsSuppressions(process.env) };
  const readable: { record: SQSRecord; event: RecordedEvent }[] = [];
  for (const record of records) {
    try {
      const delivery = fifoDelivery(record);
      const message = parseRecordBody(record, AnalyticsEventMessage);
      readable.push({ record, event: { message, delivery } });
    } catch (error) {
      folds.set(record, Promise.resolve({ error }));
    }
  }
  if (readable.length === 0) return;
  // Kept for the worker's walk (each record's outcome is caught below).
  const settled = recordEvents(
    deps,
    readable.map((r) => r.event),
  );
  readable.forEach(({ record, event }, i) => {
    folds.set(
      record,
      settled.then(
        (results): Folded => {
          const result = results[i];
          if (result?.status === "fulfilled") return { message: event.message, outcome: result.value };
          return { error: result ? result.reason : new Error(`message ${record.messageId}: no fold result`) };
        },
        (error: unknown): Folded => ({ error }),
      ),
    );
  });
};

const recordEvent = async function recordEvent(record: SQSRecord): Promise<void> {
  if (!folds.has(record)) startFolds([record]);
  const folded = await folds.get(record);
  if (folded === undefined) throw new Error(`message ${record.messageId}: its fold never started`);
  if ("error" in folded) throw folded.error;
  const { message, outcome } = folded;
  if (outcome === "suppressed") {
    logger.info("event dropped: its user's data was deleted after it was sent", { eventId: message.event.eventId });
  } else if (outcome === "stale") {
    logger.warn("event not counted: received longer ago than duplicates can be detected", {
      eventId: message.event.eventId,
      receivedAt: message.receivedAt,
    });
  } else {
    logger.debug("event recorded", { eventId: message.event.eventId, type: message.event.type, outcome });
  }
};

const worker = fifoWorker("analyticsBatch", logger, recordEvent, releaseRecords).use({
  before: (request: { event: SQSEvent }) => {
    startFolds(request.event.Records);
  },
});

export const handler = withMetrics(withLambdaContext(worker, logger), metrics);
