/**
 * The capacity settings of docs/capacity.md as synthesised: SQS high-throughput
 * FIFO (DeduplicationScope messageGroup, FifoThroughputLimit perMessageGroupId)
 * on both work queues and both DLQs, producers' explicit deduplication ids
 * (no content-based deduplication), and each event source mapping's
 * MaximumConcurrency from the topology — read from the topology, not written
 * into the construct (a spec with another mode synthesises that mode).
 */
import { FIFO_HIGH_THROUGHPUT, type QueueSpec, topology } from "@cvpipe/core/topology";
import { App, Stack } from "aws-cdk-lib";
import { Template } from "aws-cdk-lib/assertions";
import * as lambda from "aws-cdk-lib/aws-lambda";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { AlarmTopic } from "../src/alarms.ts";
import { FifoWorker } from "../src/fifo-worker.ts";
import { stagedName } from "../src/physical-names.ts";
import { buildTestApp } from "./build-app.ts";
import { byProperty, referencedId, resourcesOf } from "./template-query.ts";

const STAGE = "qa";
const { service } = buildTestApp({ stage: STAGE });
const svc = Template.fromStack(service);
const queueSpecs = Object.values(topology.queues) as QueueSpec[];
const queues = resourcesOf(svc, "AWS::SQS::Queue");

/** What the template says of a queue's throughput mode. */
const modeOf = (properties: Record<string, unknown> | undefined) => ({
  DeduplicationScope: properties?.["DeduplicationScope"],
  FifoThroughputLimit: properties?.["FifoThroughputLimit"],
});
const HIGH_THROUGHPUT = { DeduplicationScope: "messageGroup", FifoThroughputLimit: "perMessageGroupId" };

test("both work queues are high-throughput FIFO, as the topology says, and the topology says high throughput", () => {
  assert.is(queueSpecs.length, 2);
  for (const spec of queueSpecs) {
    assert.equal(spec.fifoThroughput, FIFO_HIGH_THROUGHPUT, spec.id);
    const [, main] = byProperty(queues, "QueueName", stagedName(spec.name, STAGE));
    assert.is(main.Properties?.["FifoQueue"], true);
    assert.equal(modeOf(main.Properties), HIGH_THROUGHPUT, spec.name);
    assert.equal(modeOf(main.Properties), {
      DeduplicationScope: spec.fifoThroughput.deduplicationScope,
      FifoThroughputLimit: spec.fifoThroughput.fifoThroughputLimit,
    });
    // Producers send MessageDeduplicationId themselves; a body hash would merge distinct messages.
    assert.is(main.Properties?.["ContentBasedDeduplication"], false, spec.name);
  }
});

test("both DLQs are high-throughput FIFO too", () => {
  for (const spec of queueSpecs) {
    const [, dlq] = byProperty(queues, "QueueName", stagedName(spec.dlqName, STAGE));
    assert.is(dlq.Properties?.["FifoQueue"], true);
    assert.equal(modeOf(dlq.Properties), HIGH_THROUGHPUT, spec.dlqName);
  }
});

test("every SQS event source mapping has MaximumConcurrency: the topology's, within Lambda's 2..1000", () => {
  const mappings = Object.values(resourcesOf(svc, "AWS::Lambda::EventSourceMapping"));
  assert.is(mappings.length, queueSpecs.length);
  for (const mapping of mappings) {
    const queueId = referencedId(mapping.Properties?.["EventSourceArn"]);
    const spec = queueSpecs.find((s) => byProperty(queues, "QueueName", stagedName(s.name, STAGE))[0] === queueId);
    assert.ok(spec, `the mapping reads a topology queue (${queueId})`);
    const maximum = (mapping.Properties?.["ScalingConfig"] as { MaximumConcurrency?: unknown } | undefined)
      ?.MaximumConcurrency;
    assert.is(maximum, spec.maxConcurrency, spec.id);
    assert.ok(spec.maxConcurrency >= 2 && spec.maxConcurrency <= 1000, `${spec.id}: ${spec.maxConcurrency}`);
  }
});

test("the mode comes from the spec: a per-queue spec synthesises a per-queue queue and DLQ", () => {
  // An app of its own: the probe is no part of cvpipe's app (nor of its cdk-nag checks).
  const stack = new Stack(new App(), "ThroughputProbe");
  const worker = new lambda.Function(stack, "Worker", {
    runtime: lambda.Runtime.NODEJS_24_X,
    handler: "index.handler",
    code: lambda.Code.fromInline("export const handler = async () => ({});"),
  });
  const spec: QueueSpec = {
    ...topology.queues.analyticsEvents,
    name: "probe.fifo",
    dlqName: "probe-dlq.fifo",
    visibilityTimeoutSeconds: 180,
    fifoThroughput: { deduplicationScope: "queue", fifoThroughputLimit: "perQueue" },
  };
  new FifoWorker(stack, "Probe", {
    spec,
    stage: STAGE,
    worker,
    workerSpec: { ...topology.functions.analytics, timeoutSeconds: 30 },
    alarms: new AlarmTopic(stack, "Alarms", { stage: STAGE, email: "alarms@example.com" }),
  });
  const probe = resourcesOf(Template.fromStack(stack), "AWS::SQS::Queue");
  for (const name of [spec.name, spec.dlqName]) {
    const [, queue] = byProperty(probe, "QueueName", stagedName(name, STAGE));
    assert.equal(modeOf(queue.Properties), { DeduplicationScope: "queue", FifoThroughputLimit: "perQueue" }, name);
  }
});

test.run();
