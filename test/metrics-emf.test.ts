import { captureLogLines, type LogLine } from "@cvpipe/functions/testing/log-lines";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { fixture } from "./support/fixtures.ts";
import { startTestStack, type TestStack, until } from "./support/stack.ts";

process.env["POWERTOOLS_METRICS_DISABLED"] = "false";
process.env["POWERTOOLS_METRICS_NAMESPACE"] = "cvpipe-emf-test";

const jobBody = fixture("http/post-job.valid.json");
const eventsBody = fixture("http/post-events.valid.json");
let stack: TestStack;

test.before(async () => {
  stack = await startTestStack({ clockStart: new Date("2026-11-18T10:00:00Z") });
});
test.after(async () => stack?.close());

interface Directive {
  readonly Namespace: string;
  readonly Dimensions: readonly (readonly string[])[];
  readonly Metrics: readonly { readonly Name: string; readonly Unit: string }[];
}

/**
 * A metric's total in one EMF document: a number, or an array of numbers when the invocation added the
 * metric several times (one batch folding several events of one FIFO group: moto and SQS hand a group
 * out in one receive, fauxqs one message at a time); CloudWatch sums the array's values.
 */
const total = (value: unknown): number =>
  Array.isArray(value) ? value.reduce((sum: number, v) => sum + Number(v), 0) : Number(value);

/** EMF documents, checked against the format: every declared metric and dimension is a field of the document. */
const emfDocuments = (lines: readonly LogLine[]) =>
  lines
    .filter((l) => typeof l["_aws"] === "object" && l["_aws"] !== null)
    .map((doc) => {
      const aws = doc["_aws"] as { Timestamp: unknown; CloudWatchMetrics: readonly Directive[] };
      assert.type(aws.Timestamp, "number");
      assert.is(aws.CloudWatchMetrics.length, 1);
      const directive = aws.CloudWatchMetrics[0]!;
      for (const m of directive.Metrics) {
        const value = doc[m.Name];
        assert.ok(
          typeof value === "number" || (Array.isArray(value) && value.every((v) => typeof v === "number")),
          `${m.Name} has a numeric value`,
        );
      }
      for (const set of directive.Dimensions) for (const d of set) assert.type(doc[d], "string", `dimension ${d}`);
      return { doc, directive, names: directive.Metrics.map((m) => m.Name) };
    });

test("a job and a batch of events: the ingress's and the tailor's metrics as EMF on stdout", async () => {
  const lines = await captureLogLines(async (soFar) => {
    const job = await stack.api.request("POST", "/v1/jobs", { body: jobBody, tenant: "emf" });
    assert.is(job.status, 202);
    await stack.api.waitForJob(job.body.data.jobId, { tenant: "emf" });
    const events = await stack.api.request("POST", "/v1/events", { body: eventsBody, tenant: "emf" });
    assert.is(events.status, 202);
    await until("the tailor's and the fold's metrics", async () => {
      const names = emfDocuments(soFar()).flatMap((d) => d.names);
      const folded = emfDocuments(soFar())
        .filter((d) => d.names.includes("EventsFolded"))
        .reduce((sum, d) => sum + total(d.doc["EventsFolded"]), 0);
      return names.includes("JobsSucceeded") && folded >= 4 ? true : undefined;
    });
  });
  const docs = emfDocuments(lines);
  assert.ok(docs.length > 0, "EMF documents on stdout");
  for (const { doc, directive } of docs) {
    assert.is(directive.Namespace, "cvpipe-emf-test");
    assert.is(doc["service"], "cvpipe", "POWERTOOLS_SERVICE_NAME of the embedded stack");
    assert.ok(
      directive.Dimensions.every((set) => set.includes("service")),
      "every metric has the service dimension",
    );
  }
  const find = (name: string) => docs.find((d) => d.names.includes(name));
  assert.is(find("JobsAccepted")?.doc["JobsAccepted"], 1);
  assert.is(find("EventsAccepted")?.doc["EventsAccepted"], 3);
  assert.is(find("JobsSucceeded")?.doc["JobsSucceeded"], 1);
  // The three producer events and the job's outcome event, each folded once, counted by source.
  const folded = docs.filter((d) => d.names.includes("EventsFolded"));
  assert.ok(
    folded.every((d) => d.directive.Dimensions.every((set) => set.includes("Source"))),
    "folds by source",
  );
  const bySource: Record<string, number> = {};
  for (const { doc } of folded)
    bySource[String(doc["Source"])] = (bySource[String(doc["Source"])] ?? 0) + total(doc["EventsFolded"]);
  assert.equal(bySource, { producer: 3, tailor: 1 });
  const latency = find("EngineLatency");
  assert.equal(latency?.directive.Dimensions, [["service", "Engine"]]);
  assert.is(latency?.doc["Engine"], "local");
  assert.equal(
    latency?.directive.Metrics.find((m) => m.Name === "EngineLatency"),
    { Name: "EngineLatency", Unit: "Milliseconds" },
  );
});

test.run();
