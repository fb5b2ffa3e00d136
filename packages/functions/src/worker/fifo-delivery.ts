import { PoisonMessageError } from "@cvpipe/core/errors";
import type { EventDelivery } from "@cvpipe/core/ports/event-recorder";
import type { SQSRecord } from "aws-lambda";

/**
 * The record's FIFO identity (SequenceNumber, MessageGroupId), which the exactly-once fold keys on. A FIFO
 * queue's record always has both; one without is not a record of the queue this worker reads, and no
 * identity is made up for it (two such records would then be one): poison (PoisonMessageError), so it
 * holds nothing and goes to the DLQ.
 */
export const fifoDelivery = (record: SQSRecord): EventDelivery => {
  const { SequenceNumber: sequenceNumber, MessageGroupId: messageGroupId } = record.attributes;
  for (const [name, value] of [
    ["SequenceNumber", sequenceNumber],
    ["MessageGroupId", messageGroupId],
  ] as const) {
    if (value === undefined || value === "") {
      throw new PoisonMessageError(`message ${record.messageId}: no ${name} (not a record of a FIFO queue)`);
    }
  }
  return { sequenceNumber: sequenceNumber!, messageGroupId: messageGroupId! };
};
