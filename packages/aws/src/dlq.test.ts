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

test("an answer that is no AWS error (moto: a bare HTML 500 for an action it lacks) falls back too", async () => {
  // What the SDK throws for moto's `<!doctype html>` 500: a SyntaxError carrying the status, no error code.
  const html500 = Object.assign(new SyntaxError(`Unexpected token '<', "<!doctype "... is not valid JSON`), {
    $metadata: { httpStatusCode: 500, attempts: 3 },
  });
  const { client, sent } = stub((c) => {
    if (c instanceof StartMessageMoveTaskCommand) throw html500;
    return {};
  });
  const report = await redriveDlq(client, target);
  assert.is(report.method, "send-then-delete");
  assert.instance(sent[1], ReceiveMessageCommand);
});

test("a real SQS server error (with its error code) is the caller's, not a fallback", async () => {
  const internal = Object.assign(new Error("We encountered an internal error."), {
    name: "InternalError",
    $fault: "server",
    $metadata: { httpStatusCode: 500 },
  });
  const { client } = stub((c) => {
    if (c instanceof StartMessageMoveTaskCommand) throw internal;
    return {};
  });
  const error = await redriveDlq(client, target).then(
    () => undefined,
    (e: Error) => e,
  );
  assert.is(error?.name, "InternalError");
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

test("send-then-delete keeps the message's attributes (the correlation id), as AWS's move task does", async () => {
  let delivered = false;
  const attributes = { correlationId: { DataType: "String", StringValue: "req-7f3a" } };
  const { client, sent } = stub((c) => {
    if (c instanceof ReceiveMessageCommand && !delivered) {
      delivered = true;
      return {
        Messages: [
          {
            MessageId: "m-2",
            ReceiptHandle: "r-2",
            Body: '{"jobId":"j2"}',
            Attributes: { MessageGroupId: "acme#bob", ApproximateReceiveCount: "3", SentTimestamp: "0" },
            MessageAttributes: attributes,
          },
        ],
      };
    }
    return {};
  });
  await redriveDlq(client, { ...target, filter: () => true });
  const receive = sent.find((c) => c instanceof ReceiveMessageCommand) as ReceiveMessageCommand;
  assert.equal(receive.input.MessageAttributeNames, ["All"]);
  const send = sent.find((c) => c instanceof SendMessageCommand) as SendMessageCommand;
  assert.equal(send.input.MessageAttributes, attributes);
});

test.run();
