/** The alarm conditions `cvpipe queues` prints, judged as the deployed alarms judge them. */
import { queueAlarms } from "@cvpipe/core/queue-alarms";
import { queues } from "@cvpipe/core/topology";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { alarmConditions } from "./queues.ts";

const spec = queues.tailoringJobs;
const states = (dlqVisible: number | undefined, oldestAgeSeconds: number | null | undefined) =>
  alarmConditions(spec, { dlqVisible, oldestAgeSeconds }).map((a) => `${a.name} ${a.state}`);

test("DLQ: ALARM above 0 visible, OK at 0, UNKNOWN when unread", () => {
  assert.equal(states(1, null)[0], "tailoringJobs-dlq-not-empty ALARM");
  assert.equal(states(0, null)[0], "tailoringJobs-dlq-not-empty OK");
  assert.equal(states(undefined, null)[0], "tailoringJobs-dlq-not-empty UNKNOWN");
});

test("oldest message: ALARM only above maxAgeSeconds (greater-than, as the alarm's comparison)", () => {
  assert.equal(states(0, spec.maxAgeSeconds + 1)[1], "tailoringJobs-oldest-message-age ALARM");
  assert.equal(states(0, spec.maxAgeSeconds)[1], "tailoringJobs-oldest-message-age OK");
  assert.equal(states(0, 0)[1], "tailoringJobs-oldest-message-age OK");
  assert.equal(states(0, null)[1], "tailoringJobs-oldest-message-age OK", "an empty queue is not breaching");
  assert.equal(states(0, undefined)[1], "tailoringJobs-oldest-message-age UNKNOWN");
});

test("details carry the values and the limit", () => {
  const [dlq, age] = alarmConditions(spec, { dlqVisible: 2, oldestAgeSeconds: 1000 });
  assert.is(dlq!.detail, "tailoring-jobs-dlq.fifo: 2 visible > 0");
  assert.is(age!.detail, `tailoring-jobs.fifo: oldest 1000 s > ${spec.maxAgeSeconds} s`);
});

test("every queue shows exactly the alarms infra deploys for it (core queueAlarms), in order", () => {
  for (const q of Object.values(queues)) {
    const shown = alarmConditions(q, { dlqVisible: 0, oldestAgeSeconds: null });
    assert.equal(
      shown.map((a) => [a.name, a.metric]),
      queueAlarms(q).map((a) => [a.name, a.metric]),
      q.id,
    );
    // Each is judged against its alarm's own threshold: one above it breaches, the threshold itself does not.
    for (const alarm of queueAlarms(q)) {
      const at = (value: number) =>
        alarmConditions(q, {
          dlqVisible: alarm.metric === "dlqVisibleMessages" ? value : 0,
          oldestAgeSeconds: alarm.metric === "oldestMessageAgeSeconds" ? value : null,
        }).find((a) => a.name === alarm.name)?.state;
      assert.is(at(alarm.threshold), "OK", alarm.name);
      assert.is(at(alarm.threshold + 1), "ALARM", alarm.name);
    }
  }
});

test.run();
