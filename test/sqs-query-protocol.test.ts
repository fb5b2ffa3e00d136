/**
 * The embedded SQS answers SQS's query protocol (form-encoded Action requests, XML answers) as AWS
 * does, for the tools that predate SQS's JSON protocol: Debian 12's aws CLI (2.9.19), boto3 before
 * 1.28.82, the JavaScript SDK before 3.446. The client here is that SDK, @aws-sdk/client-sqs 3.445.0
 * (its own query serializer, XML parser and MD5 checks of bodies and attributes), against fauxqs with
 * packages/local/src/sqs-query-protocol.ts in front of its JSON handlers. On the moto backend the
 * same checks run against moto, which speaks both protocols itself.
 */
import { createHash } from "node:crypto";
import { ReceiveMessageCommand as JsonReceive, type SQSClient as JsonSqsClient } from "@aws-sdk/client-sqs";
import {
  ChangeMessageVisibilityBatchCommand,
  CreateQueueCommand,
  DeleteMessageBatchCommand,
  DeleteMessageCommand,
  GetQueueAttributesCommand,
  GetQueueUrlCommand,
  ListQueuesCommand,
  ListQueueTagsCommand,
  QueueDoesNotExist,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  SendMessageCommand,
  SQSClient,
  TagQueueCommand,
  UntagQueueCommand,
} from "@aws-sdk/client-sqs-query-protocol";
import { createSqsClient } from "@cvpipe/aws/clients";
import { type Emulators, startEmulators } from "@cvpipe/local/emulators";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { moto, testSettings, unlessMoto } from "./support/stack.ts";

let emulators: Emulators | undefined;
let endpoint: string;
let query: SQSClient;
let json: JsonSqsClient;
const embeddedOnly = unlessMoto("the refusal's wording is the embedded translator's own", test);

test.before(async () => {
  if (!moto) emulators = await startEmulators(await testSettings(), { dynamodb: false, ses: false });
  endpoint = moto?.endpoint ?? emulators!.sqsEndpoint!;
  const credentials = { accessKeyId: "t", secretAccessKey: "t" };
  query = new SQSClient({ region: "us-east-1", endpoint, credentials });
  json = createSqsClient({
    AWS_REGION: "us-east-1",
    AWS_ENDPOINT_URL_SQS: endpoint,
    AWS_ACCESS_KEY_ID: "t",
    AWS_SECRET_ACCESS_KEY: "t",
  });
});
test.after(async () => emulators?.stop());

// Characters XML escapes or normalises (&, <, >, quotes, CR), a tab, a line break and an astral letter.
const BODY = `a & b < c > "q" 'a'\r\n\tline 🙂`;
const md5 = (text: string) => createHash("md5").update(text, "utf8").digest("hex");

const receiveAll = async <M>(count: number, receive: () => Promise<{ Messages?: M[] | undefined }>): Promise<M[]> => {
  const got: M[] = [];
  for (let i = 0; i < 10 && got.length < count; i++) got.push(...((await receive()).Messages ?? []));
  assert.is(got.length, count, "every message received");
  return got;
};

test("CreateQueue with attributes and tags, GetQueueUrl, ListQueues and GetQueueAttributes", async () => {
  const { QueueUrl } = await query.send(
    new CreateQueueCommand({
      QueueName: "query-a.fifo",
      Attributes: { FifoQueue: "true", VisibilityTimeout: "45", ContentBasedDeduplication: "false" },
      tags: { team: "cvpipe", tier: "local" },
    }),
  );
  assert.ok(QueueUrl?.endsWith("/query-a.fifo"));
  assert.is((await query.send(new GetQueueUrlCommand({ QueueName: "query-a.fifo" }))).QueueUrl, QueueUrl);
  const listed = await query.send(new ListQueuesCommand({ QueueNamePrefix: "query-" }));
  assert.ok(listed.QueueUrls?.includes(QueueUrl!));
  const { Attributes } = await query.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ["All"] }));
  assert.is(Attributes?.FifoQueue, "true");
  assert.is(Attributes?.VisibilityTimeout, "45");
  assert.is(Attributes?.ApproximateNumberOfMessages, "0");
  const { Attributes: one } = await query.send(
    new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ["VisibilityTimeout"] }),
  );
  assert.equal(one, { VisibilityTimeout: "45" });
  assert.equal((await query.send(new ListQueueTagsCommand({ QueueUrl }))).Tags, { team: "cvpipe", tier: "local" });
  await query.send(new TagQueueCommand({ QueueUrl, Tags: { owner: "ops" } }));
  await query.send(new UntagQueueCommand({ QueueUrl, TagKeys: ["tier"] }));
  assert.equal((await query.send(new ListQueueTagsCommand({ QueueUrl }))).Tags, { team: "cvpipe", owner: "ops" });
});

test("messages keep body and attributes through send, batch send, receive, visibility and delete", async () => {
  const QueueUrl = (await query.send(new GetQueueUrlCommand({ QueueName: "query-a.fifo" }))).QueueUrl!;
  const sent = await query.send(
    new SendMessageCommand({
      QueueUrl,
      MessageBody: BODY,
      MessageGroupId: "g1",
      MessageDeduplicationId: "d1",
      MessageAttributes: {
        kind: { DataType: "String", StringValue: "job & <event>" },
        count: { DataType: "Number", StringValue: "3" },
        raw: { DataType: "Binary", BinaryValue: new Uint8Array([0, 1, 254, 255]) },
      },
    }),
  );
  assert.is(sent.MD5OfMessageBody, md5(BODY));
  assert.ok(sent.MessageId);
  const batch = await query.send(
    new SendMessageBatchCommand({
      QueueUrl,
      Entries: [
        { Id: "b1", MessageBody: "second", MessageGroupId: "g3", MessageDeduplicationId: "d2" },
        { Id: "b2", MessageBody: "third", MessageGroupId: "g2", MessageDeduplicationId: "d3" },
      ],
    }),
  );
  assert.equal(batch.Successful?.map((e) => e.Id).sort(), ["b1", "b2"]);
  assert.equal(batch.Failed ?? [], []);

  // One message per group, so none waits behind another in flight; a receive may still return fewer
  // than it could (fauxqs gives one group per call), so receive until all three are in hand.
  const received = await receiveAll(3, async () =>
    query.send(
      new ReceiveMessageCommand({
        QueueUrl,
        MaxNumberOfMessages: 10,
        AttributeNames: ["All"],
        MessageAttributeNames: ["All"],
        VisibilityTimeout: 30,
      }),
    ),
  );
  const first = received.find((m) => m.MessageId === sent.MessageId);
  assert.ok(first, "the first message is received");
  assert.is(first!.Body, BODY);
  assert.is(first!.MD5OfBody, md5(BODY));
  assert.is(first!.Attributes?.MessageGroupId, "g1");
  assert.is(first!.Attributes?.ApproximateReceiveCount, "1");
  assert.is(first!.MessageAttributes?.kind?.StringValue, "job & <event>");
  assert.is(first!.MessageAttributes?.count?.DataType, "Number");
  assert.equal([...(first!.MessageAttributes?.raw?.BinaryValue ?? [])], [0, 1, 254, 255]);

  const handles = received.map((m, i) => ({ Id: `m${i}`, ReceiptHandle: m.ReceiptHandle! }));
  // Back to visible, then received again through today's JSON client: the same bodies, one more receive.
  const released = await query.send(
    new ChangeMessageVisibilityBatchCommand({
      QueueUrl,
      Entries: handles.map((h) => ({ ...h, VisibilityTimeout: 0 })),
    }),
  );
  assert.equal(released.Successful?.map((e) => e.Id).sort(), handles.map((h) => h.Id).sort());
  const again = await receiveAll(3, () =>
    json.send(new JsonReceive({ QueueUrl, MaxNumberOfMessages: 10, MessageSystemAttributeNames: ["All"] })),
  );
  const againFirst = again.find((m) => m.MessageId === sent.MessageId);
  assert.is(againFirst?.Body, BODY);
  assert.is(againFirst?.Attributes?.ApproximateReceiveCount, "2");

  const [head, ...rest] = again;
  await query.send(new DeleteMessageCommand({ QueueUrl, ReceiptHandle: head!.ReceiptHandle! }));
  if (rest.length > 0) {
    const deleted = await query.send(
      new DeleteMessageBatchCommand({
        QueueUrl,
        Entries: rest.map((m, i) => ({ Id: `d${i}`, ReceiptHandle: m.ReceiptHandle! })),
      }),
    );
    assert.is(deleted.Successful?.length, rest.length);
  }
  const { Attributes } = await query.send(
    new GetQueueAttributesCommand({
      QueueUrl,
      AttributeNames: ["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"],
    }),
  );
  assert.equal(Attributes, { ApproximateNumberOfMessages: "0", ApproximateNumberOfMessagesNotVisible: "0" });
});

test("an unknown queue is the SDK's QueueDoesNotExist, from the XML error document", async () => {
  const err = await query.send(new GetQueueUrlCommand({ QueueName: "query-missing" })).catch((e: unknown) => e);
  assert.instance(err, QueueDoesNotExist);
  assert.is((err as QueueDoesNotExist).$metadata.httpStatusCode, 400);
});

embeddedOnly("a malformed query is a 400 MalformedQueryString naming the parameter", async () => {
  const res = await fetch(endpoint, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: "Action=GetQueueAttributes&Version=2012-11-05&QueueUrl=x&AttributeName.first=All",
  });
  assert.is(res.status, 400);
  const xml = await res.text();
  assert.match(xml, "<Code>MalformedQueryString</Code>");
  assert.match(xml, "AttributeName.first: list positions are 1, 2");
});

test.run();
