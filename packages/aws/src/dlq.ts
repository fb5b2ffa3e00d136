/**
 * Dead-letter queue inspection and redrive.
 *
 * Redrive moves messages back to their source queue keeping MessageGroupId and
 * order. Without a filter, a limit or a dry run, on an endpoint that supports
 * it (AWS), it starts an SQS message move task. Otherwise it moves message by
 * message: send to the source, then delete from the DLQ; a message that stays
 * keeps every later message of its group with it. A crash between the two leaves the message in the DLQ; the next run
 * sends it again with the same deduplication id (derived from the DLQ
 * messageId), which SQS drops within its 5-minute window — and past it the
 * workers are idempotent by job / event id, so nothing is done twice.
 */
import { createHash } from "node:crypto";
import {
  ChangeMessageVisibilityBatchCommand,
  DeleteMessageCommand,
  type Message,
  ReceiveMessageCommand,
  SendMessageCommand,
  type SQSClient,
  StartMessageMoveTaskCommand,
} from "@aws-sdk/client-sqs";

export interface DlqMessage {
  readonly messageId: string;
  readonly groupId: string;
  readonly receiveCount: number;
  readonly sentAt: string;
  readonly body: string;
  /** Parsed body, when JSON. */
  readonly json: unknown;
}

export type DlqFilter = (message: DlqMessage) => boolean | Promise<boolean>;

const toDlqMessage = (m: Message): DlqMessage => {
  let json: unknown;
  try {
    json = JSON.parse(m.Body ?? "");
  } catch {
    json = undefined;
  }
  return {
    messageId: m.MessageId ?? "",
    groupId: m.Attributes?.["MessageGroupId"] ?? "",
    receiveCount: Number(m.Attributes?.["ApproximateReceiveCount"] ?? 0),
    sentAt: new Date(Number(m.Attributes?.["SentTimestamp"] ?? 0)).toISOString(),
    body: m.Body ?? "",
    json,
  };
};

const receive = async (sqs: SQSClient, queueUrl: string, visibilitySeconds: number): Promise<Message[]> =>
  (
    await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: queueUrl,
        MaxNumberOfMessages: 10,
        WaitTimeSeconds: 1,
        VisibilityTimeout: visibilitySeconds,
        MessageSystemAttributeNames: ["All"],
        // The producer's attributes (the correlation id) travel back with the message, as in a move task.
        MessageAttributeNames: ["All"],
      }),
    )
  ).Messages ?? [];

const release = async (sqs: SQSClient, queueUrl: string, messages: readonly Message[]): Promise<void> => {
  for (let i = 0; i < messages.length; i += 10) {
    const chunk = messages.slice(i, i + 10);
    await sqs.send(
      new ChangeMessageVisibilityBatchCommand({
        QueueUrl: queueUrl,
        Entries: chunk.map((m, j) => ({ Id: String(j), ReceiptHandle: m.ReceiptHandle ?? "", VisibilityTimeout: 0 })),
      }),
    );
  }
};

/**
 * Reads up to `limit` DLQ messages without removing them: each is received,
 * then made visible again. SQS FIFO does not hand out a group's messages while
 * earlier ones of that group are in flight: one receive may return several
 * messages of a group (AWS, moto) or only the first (fauxqs), and the rest
 * show only once those leave the queue — so a peek sees each group's front.
 */
export const peekDlq = async (sqs: SQSClient, dlqUrl: string, limit = 50): Promise<DlqMessage[]> => {
  // messageId → the latest received copy (a re-received message has a new receipt handle).
  const held = new Map<string, Message>();
  const order: Message[] = [];
  try {
    while (order.length < limit) {
      const batch = await receive(sqs, dlqUrl, 30);
      const fresh = batch.filter((m) => !held.has(m.MessageId ?? ""));
      for (const m of batch) held.set(m.MessageId ?? "", m);
      if (fresh.length === 0) break;
      order.push(...fresh);
    }
  } finally {
    await release(sqs, dlqUrl, [...held.values()]);
  }
  return order.slice(0, limit).map(toDlqMessage);
};

export interface RedriveOptions {
  readonly sourceUrl: string;
  readonly sourceArn: string;
  readonly dlqUrl: string;
  readonly dlqArn: string;
  readonly filter?: DlqFilter;
  readonly dryRun?: boolean;
  /** Stop after moving this many. */
  readonly limit?: number;
  /** Told after each message judged (moved, or kept), for a progress display. */
  readonly onProgress?: (progress: { readonly moved: number; readonly kept: number }) => void;
}

/**
 * Why a received message stays in the DLQ:
 * - `filter`: the filter does not match it;
 * - `group`: an earlier message of its group stays (`behind`), so it stays too — moving it would run it first;
 * - `limit`: the run had already moved (dry run: would have moved) `limit` messages.
 */
export type KeepReason = "filter" | "group" | "limit";

export interface KeptMessage {
  readonly message: DlqMessage;
  readonly reason: KeepReason;
  /** For `group`: the first message of the group that stays (its own reason is `filter` or `limit`). */
  readonly behind?: DlqMessage;
}

export interface RedriveReport {
  readonly method: "move-task" | "send-then-delete";
  /** Moved (dry run: would move), in the order judged. */
  readonly moved: readonly DlqMessage[];
  /** Received and left in the DLQ, in the order judged, each with why. Messages the run never received are in neither list. */
  readonly skipped: readonly KeptMessage[];
  readonly taskHandle?: string;
}

const redriveDedupId = (dlqMessageId: string): string =>
  createHash("sha256").update(`redrive:${dlqMessageId}`).digest("hex");

/**
 * Whether the endpoint lacks move tasks: an AWS-shaped refusal naming the action, or an answer that is
 * no AWS error at all — moto answers an action it has not implemented with a bare HTML 500, which the
 * SDK can only report as a deserialization failure: a server error without an error code (`$fault`).
 * A real SQS error (AccessDenied, InternalError, ...) always carries one and is the caller's.
 */
const isUnsupported = (error: unknown): boolean => {
  if (!(error instanceof Error)) return false;
  const sdk = error as Error & { $fault?: unknown; $metadata?: { httpStatusCode?: number } };
  if (sdk.$fault === undefined && (sdk.$metadata?.httpStatusCode ?? 0) >= 500) return true;
  return /Unsupported|NotImplemented|InvalidAction|UnknownOperation|InvalidParameterValue|not supported|Unknown action/i.test(
    `${error.name} ${error.message}`,
  );
};

/**
 * Moves DLQ messages back to their source queue.
 *
 * Group order: messages are judged in the order SQS hands them out, which
 * within a group is the group's order. Once one message of a group stays
 * (filter false, limit reached), every later message of that group in the run
 * stays too, whatever the filter says of it. The dry run applies the same
 * rules to the same messages; it only reaches fewer of them, because a message
 * it would move stays in flight and SQS holds back the rest of its group.
 */
export const redriveDlq = async (sqs: SQSClient, options: RedriveOptions): Promise<RedriveReport> => {
  if (!options.filter && !options.dryRun && options.limit === undefined) {
    try {
      const out = await sqs.send(
        new StartMessageMoveTaskCommand({ SourceArn: options.dlqArn, DestinationArn: options.sourceArn }),
      );
      return { method: "move-task", moved: [], skipped: [], ...(out.TaskHandle ? { taskHandle: out.TaskHandle } : {}) };
    } catch (error) {
      if (!isUnsupported(error)) throw error;
      // Emulators have no move tasks: fall through to the message-by-message move.
    }
  }
  const moved: DlqMessage[] = [];
  const skipped: KeptMessage[] = [];
  // Every received copy not deleted, by messageId (latest receipt handle): given back at the end,
  // on failure too, so the next run sees them at once rather than after the visibility timeout.
  const held = new Map<string, Message>();
  const seen = new Set<string>();
  // groupId → the group's first message that stays. Not left to SQS's group lock: a kept message
  // whose visibility runs out comes back in a batch together with the messages behind it.
  const stays = new Map<string, DlqMessage>();
  const limit = options.limit ?? Number.POSITIVE_INFINITY;
  try {
    while (moved.length < limit) {
      const batch = await receive(sqs, options.dlqUrl, 60);
      for (const m of batch) held.set(m.MessageId ?? "", m);
      const fresh = batch.filter((m) => !seen.has(m.MessageId ?? ""));
      if (fresh.length === 0) break;
      for (const m of fresh) {
        seen.add(m.MessageId ?? "");
        const message = toDlqMessage(m);
        // A standard queue has no groups (groupId ""): nothing to keep in order there.
        const first = message.groupId ? stays.get(message.groupId) : undefined;
        const reason: KeepReason | undefined = first
          ? "group"
          : moved.length >= limit
            ? "limit"
            : options.filter && !(await options.filter(message))
              ? "filter"
              : undefined;
        if (reason) {
          skipped.push({ message, reason, ...(first ? { behind: first } : {}) });
          if (!first && message.groupId) stays.set(message.groupId, message);
          continue;
        }
        if (!options.dryRun) {
          await sqs.send(
            new SendMessageCommand({
              QueueUrl: options.sourceUrl,
              MessageBody: message.body,
              MessageGroupId: message.groupId,
              MessageDeduplicationId: redriveDedupId(message.messageId),
              ...(m.MessageAttributes && Object.keys(m.MessageAttributes).length > 0
                ? { MessageAttributes: m.MessageAttributes }
                : {}),
            }),
          );
          await sqs.send(new DeleteMessageCommand({ QueueUrl: options.dlqUrl, ReceiptHandle: m.ReceiptHandle ?? "" }));
          held.delete(message.messageId);
        }
        moved.push(message);
        options.onProgress?.({ moved: moved.length, kept: skipped.length });
      }
    }
  } finally {
    await release(sqs, options.dlqUrl, [...held.values()]);
  }
  return { method: "send-then-delete", moved, skipped };
};
