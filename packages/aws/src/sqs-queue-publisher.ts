import {
  SendMessageBatchCommand,
  type SendMessageBatchCommandOutput,
  SendMessageCommand,
  type SQSClient,
} from "@aws-sdk/client-sqs";
import type { OutgoingMessage, QueuePublisher } from "@cvpipe/core/ports/queue-publisher";
import type { QueueId } from "@cvpipe/core/topology";
import { dependencyFailure } from "./aws-errors.ts";

/** QueuePublisher over the topology's FIFO queues, given their URLs. */
export class SqsQueuePublisher implements QueuePublisher {
  readonly #sqs: SQSClient;
  readonly #urls: Partial<Record<QueueId, string>>;

  constructor(sqs: SQSClient, urls: Partial<Record<QueueId, string>>) {
    this.#sqs = sqs;
    this.#urls = urls;
  }

  async send(queue: QueueId, message: OutgoingMessage): Promise<{ messageId: string }> {
    try {
      const out = await this.#sqs.send(
        new SendMessageCommand({
          QueueUrl: this.#url(queue),
          MessageBody: message.body,
          MessageGroupId: message.groupId,
          MessageDeduplicationId: message.deduplicationId,
        }),
      );
      return { messageId: out.MessageId ?? "" };
    } catch (error) {
      throw dependencyFailure(`SQS SendMessage (${queue})`, error);
    }
  }

  async sendBatch(queue: QueueId, messages: readonly OutgoingMessage[]): Promise<void> {
    for (let i = 0; i < messages.length; i += 10) {
      const chunk = messages.slice(i, i + 10);
      let out: SendMessageBatchCommandOutput;
      try {
        out = await this.#sqs.send(
          new SendMessageBatchCommand({
            QueueUrl: this.#url(queue),
            Entries: chunk.map((m, j) => ({
              Id: String(j),
              MessageBody: m.body,
              MessageGroupId: m.groupId,
              MessageDeduplicationId: m.deduplicationId,
            })),
          }),
        );
      } catch (error) {
        throw dependencyFailure(`SQS SendMessageBatch (${queue})`, error);
      }
      if (out.Failed && out.Failed.length > 0) {
        const first = out.Failed[0];
        throw dependencyFailure(
          `SQS SendMessageBatch (${queue})`,
          new Error(`${out.Failed.length} of ${chunk.length} entries failed; first: ${first?.Message ?? "unknown"}`),
        );
      }
    }
  }

  #url(queue: QueueId): string {
    const url = this.#urls[queue];
    if (!url) throw new Error(`no queue URL configured for ${queue}`);
    return url;
  }
}
