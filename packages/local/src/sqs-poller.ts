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
 *
 * Where this has to differ from Lambda: Lambda ends an invocation at its
 * timeout, but an in-process call cannot be killed, so a call that overruns
 * its timeout keeps running here. It is reported as a timeout (the whole batch
 * failed) at once, yet until it actually settles it keeps its concurrency slot
 * (so at most `maxConcurrency` calls ever run, timed-out ones included) and a
 * visibility heartbeat keeps its batch invisible (so no second attempt of the
 * same message runs alongside it). See `#invoke` for what happens after.
 */
import {
  ChangeMessageVisibilityBatchCommand,
  DeleteMessageBatchCommand,
  GetQueueAttributesCommand,
  type Message,
  ReceiveMessageCommand,
  type SQSClient,
} from "@aws-sdk/client-sqs";
import type { Context, SQSEvent, SQSRecord } from "aws-lambda";
import { lambdaContext, withTimeout } from "./lambda-context.ts";

/** Recent invocations kept for inspection. */
const MAX_REPORTS = 1000;
/** SQS's default, used only while the queue's own setting cannot be read. */
const DEFAULT_VISIBILITY_TIMEOUT_SECONDS = 30;

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
  /**
   * While this answers true, the poller starts an invocation only when none is running (one slot):
   * the embedded stack gives its HTTP API the machine's cores first (stack.ts).
   */
  readonly yieldTo?: () => boolean;
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

/**
 * Splits one receive into up to `ways` batches, each message group whole and in
 * its received order inside one of them (a message without a group is a group
 * of its own), groups dealt round-robin in the order they first appear.
 */
export const splitByGroup = (messages: readonly Message[], ways: number): Message[][] => {
  const groups = new Map<string, Message[]>();
  for (const [i, m] of messages.entries()) {
    const key = m.Attributes?.["MessageGroupId"] ?? `\u0000${i}`;
    const group = groups.get(key);
    if (group) group.push(m);
    else groups.set(key, [m]);
  }
  const n = Math.max(1, Math.min(ways, groups.size));
  const batches: Message[][] = Array.from({ length: n }, () => []);
  let k = 0;
  for (const group of groups.values()) batches[k++ % n]!.push(...group);
  // Each batch in the received order, so a group's records keep theirs.
  const order = new Map(messages.map((m, i) => [m, i]));
  for (const batch of batches) batch.sort((a, b) => order.get(a)! - order.get(b)!);
  return batches.filter((b) => b.length > 0);
};

export class SqsPoller {
  readonly #options: PollerOptions;
  #stopping = false;
  #loop: Promise<void> | undefined;
  /** Invocations in flight, timed-out ones until they settle: never more than maxConcurrency. */
  readonly #inFlight = new Set<Promise<void>>();
  #visibility: Promise<number> | undefined;
  readonly reports: InvocationReport[] = [];

  constructor(options: PollerOptions) {
    this.#options = options;
  }

  /** Starts receiving; again after a stop (a paused event source mapping resumed). */
  start(): void {
    if (this.#loop) return;
    this.#stopping = false;
    this.#loop = this.#receiveLoop();
  }

  /** Stops receiving, lets in-flight invocations finish (timed-out ones too), releases anything received after the stop. */
  async stop(): Promise<void> {
    this.#stopping = true;
    await this.#loop;
    this.#loop = undefined;
    while (this.#inFlight.size > 0) await Promise.all([...this.#inFlight]);
  }

  /**
   * Lambda's event source as one receiver feeding `maxConcurrency` slots: it
   * receives only while a slot is free, and deals what one receive returned
   * to as many free slots as it has message groups (splitByGroup): a receive
   * of ten messages from ten groups with five slots free is five concurrent
   * invocations of two records, as Lambda scales a FIFO queue's workers with
   * its active message groups. A group's records stay together and in order;
   * with one slot free (or maxConcurrency 1) the whole receive is one batch.
   */
  async #receiveLoop(): Promise<void> {
    let backoffMs = 200;
    while (!this.#stopping) {
      while (this.#inFlight.size >= this.#slots() && !this.#stopping) {
        await Promise.race([...this.#inFlight]);
      }
      if (this.#stopping) break;
      let messages: Message[];
      let receivedAt: number;
      try {
        const out = await this.#options.sqs.send(
          new ReceiveMessageCommand({
            QueueUrl: this.#options.queueUrl,
            MaxNumberOfMessages: this.#options.batchSize,
            WaitTimeSeconds: this.#options.waitTimeSeconds,
            MessageSystemAttributeNames: ["All"],
            MessageAttributeNames: ["All"],
          }),
        );
        receivedAt = Date.now();
        messages = out.Messages ?? [];
        backoffMs = 200;
      } catch (error) {
        if (this.#stopping) break;
        this.#options.log(
          `${this.#options.functionName}: receive failed (${(error as Error).name}); retrying in ${backoffMs} ms`,
        );
        await new Promise((r) => setTimeout(r, backoffMs));
        backoffMs = Math.min(backoffMs * 2, 5000);
        continue;
      }
      if (messages.length === 0) continue;
      if (this.#stopping) {
        await this.#changeVisibility(messages, 0, "release on stop");
        break;
      }
      for (const batch of splitByGroup(messages, Math.max(1, this.#slots() - this.#inFlight.size))) {
        const call: Promise<void> = this.#invoke(batch, receivedAt)
          .catch((error: unknown) =>
            this.#options.log(`${this.#options.functionName}: batch handling failed: ${(error as Error).message}`),
          )
          .finally(() => this.#inFlight.delete(call));
        this.#inFlight.add(call);
      }
    }
  }

  /** How many invocations may run now: maxConcurrency, or one while yieldTo says so. */
  #slots(): number {
    return this.#options.yieldTo?.() ? 1 : this.#options.maxConcurrency;
  }

  /** The queue's VisibilityTimeout (what Lambda's event source gets too: it never overrides it on receive). */
  #visibilityTimeout(): Promise<number> {
    this.#visibility ??= this.#options.sqs
      .send(new GetQueueAttributesCommand({ QueueUrl: this.#options.queueUrl, AttributeNames: ["VisibilityTimeout"] }))
      .then((out) => {
        const seconds = Number(out.Attributes?.["VisibilityTimeout"]);
        if (!Number.isFinite(seconds) || seconds < 0) throw new Error(`unreadable VisibilityTimeout ${seconds}`);
        return seconds;
      })
      .catch((error: unknown) => {
        this.#visibility = undefined; // ask again for the next batch
        this.#options.log(
          `${this.#options.functionName}: could not read the queue's visibility timeout (${(error as Error).message}); assuming ${DEFAULT_VISIBILITY_TIMEOUT_SECONDS} s`,
        );
        return DEFAULT_VISIBILITY_TIMEOUT_SECONDS;
      });
    return this.#visibility;
  }

  /**
   * One invocation, from the call to the last word on its records.
   *
   * The heartbeat: every half visibility timeout while the call is still
   * running, its batch's visibility is extended by one visibility timeout. With
   * the visibility timeout at least 6 x the function timeout (Lambda's guidance
   * and this project's rule), no beat falls inside the function timeout, so a
   * call that ends in time sees exactly Lambda's behaviour; only a call that
   * overruns its timeout — which Lambda would have killed — is beaten for.
   * (With a visibility timeout below the guidance, AWS would hand a message to
   * a second invocation while the first still runs; the heartbeat prevents that
   * here too, so such a misconfiguration shows up only on AWS.) A timed-out
   * call's eventual response is discarded: the invocation has failed.
   *
   * After a call settles, its failed records (error, partial failure, timeout,
   * malformed response) become visible again when the visibility timeout that
   * began at receive runs out, as they would on AWS; if that moment has already
   * passed while a timed-out call ran on, they are released at once. We neither
   * leave them invisible for a further full visibility timeout (a later retry
   * than AWS's) nor release them the moment a call fails in time (an earlier
   * one); the only difference from AWS is that a retry never starts before the
   * previous attempt has really stopped, which is the point.
   */
  async #invoke(messages: Message[], receivedAt: number): Promise<void> {
    const options = this.#options;
    const visibilitySeconds = await this.#visibilityTimeout();
    const records = messages.map((m) => toSqsRecord(m, options.queueArn, options.region));
    const context = lambdaContext(options.functionName, options.timeoutSeconds, options.region);
    const call = Promise.resolve().then(() => options.handler({ Records: records }, context));
    const heartbeat = this.#heartbeat(messages, visibilitySeconds);
    let outcome: InvocationReport["outcome"];
    let failed: Set<string>;
    try {
      const response = await withTimeout(call, options.timeoutSeconds * 1000);
      if (response === "timeout") {
        outcome = "timeout";
        failed = new Set(records.map((r) => r.messageId));
        const start = Date.now();
        options.log(
          `${options.functionName}: invocation timed out after ${options.timeoutSeconds} s and is still running: its slot stays taken and its ${records.length} record(s) invisible until it settles`,
        );
        await call.then(
          () => undefined,
          () => undefined,
        );
        options.log(`${options.functionName}: timed-out invocation settled ${Date.now() - start} ms past its timeout`);
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
      options.log(`${options.functionName}: invocation failed: ${(error as Error).message}`);
      outcome = "error";
      failed = new Set(records.map((r) => r.messageId));
    }
    const beats = await heartbeat.stop();
    const done = records.filter((r) => !failed.has(r.messageId));
    if (done.length > 0) {
      // A failed delete means redelivery, which the workers are idempotent against: log, carry on.
      try {
        const out = await options.sqs.send(
          new DeleteMessageBatchCommand({
            QueueUrl: options.queueUrl,
            Entries: done.map((r, i) => ({ Id: String(i), ReceiptHandle: r.receiptHandle })),
          }),
        );
        for (const f of out.Failed ?? [])
          options.log(`${options.functionName}: delete failed for entry ${f.Id}: ${f.Message}`);
      } catch (error) {
        options.log(
          `${options.functionName}: delete failed (${(error as Error).name}); ${done.length} record(s) will be redelivered`,
        );
      }
    }
    if (beats > 0 && failed.size > 0) {
      // The heartbeat pushed the failed records' visibility past receive + visibility timeout: put it back.
      const remaining = Math.max(0, Math.ceil((receivedAt + visibilitySeconds * 1000 - Date.now()) / 1000));
      await this.#changeVisibility(
        messages.filter((m) => failed.has(m.MessageId ?? "")),
        remaining,
        "visibility after the heartbeat",
      );
    }
    if (outcome !== "ok")
      options.log(
        `${options.functionName}: batch of ${records.length}: ${outcome}, ${failed.size} left for redelivery`,
      );
    this.reports.push({ received: records.length, deleted: done.length, failed: failed.size, outcome });
    if (this.reports.length > MAX_REPORTS) this.reports.splice(0, this.reports.length - MAX_REPORTS);
  }

  /** Extends the batch's visibility every half visibility timeout until stopped; stop() resolves with the beat count. */
  #heartbeat(messages: Message[], visibilitySeconds: number): { stop(): Promise<number> } {
    // A queue with visibility timeout 0 still gets a beat that outlasts its own interval.
    const extendBy = Math.max(1, visibilitySeconds);
    let beats = 0;
    let pending: Promise<void> = Promise.resolve();
    const timer = setInterval(() => {
      beats++;
      pending = pending.then(() => this.#changeVisibility(messages, extendBy, "visibility heartbeat"));
    }, extendBy * 500);
    return {
      stop: async () => {
        clearInterval(timer);
        await pending;
        return beats;
      },
    };
  }

  /** ChangeMessageVisibilityBatch for these messages; failures are logged (the worst case is an early redelivery). */
  async #changeVisibility(messages: Message[], seconds: number, why: string): Promise<void> {
    if (messages.length === 0) return;
    try {
      const out = await this.#options.sqs.send(
        new ChangeMessageVisibilityBatchCommand({
          QueueUrl: this.#options.queueUrl,
          Entries: messages.map((m, i) => ({
            Id: String(i),
            ReceiptHandle: m.ReceiptHandle ?? "",
            VisibilityTimeout: seconds,
          })),
        }),
      );
      for (const f of out.Failed ?? [])
        this.#options.log(`${this.#options.functionName}: ${why} failed for entry ${f.Id}: ${f.Message}`);
    } catch (error) {
      this.#options.log(`${this.#options.functionName}: ${why} failed: ${(error as Error).message}`);
    }
  }
}
