import { CloudWatchClient, GetMetricStatisticsCommand } from "@aws-sdk/client-cloudwatch";
import { LambdaClient, ListEventSourceMappingsCommand } from "@aws-sdk/client-lambda";
import { GetQueueAttributesCommand } from "@aws-sdk/client-sqs";
import { createSqsClient, endpointFor } from "@cvpipe/aws/clients";
import {
  breaches,
  type QueueAlarmMetric,
  type QueueAlarmSpec,
  queueAlarms,
  stagedAlarmName,
} from "@cvpipe/core/queue-alarms";
import { type QueueSpec, queueNameOf, queues } from "@cvpipe/core/topology";
import { oldestAgeSeconds } from "@cvpipe/local/fauxqs-ages";
import { parseCliArgs } from "../args.ts";
import { formatTable } from "../output.ts";
import { resolveTarget } from "../stack-info.ts";

export const queuesHelp = `cvpipe queues [--json]
  Depth of every queue and DLQ (visible, in flight and delayed messages), the age of each queue's
  oldest message (the embedded SQS's own view; CloudWatch ApproximateAgeOfOldestMessage on a stage;
  n/a where neither answers), each queue's worker (the stack's poller running or paused; on a stage
  the Lambda event source mapping's State), and each queue's alarms as CloudWatch evaluates them on AWS: DLQ not empty
  (visible > 0) and oldest message older than the queue's limit (topology maxAgeSeconds), OK or ALARM.`;

const ATTRS = [
  "ApproximateNumberOfMessages",
  "ApproximateNumberOfMessagesNotVisible",
  "ApproximateNumberOfMessagesDelayed",
] as const;

export type AlarmState = "OK" | "ALARM" | "UNKNOWN";

export interface AlarmCondition {
  /** The alarm's name as infra/ deploys it, after `cvpipe-<stage>-`. */
  readonly name: string;
  readonly metric: QueueAlarmMetric;
  readonly state: AlarmState;
  /** The condition with the values it was judged on. */
  readonly detail: string;
}

export interface QueueReading {
  /** The DLQ's ApproximateNumberOfMessages (CloudWatch: ApproximateNumberOfMessagesVisible). */
  readonly dlqVisible: number | undefined;
  /** Age in seconds of the source queue's oldest message; null when it is empty; undefined when unknown here. */
  readonly oldestAgeSeconds: number | null | undefined;
}

const state = (alarm: QueueAlarmSpec, value: number | null | undefined): AlarmState =>
  value === undefined ? "UNKNOWN" : breaches(alarm, value) ? "ALARM" : "OK";

/** The condition of one alarm in words, with the value it was judged on. */
const detailOf = (alarm: QueueAlarmSpec, spec: Pick<QueueSpec, "name" | "dlqName">, reading: QueueReading): string => {
  const limit = alarm.threshold;
  switch (alarm.metric) {
    case "dlqVisibleMessages": {
      const dlq = reading.dlqVisible;
      return `${spec.dlqName}: ${dlq ?? "?"} visible ${breaches(alarm, dlq) ? ">" : "<="} ${limit}`;
    }
    case "oldestMessageAgeSeconds": {
      const age = reading.oldestAgeSeconds;
      return age === undefined
        ? `${spec.name}: oldest message's age not readable here (CloudWatch ApproximateAgeOfOldestMessage); limit ${limit} s`
        : age === null
          ? `${spec.name}: empty; limit ${limit} s`
          : `${spec.name}: oldest ${age} s ${breaches(alarm, age) ? ">" : "<="} ${limit} s`;
    }
  }
};

/**
 * The alarms infra/ puts on each queue (core queue-alarms.ts, deployed by fifo-worker.ts), judged on a
 * reading: `<id>-dlq-not-empty` when the DLQ's visible messages > 0, `<id>-oldest-message-age` when the
 * oldest message's age > maxAgeSeconds. Missing data is not breaching, as the deployed alarms treat it.
 * (AWS judges the age over 3 one-minute periods: this is the condition now, which is what the alarm waits
 * to see persist.)
 */
export const alarmConditions = (
  spec: Pick<QueueSpec, "id" | "name" | "dlqName" | "maxAgeSeconds">,
  reading: QueueReading,
): AlarmCondition[] =>
  queueAlarms(spec).map((alarm) => ({
    name: alarm.name,
    metric: alarm.metric,
    state: state(alarm, alarm.metric === "dlqVisibleMessages" ? reading.dlqVisible : reading.oldestAgeSeconds),
    detail: detailOf(alarm, spec, reading),
  }));

/**
 * A stage's oldest-message age: SQS publishes it only to CloudWatch (ApproximateAgeOfOldestMessage, one-minute
 * periods). The latest maximum of the last 5 minutes; undefined when CloudWatch has none (n/a).
 */
const cloudWatchAge = async (cw: CloudWatchClient, queueName: string): Promise<number | undefined> => {
  try {
    const end = new Date();
    const { Datapoints = [] } = await cw.send(
      new GetMetricStatisticsCommand({
        Namespace: "AWS/SQS",
        MetricName: "ApproximateAgeOfOldestMessage",
        Dimensions: [{ Name: "QueueName", Value: queueName }],
        StartTime: new Date(end.getTime() - 5 * 60_000),
        EndTime: end,
        Period: 60,
        Statistics: ["Maximum"],
      }),
    );
    const latest = Datapoints.sort((a, b) => (b.Timestamp?.getTime() ?? 0) - (a.Timestamp?.getTime() ?? 0))[0];
    return latest?.Maximum;
  } catch {
    return undefined;
  }
};

/**
 * A stage's worker of a queue: the State of the Lambda event source mapping reading it (Enabled,
 * Disabled, Creating, …), found by the queue's ARN; "none" when no mapping reads it, undefined when
 * Lambda cannot be asked (no permission, an endpoint without Lambda).
 */
const mappingState = async (lambda: LambdaClient, queueArn: string): Promise<string | undefined> => {
  try {
    const { EventSourceMappings = [] } = await lambda.send(
      new ListEventSourceMappingsCommand({ EventSourceArn: queueArn }),
    );
    return EventSourceMappings.map((m) => m.State ?? "?").join(",") || "none";
  } catch {
    return undefined;
  }
};

/** One queue's figures as `cvpipe queues --json` prints them (docs/cli.md). */
export interface QueueFigures {
  readonly queue: string;
  readonly kind: "source" | "dlq";
  readonly visible: number | null;
  readonly inFlight: number | null;
  readonly delayed: number | null;
  /** Seconds; null: empty, or not known here (see oldestAgeKnown). */
  readonly oldestAgeSeconds: number | null;
  readonly oldestAgeKnown: boolean;
  /** Source queues: running/paused (embedded stack), the event source mapping's State (stage), or null (unknown). */
  readonly worker?: string | null;
}

export const queuesCommand = async (args: string[]): Promise<void> => {
  const { values } = parseCliArgs({ args, options: { json: { type: "boolean", default: false } }, strict: true });
  const target = await resolveTarget();
  const sqs = createSqsClient();
  const local = target.name === "local";
  // Only the embedded stack's own fauxqs can show its messages' ages; a stage's are in CloudWatch.
  const inspectAt = local ? endpointFor("SQS") : undefined;
  const cw = local ? undefined : new CloudWatchClient({});
  const lambda = local ? undefined : new LambdaClient({});
  const figures: QueueFigures[] = [];
  const alarms: AlarmCondition[] = [];
  let dlqDepth = 0;
  const count = (v: string | undefined) => (v === undefined ? null : Number(v));
  for (const spec of Object.values(queues)) {
    const q = target.queues[spec.id];
    const read = async (QueueUrl: string, name: string, kind: "source" | "dlq", arn: string) => {
      const { Attributes = {} } = await sqs.send(
        new GetQueueAttributesCommand({ QueueUrl, AttributeNames: [...ATTRS] }),
      );
      const age = cw ? await cloudWatchAge(cw, name) : await oldestAgeSeconds(inspectAt, name);
      const worker =
        kind === "dlq"
          ? {}
          : { worker: local ? (target.workers?.[spec.id] ?? null) : ((await mappingState(lambda!, arn)) ?? null) };
      figures.push({
        queue: name,
        kind,
        visible: count(Attributes["ApproximateNumberOfMessages"]),
        inFlight: count(Attributes["ApproximateNumberOfMessagesNotVisible"]),
        delayed: count(Attributes["ApproximateNumberOfMessagesDelayed"]),
        oldestAgeSeconds: age ?? null,
        oldestAgeKnown: age !== undefined,
        ...worker,
      });
      return { visible: Attributes["ApproximateNumberOfMessages"], age };
    };
    const source = await read(q.url, queueNameOf(q.url), "source", q.arn);
    const dead = await read(q.dlqUrl, queueNameOf(q.dlqUrl), "dlq", q.dlqArn);
    const dlqVisible = dead.visible === undefined ? undefined : Number(dead.visible);
    dlqDepth += dlqVisible ?? 0;
    // Conditions name the queues as the target has them (a stage's names), not the topology's.
    const named = { ...spec, name: queueNameOf(q.url), dlqName: queueNameOf(q.dlqUrl) };
    alarms.push(...alarmConditions(named, { dlqVisible, oldestAgeSeconds: source.age }));
  }
  const named = (name: string): string => (local ? name : stagedAlarmName(name, target.name));
  const shownAlarms = alarms.map((a) => ({ name: named(a.name), metric: a.metric, state: a.state, detail: a.detail }));
  if (values.json) {
    console.log(JSON.stringify({ target: target.name, queues: figures, alarms: shownAlarms }, null, 2));
    return;
  }
  const cell = (n: number | null) => (n === null ? "?" : String(n));
  console.log(
    formatTable(
      [
        ["queue", "visible", "in flight", "delayed", "oldest (s)", "worker"],
        ...figures.map((f) => [
          f.queue,
          cell(f.visible),
          cell(f.inFlight),
          cell(f.delayed),
          !f.oldestAgeKnown ? "n/a" : f.oldestAgeSeconds === null ? "-" : String(f.oldestAgeSeconds),
          f.kind === "dlq" ? "-" : (f.worker ?? "n/a"),
        ]),
      ],
      (i) => i > 0 && i < 5,
    ),
  );
  console.log(`\nalarms (${local ? "as they would fire on AWS" : `stage ${target.name}`}):`);
  console.log(formatTable(shownAlarms.map((a) => [a.name, a.state, a.detail])));
  if (dlqDepth > 0) console.log(`\n${dlqDepth} message(s) in dead-letter queues: see "cvpipe dlq peek" and RUNBOOK.md`);
  const aged = alarms.filter((a) => a.metric === "oldestMessageAgeSeconds" && a.state === "ALARM");
  if (aged.length > 0)
    console.log(`${aged.length} queue(s) with messages older than their limit: is the worker running? (RUNBOOK.md)`);
  const paused = figures.filter((f) => f.kind === "source" && f.worker === "paused");
  if (paused.length > 0)
    console.log(
      `${paused.map((f) => f.queue).join(", ")}: no worker running (CVPIPE_WORKERS=off?): messages stay queued`,
    );
};
