import type { QueueId } from "../topology.ts";

export interface OutgoingMessage {
  readonly body: string;
  readonly groupId: string;
  readonly deduplicationId: string;
}

/** Sends to the topology's queues. */
export interface QueuePublisher {
  send(queue: QueueId, message: OutgoingMessage): Promise<{ messageId: string }>;
  sendBatch(queue: QueueId, messages: readonly OutgoingMessage[]): Promise<void>;
}
