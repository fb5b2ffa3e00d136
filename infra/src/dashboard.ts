/**
 * One CloudWatch dashboard for operators: queues (depth, age, DLQ), functions
 * (invocations, errors, throttles, duration), tables (capacity, throttles)
 * and the API (requests, 4xx/5xx, latency).
 */
import { stagePrefix } from "@cvpipe/core/topology";
import { Duration } from "aws-cdk-lib";
import * as cloudwatch from "aws-cdk-lib/aws-cloudwatch";
import type * as dynamodb from "aws-cdk-lib/aws-dynamodb";
import { Construct } from "constructs";
import type { FifoWorker } from "./fifo-worker.ts";
import type { IngressApi } from "./ingress-api.ts";
import type { PipelineFunction } from "./pipeline-function.ts";

export interface OperationsDashboardProps {
  readonly stage: string;
  readonly workers: readonly FifoWorker[];
  readonly functions: readonly PipelineFunction[];
  readonly tables: Readonly<Record<string, dynamodb.Table>>;
  readonly api: IngressApi;
}

const period = Duration.minutes(5);
const sum = { period, statistic: cloudwatch.Stats.SUM };
const max = { period, statistic: cloudwatch.Stats.MAXIMUM };

export class OperationsDashboard extends Construct {
  readonly dashboard: cloudwatch.Dashboard;

  constructor(scope: Construct, id: string, props: OperationsDashboardProps) {
    super(scope, id);
    const graph = (title: string, left: cloudwatch.IMetric[], right: cloudwatch.IMetric[] = []) =>
      new cloudwatch.GraphWidget({ title, left, right, width: 8, height: 6 });

    const queueWidgets = props.workers.flatMap((w) => [
      graph(`${w.spec.name}: messages`, [
        w.queue.metricApproximateNumberOfMessagesVisible({ ...max, label: "visible" }),
        w.queue.metricApproximateNumberOfMessagesNotVisible({ ...max, label: "in flight" }),
      ]),
      graph(`${w.spec.name}: oldest message (s)`, [
        w.queue.metricApproximateAgeOfOldestMessage({ ...max, label: "age" }),
      ]),
      graph(`${w.spec.dlqName}: depth`, [w.dlq.metricApproximateNumberOfMessagesVisible({ ...max, label: "DLQ" })]),
    ]);
    const functionWidgets = props.functions.map((f) =>
      graph(
        `${f.spec.id} function`,
        [
          f.fn.metricInvocations({ ...sum, label: "invocations" }),
          f.fn.metricErrors({ ...sum, label: "errors" }),
          f.fn.metricThrottles({ ...sum, label: "throttles" }),
        ],
        [f.fn.metricDuration({ period, statistic: cloudwatch.Stats.p(95), label: "duration p95 (ms)" })],
      ),
    );
    const tableWidgets = Object.entries(props.tables).map(([name, table]) =>
      graph(
        `${name} table`,
        [
          table.metricConsumedReadCapacityUnits({ ...sum, label: "RCU" }),
          table.metricConsumedWriteCapacityUnits({ ...sum, label: "WCU" }),
        ],
        [
          table.metric("ReadThrottleEvents", { ...sum, label: "read throttles" }),
          table.metric("WriteThrottleEvents", { ...sum, label: "write throttles" }),
        ],
      ),
    );
    const api = props.api.api;
    const apiWidgets = [
      graph(
        "HTTP API",
        [
          api.metricCount({ ...sum, label: "requests" }),
          api.metricClientError({ ...sum, label: "4xx" }),
          api.metricServerError({ ...sum, label: "5xx" }),
        ],
        [api.metricLatency({ period, statistic: cloudwatch.Stats.p(95), label: "latency p95 (ms)" })],
      ),
    ];

    this.dashboard = new cloudwatch.Dashboard(this, "Dashboard", {
      dashboardName: stagePrefix(props.stage),
      widgets: [
        [new cloudwatch.TextWidget({ markdown: "## Queues", width: 24, height: 1 })],
        queueWidgets,
        [new cloudwatch.TextWidget({ markdown: "## Functions", width: 24, height: 1 })],
        functionWidgets,
        [new cloudwatch.TextWidget({ markdown: "## Tables and API", width: 24, height: 1 })],
        [...tableWidgets, ...apiWidgets],
      ],
    });
  }
}
