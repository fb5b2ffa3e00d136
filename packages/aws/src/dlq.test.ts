/**
 * Which redrive method runs, with a stub SQS client: an unfiltered, unlimited,
 * real redrive is one StartMessageMoveTask (AWS); where the endpoint has no
 * move tasks, or with a filter, a limit or a dry run, it is the
 * message-by-message move. Group order under several messages per receive is
 * tested against moto in test/dlq-redrive-moto.test.ts.
 */
import {
  ChangeMessageVisibilityBatchCommand,
  DeleteMessageCommand,
  ReceiveMessageCommand,
  SendMessageCommand,
  type SQSClient,
  StartMessageMoveTaskCommand,
} from "@aws-sdk/client-sqs";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { redriveDlq } from "./dlq.ts";

const target = {
  sourceUrl: "https://sqs.eu-west-1.amazonaws.com/1/jobs.fifo",
  sourceArn: "arn:aws:sqs:eu-west-1:1:jobs.fifo",
  dlqUrl: "https://sqs.eu-west-1.amazonaws.com/1/jobs-dlq.fifo",
  dlqArn: "arn:aws:sqs:eu-west-1:1:jobs-dlq.fifo",
};

/** A client that records commands and answers them from `answer` (an empty DLQ by default). */
const stub = (answer: (command: object) => unknown = () => ({})) => {
  const sent: object[] = [];
  const client = {
    send: async (command: object) => {
      sent.push(command);
      return answer(command);
    },
  } as unknown as SQSClient;
  return { client, sent };
};

test("no filter, no limit, not a dry run: one StartMessageMoveTask from the DLQ to its source, nothing received", async () => {
  const { client, sent } = stub((c) => (c instanceof StartMessageMoveTaskCommand ? { TaskHandle: "task-1" } : {}));
  const report = await redriveDlq(client, target);
  assert.equal(report, { method: "move-task", moved: [], skipped: [], taskHandle: "task-1" });
  assert.is(sent.length, 1);
  const command = sent[0] as StartMessageMoveTaskCommand;
  assert.instance(command, StartMessageMoveTaskCommand);
  assert.equal(command.input, { SourceArn: target.dlqArn, DestinationArn: target.sourceArn });
});

test("an endpoint without move tasks: falls back to the message-by-message move", async () => {
  const unsupported = Object.assign(new Error("The action StartMessageMoveTask is not valid"), {
    name: "UnsupportedOperation",
  });
  const { client, sent } = stub((c) => {
    if (c instanceof StartMessageMoveTaskCommand) throw unsupported;
    return {};
  });
  const report = await redriveDlq(client, target);
  assert.is(report.method, "send-then-delete");
  assert.instance(sent[1], ReceiveMessageCommand);
});

test("any other move-task error is the caller's (no silent fallback)", async () => {
  const { client } = stub((c) => {
    if (c instanceof StartMessageMoveTaskCommand) throw Object.assign(new Error("denied"), { name: "AccessDenied" });
    return {};
  });
  try {
    await redriveDlq(client, target);
    assert.unreachable("should have thrown");
  } catch (error) {
    assert.is((error as Error).name, "AccessDenied");
  }
});

test("a filter, a limit or a dry run never starts a move task", async () => {
  for (const options of [{ filter: () => true }, { limit: 3 }, { dryRun: true }]) {
    const { client, sent } = stub();
    const report = await redriveDlq(client, { ...target, ...options });
    assert.is(report.method, "send-then-delete", JSON.stringify(options));
    assert.not.ok(
      sent.some((c) => c instanceof StartMessageMoveTaskCommand),
      JSON.stringify(options),
    );
  }
});

test("send-then-delete: sent with the DLQ message's group and a dedup id from its messageId, then deleted", async () => {
  let delivered = false;
  const { client, sent } = stub((c) => {
    if (c instanceof ReceiveMessageCommand && !delivered) {
      delivered = true;
      return {
        Messages: [
          {
            MessageId: "m-1",
            ReceiptHandle: "r-1",
            Body: '{"jobId":"j1"}',
            Attributes: { MessageGroupId: "acme#alice", ApproximateReceiveCount: "3", SentTimestamp: "0" },
          },
        ],
      };
    }
    return {};
  });
  const report = await redriveDlq(client, { ...target, filter: () => true });
  assert.is(report.moved.length, 1);
  const send = sent.find((c) => c instanceof SendMessageCommand) as SendMessageCommand;
  const del = sent.find((c) => c instanceof DeleteMessageCommand) as DeleteMessageCommand;
  assert.ok(sent.indexOf(send) < sent.indexOf(del), "send before delete");
  assert.equal(send.input, {
    QueueUrl: target.sourceUrl,
    MessageBody: '{"jobId":"j1"}',
    MessageGroupId: "acme#alice",
    // sha256("redrive:m-1"): the same on every run, so a re-send after a crash is dropped by SQS.
    MessageDeduplicationId: "8d00098e972060f021492e6c4720aa273ef5338b908dca63077994a9d5f1633d",
  });
  assert.equal(del.input, { QueueUrl: target.dlqUrl, ReceiptHandle: "r-1" });
  assert.not.ok(
    sent.some((c) => c instanceof ChangeMessageVisibilityBatchCommand),
    "nothing held back",
  );
});

test.run();
