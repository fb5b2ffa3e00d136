/**
 * A local stand-in for Lambda's SQS event source mapping, faithful to what AWS
 * documents: long polling, batches of up to `batchSize` records in Lambda's
 * record shape, up to `maxConcurrency` batches in flight, the function's
 * timeout, and ReportBatchItemFailures — the listed records stay on the queue
 * (visible again after the visibility timeout), the rest are deleted; a thrown
 * error, a timeout or a malformed response fails the whole batch.
 *
 * Stopping never deletes a message whose invocation has not finished: the
 * pollers stop receiving, in-flight invocations run to completion, and any
 * records received after the stop are released (visibility 0) untouched.
 */
import {
  ChangeMessageVisibilityBatchCommand,
  DeleteMessageBatchCommand,
  type Message,
  ReceiveMessageCommand,
  type SQSClient,
} from "@aws-sdk/client-sqs";
import type { Context, SQSEvent, SQSRecord } from "aws-lambda";
import { lambdaContext, withTimeout } from "./lambda-context.ts";

/** Recent invocations kept for inspection. */
const MAX_REPORTS = 1000;

export type SqsHandler = (event: SQSEvent, context: Context) => Promise<unknown>;

export interface PollerOptions {
  readonly sqs: SQSClient;
  readonly functionName: string;
  readonly queueUrl: string;
  readonly queueArn: string;
  readonly region: string;
  readonly handler: SqsHandler;
  readonly batchSize: number;
  readonly maxConcurrency: number;
  readonly timeoutSeconds: number;
  /** Long-poll wait; also bounds how long a stop waits for an idle poller. */
  readonly waitTimeSeconds: number;
  readonly log: (line: string) => void;
}

export interface InvocationReport {
  readonly received: number;
  readonly deleted: number;
  readonly failed: number;
  readonly outcome: "ok" | "partial" | "error" | "timeout" | "malformed-response";
}

/** Lambda's SQS record shape for one received message. */
export const toSqsRecord = (m: Message, queueArn: string, region: string): SQSRecord => {
  const a = m.Attributes ?? {};
  const attributes: SQSRecord["attributes"] = {
    ApproximateReceiveCount: a["ApproximateReceiveCount"] ?? "1",
    SentTimestamp: a["SentTimestamp"] ?? String(Date.now()),
    SenderId: a["SenderId"] ?? "000000000000",
    ApproximateFirstReceiveTimestamp: a["ApproximateFirstReceiveTimestamp"] ?? String(Date.now()),
  };
  if (a["SequenceNumber"]) attributes.SequenceNumber = a["SequenceNumber"];
  if (a["MessageGroupId"]) attributes.MessageGroupId = a["MessageGroupId"];
  if (a["MessageDeduplicationId"]) attributes.MessageDeduplicationId = a["MessageDeduplicationId"];
  if (a["DeadLetterQueueSourceArn"]) attributes.DeadLetterQueueSourceArn = a["DeadLetterQueueSourceArn"];
  const messageAttributes: SQSRecord["messageAttributes"] = {};
  for (const [name, v] of Object.entries(m.MessageAttributes ?? {})) {
    messageAttributes[name] = {
      ...(v.StringValue !== undefined ? { stringValue: v.StringValue } : {}),
      ...(v.BinaryValue !== undefined ? { binaryValue: Buffer.from(v.BinaryValue).toString("base64") } : {}),
      stringListValues: v.StringListValues ?? [],
      binaryListValues: (v.BinaryListValues ?? []).map((b) => Buffer.from(b).toString("base64")),
      dataType: (v.DataType ?? "String") as SQSRecord["messageAttributes"][string]["dataType"],
    };
  }
  return {
    messageId: m.MessageId ?? "",
    receiptHandle: m.ReceiptHandle ?? "",
    body: m.Body ?? "",
    attributes,
    messageAttributes,
    md5OfBody: m.MD5OfBody ?? "",
    ...(m.MD5OfMessageAttributes ? { md5OfMessageAttributes: m.MD5OfMessageAttributes } : {}),
    eventSource: "aws:sqs",
    eventSourceARN: queueArn,
    awsRegion: region,
  } as SQSRecord;
};

/**
 * Which records failed, by Lambda's rules for a ReportBatchItemFailures response:
 * null/empty/absent list = all succeeded; an entry whose itemIdentifier is
 * missing, empty, not a string or not in the batch makes the whole batch fail.
 */
export const failedIdentifiers = (response: unknown, records: readonly SQSRecord[]): Set<string> | "malformed" => {
  if (response === undefined || response === null) return new Set();
  if (typeof response !== "object" || Array.isArray(response)) return "malformed";
  const list = (response as { batchItemFailures?: unknown }).batchItemFailures;
  if (list === undefined || list === null) return new Set();
  if (!Array.isArray(list)) return "malformed";
  const ids = new Set(records.map((r) => r.messageId));
  const failed = new Set<string>();
  for (const entry of list) {
    const id =
      typeof entry === "object" && entry !== null ? (entry as { itemIdentifier?: unknown }).itemIdentifier : undefined;
    if (typeof id !== "string" || id === "" || !ids.has(id)) return "malformed";
    failed.add(id);
  }
  return failed;
};

export class SqsPoller {
  readonly #o: PollerOptions;
  #stopping = false;
  #loops: Promise<void>[] = [];
  readonly reports: InvocationReport[] = [];

  constructor(options: PollerOptions) {
    this.#o = options;
  }

  start(): void {
    for (let i = 0; i < this.#o.maxConcurrency; i++) this.#loops.push(this.#loop());
  }

  /** Stops receiving, lets in-flight invocations finish, releases anything received after the stop. */
  async stop(): Promise<void> {
    this.#stopping = true;
    await Promise.all(this.#loops);
  }

  async #loop(): Promise<void> {
    let backoffMs = 200;
    while (!this.#stopping) {
      let messages: Message[];
      try {
        const out = await this.#o.sqs.send(
          new ReceiveMessageCommand({
            QueueUrl: this.#o.queueUrl,
            MaxNumberOfMessages: this.#o.batchSize,
            WaitTimeSeconds: this.#o.waitTimeSeconds,
            MessageSystemAttributeNames: ["All"],
            MessageAttributeNames: ["All"],
          }),
        );
        messages = out.Messages ?? [];
        backoffMs = 200;
      } catch (error) {
        if (this.#stopping) break;
        this.#o.log(`${this.#o.functionName}: receive failed (${(error as Error).name}); retrying in ${backoffMs} ms`);
        await new Promise((r) => setTimeout(r, backoffMs));
        backoffMs = Math.min(backoffMs * 2, 5000);
        continue;
      }
      if (messages.length === 0) continue;
      if (this.#stopping) {
        await this.#release(messages);
        break;
      }
      await this.#invoke(messages).catch((error: unknown) =>
        this.#o.log(`${this.#o.functionName}: batch handling failed: ${(error as Error).message}`),
      );
    }
  }

  async #invoke(messages: Message[]): Promise<void> {
    const o = this.#o;
    const records = messages.map((m) => toSqsRecord(m, o.queueArn, o.region));
    const context = lambdaContext(o.functionName, o.timeoutSeconds, o.region);
    let outcome: InvocationReport["outcome"];
    let failed: Set<string>;
    try {
      const response = await withTimeout(o.handler({ Records: records }, context), o.timeoutSeconds * 1000);
      if (response === "timeout") {
        outcome = "timeout";
        failed = new Set(records.map((r) => r.messageId));
      } else {
        const ids = failedIdentifiers(response, records);
        if (ids === "malformed") {
          outcome = "malformed-response";
          failed = new Set(records.map((r) => r.messageId));
        } else {
          outcome = ids.size === 0 ? "ok" : "partial";
          failed = ids;
        }
      }
    } catch (error) {
      o.log(`${o.functionName}: invocation failed: ${(error as Error).message}`);
      outcome = "error";
      failed = new Set(records.map((r) => r.messageId));
    }
    const done = records.filter((r) => !failed.has(r.messageId));
    if (done.length > 0) {
      // A failed delete means redelivery, which the consumers are idempotent against: log, carry on.
      try {
        const out = await o.sqs.send(
          new DeleteMessageBatchCommand({
            QueueUrl: o.queueUrl,
            Entries: done.map((r, i) => ({ Id: String(i), ReceiptHandle: r.receiptHandle })),
          }),
        );
        for (const f of out.Failed ?? []) o.log(`${o.functionName}: delete failed for entry ${f.Id}: ${f.Message}`);
      } catch (error) {
        o.log(
          `${o.functionName}: delete failed (${(error as Error).name}); ${done.length} record(s) will be redelivered`,
        );
      }
    }
    if (outcome !== "ok")
      o.log(`${o.functionName}: batch of ${records.length}: ${outcome}, ${failed.size} left for redelivery`);
    this.reports.push({ received: records.length, deleted: done.length, failed: failed.size, outcome });
    if (this.reports.length > MAX_REPORTS) this.reports.splice(0, this.reports.length - MAX_REPORTS);
  }

  async #release(messages: Message[]): Promise<void> {
    await this.#o.sqs
      .send(
        new ChangeMessageVisibilityBatchCommand({
          QueueUrl: this.#o.queueUrl,
          Entries: messages.map((m, i) => ({
            Id: String(i),
            ReceiptHandle: m.ReceiptHandle ?? "",
            VisibilityTimeout: 0,
          })),
        }),
      )
      .catch((error: unknown) =>
        this.#o.log(`${this.#o.functionName}: release on stop failed: ${(error as Error).message}`),
      );
  }
}
