/**
 * The local SQS event source against real fauxqs (on the moto backend: the
 * test file's moto): Lambda's partial batch contract (ReportBatchItemFailures),
 * whole-batch failures and timeouts.
 */

import {
  CreateQueueCommand,
  GetQueueAttributesCommand,
  SendMessageBatchCommand,
  type SQSClient,
} from "@aws-sdk/client-sqs";
import { createSqsClient } from "@cvpipe/aws/clients";
import { type Emulators, startEmulators } from "@cvpipe/local/emulators";
import { failedIdentifiers, type SqsHandler, SqsPoller } from "@cvpipe/local/sqs-poller";
import type { SQSEvent } from "aws-lambda";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { sqsRecord } from "./support/fixtures.ts";
import { queueDepth } from "./support/queues.ts";
import { moto, testSettings, until } from "./support/stack.ts";

let emulators: Emulators | undefined;
let sqs: SQSClient;
let n = 0;

test.before(async () => {
  if (!moto) emulators = await startEmulators(await testSettings(), { dynamodb: false, ses: false });
  sqs = createSqsClient({
    AWS_REGION: "us-east-1",
    AWS_ENDPOINT_URL_SQS: moto?.endpoint ?? emulators?.sqsEndpoint,
    AWS_ACCESS_KEY_ID: "t",
    AWS_SECRET_ACCESS_KEY: "t",
  });
});
test.after(async () => emulators?.stop());

/** A queue (FIFO by default) with a 1 s visibility timeout holding one message in each of `groups`. */
const queueWith = async (groups: string[], fifo = true) => {
  const name = `poller-${++n}${fifo ? ".fifo" : ""}`;
  const { QueueUrl } = await sqs.send(
    new CreateQueueCommand({
      QueueName: name,
      Attributes: fifo ? { FifoQueue: "true", VisibilityTimeout: "1" } : { VisibilityTimeout: "1" },
    }),
  );
  const { Attributes } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ["QueueArn"] }));
  await sqs.send(
    new SendMessageBatchCommand({
      QueueUrl,
      Entries: groups.map((g, i) => ({
        Id: String(i),
        MessageBody: `body-${g}`,
        ...(fifo ? { MessageGroupId: g, MessageDeduplicationId: `${name}-${g}` } : {}),
      })),
    }),
  );
  return { url: QueueUrl!, arn: Attributes!["QueueArn"]! };
};

const depth = (url: string) => queueDepth(sqs, url);

const poller = (
  q: { url: string; arn: string },
  handler: SqsHandler,
  timeoutSeconds = 5,
  { batchSize = 10, maxConcurrency = 1 } = {},
) =>
  new SqsPoller({
    sqs,
    functionName: "test",
    queueUrl: q.url,
    queueArn: q.arn,
    region: "us-east-1",
    handler,
    batchSize,
    maxConcurrency,
    timeoutSeconds,
    waitTimeSeconds: 1,
    log: () => {},
  });

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

test("records arrive in Lambda's SQS shape", async () => {
  const q = await queueWith(["g1"]);
  let event: SQSEvent | undefined;
  const p = poller(q, async (e) => {
    event = e;
  });
  p.start();
  await until("a batch", async () => event);
  await p.stop();
  const r = event!.Records[0]!;
  assert.is(r.body, "body-g1");
  assert.is(r.eventSource, "aws:sqs");
  assert.is(r.eventSourceARN, q.arn);
  assert.is(r.awsRegion, "us-east-1");
  assert.is(r.attributes.MessageGroupId, "g1");
  assert.is(r.attributes.ApproximateReceiveCount, "1");
  assert.ok(/^\d+$/.test(r.attributes.SequenceNumber ?? ""), "FIFO SequenceNumber present");
  assert.ok(r.receiptHandle.length > 0 && r.md5OfBody.length === 32);
});

test("a failed record is redelivered; the others are deleted", async () => {
  const q = await queueWith(["a", "b", "c"]);
  const received: Array<[string, string]> = [];
  const p = poller(q, async (e) => {
    for (const r of e.Records) received.push([r.body, r.attributes.ApproximateReceiveCount]);
    const b = e.Records.find((r) => r.body === "body-b" && r.attributes.ApproximateReceiveCount === "1");
    return { batchItemFailures: b ? [{ itemIdentifier: b.messageId }] : [] };
  });
  p.start();
  await until("b redelivered", async () => (received.some(([b, c]) => b === "body-b" && c === "2") ? true : undefined));
  await until("queue empty", async () => ((await depth(q.url)) === 0 ? true : undefined));
  await p.stop();
  assert.equal(received.filter(([b]) => b === "body-a").length, 1, "a delivered once");
  assert.equal(received.filter(([b]) => b === "body-c").length, 1, "c delivered once");
  assert.equal(
    received.filter(([b]) => b === "body-b").map(([, c]) => c),
    ["1", "2"],
  );
  assert.ok(p.reports.some((r) => r.outcome === "partial" && r.failed === 1));
});

test("a malformed response fails the whole batch", async () => {
  const q = await queueWith(["x", "y"]);
  const counts = new Map<string, number>();
  let calls = 0;
  const p = poller(q, async (e) => {
    calls++;
    for (const r of e.Records) counts.set(r.body, (counts.get(r.body) ?? 0) + 1);
    // First call: an identifier that is not in the batch — Lambda treats that as a total failure.
    return calls === 1 ? { batchItemFailures: [{ itemIdentifier: "no-such-message" }] } : {};
  });
  p.start();
  await until("queue empty", async () => ((await depth(q.url)) === 0 ? true : undefined));
  await p.stop();
  assert.ok(p.reports.some((r) => r.outcome === "malformed-response" && r.deleted === 0));
  assert.is(counts.get("body-x"), 2, "x redelivered after the malformed response");
  assert.is(counts.get("body-y"), 2, "y redelivered after the malformed response");
});

test("a thrown error or a timeout leaves every record for redelivery", async () => {
  const q = await queueWith(["t"]);
  let calls = 0;
  const p = poller(
    q,
    async () => {
      calls++;
      if (calls === 1) throw new Error("crash");
      if (calls === 2) await new Promise((r) => setTimeout(r, 1500));
      return undefined;
    },
    1,
  );
  p.start();
  await until("third delivery", async () => (calls >= 3 ? true : undefined));
  await until("queue empty", async () => ((await depth(q.url)) === 0 ? true : undefined));
  await p.stop();
  assert.equal(
    p.reports.slice(0, 3).map((r) => r.outcome),
    ["error", "timeout", "ok"],
  );
});

test("a call that overruns its timeout keeps its batch invisible until it settles: no second concurrent attempt", async () => {
  // Visibility timeout 1 s, function timeout 1 s, the first call sleeps 3.5 s, and a second slot is free:
  // without the heartbeat the message would be visible again (and taken by the free slot) while the first call runs.
  const q = await queueWith(["z"]);
  const log: string[] = [];
  let running = 0;
  let overlapped = false;
  const p = poller(
    q,
    async (e) => {
      const r = e.Records[0]!;
      const attempt = r.attributes.ApproximateReceiveCount;
      if (running > 0) overlapped = true;
      running++;
      log.push(`start ${attempt}`);
      if (attempt === "1") await sleep(3500);
      log.push(`end ${attempt}`);
      running--;
      return undefined;
    },
    1,
    { maxConcurrency: 2 },
  );
  p.start();
  await until("queue empty", async () => ((await depth(q.url)) === 0 ? true : undefined));
  await p.stop();
  assert.not.ok(overlapped, `two attempts of one message ran at once: ${log.join(", ")}`);
  assert.equal(log, ["start 1", "end 1", "start 2", "end 2"], "retried once, after the timed-out call settled");
  assert.equal(
    p.reports.map((r) => r.outcome),
    ["timeout", "ok"],
  );
});

test("timed-out calls keep their concurrency slot: never more than maxConcurrency calls at once", async () => {
  const q = await queueWith(["a", "b", "c", "d"], false);
  let running = 0;
  let most = 0;
  const attempts = new Map<string, number>();
  const p = poller(
    q,
    async (e) => {
      running++;
      most = Math.max(most, running);
      for (const r of e.Records) attempts.set(r.body, (attempts.get(r.body) ?? 0) + 1);
      // Every first attempt overruns the 1 s timeout; retries are quick.
      if (e.Records.some((r) => r.attributes.ApproximateReceiveCount === "1")) await sleep(1500);
      running--;
      return undefined;
    },
    1,
    { batchSize: 1, maxConcurrency: 2 },
  );
  p.start();
  await until("queue empty", async () => ((await depth(q.url)) === 0 ? true : undefined), 60_000);
  await p.stop();
  assert.ok(most <= 2, `at most 2 calls in flight, saw ${most}`);
  assert.is(most, 2, "both slots were used");
  assert.equal([...attempts.keys()].sort(), ["body-a", "body-b", "body-c", "body-d"]);
  assert.ok(
    [...attempts.values()].every((n) => n === 2),
    `each message: one timed-out attempt, one retry: ${JSON.stringify([...attempts])}`,
  );
});

test("stop() waits for a timed-out call to settle and deletes nothing of its batch", async () => {
  const q = await queueWith(["w"]);
  let started = false;
  let finished = false;
  const p = poller(
    q,
    async () => {
      started = true;
      await sleep(2000);
      finished = true;
    },
    1,
  );
  p.start();
  await until("batch started", async () => (started ? true : undefined));
  await p.stop();
  assert.ok(finished, "stop waited for the timed-out call");
  assert.is(await depth(q.url), 1, "its message stays on the queue for a retry");
  assert.equal(
    p.reports.map((r) => r.outcome),
    ["timeout"],
  );
});

test("Lambda's response rules", () => {
  const records = [sqsRecord({ messageId: "m1", body: "{}" }), sqsRecord({ messageId: "m2", body: "{}" })];
  assert.equal(failedIdentifiers(undefined, records), new Set());
  assert.equal(failedIdentifiers(null, records), new Set());
  assert.equal(failedIdentifiers({}, records), new Set());
  assert.equal(failedIdentifiers({ batchItemFailures: null }, records), new Set());
  assert.equal(failedIdentifiers({ batchItemFailures: [{ itemIdentifier: "m2" }] }, records), new Set(["m2"]));
  assert.is(failedIdentifiers({ batchItemFailures: [{ itemIdentifier: "" }] }, records), "malformed");
  assert.is(failedIdentifiers({ batchItemFailures: [{ itemIdentifier: null }] }, records), "malformed");
  assert.is(failedIdentifiers({ batchItemFailures: [{ id: "m1" }] }, records), "malformed");
  assert.is(failedIdentifiers({ batchItemFailures: "m1" }, records), "malformed");
  assert.is(failedIdentifiers("ok", records), "malformed");
});

test("stop() waits for the in-flight batch and deletes only what finished", async () => {
  const q = await queueWith(["s"]);
  let started = false;
  let finished = false;
  const p = poller(q, async () => {
    started = true;
    await new Promise((r) => setTimeout(r, 500));
    finished = true;
  });
  p.start();
  await until("batch started", async () => (started ? true : undefined));
  await p.stop();
  assert.ok(finished, "stop waited for the invocation");
  assert.is(await depth(q.url), 0, "the finished record was deleted");
});

test.run();
