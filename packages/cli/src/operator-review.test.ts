/** Found by the adversarial review of issue 15: log id filters and a vacuous verify check. */
import { CloudWatchClient, type DescribeAlarmsCommandOutput } from "@aws-sdk/client-cloudwatch";
import { stackLogRecord } from "@cvpipe/local/stack-log-lines";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { matches } from "./logs/log-query.ts";
import { stageChecks } from "./verify/stage-checks.ts";

test("cvpipe logs --correlation 1 does not pick unrelated stack lines", () => {
  // A caller-chosen x-request-id "1" is a valid correlation id; stack lines never carry correlation ids.
  const line = stackLogRecord("api GET /v1/health 200 1ms", new Date("2026-11-20T10:00:00Z"));
  assert.not.ok(matches(line, { correlationId: "1" }), "a gateway line with no id matched --correlation 1");
  assert.not.ok(matches(line, { jobId: "health" }), "a gateway line matched --job health");
});

test("verify on a stage: 'every other alarm OK' does not pass when the stage has no other alarms", async () => {
  const send = CloudWatchClient.prototype.send;
  // DescribeAlarms answers nothing: the function, API and reporter alarms were never deployed.
  const describeNoAlarms = async () => ({ MetricAlarms: [], $metadata: {} }) satisfies DescribeAlarmsCommandOutput;
  // send is overloaded (a promise form generic over every command, and two callback forms); this fake is only the
  // promise form of DescribeAlarms, the one command the alarm check sends, so it is cast to the whole send type.
  CloudWatchClient.prototype.send = describeNoAlarms as unknown as CloudWatchClient["send"];
  try {
    const check = stageChecks("prod").find((c) => c.id === "alarm:others")!;
    const r = await check.run();
    assert.is.not(r.status, "pass", `passed vacuously: ${r.detail}`);
  } finally {
    CloudWatchClient.prototype.send = send;
  }
});
test.run();
