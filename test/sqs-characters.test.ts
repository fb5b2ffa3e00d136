/**
 * The embedded SQS (fauxqs, as patched) accepts exactly the message-body
 * characters AWS SQS accepts — #x9 | #xA | #xD | #x20-#xD7FF | #xE000-#xFFFD |
 * #x10000-#x10FFFF — and refuses the rest with InvalidMessageContents, through
 * the real SDK client (SendMessage and SendMessageBatch). Accepted bodies come
 * back unchanged, also after a restart from the SQLite data directory.
 * On the moto backend the same checks run against moto, but for the refusals
 * (moto refuses nothing) and the restart (fauxqs's SQLite).
 */
import {
  CreateQueueCommand,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  SendMessageCommand,
  type SQSClient,
} from "@aws-sdk/client-sqs";
import { createSqsClient } from "@cvpipe/aws/clients";
import { messageBody } from "@cvpipe/core/contracts/message-envelope";
import { type Emulators, startEmulators } from "@cvpipe/local/emulators";
import type { LocalSettings } from "@cvpipe/local/settings";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { moto, testSettings, unlessMoto } from "./support/stack.ts";

let settings: LocalSettings;
let emulators: Emulators | undefined;
let sqs: SQSClient;
let n = 0;

/** fauxqs (on the moto backend: the test file's moto, so the same rules are checked there). */
const connect = async () => {
  if (!moto) emulators = await startEmulators(settings, { dynamodb: false, ses: false });
  sqs = createSqsClient({
    AWS_REGION: "us-east-1",
    AWS_ENDPOINT_URL_SQS: moto?.endpoint ?? emulators?.sqsEndpoint,
    AWS_ACCESS_KEY_ID: "t",
    AWS_SECRET_ACCESS_KEY: "t",
  });
};
const embeddedOnly = unlessMoto("the restart test is of fauxqs's SQLite data directory", test);
const refusing = unlessMoto(
  "moto refuses no character in a message body (it has no InvalidMessageContents check; docs/emulator-differences.md)",
  test,
);

test.before(async () => {
  settings = await testSettings();
  await connect();
});
test.after(async () => emulators?.stop());

const queue = async (fifo = false) => {
  const name = `chars-${++n}${fifo ? ".fifo" : ""}`;
  const { QueueUrl } = await sqs.send(
    new CreateQueueCommand({ QueueName: name, Attributes: fifo ? { FifoQueue: "true" } : {} }),
  );
  return QueueUrl!;
};

const receiveAll = async (url: string, count: number) => {
  const bodies: string[] = [];
  for (let tries = 0; bodies.length < count && tries < 20; tries++) {
    const out = await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: url,
        MaxNumberOfMessages: 10,
        WaitTimeSeconds: 1,
        MessageAttributeNames: ["All"],
      }),
    );
    for (const m of out.Messages ?? []) bodies.push(m.Body ?? "");
  }
  return bodies;
};

const errorName = async (p: Promise<unknown>): Promise<string | undefined> => {
  try {
    await p;
    return undefined;
  } catch (error) {
    return (error as Error).name;
  }
};

const hex = (s: string) => [...s].map((c) => `U+${c.codePointAt(0)!.toString(16).toUpperCase()}`).join(" ");

/** Every allowed range's edges and a few characters inside. */
const ALLOWED = [
  "\t",
  "\n",
  "\r",
  " ",
  "~",
  "\u007F",
  "\u0080",
  "\u00E9",
  "\u0301",
  "\u05D0",
  "\u0627",
  "\uD7FF",
  "\uE000",
  "\uFFFD",
  "\u{10000}",
  "\u{1F644}",
  "\u{1D400}",
  "\u{2000B}",
  "\u{E0001}",
  "\u{F0000}",
  "\u{10FFFF}",
];
/** What SQS refuses: C0 controls other than tab/LF/CR, the BMP non-characters, and lone surrogates. */
const REFUSED = [
  ...Array.from({ length: 0x20 }, (_, c) => String.fromCharCode(c)).filter((c) => !"\t\n\r".includes(c)),
  "\uFFFE",
  "\uFFFF",
  "\uD800",
  "\uDBFF",
  "\uDC00",
  "\uDFFF",
  "\uDE44\uD83D", // a low surrogate before a high one is two lone surrogates, not a pair
];

test("SendMessage accepts every allowed character and returns it unchanged", async () => {
  const url = await queue();
  for (const c of ALLOWED) {
    const out = await sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: `x${c}y` }));
    assert.ok(out.MessageId, hex(c));
  }
  const bodies = await receiveAll(url, ALLOWED.length);
  assert.equal(bodies.sort(), ALLOWED.map((c) => `x${c}y`).sort());
});

refusing("SendMessage refuses each character SQS refuses with InvalidMessageContents", async () => {
  const url = await queue();
  for (const c of REFUSED) {
    const name = await errorName(sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: `ok ${c} ok` })));
    assert.is(name, "InvalidMessageContents", hex(c));
  }
  const out = await sqs.send(new ReceiveMessageCommand({ QueueUrl: url, WaitTimeSeconds: 1 }));
  assert.is(out.Messages, undefined, "nothing was enqueued");
});

refusing("SendMessageBatch: per-entry verdicts by the same rule, on a FIFO queue too", async () => {
  const url = await queue(true);
  const entries = [
    { Id: "emoji", MessageBody: "\u{1F644} rolling eyes" },
    { Id: "nul", MessageBody: "a\u0000b" },
    { Id: "astral_max", MessageBody: "\u{10FFFF}" },
    { Id: "fffe", MessageBody: "\uFFFE" },
    { Id: "rtl", MessageBody: "\u05DE\u05D4\u05E0\u05D3\u05E1 \u0645\u0647\u0646\u062F\u0633" },
  ].map((e, i) => ({ ...e, MessageGroupId: "g", MessageDeduplicationId: `d${i}` }));
  const out = await sqs.send(new SendMessageBatchCommand({ QueueUrl: url, Entries: entries }));
  assert.equal(out.Successful?.map((s) => s.Id).sort(), ["astral_max", "emoji", "rtl"]);
  assert.equal(out.Failed?.map((f) => [f.Id, f.Code, f.SenderFault]).sort(), [
    ["fffe", "InvalidMessageContents", true],
    ["nul", "InvalidMessageContents", true],
  ]);
});

test("astral characters in string message attributes are accepted and returned", async () => {
  const url = await queue();
  const value = "\u{1F644} \u{2000B} \u05D0";
  await sqs.send(
    new SendMessageCommand({
      QueueUrl: url,
      MessageBody: "with attributes",
      MessageAttributes: { note: { DataType: "String", StringValue: value } },
    }),
  );
  const out = await sqs.send(
    new ReceiveMessageCommand({ QueueUrl: url, MessageAttributeNames: ["All"], WaitTimeSeconds: 1 }),
  );
  assert.is(out.Messages?.[0]?.MessageAttributes?.["note"]?.StringValue, value);
});

test("messageBody(): whatever the value, SQS accepts the body and it parses back to the value", async () => {
  const url = await queue();
  // Every code unit 0..0xFFFF (so every lone surrogate and control) plus astral characters and pairs.
  const units = Array.from({ length: 0x10000 }, (_, c) => String.fromCharCode(c)).join("");
  const value = {
    units,
    astral: "\u{1F644}\u{10000}\u{10FFFF}\u{2000B}",
    pair: "\uD83D\uDE44",
    swapped: "\uDE44\uD83D",
  };
  const body = messageBody(value);
  assert.not.match(body, /[^\t\n\r\x20-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u, "only characters SQS allows");
  assert.equal(JSON.parse(body), value);
  await sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: body }));
  const [received] = await receiveAll(url, 1);
  assert.equal(JSON.parse(received ?? "null"), value);
});

embeddedOnly("astral bodies survive a restart from the data directory (SQLite persistence)", async () => {
  const url = await queue(true);
  const body = "persisted \u{1F644} \u{2000B} \u{1D400} \u{10FFFF} \u05D0 e\u0301";
  await sqs.send(
    new SendMessageCommand({ QueueUrl: url, MessageBody: body, MessageGroupId: "g", MessageDeduplicationId: "p" }),
  );
  await emulators?.stop();
  await connect();
  assert.equal(await receiveAll(url, 1), [body]);
});

test.run();
