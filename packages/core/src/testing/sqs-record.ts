/**
 * The one SQS record factory for tests: a record of a FIFO queue as the Lambda
 * event source mapping delivers it (attributes as strings, the FIFO ones —
 * MessageGroupId, MessageDeduplicationId, SequenceNumber — included), the shape
 * of events/sqs/*.batch.json. Override only what the test is about.
 */
import type { SQSEvent, SQSRecord } from "aws-lambda";

export interface SqsRecordOptions {
  readonly body: string;
  readonly messageId?: string;
  readonly groupId?: string;
  readonly deduplicationId?: string;
  readonly receiveCount?: number;
  readonly sequenceNumber?: string;
  /** The queue's name (default `cvpipe-test.fifo`): the record's ARN ends with it. */
  readonly queueName?: string;
  readonly region?: string;
  readonly sentAt?: Date;
}

let counter = 0;

export const sqsRecord = (options: SqsRecordOptions): SQSRecord => {
  counter++;
  const messageId = options.messageId ?? `00000000-0000-4000-8000-${String(counter).padStart(12, "0")}`;
  const region = options.region ?? "us-east-1";
  const sent = String((options.sentAt ?? new Date("2026-11-18T10:00:00Z")).getTime());
  return {
    messageId,
    receiptHandle: `AQEB-${messageId}`,
    body: options.body,
    attributes: {
      ApproximateReceiveCount: String(options.receiveCount ?? 1),
      SentTimestamp: sent,
      SequenceNumber: options.sequenceNumber ?? `1${String(counter).padStart(19, "0")}`,
      MessageGroupId: options.groupId ?? "acme#alice",
      SenderId: "AROAEXAMPLE:cvpipe-test",
      MessageDeduplicationId: options.deduplicationId ?? messageId,
      ApproximateFirstReceiveTimestamp: sent,
    },
    messageAttributes: {},
    md5OfBody: "",
    eventSource: "aws:sqs",
    eventSourceARN: `arn:aws:sqs:${region}:000000000000:${options.queueName ?? "cvpipe-test.fifo"}`,
    awsRegion: region,
  };
};

/** An event of the given records, as one Lambda invocation receives them. */
export const sqsEvent = (records: readonly SQSRecord[]): SQSEvent => ({ Records: [...records] });
