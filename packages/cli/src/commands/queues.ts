import { GetQueueAttributesCommand } from "@aws-sdk/client-sqs";
import { createSqsClient, endpointFor } from "@cvpipe/aws/clients";
import {
  breaches,
  type QueueAlarmMetric,
  type QueueAlarmSpec,
  queueAlarms,
  stagedAlarmName,
} from "@cvpipe/core/queue-alarms";
import { type QueueSpec, queues } from "@cvpipe/core/topology";
import { resolveTarget } from "../stack-info.ts";

export const queuesHelp = `cvpipe queues
  Depth of every queue and DLQ (visible, in flight and delayed messages), the age of each queue's
  oldest message, and each queue's alarms as CloudWatch evaluates them on AWS: DLQ not empty
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

interface InspectedMessage {
  readonly sentTimestamp?: number;
}
interface InspectedQueue {
  readonly messages?: {
    readonly ready?: InspectedMessage[];
    readonly delayed?: InspectedMessage[];
    readonly inflight?: { readonly message?: InspectedMessage }[];
  };
}

/**
 * The age of a queue's oldest message, which SQS publishes only as a CloudWatch metric. The embedded
 * stack's fauxqs shows its messages without touching them (`GET /_fauxqs/queues/<name>`): every
 * message not yet deleted counts, ready, delayed or in flight. Anything else: undefined (unknown).
 * Ages are against the real clock, as SQS's own timestamps are.
 */
const oldestAgeSeconds = async (
  endpoint: string | undefined,
  queueName: string,
): Promise<number | null | undefined> => {
  if (!endpoint) return undefined;
  try {
    const res = await fetch(`${endpoint.replace(/\/$/, "")}/_fauxqs/queues/${encodeURIComponent(queueName)}`, {
      signal: AbortSignal.timeout(3_000),
    });
    if (!res.ok) return undefined;
    const q = (await res.json()) as InspectedQueue;
    if (!q.messages) return undefined;
    const sent = [
      ...(q.messages.ready ?? []),
      ...(q.messages.delayed ?? []),
      ...(q.messages.inflight ?? []).map((m) => m.message ?? {}),
    ].map((m) => m.sentTimestamp);
    if (sent.length === 0) return null;
    if (sent.some((t) => typeof t !== "number")) return undefined;
    return Math.max(0, Math.floor((Date.now() - Math.min(...(sent as number[]))) / 1000));
  } catch {
    return undefined;
  }
};

/** Columns padded to their widest cell: numbers (`right`) to the right, text to the left; the last one unpadded. */
const table = (rows: string[][], right: (column: number) => boolean): void => {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  for (const r of rows)
    console.log(
      r
        .map((c, i) => (i === r.length - 1 && !right(i) ? c : right(i) ? c.padStart(widths[i]!) : c.padEnd(widths[i]!)))
        .join("  "),
    );
};

export const queuesCommand = async (_args: string[]): Promise<void> => {
  const target = await resolveTarget();
  const sqs = createSqsClient();
  // Only the embedded stack's own fauxqs can show its messages' ages; a stage's are in CloudWatch.
  const inspectAt = target.name === "local" ? endpointFor("SQS") : undefined;
  const rows: string[][] = [["queue", "visible", "in flight", "delayed", "oldest (s)"]];
  const alarms: AlarmCondition[] = [];
  let dlqDepth = 0;
  for (const spec of Object.values(queues)) {
    const q = target.queues[spec.id];
    const read = async (QueueUrl: string, name: string) => {
      const { Attributes = {} } = await sqs.send(
        new GetQueueAttributesCommand({ QueueUrl, AttributeNames: [...ATTRS] }),
      );
      const age = await oldestAgeSeconds(inspectAt, name);
      rows.push([
        name,
        ...ATTRS.map((a) => Attributes[a] ?? "?"),
        age === undefined ? "?" : age === null ? "-" : String(age),
      ]);
      return { visible: Attributes["ApproximateNumberOfMessages"], age };
    };
    const source = await read(q.url, q.url.split("/").pop() ?? spec.name);
    const dead = await read(q.dlqUrl, q.dlqUrl.split("/").pop() ?? spec.dlqName);
    const dlqVisible = dead.visible === undefined ? undefined : Number(dead.visible);
    dlqDepth += dlqVisible ?? 0;
    alarms.push(...alarmConditions(spec, { dlqVisible, oldestAgeSeconds: source.age }));
  }
  table(rows, (i) => i > 0);
  console.log(`\nalarms (${target.name === "local" ? "as they would fire on AWS" : `stage ${target.name}`}):`);
  const named = (name: string): string => (target.name === "local" ? name : stagedAlarmName(name, target.name));
  table(
    alarms.map((a) => [named(a.name), a.state, a.detail]),
    () => false,
  );
  if (dlqDepth > 0) console.log(`\n${dlqDepth} message(s) in dead-letter queues: see "cvpipe dlq peek" and RUNBOOK.md`);
  const aged = alarms.filter((a) => a.metric === "oldestMessageAgeSeconds" && a.state === "ALARM");
  if (aged.length > 0)
    console.log(`${aged.length} queue(s) with messages older than their limit: is the worker running? (RUNBOOK.md)`);
};
