/**
 * Issue 12 §1.3, analytics events on the embedded stack (in this process,
 * as `pnpm start` runs it: emulators, gateway and workers on one core).
 *
 * Two rows, each subject measured side by side with its baseline:
 *
 *   - ingest: `POST /v1/events` with 25 events a request, through the
 *     gateway and the ingress handler, `concurrency` requests in flight,
 *     many users (so many FIFO groups); vs the same message bodies sent raw
 *     with `SendMessageBatch` (10 a call, as the ingress chunks them) to a
 *     FIFO queue of the same SQS emulator at the same concurrency. The
 *     workers are paused, so the API's events stay queued for the next row.
 *     Rate in events/s, p50/p99 per request (25 events).
 *   - fold: the events the API queued, drained by the analytics worker (the
 *     real handler behind the SQS event-source poller, the topology's batch
 *     size and concurrency) until every one is in its weekly aggregate; vs one
 *     raw `PutItem` per event (an item shaped like a stored event) into a table
 *     of the same DynamoDB emulator, `maxConcurrency × batchSize` in flight
 *     (the records the worker can hold at once). Rate in events/s.
 *
 * Subject and baseline alternate in SEGMENTS slices (baseline slice, subject
 * slice, …): on a shared machine whose load drifts from second to second,
 * both see the same load. The drain is a run of the worker per slice, each
 * stopped once its share of the queue is folded (its time includes letting
 * in-flight invocations finish). After the drain the week's aggregates are
 * checked against what was sent: a fast fold that miscounts fails the
 * scenario.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { Session } from "node:inspector/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { CreateTableCommand, waitUntilTableExists } from "@aws-sdk/client-dynamodb";
import { CreateQueueCommand, SendMessageBatchCommand, type SQSClient } from "@aws-sdk/client-sqs";
import { PutCommand } from "@aws-sdk/lib-dynamodb";
import { DynamoAggregateStore } from "@cvpipe/aws/analytics/dynamo-aggregate-store";
import { createDocumentClient, createDynamoDbClient, createSqsClient } from "@cvpipe/aws/clients";
import { createTableInput } from "@cvpipe/aws/table-definitions";
import { mergeAggregates } from "@cvpipe/core/analytics/aggregate";
import { isoWeekOf } from "@cvpipe/core/analytics/iso-week";
import type { AnalyticsEventMessage } from "@cvpipe/core/contracts/analytics-event-message";
import { messageBody, messageGroupId } from "@cvpipe/core/contracts/message-envelope";
import { systemClock } from "@cvpipe/core/ports/clock";
import { functions, queues, tables } from "@cvpipe/core/topology";
import { mintToken } from "@cvpipe/local/jwt-keys";
import { SqsPoller } from "@cvpipe/local/sqs-poller";
import { type RunningStack, startStack } from "@cvpipe/local/stack";
import { queueDepth } from "../../test/support/queues.ts";
import type { Scenario, ScenarioContext, ScenarioRow } from "../scenario.ts";

const EVENTS_PER_REQUEST = 25;
const TENANT = "bench-events";
const EVENT_TYPES = ["cv.viewed", "cv.downloaded", "application.submitted", "job.viewed"] as const;

const percentile = (sorted: readonly number[], p: number): number =>
  sorted.length === 0 ? Number.NaN : sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;

interface Load {
  readonly ops: number;
  readonly seconds: number;
  readonly latencies: number[];
  /** CPU seconds this process (every thread: the emulators' too) used meanwhile. */
  readonly cpuSeconds: number;
}

const cpuSince = (start: NodeJS.CpuUsage): number => {
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1e6;
};

/** `concurrency` callers, each starting its next operation when its last one ends; throws on the first failure. */
const closedLoop = async (
  indexes: readonly number[],
  concurrency: number,
  op: (i: number) => Promise<void>,
): Promise<Load> => {
  const latencies: number[] = [];
  let next = 0;
  const cpu = process.cpuUsage();
  const started = performance.now();
  const caller = async (): Promise<void> => {
    while (next < indexes.length) {
      const i = indexes[next++]!;
      const t = performance.now();
      await op(i);
      latencies.push(performance.now() - t);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, indexes.length) }, caller));
  return { ops: indexes.length, seconds: (performance.now() - started) / 1000, latencies, cpuSeconds: cpuSince(cpu) };
};

/** Slices of one measure taken apart: one rate over all, latencies pooled. */
const pooled = (loads: readonly Load[]): Load => ({
  ops: loads.reduce((n, l) => n + l.ops, 0),
  seconds: loads.reduce((n, l) => n + l.seconds, 0),
  latencies: loads.flatMap((l) => l.latencies),
  cpuSeconds: loads.reduce((n, l) => n + l.cpuSeconds, 0),
});

/** CPU milliseconds per event (per op ÷ events an op carries), every thread of this process. */
const cpuMs = (l: Load, eventsPerOp = 1): string => ((1000 * l.cpuSeconds) / (l.ops * eventsPerOp)).toFixed(2);

/** Subject and baseline alternate in this many slices. */
const SEGMENTS = 6;
/** Untimed requests of 25 events before each row's measure, for each of its paths. */
const WARM_REQUESTS = 8;

/** 0..n-1 in `k` consecutive slices. */
const slices = (n: number, k: number): number[][] =>
  Array.from({ length: k }, (_, s) =>
    Array.from(
      { length: Math.floor(((s + 1) * n) / k) - Math.floor((s * n) / k) },
      (_, i) => Math.floor((s * n) / k) + i,
    ),
  );

/**
 * BENCH_EVENTS_PROFILE=<file>: a V8 CPU profile of this thread (the worker, the poller, the SDK clients;
 * the emulators have a thread of their own: `node --cpu-prof` profiles it) over the drain only — the
 * baseline slices are then skipped, and the ratio means nothing. Read it with bench/support/profile-top.ts.
 */
const startProfile = async (): Promise<{ stop(): Promise<void> } | undefined> => {
  const file = process.env["BENCH_EVENTS_PROFILE"];
  if (!file) return undefined;
  const session = new Session();
  session.connect();
  await session.post("Profiler.enable");
  await session.post("Profiler.start");
  return {
    stop: async () => {
      const { profile } = await session.post("Profiler.stop");
      writeFileSync(file, JSON.stringify(profile));
      session.disconnect();
    },
  };
};

interface Plan {
  readonly events: number;
  readonly users: number;
  readonly concurrency: number;
}

/** Request i: 25 events of user i mod users, occurred a minute ago (this ISO week, unless the week just turned). */
const requestEvents = (i: number, prefix: string, occurredAt: string) =>
  Array.from({ length: EVENTS_PER_REQUEST }, (_, k) => ({
    eventId: `${prefix}-${i}-${k}`,
    type: EVENT_TYPES[(i + k) % EVENT_TYPES.length]!,
    occurredAt,
  }));

/** The messages the ingress would enqueue for request i, sent as it sends them: SendMessageBatch of 10. */
const sendAsIngress = async (
  sqs: SQSClient,
  url: string,
  plan: Plan,
  i: number,
  prefix: string,
  occurredAt: string,
  receivedAt: string,
): Promise<void> => {
  const userId = `user-${i % plan.users}`;
  const messages = requestEvents(i, prefix, occurredAt).map((event) => {
    const message: AnalyticsEventMessage = {
      schema: "analytics-event.v1",
      tenantId: TENANT,
      userId,
      source: "producer",
      receivedAt,
      event,
    };
    return { body: messageBody(message), groupId: messageGroupId(TENANT, userId), id: event.eventId };
  });
  for (let c = 0; c < messages.length; c += 10) {
    const out = await sqs.send(
      new SendMessageBatchCommand({
        QueueUrl: url,
        Entries: messages.slice(c, c + 10).map((m, j) => ({
          Id: String(j),
          MessageBody: m.body,
          MessageGroupId: m.groupId,
          MessageDeduplicationId: m.id,
        })),
      }),
    );
    if (out.Failed?.length) throw new Error(`SendMessageBatch: ${out.Failed[0]?.Message}`);
  }
};

/** The fold row's events queued straight to the analytics queue (no ingest row). */
const queueRaw = async (sqs: SQSClient, url: string, plan: Plan, occurredAt: string): Promise<void> => {
  const receivedAt = new Date().toISOString();
  const requests = Array.from({ length: plan.events / EVENTS_PER_REQUEST }, (_, i) => i);
  await closedLoop(requests, plan.concurrency, (i) => sendAsIngress(sqs, url, plan, i, "api", occurredAt, receivedAt));
};

/** One row of this scenario, measured on the running stack for events that occurred at `occurredAt`. */
type EventsRow = (
  stack: RunningStack,
  sqs: SQSClient,
  plan: Plan,
  occurredAt: string,
  context: ScenarioContext,
) => Promise<ScenarioRow>;

const ingestRow: EventsRow = async (stack, sqs, plan, occurredAt, context) => {
  const requests = plan.events / EVENTS_PER_REQUEST;
  const tokens = await Promise.all(
    Array.from({ length: plan.users }, (_, u) =>
      mintToken(stack.keys, { tenantId: TENANT, userId: `user-${u}`, ttlSeconds: 3600, now: systemClock.now() }),
    ),
  );
  const raw = await sqs.send(
    new CreateQueueCommand({ QueueName: "bench-raw-events.fifo", Attributes: { FifoQueue: "true" } }),
  );
  const rawUrl = raw.QueueUrl ?? "";
  const receivedAt = new Date().toISOString();
  const sendRaw = (i: number): Promise<void> => sendAsIngress(sqs, rawUrl, plan, i, "raw", occurredAt, receivedAt);
  const post = async (i: number, prefix = "api"): Promise<void> => {
    const res = await fetch(`${stack.info.apiUrl}/v1/events`, {
      method: "POST",
      headers: { authorization: `Bearer ${tokens[i % plan.users]}`, "content-type": "application/json" },
      body: JSON.stringify({ events: requestEvents(i, prefix, occurredAt) }),
    });
    if (res.status !== 202) throw new Error(`POST /v1/events answered ${res.status}: ${await res.text()}`);
    await res.arrayBuffer();
  };
  // Untimed first: both paths warmed up (JIT, connections, the emulators' first items).
  context.progress("events: ingest warm-up");
  const warm = Array.from({ length: WARM_REQUESTS }, (_, i) => requests + i);
  await closedLoop(warm, plan.concurrency, (i) => sendAsIngress(sqs, rawUrl, plan, i, "warm", occurredAt, receivedAt));
  await closedLoop(warm, plan.concurrency, (i) => post(i, "warm"));
  const raws: Load[] = [];
  const apis: Load[] = [];
  const rawSlices = slices(requests, SEGMENTS);
  for (const [k, slice] of slices(requests, SEGMENTS).entries()) {
    context.progress(`events: ingest slice ${k + 1}/${SEGMENTS}: raw SendMessageBatch, then POST /v1/events`);
    raws.push(await closedLoop(rawSlices[k]!, plan.concurrency, sendRaw));
    apis.push(await closedLoop(slice, plan.concurrency, (i) => post(i)));
  }
  const base = pooled(raws);
  const api = pooled(apis);
  const rate = (l: Load) => (l.ops * EVENTS_PER_REQUEST) / l.seconds;
  const p = (l: Load) => {
    const sorted = [...l.latencies].sort((a, b) => a - b);
    return { p50Ms: percentile(sorted, 50), p99Ms: percentile(sorted, 99) };
  };
  return {
    case: "events ingest: POST /v1/events (25 a request)",
    subject: { label: "POST /v1/events", value: rate(api), unit: "events/s", ...p(api) },
    baseline: { label: "raw SendMessageBatch", value: rate(base), unit: "events/s", ...p(base) },
    ratio: rate(api) / rate(base),
    target: { ratio: 0.5, better: "higher" },
    notes: `${plan.events} events, ${plan.users} users (FIFO groups), concurrency ${plan.concurrency}, workers paused; latency per request of 25; CPU per event ${cpuMs(api, EVENTS_PER_REQUEST)} ms vs ${cpuMs(base, EVENTS_PER_REQUEST)} ms`,
  };
};

const foldRow: EventsRow = async (stack, sqs, plan, occurredAt, context) => {
  const week = isoWeekOf(new Date(occurredAt));
  const spec = queues.analyticsEvents;
  const inFlight = spec.batchSize * spec.maxConcurrency;
  const dynamo = createDynamoDbClient();
  const db = createDocumentClient();
  const baselineTable = "bench-put-baseline";
  await dynamo.send(new CreateTableCommand({ ...createTableInput(tables.events), TableName: baselineTable }));
  await waitUntilTableExists({ client: dynamo, maxWaitTime: 30, minDelay: 1 }, { TableName: baselineTable });
  const body = JSON.stringify({
    schema: "analytics-event.v1",
    tenantId: TENANT,
    userId: "user-0",
    source: "producer",
    receivedAt: new Date().toISOString(),
    event: { eventId: "put-0-0", type: "cv.viewed", occurredAt: new Date().toISOString() },
  });
  const putOne = async (i: number): Promise<void> => {
    await db.send(
      new PutCommand({
        TableName: baselineTable,
        Item: {
          tenantId: TENANT,
          eventId: `put-${i}`,
          groupId: messageGroupId(TENANT, `user-${i % plan.users}`),
          seq: String(i).padStart(40, "0"),
          week,
          shard: "s00",
          type: "cv.viewed",
          occurredAt: new Date().toISOString(),
          body,
          folded: false,
          storedAt: new Date().toISOString(),
          expiresAt: Math.floor(Date.now() / 1000) + 14 * 86_400,
        },
      }),
    );
  };
  const queue = stack.info.queues.analyticsEvents;
  const handler = (await import("@cvpipe/functions/analytics")).handler as unknown as ConstructorParameters<
    typeof SqsPoller
  >[0]["handler"];
  /** The worker, from now until only `leaveQueued` events are left (letting in-flight invocations finish). */
  const drain = async (leaveQueued: number): Promise<Load> => {
    const before = await queueDepth(sqs, queue.url);
    const poller = new SqsPoller({
      sqs,
      functionName: spec.worker,
      queueUrl: queue.url,
      queueArn: queue.arn,
      region: stack.info.region,
      handler,
      batchSize: spec.batchSize,
      maxConcurrency: spec.maxConcurrency,
      timeoutSeconds: functions.analytics.timeoutSeconds,
      waitTimeSeconds: 1,
      log: (line) => context.progress(`events: ${line}`),
    });
    const cpu = process.cpuUsage();
    const started = performance.now();
    poller.start();
    while ((await queueDepth(sqs, queue.url)) > leaveQueued) await new Promise((r) => setTimeout(r, 50));
    await poller.stop();
    const seconds = (performance.now() - started) / 1000;
    reports.push(...poller.reports);
    return { ops: before - (await queueDepth(sqs, queue.url)), seconds, latencies: [], cpuSeconds: cpuSince(cpu) };
  };
  const reports: SqsPoller["reports"][number][] = [];

  // Untimed first: more events queued, and a share of the queue drained and of the puts made, to warm up.
  const receivedAt = new Date().toISOString();
  const warm = Array.from({ length: WARM_REQUESTS }, (_, i) => 1_000_000 + i);
  await closedLoop(warm, plan.concurrency, (i) =>
    sendAsIngress(sqs, queue.url, plan, i, "warm", occurredAt, receivedAt),
  );
  const queued = await queueDepth(sqs, queue.url);
  if (queued < plan.events) throw new Error(`expected ${plan.events} queued events and more, found ${queued}`);
  context.progress("events: fold warm-up");
  await drain(plan.events);
  const warmPuts = Array.from({ length: WARM_REQUESTS * EVENTS_PER_REQUEST }, (_, i) => 1_000_000 + i);
  await closedLoop(warmPuts, inFlight, putOne);
  reports.length = 0;

  const puts: Load[] = [];
  const drains: Load[] = [];
  const putSlices = slices(plan.events, SEGMENTS);
  const profile = await startProfile();
  for (let k = 0; k < SEGMENTS; k++) {
    context.progress(`events: fold slice ${k + 1}/${SEGMENTS}: raw PutItem (${inFlight} in flight), then the worker`);
    if (!profile) puts.push(await closedLoop(putSlices[k]!, inFlight, putOne));
    drains.push(await drain(plan.events - Math.floor(((k + 1) * plan.events) / SEGMENTS)));
    const [put, folded] = [puts.at(-1), drains.at(-1)!];
    context.progress(
      `events: slice ${k + 1}: worker ${(folded.ops / folded.seconds).toFixed(0)} events/s, ${cpuMs(folded)} ms CPU each` +
        (put ? `; PutItem ${(put.ops / put.seconds).toFixed(0)}/s, ${cpuMs(put)} ms CPU each` : ""),
    );
  }
  await profile?.stop();
  const remaining = await queueDepth(sqs, queue.url);
  if (remaining !== 0) throw new Error(`${remaining} events still queued after the drain`);
  const base = profile ? { ops: 0, seconds: 1, latencies: [], cpuSeconds: 0 } : pooled(puts);
  const drained = pooled(drains);
  const failedBatches = reports.filter((r) => r.outcome !== "ok").length;
  const records = reports.reduce((n, r) => n + r.received, 0);

  const merged = mergeAggregates(
    week,
    await new DynamoAggregateStore(db, { tableName: tables.aggregates.name, clock: systemClock }).readWeek(week),
  );
  if (merged.events !== queued || merged.byTenant[TENANT] !== queued) {
    throw new Error(`the week's aggregates count ${merged.events} events, ${queued} were sent`);
  }
  dynamo.destroy();
  db.destroy();
  const subject = drained.ops / drained.seconds;
  const baseline = base.ops / base.seconds;
  return {
    case: "events fold: queued events into weekly aggregates",
    subject: { label: "analytics worker", value: subject, unit: "events/s" },
    baseline: { label: `raw PutItem (${inFlight} in flight)`, value: baseline, unit: "events/s" },
    ratio: subject / baseline,
    target: { ratio: 0.5, better: "higher" },
    notes: `${plan.events} events of ${plan.users} users drained in ${drained.seconds.toFixed(1)} s, ${SEGMENTS} slices alternating with the baseline; ${reports.length} batches (${(records / reports.length).toFixed(1)} records each), ${failedBatches} not ok; aggregates checked; CPU per event ${cpuMs(drained)} ms vs ${cpuMs(base)} ms`,
  };
};

const scenario: Scenario = {
  id: "events",
  title: "Analytics events: ingest and fold (embedded stack, one process)",
  async run(context) {
    const plan: Plan = {
      events: context.quick ? 500 : Number(process.env["BENCH_EVENTS"] ?? 5000),
      users: Number(process.env["BENCH_EVENTS_USERS"] ?? 40),
      concurrency: 16,
    };
    process.env["POWERTOOLS_LOG_LEVEL"] ??= "SILENT";
    const dataDir = mkdtempSync(join(tmpdir(), "cvpipe-bench-events-"));
    const stack = await startStack({
      settings: {
        dataDir,
        apiPort: 0,
        sqsPort: 0,
        dynamoDbPort: 0,
        sesPort: 0,
        bedrockPort: 0,
        openaiPort: 0,
        region: "us-east-1",
      },
      pollers: false,
      log: () => {},
    });
    const sqs = createSqsClient();
    try {
      const occurred = new Date(Date.now() - 60_000);
      // BENCH_EVENTS_ROWS=fold: only the fold row, its events queued by the ingest's baseline path (profiling).
      if (process.env["BENCH_EVENTS_ROWS"] === "fold") {
        await queueRaw(sqs, stack.info.queues.analyticsEvents.url, plan, occurred.toISOString());
        return [await foldRow(stack, sqs, plan, occurred.toISOString(), context)];
      }
      const ingest = await ingestRow(stack, sqs, plan, occurred.toISOString(), context);
      const fold = await foldRow(stack, sqs, plan, occurred.toISOString(), context);
      return [ingest, fold];
    } finally {
      sqs.destroy();
      await stack.stop();
      rmSync(dataDir, { recursive: true, force: true });
    }
  },
};

export default scenario;

if (import.meta.main) {
  const rows = await scenario.run({ progress: (m) => console.error(m), quick: process.env["BENCH_QUICK"] === "1" });
  for (const row of rows) console.log(JSON.stringify(row));
}
