import type { QueueId } from "../topology.ts";

export interface OutgoingMessage {
  readonly body: string;
  readonly groupId: string;
  readonly deduplicationId: string;
  /**
   * Ties the message's log lines to the request that caused it: travels as the
   * message attribute CORRELATION_ID_ATTRIBUTE (contracts/message-envelope.ts), not in
   * the versioned body. Must pass isCorrelationId.
   */
  readonly correlationId?: string;
}

/** Sends to the topology's queues. */
export interface QueuePublisher {
  send(queue: QueueId, message: OutgoingMessage): Promise<{ messageId: string }>;
  sendBatch(queue: QueueId, messages: readonly OutgoingMessage[]): Promise<void>;
}
