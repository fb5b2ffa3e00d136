import type { BlobStore } from "@cvpipe/core/ports/blob-store";
import { fixture } from "@cvpipe/core/testing/fixtures";
import { api } from "@cvpipe/core/topology";
import { Ajv2020 } from "ajv/dist/2020.js";
import addFormats from "ajv-formats";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { jobDetail } from "../app/job-view.ts";
import { failure, MAX_ERROR_DETAILS } from "./api-response.ts";
import { openApiDocument } from "./openapi.ts";

const doc = openApiDocument();

const validator = (name: "JobRequest" | "EventsRequest" | "Job" | "Error") => {
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats.default(ajv);
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
  assert.ok(jobs(fixture("http/post-job.valid.json")), JSON.stringify(jobs.errors));
  assert.ok(jobs(fixture("http/post-job.text-cv.json")), JSON.stringify(jobs.errors));
  assert.not.ok(jobs(fixture("http/post-job.invalid.json")));
  const ev = validator("EventsRequest");
  assert.ok(ev(fixture("http/post-events.valid.json")), JSON.stringify(ev.errors));
  assert.not.ok(ev({ events: [] }), "at least one event");
});

test("answers as the handlers build them are valid by the published schemas: a capped 400, a linked result", async () => {
  const error = validator("Error");
  const issues = Array.from({ length: 524_280 }, (_, i) => ({
    path: `body.cv.work[${i}]`,
    rule: "type",
    message: "must be object",
  }));
  const capped = JSON.parse(failure(400, "VALIDATION_ERROR", "invalid", issues).body as string) as Record<
    string,
    unknown
  > & { details: unknown[]; detailsTotal?: number };
  assert.is(capped.details.length, MAX_ERROR_DETAILS);
  assert.is(capped.detailsTotal, 524_280);
  assert.ok(error(capped), JSON.stringify(error.errors));
  const uncut = JSON.parse(failure(400, "VALIDATION_ERROR", "invalid", issues.slice(0, 3)).body as string) as {
    detailsTotal?: number;
  };
  assert.is(uncut.detailsTotal, undefined);
  assert.ok(error(uncut), JSON.stringify(error.errors));
  assert.not.ok(error({ ...capped, details: issues.slice(0, 101) }), "more than 100 details is off-contract");

  const record = {
    tenantId: "acme",
    jobId: "0b6c6f2e-5d0a-4e55-9c3e-6a1f2b3c4d5e",
    userId: "alice",
    userKey: "acme#alice",
    status: "SUCCEEDED",
    engine: "local",
    createdAt: "2026-11-18T10:00:00.000Z",
    updatedAt: "2026-11-18T10:00:05.000Z",
    finishedAt: "2026-11-18T10:00:05.000Z",
    expiresAt: 1_800_000_000,
    requestHash: "h",
    attempts: 1,
    resultBlob: {
      bucket: "payloads",
      key: "results/acme/0b6c6f2e-5d0a-4e55-9c3e-6a1f2b3c4d5e/attempt-1.json",
      bytes: 11_227_488,
    },
  } as const;
  const unread = {
    put: async () => assert.unreachable("nothing is written"),
    get: async () => assert.unreachable("a result over the limit is not even read"),
  } as unknown as BlobStore;
  const linked = await jobDetail(
    {
      blobs: unread,
      links: {
        presignedGetUrl: async () => ({
          url: "https://s3.example.com/r?X-Amz-Signature=abc",
          expiresAt: new Date("2026-11-18T10:15:00Z"),
        }),
      },
      maxResponseBytes: 5_000_000,
      resultLinkTtlSeconds: 900,
    },
    record,
    () => true,
  );
  const job = validator("Job");
  assert.ok(job(linked), JSON.stringify(job.errors));
  assert.is(linked.result, undefined);
  assert.is(linked.links.result, "https://s3.example.com/r?X-Amz-Signature=abc");
  assert.is(linked.resultTooLarge?.bytes, 11_227_488);
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
