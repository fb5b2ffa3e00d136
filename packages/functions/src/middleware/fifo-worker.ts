import type { Logger } from "@aws-lambda-powertools/logger";
import { CvpipeError } from "@cvpipe/core/errors";
import middy from "@middy/core";
import sqsPartialBatchFailure from "@middy/sqs-partial-batch-failure";
import type { SQSBatchResponse, SQSEvent, SQSRecord } from "aws-lambda";
import { processFifoBatch, SkippedAfterGroupFailure } from "./fifo-batch.ts";

/** Makes records visible again now (SQS ChangeMessageVisibility 0). */
export type ReleaseRecords = (queueArn: string, receiptHandles: readonly string[]) => Promise<void>;

const isPoison = (reason: unknown): boolean => reason instanceof CvpipeError && reason.code === "POISON_MESSAGE";

/**
 * Poison records (bodies no version of the consumer can read) will fail on
 * every delivery. Instead of holding their group for a visibility timeout per
 * try, release them — and the records of their group skipped after them, in
 * order — so they reach the DLQ after maxReceiveCount quick tries and the
 * group moves on. Other failures keep the visibility timeout as their backoff.
 */
export const poisonReleases = (records: readonly SQSRecord[], results: readonly PromiseSettledResult<void>[]) => {
  const poisonedGroups = new Set<string>();
  const handles: string[] = [];
  records.forEach((record, i) => {
    const result = results[i];
    if (result?.status !== "rejected") return;
    const group = record.attributes.MessageGroupId ?? "";
    if (isPoison(result.reason)) poisonedGroups.add(group);
    if (isPoison(result.reason) || (result.reason instanceof SkippedAfterGroupFailure && poisonedGroups.has(group))) {
      handles.push(record.receiptHandle);
    }
  });
  return handles;
};

/**
 * A FIFO queue consumer as a Lambda handler: FIFO-safe partial batch response
 * (see processFifoBatch), failures logged with the record's identity, poison
 * records released at once when `release` is given.
 */
export const fifoWorker = (
  name: string,
  logger: Logger,
  processRecord: (record: SQSRecord) => Promise<void>,
  release?: () => ReleaseRecords,
) => {
  const worker = async (event: SQSEvent): Promise<PromiseSettledResult<void>[]> => {
    const results = await processFifoBatch(event.Records, processRecord);
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
  return middy<SQSEvent, SQSBatchResponse>(worker as never).use(
    sqsPartialBatchFailure({
      logger: (reason: unknown, record: SQSRecord) => {
        const error = reason instanceof Error ? reason : new Error(String(reason));
        const level = error.name === "SkippedAfterGroupFailure" ? "info" : "warn";
        logger[level]("record failed; it will be redelivered", {
          messageId: record.messageId,
          groupId: record.attributes.MessageGroupId,
          receiveCount: record.attributes.ApproximateReceiveCount,
          error,
        });
      },
    }),
  );
};
