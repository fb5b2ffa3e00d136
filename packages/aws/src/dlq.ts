/**
 * Dead-letter queue inspection and redrive.
 *
 * Redrive moves messages back to their source queue keeping MessageGroupId and
 * order. Without a filter, on an endpoint that supports it (AWS), it starts an
 * SQS message move task. Otherwise (a filter, or an emulator without move
 * tasks) it moves message by message: send to the source, then delete from the
 * DLQ. A crash between the two leaves the message in the DLQ; the next run
 * sends it again with the same deduplication id (derived from the DLQ
 * messageId), which SQS drops within its 5-minute window — and past it the
 * consumers are idempotent by job / event id, so nothing is done twice.
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
 * then made visible again. FIFO hands out one message per group at a time, so
 * a group's later messages show only after the run releases the earlier ones.
 */
export const peekDlq = async (sqs: SQSClient, dlqUrl: string, limit = 50): Promise<DlqMessage[]> => {
  const held: Message[] = [];
  const seen = new Set<string>();
  try {
    while (held.length < limit) {
      const batch = (await receive(sqs, dlqUrl, 30)).filter((m) => !seen.has(m.MessageId ?? ""));
      if (batch.length === 0) break;
      for (const m of batch) {
        seen.add(m.MessageId ?? "");
        held.push(m);
      }
    }
  } finally {
    await release(sqs, dlqUrl, held);
  }
  return held.slice(0, limit).map(toDlqMessage);
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
}

export interface RedriveReport {
  readonly method: "move-task" | "send-then-delete";
  readonly moved: readonly DlqMessage[];
  readonly skipped: readonly DlqMessage[];
  readonly taskHandle?: string;
}

const redriveDedupId = (dlqMessageId: string): string =>
  createHash("sha256").update(`redrive:${dlqMessageId}`).digest("hex");

const isUnsupported = (error: unknown): boolean =>
  error instanceof Error &&
  /Unsupported|NotImplemented|InvalidAction|UnknownOperation|InvalidParameterValue|not supported|Unknown action/i.test(
    `${error.name} ${error.message}`,
  );

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
  const skipped: DlqMessage[] = [];
  const held: Message[] = [];
  const seen = new Set<string>();
  const limit = options.limit ?? Number.POSITIVE_INFINITY;
  try {
    while (moved.length < limit) {
      const batch = (await receive(sqs, options.dlqUrl, 60)).filter((m) => !seen.has(m.MessageId ?? ""));
      if (batch.length === 0) break;
      for (const m of batch) {
        seen.add(m.MessageId ?? "");
        const message = toDlqMessage(m);
        const wanted = moved.length < limit && (options.filter ? await options.filter(message) : true);
        if (!wanted || options.dryRun) {
          (wanted ? moved : skipped).push(message);
          held.push(m);
          continue;
        }
        await sqs.send(
          new SendMessageCommand({
            QueueUrl: options.sourceUrl,
            MessageBody: message.body,
            MessageGroupId: message.groupId,
            MessageDeduplicationId: redriveDedupId(message.messageId),
          }),
        );
        await sqs.send(new DeleteMessageCommand({ QueueUrl: options.dlqUrl, ReceiptHandle: m.ReceiptHandle ?? "" }));
        moved.push(message);
      }
    }
  } finally {
    await release(sqs, options.dlqUrl, held);
  }
  return { method: "send-then-delete", moved, skipped };
};
