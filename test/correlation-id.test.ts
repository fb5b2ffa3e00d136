import { captureLogLines, type LogLine } from "@cvpipe/functions/testing/log-lines";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { fixture } from "./support/fixtures.ts";
import { type ApiResponse, startTestStack, type TestStack, until } from "./support/stack.ts";

// Before the stack imports the handlers: their loggers read the level once. DEBUG shows the analytics worker's lines.
process.env["POWERTOOLS_LOG_LEVEL"] = "DEBUG";

const jobBody = fixture("http/post-job.valid.json");
const eventsBody = fixture("http/post-events.valid.json");
let stack: TestStack;

test.before(async () => {
  stack = await startTestStack({ clockStart: new Date("2026-11-18T10:00:00Z") });
});
test.after(async () => stack?.close());

const of = (fn: string, lines: readonly LogLine[]) => lines.filter((l) => l["fn"] === fn);

/** Submits a job and waits until the analytics worker has logged its outcome event; returns the answer and the lines. */
const runJob = async (tenant: string, headers: Record<string, string>) => {
  let res: ApiResponse | undefined;
  const lines = await captureLogLines(async (soFar) => {
    res = await stack.api.request("POST", "/v1/jobs", { body: jobBody, tenant, headers });
    assert.is(res.status, 202, JSON.stringify(res.body));
    const jobId = res.body.data.jobId as string;
    await stack.api.waitForJob(jobId, { tenant });
    await until("the outcome event's analytics line", async () =>
      of("analytics", soFar()).some((l) => l["eventId"] === `tailoring-outcome-${jobId}-1`) ? true : undefined,
    );
  });
  return { res: res!, jobId: res!.body.data.jobId as string, lines };
};

test("a caller's X-Correlation-Id: returned, and on the ingress's, the tailor's and the analytics worker's lines", async () => {
  const { res, jobId, lines } = await runJob("corr-a", { "X-Correlation-Id": "trace-4f2c:checkout/42" });
  assert.is(res.headers.get("x-correlation-id"), "trace-4f2c:checkout/42");

  const accepted = of("ingress", lines).filter((l) => l["message"] === "job accepted" && l["jobId"] === jobId);
  assert.is(accepted.length, 1, JSON.stringify(of("ingress", lines)));
  assert.is(accepted[0]!["correlationId"], "trace-4f2c:checkout/42");

  const tailor = of("tailor", lines).filter((l) => l["jobId"] === jobId);
  assert.ok(tailor.some((l) => l["message"] === "job processed" && l["outcome"] === "succeeded"));
  assert.equal([...new Set(tailor.map((l) => l["correlationId"]))], ["trace-4f2c:checkout/42"]);

  const analytics = of("analytics", lines).filter((l) => l["eventId"] === `tailoring-outcome-${jobId}-1`);
  assert.ok(analytics.length > 0);
  assert.equal([...new Set(analytics.map((l) => l["correlationId"]))], ["trace-4f2c:checkout/42"]);
  // Keys are per record: nothing logged by the workers carries an id of another request.
  const ids = new Set([...of("tailor", lines), ...of("analytics", lines)].map((l) => l["correlationId"]));
  assert.equal([...ids], ["trace-4f2c:checkout/42"]);
});

test("no header or a malformed one: the request id is used, never a refusal", async () => {
  for (const headers of [{}, { "X-Correlation-Id": "has spaces and\ttabs" }, { "X-Correlation-Id": "x".repeat(129) }]) {
    const { res, jobId, lines } = await runJob("corr-b", headers);
    const id = res.headers.get("x-correlation-id");
    assert.ok(id && id !== headers["X-Correlation-Id" as keyof typeof headers], `answered ${id}`);
    assert.match(id, /^[A-Za-z0-9][A-Za-z0-9._:@/+=~-]{0,127}$/);
    const accepted = of("ingress", lines).find((l) => l["message"] === "job accepted" && l["jobId"] === jobId);
    assert.is(accepted?.["correlationId"], id);
    const tailor = of("tailor", lines).filter((l) => l["jobId"] === jobId);
    assert.ok(tailor.length > 0);
    assert.ok(
      tailor.every((l) => l["correlationId"] === id),
      JSON.stringify(tailor),
    );
  }
});

test("events: POST /v1/events's correlation id is on the analytics worker's line for each event", async () => {
  const lines = await captureLogLines(async (soFar) => {
    const res = await stack.api.request("POST", "/v1/events", {
      body: eventsBody,
      tenant: "corr-c",
      headers: { "X-Correlation-Id": "events-batch-7" },
    });
    assert.is(res.status, 202);
    assert.is(res.headers.get("x-correlation-id"), "events-batch-7");
    await until("the analytics lines of all three events", async () =>
      of("analytics", soFar()).filter((l) => String(l["eventId"]).startsWith("evt-000")).length >= 3 ? true : undefined,
    );
  });
  const ingress = of("ingress", lines).find((l) => l["message"] === "events accepted");
  assert.is(ingress?.["correlationId"], "events-batch-7");
  const analytics = of("analytics", lines).filter((l) => String(l["eventId"]).startsWith("evt-000"));
  assert.equal(
    analytics.map((l) => [l["eventId"], l["correlationId"]]),
    [
      ["evt-0001", "events-batch-7"],
      ["evt-0002", "events-batch-7"],
      ["evt-0003", "events-batch-7"],
    ],
  );
});

test("every answer names its correlation id, errors and unrouted requests too", async () => {
  const missing = await stack.api.request("GET", "/v1/jobs/no-such-job", {
    headers: { "X-Correlation-Id": "lookup-1" },
  });
  assert.is(missing.status, 404);
  assert.is(missing.headers.get("x-correlation-id"), "lookup-1");
  const invalid = await stack.api.request("POST", "/v1/jobs", {
    body: { cv: {} },
    headers: { "x-correlation-id": "bad-2" },
  });
  assert.is(invalid.status, 400);
  assert.is(invalid.headers.get("x-correlation-id"), "bad-2");
  const health = await stack.api.request("GET", "/v1/health", { token: null });
  assert.ok(health.headers.get("x-correlation-id"));
});

test.run();
