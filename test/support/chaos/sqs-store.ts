/**
 * The embedded SQS's own record of its messages (fauxqs keeps them in SQLite
 * under `<dataDir>/sqs/fauxqs.db`, one row per message with its receive count
 * and, while a consumer holds it, its receipt handle and visibility deadline).
 * The SQS API only gives counts; this says *which* messages a kill caught in
 * flight and which are in a DLQ — read only, the schema is fauxqs 2.x's.
 */
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";

export interface StoredMessage {
  readonly messageId: string;
  readonly queue: string;
  readonly body: string;
  readonly receiveCount: number;
  readonly groupId: string | null;
}

const open = (dataDir: string): DatabaseSync => new DatabaseSync(join(dataDir, "sqs", "fauxqs.db"), { readOnly: true });

const rows = (dataDir: string, where: string, ...params: (string | number)[]): StoredMessage[] => {
  const db = open(dataDir);
  try {
    return db
      .prepare(
        `SELECT message_id, queue_name, body, approximate_receive_count, message_group_id FROM sqs_messages WHERE ${where}`,
      )
      .all(...params)
      .map((r) => ({
        messageId: String(r["message_id"]),
        queue: String(r["queue_name"]),
        body: String(r["body"]),
        receiveCount: Number(r["approximate_receive_count"]),
        groupId: r["message_group_id"] === null ? null : String(r["message_group_id"]),
      }));
  } finally {
    db.close();
  }
};

/**
 * Messages a consumer held at `atMs` (wall clock, as fauxqs keeps deadlines): received, not deleted,
 * visibility deadline still ahead. Read between a kill and the next start, it is what the kill caught.
 */
export const inFlightAt = (dataDir: string, atMs: number): StoredMessage[] =>
  rows(dataDir, "receipt_handle IS NOT NULL AND visibility_deadline > ?", atMs);

/** Every message a queue holds (by queue name), in flight or not. */
export const messagesIn = (dataDir: string, queueName: string): StoredMessage[] =>
  rows(dataDir, "queue_name = ?", queueName);
