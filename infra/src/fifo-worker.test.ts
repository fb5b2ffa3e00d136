/**
 * The queue alarms the app deploys are exactly the topology's (core
 * queueAlarms), which `cvpipe queues` judges too (its own test checks that
 * side): names, metric, statistic, period, comparison, threshold, periods and
 * missing data, on the queue or DLQ they belong to.
 */
import { queueAlarms, stagedAlarmName } from "@cvpipe/core/queue-alarms";
import { type QueueSpec, queues } from "@cvpipe/core/topology";
import { Template } from "aws-cdk-lib/assertions";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { buildTestApp } from "../test/build-app.ts";
import { byProperty, prop, referencedId, resourcesOf } from "../test/template-query.ts";
import { stagedName } from "./physical-names.ts";

const STAGE = "qa";
const { service } = buildTestApp({ stage: STAGE });
const template = Template.fromStack(service);
const sqsQueues = resourcesOf(template, "AWS::SQS::Queue");
const alarms = Object.values(resourcesOf(template, "AWS::CloudWatch::Alarm"));

const METRIC = {
  dlqVisibleMessages: { metricName: "ApproximateNumberOfMessagesVisible", on: (q: QueueSpec) => q.dlqName },
  oldestMessageAgeSeconds: { metricName: "ApproximateAgeOfOldestMessage", on: (q: QueueSpec) => q.name },
} as const;
const MISSING_DATA = { notBreaching: "notBreaching" } as const;

test("each queue's alarms in the template are its queueAlarms, on its queue or DLQ", () => {
  const specs = Object.values(queues) as QueueSpec[];
  for (const spec of specs) {
    for (const alarm of queueAlarms(spec)) {
      const [queueId] = byProperty(sqsQueues, "QueueName", stagedName(METRIC[alarm.metric].on(spec), STAGE));
      const named = alarms.filter((a) => a.Properties?.["AlarmName"] === stagedAlarmName(alarm.name, STAGE));
      assert.is(named.length, 1, alarm.name);
      const p = named[0]!.Properties ?? {};
      assert.equal(
        {
          metric: p["MetricName"],
          namespace: p["Namespace"],
          queue: prop<Array<{ Name: string; Value: unknown }>>(named[0]!, "Dimensions").map((d) => [
            d.Name,
            referencedId(d.Value),
          ]),
          statistic: p["Statistic"],
          period: p["Period"],
          comparison: p["ComparisonOperator"],
          threshold: p["Threshold"],
          periods: p["EvaluationPeriods"],
          missing: p["TreatMissingData"],
        },
        {
          metric: METRIC[alarm.metric].metricName,
          namespace: "AWS/SQS",
          queue: [["QueueName", queueId]],
          statistic: alarm.statistic,
          period: alarm.periodSeconds,
          comparison: alarm.comparison,
          threshold: alarm.threshold,
          periods: alarm.evaluationPeriods,
          missing: MISSING_DATA[alarm.treatMissingData],
        },
        alarm.name,
      );
    }
  }
  // And no other alarm watches a queue.
  const onQueues = alarms.filter((a) => a.Properties?.["Namespace"] === "AWS/SQS");
  assert.is(onQueues.length, specs.flatMap((q) => queueAlarms(q)).length);
});

test.run();
