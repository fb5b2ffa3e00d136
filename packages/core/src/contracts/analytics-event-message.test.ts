import { test } from "uvu";
import * as assert from "uvu/assert";
import { AnalyticsEventMessage, analyticsEventOutgoing } from "./analytics-event-message.ts";
import { messageGroupId } from "./message-envelope.ts";
import { parseWith } from "./parse.ts";

const AT = "2026-11-18T10:00:00.000Z";
const alice = { tenantId: "t1", userId: "alice" };
const event = { eventId: "e1", type: "cv.downloaded", occurredAt: AT };

test("the body is a valid analytics-event.v1 message, in its user's group, deduplicated as told", () => {
  const out = analyticsEventOutgoing(alice, { source: "producer", receivedAt: AT, event }, { deduplicationId: "d1" });
  assert.equal(parseWith(AnalyticsEventMessage, JSON.parse(out.body), "body"), {
    schema: "analytics-event.v1",
    tenantId: "t1",
    userId: "alice",
    source: "producer",
    receivedAt: AT,
    event,
  });
  assert.is(out.groupId, messageGroupId("t1", "alice"));
  assert.is(out.deduplicationId, "d1");
  assert.not.ok("correlationId" in out);
});

test("a correlation id goes with the message, not in its body", () => {
  const out = analyticsEventOutgoing(
    alice,
    { source: "tailor", receivedAt: AT, event },
    { deduplicationId: "d1", correlationId: "req-1" },
  );
  assert.is(out.correlationId, "req-1");
  assert.is(JSON.parse(out.body).source, "tailor");
  assert.not.match(out.body, /req-1/);
});

test.run();
