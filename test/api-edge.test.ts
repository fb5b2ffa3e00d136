/**
 * What integrators expect at the edge of the API, through the local gateway as API Gateway
 * answers: CORS for the deployment's origins (preflight answered without a token, the allowed
 * origin echoed and the answer's headers exposed; other origins get no CORS headers), a request
 * id on every answer (the caller's x-request-id when well-formed, else a new one; the gateway's
 * own refusals too) that also names the ingress's log lines, and HEAD on health.
 */
import { captureLogLines } from "@cvpipe/functions/testing/log-lines";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { checkedFetch } from "./support/answer-contract.ts";
import { fixture } from "./support/fixtures.ts";
import { startTestStack, type TestStack } from "./support/stack.ts";

// Before the stack imports the handlers: their loggers read the level once.
process.env["POWERTOOLS_LOG_LEVEL"] = "INFO";

let stack: TestStack;
const SITE = "https://careers.example.com";
test.before(async () => {
  stack = await startTestStack({ clockStart: new Date("2026-11-18T10:00:00Z"), corsOrigins: [SITE] });
});
test.after(async () => stack?.close());

const raw = (method: string, path: string, headers: Record<string, string> = {}) =>
  checkedFetch(`${stack.info.apiUrl}${path}`, { method, headers });

test("a preflight from an allowed origin is answered 204 with the methods, headers and max age, no token needed", async () => {
  const res = await raw("OPTIONS", "/v1/jobs", {
    origin: SITE,
    "access-control-request-method": "POST",
    "access-control-request-headers": "authorization,content-type,idempotency-key",
  });
  assert.is(res.status, 204);
  assert.is(res.headers.get("access-control-allow-origin"), SITE);
  assert.match(res.headers.get("access-control-allow-methods") ?? "", /POST/);
  assert.match(res.headers.get("access-control-allow-headers") ?? "", /idempotency-key/);
  assert.is(res.headers.get("access-control-max-age"), "600");
  const other = await raw("OPTIONS", "/v1/jobs", {
    origin: "https://evil.example",
    "access-control-request-method": "POST",
  });
  assert.is(other.headers.get("access-control-allow-origin"), null, "another origin learns nothing");
  const nowhere = await raw("OPTIONS", "/v1/nothing", { origin: SITE, "access-control-request-method": "GET" });
  assert.is(nowhere.status, 404);
});

test("answers to an allowed origin carry the CORS headers and expose Location and the ids; others carry none", async () => {
  const token = await stack.api.token();
  const res = await checkedFetch(`${stack.info.apiUrl}/v1/jobs`, {
    method: "POST",
    headers: { origin: SITE, authorization: `Bearer ${token}`, "content-type": "application/json" },
    body: JSON.stringify(fixture("http/post-job.valid.json")),
  });
  assert.is(res.status, 202);
  assert.is(res.headers.get("access-control-allow-origin"), SITE);
  assert.is(res.headers.get("vary"), "origin");
  for (const name of ["location", "x-correlation-id", "x-request-id", "preference-applied"]) {
    assert.match(res.headers.get("access-control-expose-headers") ?? "", name);
  }
  const refused = await raw("GET", "/v1/jobs", { origin: SITE });
  assert.is(refused.status, 401);
  assert.is(refused.headers.get("access-control-allow-origin"), SITE, "a browser can read the 401 too");
  const other = await raw("GET", "/v1/health", { origin: "https://evil.example" });
  assert.is(other.headers.get("access-control-allow-origin"), null);
});

test("x-request-id: the caller's when well-formed, else a new one, on every answer, and on the ingress's log lines", async () => {
  const mine = await raw("GET", "/v1/health", { "x-request-id": "req-abc-123" });
  assert.is(mine.headers.get("x-request-id"), "req-abc-123");
  assert.is(mine.headers.get("x-correlation-id"), "req-abc-123", "the correlation id defaults to it");
  const made = await raw("GET", "/v1/health", { "x-request-id": "bad id with spaces" });
  assert.match(made.headers.get("x-request-id") ?? "", /^[0-9a-f-]{36}$/);
  const gatewayRefusal = await raw("GET", "/v1/jobs", { "x-request-id": "req-refused-1" });
  assert.is(gatewayRefusal.status, 401);
  assert.is(gatewayRefusal.headers.get("x-request-id"), "req-refused-1");
  const noRoute = await raw("GET", "/v1/nothing");
  assert.match(noRoute.headers.get("x-request-id") ?? "", /^[0-9a-f-]{36}$/);

  const lines = await captureLogLines(async () => {
    const res = await stack.api.request("POST", "/v1/jobs", {
      body: fixture("http/post-job.valid.json"),
      headers: { "x-request-id": "req-logged-42" },
    });
    assert.is(res.status, 202);
  });
  const accepted = lines.filter((l) => l["message"] === "job accepted");
  assert.is(accepted.length, 1, "the ingress logged the acceptance");
  assert.is(accepted[0]!["requestId"], "req-logged-42");
});

test("HEAD /v1/health: the GET's status and headers, no body, no token", async () => {
  const head = await raw("HEAD", "/v1/health");
  assert.is(head.status, 200);
  assert.is(await head.text(), "");
  assert.ok(head.headers.get("x-correlation-id"));
  const unknown = await raw("HEAD", "/v1/health?probe=1");
  assert.is(unknown.status, 400, "an unknown query parameter is refused on HEAD too");
});

test.run();
