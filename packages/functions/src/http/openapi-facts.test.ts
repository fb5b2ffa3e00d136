/**
 * The document states the rules the code enforces, because it is built from
 * them: the correlation id's pattern (isCorrelationId), the Idempotency-Key's
 * (submitJob), the list limit (listJobs) and the events per request
 * (EventsRequest). Each is checked on the same samples against the code's own
 * test of it, so a rule written into the document by hand again shows here.
 */
import { MAX_EVENTS_PER_REQUEST } from "@cvpipe/core/contracts/analytics-event";
import { isCorrelationId } from "@cvpipe/core/contracts/message-envelope";
import { api, type RouteSpec } from "@cvpipe/core/topology";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { openApiDocument } from "./openapi.ts";

type Parameter = {
  name: string;
  in: string;
  schema: { pattern?: string; minimum?: number; maximum?: number; default?: number };
};
const doc = openApiDocument();
const paths = doc.paths as unknown as Record<
  string,
  Record<string, { summary: string; parameters: Array<Parameter | { $ref: string }> }>
>;
const parameter = (path: string, method: string, name: string): Parameter => {
  const found = paths[path]?.[method]?.parameters.find((p): p is Parameter => "name" in p && p.name === name);
  assert.ok(found, `${method} ${path} documents ${name}`);
  return found;
};
/** JSON Schema patterns are ECMA-262 with the u flag, as validators compile them. */
const documented = (pattern: string | undefined) => {
  assert.type(pattern, "string");
  return new RegExp(pattern as string, "u");
};

test("the correlation id header: the answered id's pattern is isCorrelationId's, on the documented name; any sent value is accepted", () => {
  const { CorrelationId } = doc.components.parameters;
  assert.is(CorrelationId.name, api.correlationIdHeader);
  // A malformed id is ignored, never refused: the parameter accepts any string and names the rule in words.
  assert.equal(CorrelationId.schema, { type: "string" });
  const pattern = documented(doc.components.headers.CorrelationId.schema.pattern);
  assert.ok(CorrelationId.description.includes(pattern.source));
  for (const sample of [
    "abc",
    "0b6c6f2e-5d0a",
    "a".repeat(128),
    "a".repeat(129),
    "-abc",
    "a b",
    "req:1/x+y=z~",
    "é",
    "",
  ]) {
    assert.is(pattern.test(sample), isCorrelationId(sample), JSON.stringify(sample));
  }
});

test("Idempotency-Key: the documented pattern is the one submitJob tests", () => {
  const key = parameter("/v1/jobs", "post", api.idempotencyKey.header);
  assert.is(key.in, "header");
  const pattern = documented(key.schema.pattern);
  for (const sample of ["k", "~".repeat(255), "x".repeat(256), "a b", "é", "tab\tkey", ""]) {
    assert.is(pattern.test(sample), api.idempotencyKey.pattern.test(sample), JSON.stringify(sample));
  }
});

test("the list limit and the events per request are the enforced ones", () => {
  const limit = parameter("/v1/jobs", "get", "limit");
  assert.equal(
    [limit.schema.minimum, limit.schema.maximum, limit.schema.default],
    [api.listLimit.min, api.listLimit.max, api.listLimit.default],
  );
  assert.match(paths["/v1/events"]!["post"]!.summary, `1-${MAX_EVENTS_PER_REQUEST} `);
});

test("each operation documents exactly the query parameters its route takes (the ingress refuses any other)", () => {
  for (const route of api.routes as readonly RouteSpec[]) {
    const documented = (paths[route.path]?.[route.method.toLowerCase()]?.parameters ?? [])
      .filter((p): p is Parameter => "in" in p && p.in === "query")
      .map((p) => p.name)
      .sort();
    assert.equal(documented, [...(route.query ?? [])].sort(), `${route.method} ${route.path}`);
  }
});

test.run();
