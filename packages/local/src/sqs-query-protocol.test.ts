import { test } from "uvu";
import * as assert from "uvu/assert";
import { errorToXml, jsonOutputToXml, MalformedQueryError, queryToJsonInput } from "./sqs-query-protocol.ts";

test("batch entries, message attribute maps and integers decode to the JSON protocol's input", () => {
  const input = queryToJsonInput("SendMessageBatch", {
    Action: "SendMessageBatch",
    Version: "2012-11-05",
    QueueUrl: "http://q/1/a.fifo",
    "SendMessageBatchRequestEntry.2.Id": "second",
    "SendMessageBatchRequestEntry.2.MessageBody": "b",
    "SendMessageBatchRequestEntry.2.DelaySeconds": "5",
    "SendMessageBatchRequestEntry.1.Id": "first",
    "SendMessageBatchRequestEntry.1.MessageBody": "a",
    "SendMessageBatchRequestEntry.1.MessageAttribute.1.Name": "kind",
    "SendMessageBatchRequestEntry.1.MessageAttribute.1.Value.DataType": "String",
    "SendMessageBatchRequestEntry.1.MessageAttribute.1.Value.StringValue": "job",
    "SendMessageBatchRequestEntry.1.MessageAttribute.1.Value.StringListValue.1": "x",
  });
  assert.equal(input, {
    QueueUrl: "http://q/1/a.fifo",
    Entries: [
      {
        Id: "first",
        MessageBody: "a",
        MessageAttributes: { kind: { DataType: "String", StringValue: "job", StringListValues: ["x"] } },
      },
      { Id: "second", MessageBody: "b", DelaySeconds: 5 },
    ],
  });
});

test("flattened lists keep their order past 9, an empty list is `Name=`, CreateQueue's tags are lower-case", () => {
  const names = Object.fromEntries(Array.from({ length: 11 }, (_, i) => [`AttributeName.${i + 1}`, `n${i + 1}`]));
  assert.equal(queryToJsonInput("GetQueueAttributes", { QueueUrl: "u", ...names }).AttributeNames, [
    "n1",
    "n2",
    "n3",
    "n4",
    "n5",
    "n6",
    "n7",
    "n8",
    "n9",
    "n10",
    "n11",
  ]);
  assert.equal(queryToJsonInput("ReceiveMessage", { QueueUrl: "u", AttributeName: "" }).AttributeNames, []);
  assert.equal(
    queryToJsonInput("CreateQueue", {
      QueueName: "q",
      "Attribute.1.Name": "FifoQueue",
      "Attribute.1.Value": "true",
      "Tag.1.Key": "team",
      "Tag.1.Value": "ops",
    }),
    { QueueName: "q", Attributes: { FifoQueue: "true" }, tags: { team: "ops" } },
  );
});

test("a malformed query names the parameter and the rule", () => {
  const refused = (params: Record<string, string>, message: RegExp) => {
    try {
      queryToJsonInput("ReceiveMessage", params);
      assert.unreachable("accepted");
    } catch (err) {
      assert.instance(err, MalformedQueryError);
      assert.match((err as Error).message, message);
    }
  };
  refused({ MaxNumberOfMessages: "ten" }, /MaxNumberOfMessages: "ten" is not an integer/);
  refused({ "AttributeName.0": "All" }, /AttributeName\.0: list positions are 1, 2/);
  refused({ AttributeName: "All" }, /AttributeName: a list needs AttributeName\.1/);
  refused({ "Attribute.1.Value": "x" }, /Attribute: each entry needs Attribute\.N\.Name/);
  refused({ QueueUrl: "u", "QueueUrl.1": "v" }, /QueueUrl\.1: given as a value and as a structure/);
  refused({ "a..b": "v" }, /a\.\.b: empty name segment/);
});

test("outputs become the query protocol's XML: flattened lists and maps, entry names per action, escaping", () => {
  const xml = jsonOutputToXml(
    "ReceiveMessage",
    {
      Messages: [
        {
          MessageId: "m1",
          Body: `a & <b> "c"\r\n`,
          Attributes: { ApproximateReceiveCount: "1" },
          MessageAttributes: { kind: { DataType: "String", StringValue: "x" } },
        },
      ],
    },
    "rid",
  );
  assert.is(
    xml,
    '<?xml version="1.0"?><ReceiveMessageResponse xmlns="http://queue.amazonaws.com/doc/2012-11-05/"><ReceiveMessageResult>' +
      "<Message><MessageId>m1</MessageId><Body>a &amp; &lt;b&gt; &quot;c&quot;&#xD;\n</Body>" +
      "<Attribute><Name>ApproximateReceiveCount</Name><Value>1</Value></Attribute>" +
      "<MessageAttribute><Name>kind</Name><Value><DataType>String</DataType><StringValue>x</StringValue></Value></MessageAttribute>" +
      "</Message></ReceiveMessageResult><ResponseMetadata><RequestId>rid</RequestId></ResponseMetadata></ReceiveMessageResponse>",
  );
  assert.match(jsonOutputToXml("ReceiveMessage", {}, "r"), "<ReceiveMessageResult></ReceiveMessageResult>");
  assert.not.match(jsonOutputToXml("DeleteMessage", {}, "r"), "DeleteMessageResult");
  assert.match(
    jsonOutputToXml("DeleteMessageBatch", { Successful: [{ Id: "a" }], Failed: [{ Id: "b", Code: "X" }] }, "r"),
    "<DeleteMessageBatchResultEntry><Id>a</Id></DeleteMessageBatchResultEntry><BatchResultErrorEntry><Id>b</Id><Code>X</Code></BatchResultErrorEntry>",
  );
});

test("errors carry the query code and fault from the JSON answer's x-amzn-query-error header", () => {
  const xml = errorToXml(
    { __type: "com.amazonaws.sqs#QueueDoesNotExist", message: "The specified queue does not exist." },
    "AWS.SimpleQueueService.NonExistentQueue;Sender",
    "rid",
  );
  assert.match(xml, "<Type>Sender</Type><Code>AWS.SimpleQueueService.NonExistentQueue</Code>");
  assert.match(xml, "<Message>The specified queue does not exist.</Message>");
  assert.match(errorToXml({ __type: "com.amazonaws.sqs#InternalError" }, undefined), "<Code>InternalError</Code>");
  assert.match(errorToXml({ message: "m" }, "Throttled;Receiver"), "<Type>Receiver</Type><Code>Throttled</Code>");
});

test.run();
