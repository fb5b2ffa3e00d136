/**
 * `cvpipe queues` shows each queue's alarms as CloudWatch would judge them on
 * AWS (infra/src/fifo-worker.ts): `<id>-dlq-not-empty` (DLQ visible > 0) and
 * `<id>-oldest-message-age` (oldest message older than the topology's
 * maxAgeSeconds), OK or ALARM, with the values behind each. The ages come from
 * the embedded fauxqs (its inspection endpoint); on moto, which has none, the
 * age alarms read UNKNOWN.
 */
import { execFile } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { ReceiveMessageCommand, SendMessageCommand } from "@aws-sdk/client-sqs";
import { createSqsClient } from "@cvpipe/aws/clients";
import { queues } from "@cvpipe/core/topology";
import { test } from "uvu";
import * as assert from "uvu/assert";
import type { QueueFigures } from "../packages/cli/src/commands/queues.ts";
import { runCli } from "./support/cli.ts";
import { onMoto, repoRoot, startTestStack, type TestStack, tempDataDir, unlessMoto } from "./support/stack.ts";

const exec = promisify(execFile);
const withAges = unlessMoto("queue ages are read from fauxqs's inspection endpoint, which moto has not", test);
let stack: TestStack;

/**
 * `cvpipe queues` as an operator runs it; `aheadSeconds` runs it as if that much later (its Date.now
 * shifted by a preloaded module), so a message sent now is that old to it, as to SQS then.
 */
const queuesCli = (aheadSeconds = 0) => {
  const preload: string[] = [];
  if (aheadSeconds > 0) {
    const file = join(tempDataDir(), "ahead.mjs");
    writeFileSync(file, `const now = Date.now;\nDate.now = () => now() + ${aheadSeconds * 1000};\n`);
    preload.push("--import", file);
  }
  return exec(process.execPath, [...preload, join(repoRoot, "packages/cli/src/cvpipe.ts"), "queues"], {
    env: { ...process.env, CVPIPE_DATA_DIR: stack.info.dataDir },
  }).then(
    (r) => ({ code: 0, out: r.stdout, err: r.stderr }),
    (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, out: e.stdout, err: e.stderr }),
  );
};

/** The state the output gives an alarm. */
const stateOf = (out: string, alarm: string): string | undefined =>
  new RegExp(`^${alarm}\\s+(OK|ALARM|UNKNOWN)\\b`, "m").exec(out)?.[1];

const send = (queueUrl: string, id: string) =>
  createSqsClient().send(
    new SendMessageCommand({
      QueueUrl: queueUrl,
      MessageBody: JSON.stringify({ schema: "analytics-event.v0", id }),
      MessageGroupId: "acme#alice",
      MessageDeduplicationId: id,
    }),
  );

test.before(async () => {
  // No workers: messages stay where they are sent.
  stack = await startTestStack({ pollers: false, clockStart: new Date("2026-11-18T10:00:00Z") });
});
test.after(async () => stack?.close());

test("empty queues: every alarm OK, no age", async () => {
  const r = await queuesCli();
  assert.is(r.code, 0, r.err);
  assert.match(r.out, /queue\s+visible\s+in flight\s+delayed\s+oldest \(s\)/);
  assert.match(
    r.out,
    onMoto ? /^tailoring-jobs\.fifo\s+0\s+0\s+0\s+n\/a\s+paused$/m : /^tailoring-jobs\.fifo\s+0\s+0\s+0\s+-\s+paused$/m,
  );
  for (const spec of Object.values(queues)) {
    assert.is(stateOf(r.out, `${spec.id}-dlq-not-empty`), "OK", r.out);
    assert.is(stateOf(r.out, `${spec.id}-oldest-message-age`), onMoto ? "UNKNOWN" : "OK", r.out);
    assert.match(
      r.out,
      onMoto
        ? new RegExp(`${spec.name}: oldest message's age not readable here`)
        : new RegExp(`${spec.name}: empty; limit ${spec.maxAgeSeconds} s`),
    );
  }
  assert.not.match(r.out, /dead-letter queues/);
});

test("a message in a DLQ: that queue's dlq-not-empty is ALARM, the other's OK", async () => {
  await send(stack.info.queues.tailoringJobs.dlqUrl, "dead-1");
  const r = await queuesCli();
  assert.is(r.code, 0, r.err);
  assert.is(stateOf(r.out, "tailoringJobs-dlq-not-empty"), "ALARM", r.out);
  assert.match(r.out, /tailoringJobs-dlq-not-empty\s+ALARM\s+tailoring-jobs-dlq\.fifo: 1 visible > 0/);
  assert.is(stateOf(r.out, "analyticsEvents-dlq-not-empty"), "OK");
  assert.match(r.out, /1 message\(s\) in dead-letter queues/);
});

withAges("a message older than the queue's maxAgeSeconds: oldest-message-age is ALARM; younger, OK", async () => {
  const limit = queues.analyticsEvents.maxAgeSeconds;
  await send(stack.info.queues.analyticsEvents.url, "waiting-1");
  const fresh = await queuesCli();
  assert.is(stateOf(fresh.out, "analyticsEvents-oldest-message-age"), "OK", fresh.out);
  assert.match(fresh.out, new RegExp(`analytics-events\\.fifo: oldest \\d+ s <= ${limit} s`));

  // The same message, looked at once it is older than the limit (and younger than the other queue's).
  const later = await queuesCli(limit + 60);
  assert.is(later.code, 0, later.err);
  assert.is(stateOf(later.out, "analyticsEvents-oldest-message-age"), "ALARM", later.out);
  const age = Number(/analytics-events\.fifo: oldest (\d+) s > /.exec(later.out)?.[1]);
  assert.ok(age > limit, later.out);
  assert.match(later.out, /^analytics-events\.fifo\s+1\s+0\s+0\s+\d+\s+paused$/m);
  assert.is(stateOf(later.out, "tailoringJobs-oldest-message-age"), "OK", "the tailoring queue is empty");
  assert.match(later.out, /1 queue\(s\) with messages older than their limit/);
  // Reading the ages moved nothing: the message is still there, never received.
  assert.match((await queuesCli()).out, /^analytics-events\.fifo\s+1\s+0\s+0\s/m);
});

test("--json: each queue's figures by stable names; a received message counts in flight; the worker's state", async () => {
  const url = stack.info.queues.tailoringJobs.url;
  await send(url, "in-flight-1");
  await createSqsClient().send(new ReceiveMessageCommand({ QueueUrl: url, VisibilityTimeout: 600 }));
  const r = await runCli(["queues", "--json"], { CVPIPE_DATA_DIR: stack.info.dataDir });
  assert.is(r.code, 0, r.err);
  const out = JSON.parse(r.out) as { target: string; queues: QueueFigures[]; alarms: Array<{ name: string }> };
  assert.is(out.target, "local");
  const tailoring = out.queues.find((q) => q.queue === "tailoring-jobs.fifo");
  assert.equal(
    { ...tailoring, oldestAgeSeconds: typeof tailoring?.oldestAgeSeconds },
    {
      queue: "tailoring-jobs.fifo",
      kind: "source",
      visible: 0,
      inFlight: 1,
      delayed: 0,
      oldestAgeSeconds: onMoto ? "object" : "number",
      oldestAgeKnown: !onMoto,
      worker: "paused",
    },
  );
  const dlq = out.queues.find((q) => q.queue === "tailoring-jobs-dlq.fifo");
  assert.is(dlq?.kind, "dlq");
  assert.not.ok(dlq && "worker" in dlq, "a DLQ has no worker");
  assert.ok(out.alarms.some((a) => a.name === "tailoringJobs-dlq-not-empty"));
  const human = await queuesCli();
  assert.match(human.out, /^tailoring-jobs\.fifo\s+0\s+1\s+0\s+(\d+|n\/a)\s+paused$/m);
  assert.match(human.out, /tailoring-jobs\.fifo, analytics-events\.fifo: no worker running/);
});

test.run();
