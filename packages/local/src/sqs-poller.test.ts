/**
 * The poller's scheduling against a fake SQS: how a receive is dealt to the
 * free slots (splitByGroup) and that yieldTo holds it to one invocation.
 * Lambda's partial-batch contract on real fauxqs: test/sqs-poller.test.ts.
 */
import type { Message, SQSClient } from "@aws-sdk/client-sqs";
import type { SQSEvent } from "aws-lambda";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { SqsPoller, splitByGroup } from "./sqs-poller.ts";

const message = (id: string, group?: string): Message => ({
  MessageId: id,
  ReceiptHandle: `rh-${id}`,
  Body: id,
  Attributes: group === undefined ? {} : { MessageGroupId: group },
});

const ids = (batches: Message[][]) => batches.map((b) => b.map((m) => m.MessageId));

test("splitByGroup keeps each group whole and in order, in at most `ways` batches", () => {
  const received = [
    message("a1", "a"),
    message("b1", "b"),
    message("a2", "a"),
    message("c1", "c"),
    message("b2", "b"),
    message("d1", "d"),
  ];
  assert.equal(ids(splitByGroup(received, 2)), [
    ["a1", "a2", "c1"],
    ["b1", "b2", "d1"],
  ]);
  assert.equal(ids(splitByGroup(received, 1)), [["a1", "b1", "a2", "c1", "b2", "d1"]]);
  // More ways than groups: one batch per group.
  assert.equal(ids(splitByGroup(received, 10)), [["a1", "a2"], ["b1", "b2"], ["c1"], ["d1"]]);
  // Without a group (standard queue) each message stands alone.
  assert.equal(ids(splitByGroup([message("x"), message("y"), message("z")], 2)), [["x", "z"], ["y"]]);
  assert.equal(ids(splitByGroup([message("x")], 0)), [["x"]]);
});

/** A queue of `groups` FIFO groups with `perGroup` messages each, served one per group per receive, as fauxqs does. */
const fakeQueue = (groups: number, perGroup: number) => {
  const pending = new Map<string, Message[]>();
  for (let g = 0; g < groups; g++)
    pending.set(
      `g${g}`,
      Array.from({ length: perGroup }, (_, i) => message(`g${g}-${i}`, `g${g}`)),
    );
  const locked = new Set<string>();
  const byHandle = new Map<string, string>();
  const sqs = {
    send: async (command: { constructor: { name: string }; input: Record<string, unknown> }) => {
      await new Promise((r) => setTimeout(r, 1));
      const name = command.constructor.name;
      if (name === "GetQueueAttributesCommand") return { Attributes: { VisibilityTimeout: "30" } };
      if (name === "ReceiveMessageCommand") {
        const out: Message[] = [];
        for (const [group, queue] of pending) {
          if (out.length >= Number(command.input["MaxNumberOfMessages"])) break;
          if (locked.has(group) || queue.length === 0) continue;
          const m = queue.shift()!;
          locked.add(group);
          byHandle.set(m.ReceiptHandle!, group);
          out.push(m);
        }
        return { Messages: out };
      }
      if (name === "DeleteMessageBatchCommand") {
        for (const e of command.input["Entries"] as Array<{ ReceiptHandle: string }>) {
          locked.delete(byHandle.get(e.ReceiptHandle)!);
        }
        return { Failed: [] };
      }
      return {};
    },
  } as unknown as SQSClient;
  const left = () => [...pending.values()].reduce((n, q) => n + q.length, 0) + locked.size;
  return { sqs, left };
};

const drain = async (yieldTo: (() => boolean) | undefined) => {
  const q = fakeQueue(10, 3);
  let running = 0;
  let most = 0;
  const seen: string[] = [];
  const poller = new SqsPoller({
    sqs: q.sqs,
    functionName: "test",
    queueUrl: "q",
    queueArn: "arn:q",
    region: "us-east-1",
    handler: async (event: SQSEvent) => {
      running++;
      most = Math.max(most, running);
      for (const r of event.Records) seen.push(r.body);
      await new Promise((r) => setTimeout(r, 5));
      running--;
    },
    batchSize: 10,
    maxConcurrency: 5,
    timeoutSeconds: 5,
    waitTimeSeconds: 0,
    log: () => {},
    ...(yieldTo ? { yieldTo } : {}),
  });
  poller.start();
  while (q.left() > 0) await new Promise((r) => setTimeout(r, 5));
  await poller.stop();
  return { most, seen, reports: poller.reports };
};

test("a receive of ten groups is dealt to the five slots; every message handled once, each group in order", async () => {
  const { most, seen, reports } = await drain(undefined);
  assert.is(most, 5);
  assert.is(seen.length, 30);
  assert.is(new Set(seen).size, 30);
  for (let g = 0; g < 10; g++) {
    assert.equal(
      seen.filter((b) => b.startsWith(`g${g}-`)),
      [`g${g}-0`, `g${g}-1`, `g${g}-2`],
    );
  }
  assert.ok(reports.every((r) => r.received <= 10 && r.outcome === "ok"));
});

test("while yieldTo answers true, one invocation at a time (the whole receive in one batch)", async () => {
  const { most, seen, reports } = await drain(() => true);
  assert.is(most, 1);
  assert.is(seen.length, 30);
  assert.ok(reports.some((r) => r.received === 10));
});

test.run();
