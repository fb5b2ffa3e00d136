/**
 * In-process stand-ins for the ports a use case talks to, for tests that drive
 * processJob / submitJob / the sweep directly (the jobs table stays real:
 * dynalite). Shared so every such test fakes the same way.
 */
import type { AnalyticsEventMessage, BlobPointer } from "@cvpipe/core/contracts/messages";
import { DependencyError } from "@cvpipe/core/errors";
import { BlobNotFoundError, type BlobStore } from "@cvpipe/core/ports/blob-store";
import type { OutgoingMessage, QueuePublisher } from "@cvpipe/core/ports/queue-publisher";

/** A payloads bucket in memory: a missing key is BlobNotFoundError, as S3's NoSuchKey is. */
export class MemoryBlobs implements BlobStore {
  readonly objects = new Map<string, string>();
  async put(key: string, body: string): Promise<BlobPointer> {
    this.objects.set(key, body);
    return { bucket: "payloads", key, bytes: Buffer.byteLength(body) };
  }
  async get(pointer: BlobPointer): Promise<string> {
    const body = this.objects.get(pointer.key);
    if (body === undefined) throw new BlobNotFoundError(pointer);
    return body;
  }
}

/** A queue that records what is sent; `failNext` batches fail as a throttled SQS would. */
export class Outbox implements QueuePublisher {
  readonly sent: OutgoingMessage[] = [];
  failNext = 0;
  onSend?: (m: OutgoingMessage) => Promise<void>;
  async send(_queue: string, message: OutgoingMessage) {
    this.sent.push(message);
    await this.onSend?.(message);
    return { messageId: String(this.sent.length) };
  }
  async sendBatch(_queue: string, messages: readonly OutgoingMessage[]) {
    if (this.failNext > 0) {
      this.failNext--;
      throw new DependencyError("SQS SendMessageBatch throttled");
    }
    this.sent.push(...messages);
  }
  /** Takes what was sent so far (as a consumer would receive it). */
  take(): OutgoingMessage[] {
    return this.sent.splice(0);
  }
  /** The analytics events sent, in order. */
  events = () => this.sent.map((m) => (JSON.parse(m.body) as AnalyticsEventMessage).event);
}
