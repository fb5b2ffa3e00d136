import { MemoryEventStore } from "@cvpipe/core/analytics/testing/memory-stores";
import { idSecret } from "@cvpipe/core/contracts/canonical-json";
import { messageGroupId } from "@cvpipe/core/contracts/message-envelope";
import { MemoryCvStore } from "@cvpipe/core/cvs/testing/memory-cv-store";
import { MemoryDeletionStore } from "@cvpipe/core/deletions/testing/memory-deletion-store";
import { MemoryFeedbackStore } from "@cvpipe/core/feedback/testing/memory-feedback-store";
import { MemoryJobStore } from "@cvpipe/core/jobs/testing/memory-job-store";
import { queuedJob } from "@cvpipe/core/jobs/testing/sample-job";
import { MemoryBlobs } from "@cvpipe/core/testing/memory-ports";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { carryOutDeletions, type EraseUserDeps } from "./erase-user.ts";
import { getUserDeletion, requestUserDeletion } from "./user-deletion.ts";

const T0 = Date.parse("2026-11-18T10:00:00Z");
const secret = idSecret("0123456789abcdef0123456789abcdef");

const setup = () => {
  let now = T0;
  const clock = { now: () => new Date(now) };
  const deps: EraseUserDeps = {
    deletions: new MemoryDeletionStore(),
    jobs: new MemoryJobStore({ clock }),
    blobs: new MemoryBlobs(),
    cvs: new MemoryCvStore(),
    cvBlobs: new MemoryBlobs(),
    feedback: new MemoryFeedbackStore({ clock }),
    events: new MemoryEventStore(clock),
    clock,
    graceSeconds: 200,
    batchLimit: 10,
  };
  let ids = 0;
  const ingress = { deletions: deps.deletions, clock, newId: () => `${++ids}`.padStart(32, "0"), idSecret: secret };
  return {
    deps,
    ingress,
    advance: (ms: number) => {
      now += ms;
    },
    at: () => new Date(now).toISOString(),
  };
};

const storeEvent = async (deps: EraseUserDeps, eventId: string, userId: string, folded: boolean) => {
  const events = deps.events as MemoryEventStore;
  await events.putOnce({
    tenantId: "acme",
    eventId,
    groupId: messageGroupId("acme", userId),
    sequenceNumber: "1",
    week: "2026-W47",
    shard: "0",
    message: {
      schema: "analytics-event.v1",
      tenantId: "acme",
      userId,
      source: "producer",
      receivedAt: deps.clock.now().toISOString(),
      event: { eventId, type: "cv.viewed", occurredAt: "2026-11-17T09:00:00Z" },
    },
  });
  if (folded) await events.markFolded("acme", eventId);
};

test("the request completes only in a pass after the grace that finds nothing left to wait for", async () => {
  const { deps, ingress, advance, at } = setup();
  (deps.jobs as MemoryJobStore).put(queuedJob("j1", { createdAt: at() }));
  await storeEvent(deps, "e-folded", "alice", true);
  await storeEvent(deps, "e-folding", "alice", false);
  await storeEvent(deps, "e-bob", "bob", true);
  advance(1_000);
  const accepted = await requestUserDeletion(ingress, { tenantId: "acme", userId: "alice" }, [], "alice");
  advance(1_000);

  const [first] = await carryOutDeletions(deps);
  assert.is(first?.status, "RUNNING", "within the grace");
  assert.is(first?.removed.jobs, 1);
  assert.is(first?.removed.events, 1, "the folded event goes");
  assert.is(first?.unfolded, 1, "the one still folding is waited for, not cut out of the fold");

  // In flight when she asked: a job created before the request, written after the first pass.
  (deps.jobs as MemoryJobStore).put(queuedJob("j-late", { createdAt: accepted.requestedAt }));
  advance(200_000);
  await (deps.events as MemoryEventStore).markFolded("acme", "e-folding");
  const [last] = await carryOutDeletions(deps);
  assert.is(last?.status, "COMPLETED");
  assert.is(last?.removed.jobs, 1, "the late job");
  assert.is(last?.removed.events, 1);
  assert.equal(await carryOutDeletions(deps), [], "nothing pending any more");

  const view = await getUserDeletion(ingress, { tenantId: "acme", userId: "alice" }, [], accepted.deletionId);
  assert.equal(view.removed, { cvs: 0, cvVersions: 0, jobs: 2, objects: 0, feedback: 0, events: 2 });
  assert.is(view.passes, 2);
  const record = await deps.deletions.get("acme", accepted.deletionId);
  assert.is(record?.userId, undefined, "a completed request no longer holds the user id");
  assert.equal([...(deps.events as MemoryEventStore).items.keys()], ["acme#e-bob"], "bob's event stays");
});

test("data given after the request stays; a repeat is a request of its own, covering what came in between", async () => {
  const { deps, ingress, advance, at } = setup();
  await requestUserDeletion(ingress, { tenantId: "acme", userId: "alice" }, [], "alice");
  advance(1_000);
  (deps.jobs as MemoryJobStore).put(queuedJob("j-new", { createdAt: at() }));
  advance(300_000);
  const [pass] = await carryOutDeletions(deps);
  assert.is(pass?.status, "COMPLETED");
  assert.is(pass?.removed.jobs, 0);
  assert.is((deps.jobs as MemoryJobStore).all().length, 1, "the job submitted after the request stays");
  const next = await requestUserDeletion(ingress, { tenantId: "acme", userId: "alice" }, [], "alice");
  advance(300_000);
  const [again] = await carryOutDeletions(deps);
  assert.is(again?.deletionId, next.deletionId);
  assert.is(again?.removed.jobs, 1, "the job given between the two requests goes with the second");
});

test("an event stored before the request and never folded (its delivery now dropped) does not hold it for ever", async () => {
  const { deps, ingress, advance } = setup();
  await storeEvent(deps, "e-stuck", "alice", false);
  advance(1_000);
  await requestUserDeletion(ingress, { tenantId: "acme", userId: "alice" }, [], "alice");
  advance(1_000);
  assert.is((await carryOutDeletions(deps))[0]?.status, "RUNNING", "waited for within the grace");
  advance(300_000);
  const [last] = await carryOutDeletions(deps);
  assert.is(last?.status, "COMPLETED");
  assert.is(last?.removed.events, 1);
  assert.is((deps.events as MemoryEventStore).items.size, 0);
});

test.run();
