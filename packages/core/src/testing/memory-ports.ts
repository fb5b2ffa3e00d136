/**
 * In-memory stand-ins for the payloads bucket, the queues and metrics, for
 * tests that drive a use case (submitJob, processJob, submitEvents, the sweep,
 * the fold) directly.
 */
import type { AnalyticsEventMessage } from "../contracts/analytics-event-message.ts";
import type { BlobPointer } from "../contracts/blob-pointer.ts";
import { DependencyError } from "../errors.ts";
import { BlobNotFoundError, type BlobOwner, type BlobStore } from "../ports/blob-store.ts";
import type { MetricDimensions, MetricName, Metrics } from "../ports/metrics.ts";
import type { OutgoingMessage, QueuePublisher } from "../ports/queue-publisher.ts";
import type { QueueId } from "../topology.ts";

/** A payloads bucket in memory: a missing key is BlobNotFoundError, as S3's NoSuchKey is. */
export class MemoryBlobs implements BlobStore {
  readonly objects = new Map<string, string>();
  readonly contentTypes = new Map<string, string>();
  /** The tenant each object was written for (S3's encryption context on AWS). */
  readonly owners = new Map<string, string>();
  async put(
    key: string,
    body: string,
    contentType = "application/octet-stream",
    owner?: BlobOwner,
  ): Promise<BlobPointer> {
    this.objects.set(key, body);
    this.contentTypes.set(key, contentType);
    if (owner) this.owners.set(key, owner.tenantId);
    return { bucket: "payloads", key, bytes: Buffer.byteLength(body) };
  }
  async get(pointer: BlobPointer): Promise<string> {
    const body = this.objects.get(pointer.key);
    if (body === undefined) throw new BlobNotFoundError(pointer);
    return body;
  }
  async remove(pointer: BlobPointer): Promise<void> {
    this.objects.delete(pointer.key);
    this.contentTypes.delete(pointer.key);
    this.owners.delete(pointer.key);
  }
  async removeUnder(prefix: string): Promise<number> {
    const keys = [...this.objects.keys()].filter((k) => k.startsWith(prefix));
    for (const key of keys) await this.remove({ bucket: "payloads", key, bytes: 0 });
    return keys.length;
  }
}

/**
 * A queue publisher that records what is sent, to which queue. The next
 * `failNext` batches and `failNextSend` single sends fail as a throttled SQS
 * would (nothing recorded); `onSend` runs after each single message is
 * recorded (a test can act "while" it is in flight).
 */
export class Outbox implements QueuePublisher {
  /** Every message sent, in order, whatever the queue. */
  readonly sent: OutgoingMessage[] = [];
  /** The same messages with their queue. */
  readonly log: Array<{ readonly queue: QueueId; readonly message: OutgoingMessage }> = [];
  failNext = 0;
  failNextSend = 0;
  onSend?: (m: OutgoingMessage) => Promise<void>;

  async send(queue: QueueId, message: OutgoingMessage) {
    if (this.failNextSend > 0) {
      this.failNextSend--;
      throw new DependencyError("SQS SendMessage throttled");
    }
    this.sent.push(message);
    this.log.push({ queue, message });
    await this.onSend?.(message);
    return { messageId: String(this.sent.length) };
  }
  async sendBatch(queue: QueueId, messages: readonly OutgoingMessage[]) {
    if (this.failNext > 0) {
      this.failNext--;
      throw new DependencyError("SQS SendMessageBatch throttled");
    }
    this.sent.push(...messages);
    for (const message of messages) this.log.push({ queue, message });
  }
  /** Takes what was sent so far (as a worker would receive it). */
  take(): OutgoingMessage[] {
    this.log.splice(0);
    return this.sent.splice(0);
  }
  /** The messages sent to one queue, in order. */
  to = (queue: QueueId): OutgoingMessage[] => this.log.filter((l) => l.queue === queue).map((l) => l.message);
  /** The analytics events sent, in order. */
  events = () => this.to("analyticsEvents").map((m) => (JSON.parse(m.body) as AnalyticsEventMessage).event);
}

/** One data point as a use case recorded it. */
export interface MetricPoint {
  readonly name: MetricName;
  readonly unit: "Count" | "Milliseconds";
  readonly value: number;
  readonly dimensions: MetricDimensions;
}

/** Metrics in memory: every point in order, and sums by name and dimensions. */
export class MemoryMetrics implements Metrics {
  readonly points: MetricPoint[] = [];
  count(name: MetricName, value: number, dimensions: MetricDimensions = {}): void {
    this.points.push({ name, unit: "Count", value, dimensions });
  }
  milliseconds(name: MetricName, value: number, dimensions: MetricDimensions = {}): void {
    this.points.push({ name, unit: "Milliseconds", value, dimensions });
  }
  /** The sum of `name`'s points whose dimensions include `dimensions` (all of them when none are given). */
  total(name: MetricName, dimensions: MetricDimensions = {}): number {
    return this.points
      .filter((p) => p.name === name && Object.entries(dimensions).every(([k, v]) => p.dimensions[k] === v))
      .reduce((sum, p) => sum + p.value, 0);
  }
  /** `name [dim=value ...] value` per point, in order: compact to assert on. */
  lines(): string[] {
    return this.points.map((p) =>
      [p.name, ...Object.entries(p.dimensions).map(([k, v]) => `${k}=${v}`), String(p.value)].join(" "),
    );
  }
}
