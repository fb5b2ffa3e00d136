/**
 * The Powertools adapter of the Metrics port: what a handler wrapped with
 * withMetrics writes at the end of each invocation (CloudWatch EMF), where it
 * writes nothing, and the standalone metric the reporter's alarm watches.
 */
import { METRIC } from "@cvpipe/core/ports/metrics";
import middy from "@middy/core";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { createMetrics, withMetrics } from "./metrics.ts";
import { lambdaContext } from "./testing/lambda-context.ts";
import { captureLogLines } from "./testing/log-lines.ts";

interface EmfDocument {
  readonly _aws: {
    readonly Timestamp: number;
    readonly CloudWatchMetrics: readonly {
      readonly Namespace: string;
      readonly Dimensions: readonly (readonly string[])[];
      readonly Metrics: readonly { readonly Name: string; readonly Unit: string }[];
    }[];
  };
  readonly [key: string]: unknown;
}

const emfOf = (lines: readonly Record<string, unknown>[]): EmfDocument[] =>
  lines.filter((l) => typeof l["_aws"] === "object") as unknown as EmfDocument[];

const inLambda = { AWS_LAMBDA_FUNCTION_NAME: "cvpipe-prod-tailor", POWERTOOLS_SERVICE_NAME: "cvpipe-prod-tailor" };

test("each invocation writes its points as EMF when it ends: one document per dimension set", async () => {
  const metrics = createMetrics({ ...inLambda, POWERTOOLS_METRICS_NAMESPACE: "cvpipe-test" });
  const handler = withMetrics(
    middy(async (event: { failures: number }) => {
      metrics.count(METRIC.jobsSucceeded, 1);
      metrics.milliseconds(METRIC.engineLatency, 42, { Engine: "local" });
      metrics.count(METRIC.inputTokens, 10, { Engine: "local" });
      if (event.failures > 0) metrics.count(METRIC.jobsFailed, event.failures, { ErrorCode: "UNGROUNDED_CLAIM" });
      return "done";
    }),
    metrics,
  );
  const first = emfOf(await captureLogLines(() => handler({ failures: 2 }, lambdaContext())));
  assert.is(first.length, 3);
  for (const doc of first) {
    const [directive] = doc._aws.CloudWatchMetrics;
    assert.is(directive?.Namespace, "cvpipe-test");
    assert.is(doc["service"], "cvpipe-prod-tailor");
    assert.ok(directive?.Dimensions[0]?.includes("service"), "every metric has the service dimension");
    assert.type(doc._aws.Timestamp, "number");
  }
  const byMetric = (name: string) =>
    first.find((d) => d._aws.CloudWatchMetrics[0]?.Metrics.some((m) => m.Name === name));
  assert.equal(byMetric("JobsSucceeded")?._aws.CloudWatchMetrics[0]?.Dimensions, [["service"]]);
  assert.is(byMetric("JobsSucceeded")?.["JobsSucceeded"], 1);
  const engine = byMetric("EngineLatency")!;
  assert.equal(engine._aws.CloudWatchMetrics[0]?.Dimensions, [["service", "Engine"]]);
  assert.equal(engine._aws.CloudWatchMetrics[0]?.Metrics, [
    { Name: "EngineLatency", Unit: "Milliseconds" },
    { Name: "InputTokens", Unit: "Count" },
  ]);
  assert.equal([engine["Engine"], engine["EngineLatency"], engine["InputTokens"]], ["local", 42, 10]);
  const failed = byMetric("JobsFailed")!;
  assert.equal([failed["ErrorCode"], failed["JobsFailed"]], ["UNGROUNDED_CLAIM", 2]);

  // The next invocation writes only its own points, and an invocation with none writes nothing.
  const second = emfOf(await captureLogLines(() => handler({ failures: 0 }, lambdaContext())));
  assert.equal(second.map((d) => d._aws.CloudWatchMetrics[0]?.Metrics.map((m) => m.Name)).sort(), [
    ["EngineLatency", "InputTokens"],
    ["JobsSucceeded"],
  ]);
  const idle = withMetrics(
    middy(async () => "nothing"),
    createMetrics(inLambda),
  );
  assert.equal(await captureLogLines(() => idle({}, lambdaContext())), []);
});

test("a handler that throws still writes what it recorded", async () => {
  const metrics = createMetrics(inLambda);
  const handler = withMetrics(
    middy(async () => {
      metrics.count(METRIC.jobsAccepted, 1);
      throw new Error("boom");
    }),
    metrics,
  );
  let threw = false;
  const lines = await captureLogLines(() =>
    handler({}, lambdaContext()).catch(() => {
      threw = true;
    }),
  );
  assert.ok(threw);
  assert.is(emfOf(lines)[0]?.["JobsAccepted"], 1);
  assert.is(emfOf(lines)[0]?._aws.CloudWatchMetrics[0]?.Namespace, "cvpipe", "the default namespace");
});

test("outside Lambda nothing is written unless asked for; POWERTOOLS_METRICS_DISABLED=true silences Lambda", async () => {
  const run = async (env: NodeJS.ProcessEnv) => {
    const metrics = createMetrics(env);
    const handler = withMetrics(
      middy(async () => metrics.count(METRIC.eventsAccepted, 3)),
      metrics,
    );
    return emfOf(await captureLogLines(() => handler({}, lambdaContext()))).length;
  };
  assert.is(await run({}), 0, "the embedded stack or a CLI run");
  assert.is(await run({ POWERTOOLS_METRICS_DISABLED: "false" }), 1);
  assert.is(await run({ ...inLambda, POWERTOOLS_METRICS_DISABLED: "true" }), 0);
  assert.is(await run(inLambda), 1);
});

test("a standalone metric has exactly its dimensions and namespace (what an alarm watches), written at once", async () => {
  const metrics = createMetrics({ ...inLambda, POWERTOOLS_METRICS_NAMESPACE: "elsewhere" });
  const lines = await captureLogLines(async () =>
    metrics.standalone({
      namespace: "cvpipe",
      name: "ReportSendUncertain",
      value: 1,
      dimensions: { ReportsTable: "cvpipe-prod-reports" },
      properties: { week: "2026-W10" },
    }),
  );
  const [doc, ...rest] = emfOf(lines);
  assert.is(rest.length, 0);
  assert.equal(doc?._aws.CloudWatchMetrics, [
    { Namespace: "cvpipe", Dimensions: [["ReportsTable"]], Metrics: [{ Name: "ReportSendUncertain", Unit: "Count" }] },
  ]);
  assert.equal(
    [doc?.["ReportsTable"], doc?.["ReportSendUncertain"], doc?.["week"]],
    ["cvpipe-prod-reports", 1, "2026-W10"],
  );
  assert.is(doc?.["service"], undefined);
  const silent = await captureLogLines(async () =>
    createMetrics({}).standalone({ namespace: "cvpipe", name: "ReportSendUncertain", value: 1, dimensions: {} }),
  );
  assert.equal(silent, [], "outside Lambda");
});

test.run();
