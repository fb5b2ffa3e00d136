/**
 * A queue the publisher has no URL for is a configuration mistake, raised as
 * ConfigError naming the variable — not a DependencyError (a retryable 503)
 * as if SQS had failed. No request is sent.
 *
 * Sends of one turn of the event loop share requests: each caller's messages
 * whole and in order, at most 10 entries and 256 KiB a request, each caller
 * answered for its own entries; a caller alone sends as it always did.
 */
import {
  type SendMessageBatchCommand,
  type SendMessageBatchCommandInput,
  SendMessageCommand,
  type SQSClient,
} from "@aws-sdk/client-sqs";
import { CORRELATION_ID_ATTRIBUTE } from "@cvpipe/core/contracts/message-envelope";
import { ConfigError, DependencyError } from "@cvpipe/core/errors";
import { rejects } from "@cvpipe/core/testing/rejects";
import { queueUrlEnv } from "@cvpipe/core/topology";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { SqsQueuePublisher } from "./sqs-queue-publisher.ts";

const message = { body: "{}", groupId: "g", deduplicationId: "d" };

const sqs = (sent: unknown[]) =>
  ({
    send: async (command: unknown) => {
      sent.push(command);
      return {};
    },
  }) as unknown as SQSClient;

test("send and sendBatch to a queue without a URL: ConfigError naming its variable, nothing sent", async () => {
  const sent: unknown[] = [];
  const publisher = new SqsQueuePublisher(sqs(sent), { analyticsEvents: "http://sqs/analytics-events.fifo" });
  for (const run of [
    () => publisher.send("tailoringJobs", message),
    () => publisher.sendBatch("tailoringJobs", [message]),
  ]) {
    const error = await rejects(run);
    assert.instance(error, ConfigError);
    assert.not.instance(error, DependencyError);
    assert.match((error as Error).message, queueUrlEnv("tailoringJobs"));
  }
  assert.is(sent.length, 0);
});

test("a failed send is still a DependencyError", async () => {
  const failing = { send: async () => Promise.reject(new Error("boom")) } as unknown as SQSClient;
  const publisher = new SqsQueuePublisher(failing, { tailoringJobs: "http://sqs/tailoring-jobs.fifo" });
  assert.instance(await rejects(() => publisher.send("tailoringJobs", message)), DependencyError);
});

/** A fake SQS that records each request and answers SendMessageBatch entry by entry (`fate` decides; default sent). */
const recording = (fate: (body: string) => "sent" | "failed" | "unanswered" = () => "sent") => {
  const requests: Array<{ op: string; bodies: string[] }> = [];
  let ids = 0;
  const client = {
    send: async (command: unknown) => {
      await new Promise((r) => setTimeout(r, 1));
      if (command instanceof SendMessageCommand) {
        requests.push({ op: "SendMessage", bodies: [command.input.MessageBody!] });
        if (fate(command.input.MessageBody!) !== "sent") throw new Error("throttled");
        return { MessageId: `m${++ids}` };
      }
      const input = (command as SendMessageBatchCommand).input as SendMessageBatchCommandInput;
      const entries = input.Entries ?? [];
      requests.push({ op: "SendMessageBatch", bodies: entries.map((e) => e.MessageBody!) });
      return {
        Successful: entries
          .filter((e) => fate(e.MessageBody!) === "sent")
          .map((e) => ({ Id: e.Id, MessageId: `m${++ids}` })),
        Failed: entries
          .filter((e) => fate(e.MessageBody!) === "failed")
          .map((e) => ({
            Id: e.Id,
            Code: "InternalError",
            Message: `no room for ${e.MessageBody}`,
            SenderFault: false,
          })),
      };
    },
  } as unknown as SQSClient;
  return { client, requests };
};

const urls = { tailoringJobs: "http://sqs/tailoring-jobs.fifo", analyticsEvents: "http://sqs/analytics-events.fifo" };
const m = (body: string, extra: { correlationId?: string } = {}) => ({
  body,
  groupId: `g-${body}`,
  deduplicationId: `d-${body}`,
  ...extra,
});

test("alone, a send is one SendMessage and a sendBatch one SendMessageBatch, as before", async () => {
  const { client, requests } = recording();
  const publisher = new SqsQueuePublisher(client, urls);
  assert.equal(await publisher.send("tailoringJobs", m("a")), { messageId: "m1" });
  await publisher.sendBatch("analyticsEvents", [m("b")]);
  await publisher.sendBatch("analyticsEvents", []);
  assert.equal(requests, [
    { op: "SendMessage", bodies: ["a"] },
    { op: "SendMessageBatch", bodies: ["b"] },
  ]);
});

test("sends of one turn share requests: callers whole and in order, 10 entries at most, each answered its own ids", async () => {
  const { client, requests } = recording();
  const publisher = new SqsQueuePublisher(client, urls);
  const singles = Array.from({ length: 8 }, (_, i) => publisher.send("tailoringJobs", m(`s${i}`)));
  const three = publisher.sendBatch("tailoringJobs", [m("b0"), m("b1"), m("b2")]);
  const other = publisher.send("analyticsEvents", m("e0", { correlationId: "corr-1" }));
  const answers = await Promise.all(singles);
  await three;
  await other;
  assert.equal(requests, [
    { op: "SendMessageBatch", bodies: ["s0", "s1", "s2", "s3", "s4", "s5", "s6", "s7"] },
    { op: "SendMessageBatch", bodies: ["b0", "b1", "b2"] },
    { op: "SendMessage", bodies: ["e0"] },
  ]);
  assert.equal(
    answers.map((a) => a.messageId),
    ["m1", "m2", "m3", "m4", "m5", "m6", "m7", "m8"],
  );
  // What each entry carries is the caller's message: group, deduplication id, correlation attribute.
  const seen: unknown[] = [];
  const spy = {
    send: async (command: SendMessageBatchCommand) => {
      seen.push(...(command.input.Entries ?? []));
      return { Successful: (command.input.Entries ?? []).map((e) => ({ Id: e.Id, MessageId: "x" })) };
    },
  } as unknown as SQSClient;
  const two = new SqsQueuePublisher(spy, urls);
  await Promise.all([
    two.send("analyticsEvents", m("p", { correlationId: "corr-p" })),
    two.sendBatch("analyticsEvents", [m("q")]),
  ]);
  assert.equal(seen, [
    {
      Id: "0",
      MessageBody: "p",
      MessageGroupId: "g-p",
      MessageDeduplicationId: "d-p",
      MessageAttributes: { [CORRELATION_ID_ATTRIBUTE]: { DataType: "String", StringValue: "corr-p" } },
    },
    { Id: "1", MessageBody: "q", MessageGroupId: "g-q", MessageDeduplicationId: "d-q" },
  ]);
});

test("a request holds at most 256 KiB of messages; a caller's messages are never split across requests", async () => {
  const { client, requests } = recording();
  const publisher = new SqsQueuePublisher(client, urls);
  const big = (name: string) => `${name}${"x".repeat(100_000)}`;
  await Promise.all([
    publisher.send("tailoringJobs", m(big("a"))),
    publisher.send("tailoringJobs", m(big("b"))),
    publisher.send("tailoringJobs", m(big("c"))),
    publisher.sendBatch(
      "tailoringJobs",
      Array.from({ length: 9 }, (_, i) => m(`n${i}`)),
    ),
    publisher.send("tailoringJobs", m("last")),
  ]);
  assert.equal(
    requests.map((r) => [r.op, r.bodies.map((b) => b.slice(0, 4))]),
    [
      ["SendMessageBatch", ["axxx", "bxxx"]],
      ["SendMessageBatch", ["cxxx", "n0", "n1", "n2", "n3", "n4", "n5", "n6", "n7", "n8"]],
      ["SendMessage", ["last"]],
    ],
  );
});

test("an entry that failed, or that the answer does not name, fails its caller only; a failed request fails all of its callers", async () => {
  const { client, requests } = recording((body) =>
    body === "bad" ? "failed" : body === "lost" ? "unanswered" : "sent",
  );
  const publisher = new SqsQueuePublisher(client, urls);
  const results = await Promise.allSettled([
    publisher.send("tailoringJobs", m("ok")),
    publisher.sendBatch("tailoringJobs", [m("fine"), m("bad")]),
    publisher.send("tailoringJobs", m("lost")),
    publisher.send("tailoringJobs", m("ok2")),
  ]);
  assert.equal(requests.length, 1);
  assert.equal(
    results.map((r) => r.status),
    ["fulfilled", "rejected", "rejected", "fulfilled"],
  );
  const [, bad, lost] = results as PromiseRejectedResult[];
  assert.instance(bad!.reason, DependencyError);
  assert.match(bad!.reason.message, "1 of 2 entries failed; first: no room for bad");
  assert.match(lost!.reason.message, "1 of 1 entries failed; first: no answer for the entry");

  const down = { send: async () => Promise.reject(new Error("connection reset")) } as unknown as SQSClient;
  const failing = new SqsQueuePublisher(down, urls);
  const all = await Promise.allSettled([
    failing.send("tailoringJobs", m("x")),
    failing.sendBatch("tailoringJobs", [m("y")]),
  ]);
  for (const r of all) {
    assert.is(r.status, "rejected");
    assert.instance((r as PromiseRejectedResult).reason, DependencyError);
    assert.match(
      (r as PromiseRejectedResult).reason.message,
      "SQS SendMessageBatch (tailoringJobs) failed: Error: connection reset",
    );
  }
});

test("a sendBatch over 10 goes in chunks, each once the one before it was sent; a failed chunk stops the rest", async () => {
  const { client, requests } = recording((body) => (body === "f3" ? "failed" : "sent"));
  const publisher = new SqsQueuePublisher(client, urls);
  await publisher.sendBatch(
    "analyticsEvents",
    Array.from({ length: 12 }, (_, i) => m(`e${i}`)),
  );
  assert.equal(
    requests.map((r) => r.bodies.length),
    [10, 2],
  );
  requests.splice(0);
  const error = await rejects(() =>
    publisher.sendBatch(
      "analyticsEvents",
      Array.from({ length: 12 }, (_, i) => m(`f${i}`)),
    ),
  );
  assert.instance(error, DependencyError);
  assert.equal(
    requests.map((r) => r.bodies.length),
    [10],
    "the second chunk is never sent",
  );
});

test.run();
