import {
  type MessageAttributeValue,
  SendMessageBatchCommand,
  type SendMessageBatchCommandOutput,
  SendMessageCommand,
  type SQSClient,
} from "@aws-sdk/client-sqs";
import { CORRELATION_ID_ATTRIBUTE } from "@cvpipe/core/contracts/message-envelope";
import { ConfigError } from "@cvpipe/core/errors";
import type { OutgoingMessage, QueuePublisher } from "@cvpipe/core/ports/queue-publisher";
import { type QueueId, queueUrlEnv } from "@cvpipe/core/topology";
import { dependencyFailure } from "./aws-errors.ts";

/** SQS's limits on one SendMessageBatch: entries, and bytes of all bodies and attributes together (256 KiB). */
const MAX_BATCH_ENTRIES = 10;
const MAX_BATCH_BYTES = 262_144;

/** The correlation id as a String message attribute; none when the message has none. */
const messageAttributes = (message: OutgoingMessage): { MessageAttributes?: Record<string, MessageAttributeValue> } =>
  message.correlationId === undefined
    ? {}
    : { MessageAttributes: { [CORRELATION_ID_ATTRIBUTE]: { DataType: "String", StringValue: message.correlationId } } };

/** What a message counts against a batch's size: its body and its attribute's name, type and value. */
const messageBytes = (message: OutgoingMessage): number =>
  Buffer.byteLength(message.body) +
  (message.correlationId === undefined
    ? 0
    : Buffer.byteLength(CORRELATION_ID_ATTRIBUTE) + "String".length + Buffer.byteLength(message.correlationId));

/** One caller's messages waiting for the next send: they go out together, in order, in one request. */
interface Waiting {
  readonly messages: readonly OutgoingMessage[];
  readonly bytes: number;
  /** From `send`: alone in its request, it goes as a SendMessage. */
  readonly single: boolean;
  readonly resolve: (messageIds: string[]) => void;
  readonly reject: (error: unknown) => void;
}

/**
 * QueuePublisher over the topology's FIFO queues, given their URLs.
 *
 * Sends made in the same turn of the event loop go out together: the
 * messages of every `send` and `sendBatch` to a queue waiting when the loop
 * next checks are packed, each caller's messages whole and in order, into
 * SendMessageBatch requests of at most 10 entries and 256 KiB; each caller
 * learns the fate of its own entries (it fails if any of them failed). A
 * caller alone — a Lambda invocation's one request, a quiet local stack —
 * sends as before: `send` as one SendMessage, `sendBatch` as one batch. The
 * embedded stack runs many requests and worker slots in one thread, and one
 * request's SDK work (signing, the HTTP exchange, the emulator's) then
 * serves several messages. A `sendBatch` of more than 10 goes in chunks, each
 * sent once the one before it succeeded, as FIFO order needs.
 */
export class SqsQueuePublisher implements QueuePublisher {
  readonly #sqs: SQSClient;
  readonly #urls: Partial<Record<QueueId, string>>;
  readonly #waiting = new Map<QueueId, Waiting[]>();
  #flushScheduled = false;

  constructor(sqs: SQSClient, urls: Partial<Record<QueueId, string>>) {
    this.#sqs = sqs;
    this.#urls = urls;
  }

  async send(queue: QueueId, message: OutgoingMessage): Promise<{ messageId: string }> {
    // Before anything waits: a missing URL is the function's configuration, not SQS failing.
    this.#url(queue);
    const [messageId] = await this.#enqueue(queue, [message], true);
    return { messageId: messageId ?? "" };
  }

  async sendBatch(queue: QueueId, messages: readonly OutgoingMessage[]): Promise<void> {
    this.#url(queue);
    for (let i = 0; i < messages.length; i += MAX_BATCH_ENTRIES) {
      await this.#enqueue(queue, messages.slice(i, i + MAX_BATCH_ENTRIES), false);
    }
  }

  #enqueue(queue: QueueId, messages: readonly OutgoingMessage[], single: boolean): Promise<string[]> {
    return new Promise((resolve, reject) => {
      const bytes = messages.reduce((sum, m) => sum + messageBytes(m), 0);
      const list = this.#waiting.get(queue);
      const waiting: Waiting = { messages, bytes, single, resolve, reject };
      if (list) list.push(waiting);
      else this.#waiting.set(queue, [waiting]);
      if (!this.#flushScheduled) {
        this.#flushScheduled = true;
        setImmediate(() => this.#flush());
      }
    });
  }

  #flush(): void {
    this.#flushScheduled = false;
    const queues = [...this.#waiting];
    this.#waiting.clear();
    for (const [queue, list] of queues) {
      let request: Waiting[] = [];
      let entries = 0;
      let bytes = 0;
      for (const waiting of list) {
        const full = entries + waiting.messages.length > MAX_BATCH_ENTRIES || bytes + waiting.bytes > MAX_BATCH_BYTES;
        if (request.length > 0 && full) {
          void this.#sendTogether(queue, request);
          request = [];
          entries = 0;
          bytes = 0;
        }
        request.push(waiting);
        entries += waiting.messages.length;
        bytes += waiting.bytes;
      }
      if (request.length > 0) void this.#sendTogether(queue, request);
    }
  }

  /** One request for the callers given; each caller's promise settles with its own entries' fate. Never rejects. */
  async #sendTogether(queue: QueueId, callers: readonly Waiting[]): Promise<void> {
    const queueUrl = this.#url(queue);
    const only = callers.length === 1 ? callers[0] : undefined;
    if (only?.single) {
      const message = only.messages[0]!;
      try {
        const out = await this.#sqs.send(
          new SendMessageCommand({
            QueueUrl: queueUrl,
            MessageBody: message.body,
            MessageGroupId: message.groupId,
            MessageDeduplicationId: message.deduplicationId,
            ...messageAttributes(message),
          }),
        );
        only.resolve([out.MessageId ?? ""]);
      } catch (error) {
        only.reject(dependencyFailure(`SQS SendMessage (${queue})`, error));
      }
      return;
    }
    const messages = callers.flatMap((c) => c.messages);
    let out: SendMessageBatchCommandOutput;
    try {
      out = await this.#sqs.send(
        new SendMessageBatchCommand({
          QueueUrl: queueUrl,
          Entries: messages.map((m, j) => ({
            Id: String(j),
            MessageBody: m.body,
            MessageGroupId: m.groupId,
            MessageDeduplicationId: m.deduplicationId,
            ...messageAttributes(m),
          })),
        }),
      );
    } catch (error) {
      const failure = dependencyFailure(`SQS SendMessageBatch (${queue})`, error);
      for (const caller of callers) caller.reject(failure);
      return;
    }
    const sent = new Map((out.Successful ?? []).map((s) => [s.Id, s.MessageId ?? ""]));
    const failed = new Map((out.Failed ?? []).map((f) => [f.Id, f.Message ?? f.Code ?? "unknown"]));
    let first = 0;
    for (const caller of callers) {
      const ids = caller.messages.map((_, j) => String(first + j));
      first += caller.messages.length;
      // An entry the answer names neither way is not known to be sent: a failure, which the caller retries.
      const lost = ids.filter((id) => !sent.has(id));
      if (lost.length === 0) {
        caller.resolve(ids.map((id) => sent.get(id)!));
        continue;
      }
      const reason = failed.get(lost[0]!) ?? "no answer for the entry";
      caller.reject(
        dependencyFailure(
          `SQS SendMessageBatch (${queue})`,
          new Error(`${lost.length} of ${caller.messages.length} entries failed; first: ${reason}`),
        ),
      );
    }
  }

  #url(queue: QueueId): string {
    const url = this.#urls[queue];
    if (!url) throw new ConfigError(`no queue URL configured for ${queue} (${queueUrlEnv(queue)})`);
    return url;
  }
}
