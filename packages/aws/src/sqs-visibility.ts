import { ChangeMessageVisibilityBatchCommand, GetQueueUrlCommand, type SQSClient } from "@aws-sdk/client-sqs";

/**
 * Makes received messages visible again at once (visibility timeout 0), in
 * the order given. Used for poison records: waiting out the visibility timeout
 * would only delay their way to the DLQ and hold their group up.
 */
export class VisibilityReleaser {
  readonly #sqs: SQSClient;
  readonly #urls = new Map<string, Promise<string>>();

  constructor(sqs: SQSClient) {
    this.#sqs = sqs;
  }

  async release(queueArn: string, receiptHandles: readonly string[]): Promise<void> {
    if (receiptHandles.length === 0) return;
    const url = await this.#url(queueArn);
    for (let i = 0; i < receiptHandles.length; i += 10) {
      await this.#sqs.send(
        new ChangeMessageVisibilityBatchCommand({
          QueueUrl: url,
          Entries: receiptHandles
            .slice(i, i + 10)
            .map((h, j) => ({ Id: String(j), ReceiptHandle: h, VisibilityTimeout: 0 })),
        }),
      );
    }
  }

  /** `arn:aws:sqs:<region>:<account>:<name>` → the queue URL, asked once per queue. */
  #url(queueArn: string): Promise<string> {
    let url = this.#urls.get(queueArn);
    if (!url) {
      const [, , , , account, name] = queueArn.split(":");
      url = this.#sqs
        .send(new GetQueueUrlCommand({ QueueName: name, ...(account ? { QueueOwnerAWSAccountId: account } : {}) }))
        .then((out) => out.QueueUrl ?? "");
      url.catch(() => this.#urls.delete(queueArn));
      this.#urls.set(queueArn, url);
    }
    return url;
  }
}
