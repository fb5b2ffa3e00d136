import type { Logger } from "@aws-lambda-powertools/logger";
import middy from "@middy/core";
import sqsPartialBatchFailure from "@middy/sqs-partial-batch-failure";
import type { SQSBatchResponse, SQSEvent, SQSRecord } from "aws-lambda";
import { processFifoBatch } from "./fifo-batch.ts";

/**
 * A FIFO queue consumer as a Lambda handler: FIFO-safe partial batch response
 * (see processFifoBatch), failures logged with the record's identity.
 */
export const fifoWorker = (name: string, logger: Logger, processRecord: (record: SQSRecord) => Promise<void>) => {
  const worker = async (event: SQSEvent): Promise<PromiseSettledResult<void>[]> =>
    processFifoBatch(event.Records, processRecord);
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
