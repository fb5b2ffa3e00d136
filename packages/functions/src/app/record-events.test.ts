import type { AnalyticsEventMessage } from "@cvpipe/core/contracts/analytics-event-message";
import { cachedSuppressions } from "@cvpipe/core/deletions/suppression-cache";
import { MemoryDeletionStore } from "@cvpipe/core/deletions/testing/memory-deletion-store";
import type { BatchEventRecorder, RecordedEvent } from "@cvpipe/core/ports/event-recorder";
import { rejects } from "@cvpipe/core/testing/rejects";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { recordEvents } from "./record-events.ts";

const AT = "2026-11-18T10:00:00.000Z";
let sequence = 0;
const recorded = (eventId: string, userId: string | undefined, receivedAt = AT): RecordedEvent => ({
  message: {
    schema: "analytics-event.v1",
    tenantId: "t1",
    ...(userId === undefined ? {} : { userId }),
    source: "producer",
    receivedAt,
    event: { eventId, type: "cv.downloaded", occurredAt: receivedAt },
  } as AnalyticsEventMessage,
  delivery: { sequenceNumber: String(++sequence), messageGroupId: `t1#${userId ?? "anon"}` },
});

/** A recorder in memory: what it was given, each "recorded" except the event ids in `failing`. */
const memoryRecorder = (failing: readonly string[] = []) => {
  const given: string[] = [];
  const recorder: BatchEventRecorder = {
    record: async () => "recorded",
    recordBatch: async (events) =>
      events.map(({ message }) => {
        given.push(message.event.eventId);
        return failing.includes(message.event.eventId)
          ? { status: "rejected", reason: new Error(`fold of ${message.event.eventId}`) }
          : { status: "fulfilled", value: "recorded" };
      }),
  };
  return { recorder, given };
};

const deletions = async () => {
  const store = new MemoryDeletionStore();
  await store.suppress({ tenantId: "t1", userId: "gone", requestedAt: AT, deletionId: "del_1", expiresAt: 0 });
  return cachedSuppressions(store, () => 0);
};

test("the events of a user deleted at or after their receipt are dropped, never given to the recorder", async () => {
  const { recorder, given } = memoryRecorder();
  const outcomes = await recordEvents({ recorder, suppressedSince: await deletions() }, [
    recorded("e1", "alice"),
    recorded("e2", "gone"),
    recorded("e3", undefined),
    recorded("e4", "gone", "2026-11-18T10:00:00.001Z"),
  ]);
  assert.equal(
    outcomes.map((o) => (o.status === "fulfilled" ? o.value : "rejected")),
    ["recorded", "suppressed", "recorded", "recorded"],
    "e4 was received after the deletion: data given later is new",
  );
  assert.equal(given, ["e1", "e3", "e4"]);
});

test("each outcome stays in its event's place, a failed fold too", async () => {
  const { recorder } = memoryRecorder(["e3"]);
  const outcomes = await recordEvents({ recorder, suppressedSince: await deletions() }, [
    recorded("e1", "gone"),
    recorded("e2", "alice"),
    recorded("e3", "bob"),
    recorded("e4", "gone"),
  ]);
  assert.equal(
    outcomes.map((o) => o.status),
    ["fulfilled", "fulfilled", "rejected", "fulfilled"],
  );
  assert.equal(outcomes[0], { status: "fulfilled", value: "suppressed" });
});

test("a failed suppression lookup fails the batch: nothing is recorded unchecked", async () => {
  const { recorder, given } = memoryRecorder();
  const failing = async () => {
    throw new Error("deletions table unavailable");
  };
  const error = await rejects(() => recordEvents({ recorder, suppressedSince: failing }, [recorded("e1", "alice")]));
  assert.match(String(error), /deletions table unavailable/);
  assert.equal(given, []);
});

test.run();
