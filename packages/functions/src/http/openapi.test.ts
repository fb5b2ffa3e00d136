import { readFileSync } from "node:fs";
import { join } from "node:path";
import { api } from "@cvpipe/core/topology";
import { Ajv2020 } from "ajv/dist/2020.js";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { openApiDocument } from "./openapi.ts";

const events = join(import.meta.dirname, "..", "..", "..", "..", "events", "http");
const sample = (name: string) => JSON.parse(readFileSync(join(events, name), "utf8"));
const doc = openApiDocument();

const validator = (name: "JobRequest" | "EventsRequest") => {
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  return ajv.compile(doc.components.schemas[name] as object);
};

test("every route in the topology is documented, and nothing else", () => {
  const documented = Object.entries(doc.paths).flatMap(([path, ops]) =>
    Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`),
  );
  assert.equal(documented.sort(), api.routes.map((r) => `${r.method} ${r.path}`).sort());
});

test("the sample requests are valid by the published schemas; the invalid sample is not", () => {
  const jobs = validator("JobRequest");
  assert.ok(jobs(sample("post-job.valid.json")), JSON.stringify(jobs.errors));
  assert.ok(jobs(sample("post-job.text-cv.json")), JSON.stringify(jobs.errors));
  assert.not.ok(jobs(sample("post-job.invalid.json")));
  const ev = validator("EventsRequest");
  assert.ok(ev(sample("post-events.valid.json")), JSON.stringify(ev.errors));
  assert.not.ok(ev({ events: [] }), "at least one event");
});

test("unauthenticated routes say so; error responses reference real schemas", () => {
  for (const path of ["/v1/health", "/v1/openapi.json"]) {
    assert.equal((doc.paths as unknown as Record<string, { get: { security?: unknown[] } }>)[path]!.get.security, []);
  }
  const text = JSON.stringify(doc);
  for (const ref of text.matchAll(/"#\/components\/schemas\/(\w+)"/g)) {
    assert.ok(ref[1]! in doc.components.schemas, `${ref[1]} is defined`);
  }
});

test.run();
