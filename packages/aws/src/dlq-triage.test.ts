import { test } from "uvu";
import * as assert from "uvu/assert";
import type { DlqMessage } from "./dlq.ts";
import { describeDead, errorCodeOf } from "./dlq-triage.ts";

const noJobs = { get: async () => undefined };
const posting = { description: "A job description long enough." };
const dead = (inline: unknown): DlqMessage => {
  const json = {
    schema: "tailoring-job.v1",
    jobId: "0001",
    tenantId: "acme",
    userId: "alice",
    submittedAt: "2026-11-18T09:59:00.000Z",
    input: { inline },
  };
  return { messageId: "m1", groupId: "acme#alice", receiveCount: 3, sentAt: "", body: JSON.stringify(json), json };
};

test("a message written before the posting was named `posting` (it says `job`) is not poison: a worker reads it", async () => {
  for (const inline of [
    { cv: "x".repeat(60), posting, options: {} },
    { cv: "x".repeat(60), job: posting, options: {} },
  ]) {
    const described = await describeDead("tailoringJobs", noJobs, dead(inline));
    assert.is(described.poison, undefined, JSON.stringify(inline));
    assert.is(described.jobId, "0001");
  }
  const neither = await describeDead("tailoringJobs", noJobs, dead({ cv: "x".repeat(60), options: {} }));
  assert.is(errorCodeOf(neither), "POISON_MESSAGE");
});

test.run();
