import { CORRELATION_ID_ATTRIBUTE, isCorrelationId } from "@cvpipe/core/contracts/message-envelope";
import { PoisonMessageError } from "@cvpipe/core/errors";
import type { Log } from "@cvpipe/core/ports/log";
import type { ReleaseRecords } from "@cvpipe/core/ports/release-records";
import middy from "@middy/core";
import sqsPartialBatchFailure from "@middy/sqs-partial-batch-failure";
import type { SQSBatchResponse, SQSEvent, SQSRecord } from "aws-lambda";
import { CORRELATION_ID_KEY, MESSAGE_ID_KEY } from "../logger.ts";
import { processFifoBatch, SkippedAfterGroupFailure } from "./fifo-batch.ts";

/** What a worker knows about a record besides its body. */
export interface RecordContext {
  /** The correlation id the message carries, when it carries a well-formed one. */
  readonly correlationId?: string;
}

export type WorkerRecordProcessor = (record: SQSRecord, context: RecordContext) => Promise<void>;

/**
 * The worker's own answer, one settled result per record; the
 * sqsPartialBatchFailure middleware turns it into the SQSBatchResponse that
 * Lambda reads, so the handler answers one or the other depending on where
 * you stand.
 */
export type WorkerAnswer = SQSBatchResponse | PromiseSettledResult<void>[];

const isPoison = (reason: unknown): boolean => reason instanceof PoisonMessageError;

/**
 * The record's correlation id (message attribute CORRELATION_ID_ATTRIBUTE).
 * Anyone who can send to the queue can set attributes, so a value that is not
 * a well-formed id is ignored, as the ingress ignores such a header.
 */
export const recordCorrelationId = (record: SQSRecord): string | undefined => {
  const value = record.messageAttributes?.[CORRELATION_ID_ATTRIBUTE]?.stringValue;
  return isCorrelationId(value) ? value : undefined;
};

/**
 * Poison records (bodies no version of the worker can read) fail on every
 * delivery. They do not hold their group (later records of the group are
 * processed), and instead of waiting out a visibility timeout per try they are
 * released at once, so they reach the DLQ after maxReceiveCount quick tries.
 * Other failures hold the group and keep the visibility timeout as backoff.
 */
export const poisonReleases = (records: readonly SQSRecord[], results: readonly PromiseSettledResult<void>[]) =>
  records
    .filter((_, i) => {
      const result = results[i];
      return result?.status === "rejected" && isPoison(result.reason);
    })
    .map((r) => r.receiptHandle);

/**
 * A FIFO queue worker as a Lambda handler: FIFO-safe partial batch response
 * (see processFifoBatch), failures logged with the record's identity, poison
 * records released at once when `release` is given. Every line logged while a
 * record is processed carries its message id and correlation id (records are
 * processed one at a time, so the keys are the record's alone).
 *
 * The entry file adds the Lambda context and the metrics flush
 * (withLambdaContext, withMetrics).
 */
export const fifoWorker = (
  name: string,
  logger: Log,
  processRecord: WorkerRecordProcessor,
  release?: () => ReleaseRecords,
) => {
  const processWithCorrelation = async (record: SQSRecord): Promise<void> => {
    const correlationId = recordCorrelationId(record);
    // The SQS message id on every line too: an operator holding one (from `cvpipe dlq peek`) finds its lines.
    logger.appendKeys({
      [MESSAGE_ID_KEY]: record.messageId,
      ...(correlationId === undefined ? {} : { [CORRELATION_ID_KEY]: correlationId }),
    });
    try {
      await processRecord(record, correlationId === undefined ? {} : { correlationId });
    } finally {
      logger.removeKeys([MESSAGE_ID_KEY, CORRELATION_ID_KEY]);
    }
  };
  const worker = async (event: SQSEvent): Promise<PromiseSettledResult<void>[]> => {
    const results = await processFifoBatch(event.Records, processWithCorrelation, (error) => !isPoison(error));
    const handles = poisonReleases(event.Records, results);
    const arn = event.Records[0]?.eventSourceARN;
    if (release && arn && handles.length > 0) {
      // Best effort: if this fails, the records simply wait out their visibility timeout.
      await release()(arn, handles).catch((error: unknown) =>
        logger.warn("could not release poison records early", { error: error as Error }),
      );
    }
    return results;
  };
  Object.defineProperty(worker, "name", { value: name });
  return middy<SQSEvent, WorkerAnswer>(worker).use(
    sqsPartialBatchFailure({
      logger: (reason: unknown, record: SQSRecord) => {
        const error = reason instanceof Error ? reason : new Error(String(reason));
        const level = error instanceof SkippedAfterGroupFailure ? "info" : "warn";
        const correlationId = recordCorrelationId(record);
        logger[level]("record failed; it will be redelivered", {
          messageId: record.messageId,
          groupId: record.attributes.MessageGroupId,
          receiveCount: record.attributes.ApproximateReceiveCount,
          ...(correlationId === undefined ? {} : { [CORRELATION_ID_KEY]: correlationId }),
          error,
        });
      },
    }),
  );
};
