/**
 * submitEvents against an in-memory queue: the batch rules (1..25, unique ids,
 * the catalogue, not in the future), all-or-nothing, and what is sent.
 */
import { DEFAULT_EVENT_TYPES } from "@cvpipe/core/contracts/analytics-event";
import { AnalyticsEventMessage } from "@cvpipe/core/contracts/analytics-event-message";
import { derivedId } from "@cvpipe/core/contracts/canonical-json";
import { DependencyError, ValidationError } from "@cvpipe/core/errors";
import { fixture } from "@cvpipe/core/testing/fixtures";
import { MemoryMetrics, Outbox } from "@cvpipe/core/testing/memory-ports";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { TEST_ID_SECRET } from "../testing/app-deps.ts";
import { type SubmitEventsDeps, submitEvents } from "./submit-events.ts";

const NOW = new Date("2026-11-18T10:00:00Z");
const alice = { tenantId: "acme", userId: "alice" };

const setup = () => {
  const queue = new Outbox();
  const deps: SubmitEventsDeps = {
    queue,
    clock: { now: () => NOW },
    eventTypes: [...DEFAULT_EVENT_TYPES],
    idSecret: TEST_ID_SECRET,
  };
  return { deps, queue };
};

const issuesOf = async (deps: SubmitEventsDeps, body: unknown): Promise<Array<[string, string]>> => {
  try {
    await submitEvents(deps, alice, body);
  } catch (error) {
    assert.instance(error, ValidationError);
    return (error as ValidationError).issues.map((i) => [i.path, i.rule]);
  }
  assert.unreachable("expected a ValidationError");
  return [];
};

const ev = (eventId: string, over: Record<string, unknown> = {}) => ({
  eventId,
  type: "cv.viewed",
  occurredAt: "2026-11-16T09:00:00Z",
  ...over,
});

test("a valid batch: one batch send to the analytics queue, in order, in the caller's group, dedup ids derived", async () => {
  const { deps, queue } = setup();
  const body = fixture("http/post-events.valid.json");
  const out = await submitEvents(deps, alice, body);
  assert.equal(out, { accepted: 3, eventIds: ["evt-0001", "evt-0002", "evt-0003"] });
  assert.equal(
    queue.log.map((l) => l.queue),
    ["analyticsEvents", "analyticsEvents", "analyticsEvents"],
  );
  const messages = queue.sent.map((m) => AnalyticsEventMessage.parse(JSON.parse(m.body)));
  assert.equal(
    messages.map((m) => m.event),
    body.events,
  );
  for (const m of messages) {
    assert.is(m.tenantId, "acme");
    assert.is(m.userId, "alice");
    assert.is(m.source, "producer");
    assert.is(m.receivedAt, NOW.toISOString());
  }
  assert.ok(queue.sent.every((m) => m.groupId === "acme#alice"));
  assert.equal(
    queue.sent.map((m) => m.deduplicationId),
    body.events.map((e: { eventId: string }) => derivedId(TEST_ID_SECRET, "event", "acme", e.eventId)),
  );
});

test("EventsAccepted counts the events of an accepted batch; every message carries the correlation id", async () => {
  const { deps, queue } = setup();
  const metrics = new MemoryMetrics();
  const metered = { ...deps, metrics };
  await submitEvents(metered, alice, fixture("http/post-events.valid.json"), { correlationId: "corr-7" });
  await issuesOf(metered, { events: [ev("e1", { type: "no.such.type" })] });
  assert.equal(metrics.lines(), ["EventsAccepted 3"]);
  assert.equal(
    queue.sent.map((m) => m.correlationId),
    ["corr-7", "corr-7", "corr-7"],
  );
});

test("dedup ids are queue-wide: (t1, x:e1) and (t1:x, e1) get different ones", async () => {
  const { deps, queue } = setup();
  await submitEvents(deps, { tenantId: "t1", userId: "u" }, { events: [ev("x:e1")] });
  await submitEvents(deps, { tenantId: "t1:x", userId: "u" }, { events: [ev("e1")] });
  const [a, b] = queue.sent;
  assert.is.not(a?.deduplicationId, b?.deduplicationId);
});

test("each broken rule is named at its event's path; one bad event rejects the whole request", async () => {
  const { deps, queue } = setup();
  assert.equal(
    (await issuesOf(deps, { events: [ev("ok-1"), { eventId: "bad 2", type: "Viewed", occurredAt: "yesterday" }] }))
      .map(([p]) => p)
      .sort(),
    ["body.events[1].eventId", "body.events[1].occurredAt", "body.events[1].type"],
  );
  assert.equal(await issuesOf(deps, { events: [ev("a"), ev("b"), ev("a")] }), [["body.events[2].eventId", "unique"]]);
  assert.equal(await issuesOf(deps, { events: [ev("a", { type: "cv.teleported" })] }), [
    ["body.events[0].type", "catalogue"],
  ]);
  assert.equal(
    await issuesOf(deps, { events: [ev("a", { occurredAt: new Date(NOW.getTime() + 25 * 3_600_000).toISOString() })] }),
    [["body.events[0].occurredAt", "not_future"]],
  );
  assert.equal(queue.sent, [], "nothing was sent for any of them");
});

test("every problem of the batch at once: shape errors of one event do not hide the others' rules", async () => {
  const { deps, queue } = setup();
  const future = new Date(NOW.getTime() + 25 * 3_600_000).toISOString();
  const issues = await issuesOf(deps, {
    events: [
      ev("a"),
      { eventId: "b", occurredAt: "2026-11-16T09:00:00Z" },
      ev("c", { type: "cv.teleported" }),
      ev("a"),
      ev("d", { occurredAt: future }),
      ev("e", { type: "Not Dotted", occurredAt: "yesterday" }),
      "not an event",
    ],
  });
  assert.equal(issues, [
    ["body.events[1].type", "invalid_type"],
    ["body.events[5].type", "invalid_format"],
    ["body.events[5].occurredAt", "invalid_format"],
    ["body.events[6]", "invalid_type"],
    ["body.events[2].type", "catalogue"],
    ["body.events[3].eventId", "unique"],
    ["body.events[4].occurredAt", "not_future"],
  ]);
  assert.equal(queue.sent, [], "nothing was sent");
});

test("a day of clock skew is allowed; reserved ids and types are refused", async () => {
  const { deps, queue } = setup();
  const soon = new Date(NOW.getTime() + 23 * 3_600_000).toISOString();
  assert.is((await submitEvents(deps, alice, { events: [ev("skew", { occurredAt: soon })] })).accepted, 1);
  const reservedId = await issuesOf(deps, { events: [ev("tailoring-outcome-1")] });
  assert.equal(
    reservedId.map(([p]) => p),
    ["body.events[0].eventId"],
  );
  const reservedType = await issuesOf(deps, { events: [ev("r", { type: "tailoring.succeeded" })] });
  assert.equal(
    reservedType.map(([p]) => p),
    ["body.events[0].type"],
  );
  assert.is(queue.sent.length, 1);
});

test("between 1 and 25 events, no other top-level fields", async () => {
  const { deps } = setup();
  assert.equal(
    (await issuesOf(deps, { events: [] })).map(([p]) => p),
    ["body.events"],
  );
  assert.equal(
    (await issuesOf(deps, { events: Array.from({ length: 26 }, (_, i) => ev(`e${i}`)) })).map(([p]) => p),
    ["body.events"],
  );
  assert.ok((await issuesOf(deps, { events: [ev("a")], extra: 1 })).length > 0);
  const { deps: fresh, queue } = setup();
  assert.is(
    (await submitEvents(fresh, alice, { events: Array.from({ length: 25 }, (_, i) => ev(`e${i}`)) })).accepted,
    25,
  );
  assert.is(queue.sent.length, 25);
});

test("a failed batch send is the caller's 503: the error comes through, and sending again is safe", async () => {
  const { deps, queue } = setup();
  queue.failNext = 1;
  let caught: unknown;
  await submitEvents(deps, alice, { events: [ev("a")] }).catch((e: unknown) => {
    caught = e;
  });
  assert.instance(caught, DependencyError);
  assert.equal(queue.sent, []);
  await submitEvents(deps, alice, { events: [ev("a")] });
  assert.is(queue.sent.length, 1);
});

test.run();
