import { test } from "uvu";
import * as assert from "uvu/assert";
import { envName, functions, queues, tables, VISIBILITY_TIMEOUT_FACTOR } from "./topology.ts";

test("every queue is FIFO with a FIFO DLQ and a receive limit", () => {
  for (const q of Object.values(queues)) {
    assert.ok(q.name.endsWith(".fifo"), q.name);
    assert.ok(q.dlqName.endsWith(".fifo"), q.dlqName);
    assert.is.not(q.name, q.dlqName);
    assert.ok(q.maxReceiveCount >= 1 && q.maxReceiveCount <= 10);
  }
});

test("visibility timeout is at least 6x the consumer's timeout", () => {
  for (const q of Object.values(queues)) {
    const consumer = functions[q.consumer];
    assert.ok(
      q.visibilityTimeoutSeconds >= VISIBILITY_TIMEOUT_FACTOR * consumer.timeoutSeconds,
      `${q.name}: ${q.visibilityTimeoutSeconds}s < 6 x ${consumer.timeoutSeconds}s`,
    );
    assert.ok(q.visibilityTimeoutSeconds <= 43_200, "SQS maximum is 12 hours");
  }
});

test("jobs and events tables expire items by TTL; jobs has the by-user and the sparse queued index", () => {
  assert.is(tables.jobs.ttlAttribute, "expiresAt");
  assert.is(tables.events.ttlAttribute, "expiresAt");
  assert.equal(
    tables.jobs.indexes.map((i) => [i.name, i.partitionKey.name, i.sortKey.name]),
    [
      ["byUser", "userKey", "createdAt"],
      ["queued", "queuedShard", "createdAt"],
    ],
  );
});

test("env names derive from ids", () => {
  assert.is(envName("tailoringJobs"), "TAILORING_JOBS");
  assert.is(envName("jobs"), "JOBS");
});

test.run();
