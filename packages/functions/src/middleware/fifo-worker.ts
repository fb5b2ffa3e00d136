import type { Logger } from "@aws-lambda-powertools/logger";
import { PoisonMessageError } from "@cvpipe/core/errors";
import middy from "@middy/core";
import sqsPartialBatchFailure from "@middy/sqs-partial-batch-failure";
import type { SQSBatchResponse, SQSEvent, SQSRecord } from "aws-lambda";
import { withLambdaContext } from "../logger.ts";
import { processFifoBatch, SkippedAfterGroupFailure } from "./fifo-batch.ts";

/** Makes records visible again now (SQS ChangeMessageVisibility 0). */
export type ReleaseRecords = (queueArn: string, receiptHandles: readonly string[]) => Promise<void>;

const isPoison = (reason: unknown): boolean => reason instanceof PoisonMessageError;

/**
 * Poison records (bodies no version of the consumer can read) fail on every
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
    const results = await processFifoBatch(event.Records, processRecord, (error) => !isPoison(error));
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
  return withLambdaContext(middy<SQSEvent, SQSBatchResponse>(worker as never), logger).use(
    sqsPartialBatchFailure({
      logger: (reason: unknown, record: SQSRecord) => {
        const error = reason instanceof Error ? reason : new Error(String(reason));
        const level = error instanceof SkippedAfterGroupFailure ? "info" : "warn";
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
