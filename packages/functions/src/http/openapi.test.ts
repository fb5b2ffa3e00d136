/**
 * The OpenAPI document against the code. Every route is documented; the
 * sample requests are valid by the request schemas; and real answers — built
 * by the use cases and the envelope functions the ingress calls — are valid by
 * the schema of their route and status, with every object closed
 * (`openApiDocument({ closed: true })`), so a field the code sends that the
 * schemas do not name fails here. Error statuses and texts come from the one
 * table the error mapping reads (HTTP_ERRORS).
 */

import { DEFAULT_EVENT_TYPES } from "@cvpipe/core/contracts/analytics-event";
import { idSecret } from "@cvpipe/core/contracts/canonical-json";
import { TailoringJobMessage } from "@cvpipe/core/contracts/tailoring-job-message";
import { MemoryCvStore } from "@cvpipe/core/cvs/testing/memory-cv-store";
import { CvpipeError, DependencyError } from "@cvpipe/core/errors";
import type { JobRecord } from "@cvpipe/core/jobs/job-record";
import { MemoryJobStore } from "@cvpipe/core/jobs/testing/memory-job-store";
import type { BlobStore } from "@cvpipe/core/ports/blob-store";
import type { TailoringEngine } from "@cvpipe/core/ports/tailoring-engine";
import { LocalEngine } from "@cvpipe/core/tailoring/local-engine";
import { fixture } from "@cvpipe/core/testing/fixtures";
import { MemoryBlobs, Outbox } from "@cvpipe/core/testing/memory-ports";
import { api } from "@cvpipe/core/topology";
import { Ajv2020 } from "ajv/dist/2020.js";
import addFormats from "ajv-formats";
import type { APIGatewayProxyStructuredResultV2 } from "aws-lambda";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { jobAccepted, jobDetail, jobView } from "../app/job-view.ts";
import { getJob, listJobs } from "../app/own-jobs.ts";
import { type ProcessJobDeps, processJob } from "../app/process-job.ts";
import { submitEvents } from "../app/submit-events.ts";
import { type SubmitJobDeps, submitJob } from "../app/submit-job.ts";
import { fixedDeps, TEST_ID_SECRET } from "../testing/app-deps.ts";
import { type ApiEvent, callerOf, jsonBody } from "./api-request.ts";
import { errorResponse, failure, payloadBytes, success } from "./api-response.ts";
import { HTTP_ERROR_CODES, HTTP_ERRORS, type HttpErrorCode, MAX_ERROR_DETAILS } from "./error-codes.ts";
import { errorComponentName, openApiDocument } from "./openapi.ts";
import type { EventsAccepted, JobAccepted, JobPage, JobView } from "./response-schemas.ts";

const doc = openApiDocument();
const closed = openApiDocument({ closed: true });

const ajvFor = (document: ReturnType<typeof openApiDocument>) => {
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats.default(ajv);
  // The whole document as one schema resource, so `#/components/schemas/…` refs resolve inside it.
  ajv.addSchema({ $id: "urn:cvpipe:openapi", components: document.components, paths: document.paths });
  return ajv;
};
const ajvs = { published: ajvFor(doc), closed: ajvFor(closed) };

const pointer = (...parts: string[]) => parts.map((p) => p.replaceAll("~", "~0").replaceAll("/", "~1")).join("/");

/** The document's validator for a component, or for the answer of one route and status. */
const schemaAt = (which: keyof typeof ajvs, path: string) => {
  const validate = ajvs[which].getSchema(`urn:cvpipe:openapi#/${path}`);
  assert.ok(validate, `the document has ${path}`);
  return validate;
};
const component = (which: keyof typeof ajvs, name: string) => schemaAt(which, pointer("components", "schemas", name));
const answerSchema = (which: keyof typeof ajvs, method: string, path: string, status: number) =>
  schemaAt(which, pointer("paths", path, method, "responses", String(status), "content", "application/json", "schema"));

/** Asserts an answer the way the ingress returns it is documented: its status on its route, its body by the schema. */
const documented = (method: string, path: string, answer: APIGatewayProxyStructuredResultV2) => {
  const body = JSON.parse(answer.body as string) as unknown;
  for (const which of ["closed", "published"] as const) {
    const validate = answerSchema(which, method, path, answer.statusCode ?? 0);
    assert.ok(
      validate(body),
      `${method.toUpperCase()} ${path} ${answer.statusCode} (${which}): ${JSON.stringify(validate.errors)}`,
    );
  }
  return body as { success: boolean; code: string; data: never; details?: unknown };
};

const NOW = new Date("2026-11-18T10:00:00Z");
const clock = { now: () => NOW };
const alice = { tenantId: "acme", userId: "alice" };
const sample = fixture("http/post-job.valid.json");

/** Submits and processes jobs in memory with the real use cases; reads them back as the ingress does. */
const world = () => {
  const jobs = new MemoryJobStore({ clock });
  const blobs = new MemoryBlobs();
  const queue = new Outbox();
  const submitDeps: SubmitJobDeps = {
    jobs,
    queue,
    blobs,
    ...fixedDeps(NOW, "0b6c6f2e-5d0a-4e55-9c3e-6a1f2b3c4d"),
    defaultEngine: "local",
    jobTtlDays: 30,
    cvs: new MemoryCvStore(),
    cvBlobs: new MemoryBlobs(),
  };
  const processDeps = (engine: TailoringEngine, inlineResultLimitBytes = 400_000): ProcessJobDeps => ({
    jobs,
    blobs,
    queue,
    clock,
    engines: { local: engine },
    bannedClaims: [],
    maxReceiveCount: 3,
    inlineResultLimitBytes,
    logger: { warn: () => {}, error: () => {} },
  });
  const getDeps = (maxResponseBytes = 5_000_000) => ({
    jobs,
    blobs,
    links: {
      presignedGetUrl: async () => ({
        url: "https://s3.example.com/r?X-Amz-Signature=abc",
        expiresAt: new Date(NOW.getTime() + 900_000),
      }),
    },
    maxResponseBytes,
    resultLinkTtlSeconds: 900,
  });
  return {
    jobs,
    queue,
    submitDeps,
    /** A job submitted, then (with an engine) processed on delivery `receiveCount`; its id. */
    async job(engine?: TailoringEngine, options: { inlineResultLimitBytes?: number; receiveCount?: number } = {}) {
      const { jobId } = await submitJob(submitDeps, alice, sample, undefined);
      if (engine) {
        const message = TailoringJobMessage.parse(JSON.parse(queue.sent.at(-1)!.body));
        await processJob(processDeps(engine, options.inlineResultLimitBytes), message, {
          receiveCount: options.receiveCount ?? 1,
        }).catch(() => "redelivered");
      }
      return jobId;
    },
    /** `GET /v1/jobs/{jobId}` as the ingress answers it. */
    async get(jobId: string, maxResponseBytes?: number, userId = alice.userId) {
      const deps = getDeps(maxResponseBytes);
      const fits = (data: unknown) => payloadBytes(success(200, "OK", data)) <= deps.maxResponseBytes;
      const view: JobView = await getJob(deps, { ...alice, userId }, jobId, fits);
      return { view, answer: success(200, "OK", view) };
    },
    /** `GET /v1/jobs` as the ingress answers it. */
    async list(query: { limit?: string; cursor?: string }) {
      const page: JobPage = await listJobs({ jobs, blobs, idSecret: TEST_ID_SECRET }, alice, query);
      return { page, answer: success(200, "OK", page) };
    },
    blobs,
  };
};

/** Returns the CV with a claim the CV does not support: verification fails the job, with the violation as details. */
const inventing: TailoringEngine = {
  name: "local",
  async tailor({ cv }) {
    const [first, ...rest] = cv.work ?? [];
    return {
      resume: { ...cv, work: [{ ...first, highlights: ["Cut cloud costs by 977% in a quarter"] }, ...rest] },
    };
  },
};

const unavailable: TailoringEngine = {
  name: "local",
  async tailor() {
    throw new DependencyError("Bedrock throttled");
  },
};

/** A request event as API Gateway hands it to the ingress. */
const apiEvent = (over: { headers?: Record<string, string>; body?: string; claims?: Record<string, string> }) =>
  ({
    headers: over.headers ?? {},
    body: over.body,
    isBase64Encoded: false,
    requestContext: { authorizer: { jwt: { claims: over.claims ?? { tenantId: "acme", sub: "alice" } } } },
  }) as unknown as ApiEvent;

const thrown = async (run: () => unknown): Promise<unknown> => {
  try {
    await run();
  } catch (error) {
    return error;
  }
  return assert.unreachable("expected a refusal");
};

test("every route in the topology is documented, and nothing else", () => {
  const documentedRoutes = Object.entries(doc.paths).flatMap(([path, ops]) =>
    Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`),
  );
  assert.equal(documentedRoutes.sort(), api.routes.map((r) => `${r.method} ${r.path}`).sort());
});

test("the sample requests are valid by the published schemas; the invalid sample is not", () => {
  const jobs = component("published", "JobRequest");
  assert.ok(jobs(fixture("http/post-job.valid.json")), JSON.stringify(jobs.errors));
  assert.ok(jobs(fixture("http/post-job.text-cv.json")), JSON.stringify(jobs.errors));
  assert.not.ok(jobs(fixture("http/post-job.invalid.json")));
  const ev = component("published", "EventsRequest");
  assert.ok(ev(fixture("http/post-events.valid.json")), JSON.stringify(ev.errors));
  assert.not.ok(ev({ events: [] }), "at least one event");
});

test("answers as the handlers build them are valid by the published schemas: a capped 400, a linked result", async () => {
  const error = component("closed", "Error");
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
  const job = component("closed", "Job");
  assert.ok(job(linked), JSON.stringify(job.errors));
  assert.is(linked.result, undefined);
  assert.is(linked.links.result, "https://s3.example.com/r?X-Amz-Signature=abc");
  assert.is(linked.resultTooLarge?.bytes, 11_227_488);
});

test("jobs through the real use cases — queued, succeeded inline, from S3, linked, failed, retryable — are documented answers", async () => {
  const w = world();
  const accepted: JobAccepted = jobAccepted(await submitJob(w.submitDeps, alice, sample, "key-1"));
  const again = await submitJob(w.submitDeps, alice, sample, "key-1");
  assert.is(again.created, false);
  documented("post", "/v1/jobs", success(202, "ACCEPTED", accepted));
  const repeat = documented("post", "/v1/jobs", success(202, "ALREADY_ACCEPTED", jobAccepted(again)));
  assert.equal(repeat.data, accepted, "the first job");

  const queued = await w.get(accepted.jobId);
  assert.is(queued.view.status, "QUEUED");
  documented("get", "/v1/jobs/{jobId}", queued.answer);

  const inline = await w.get(await w.job(new LocalEngine()));
  assert.is(inline.view.status, "SUCCEEDED");
  assert.ok(inline.view.result?.match.matchedKeywords.length, "a real match report");
  documented("get", "/v1/jobs/{jobId}", inline.answer);

  const stored = await w.job(new LocalEngine(), { inlineResultLimitBytes: 10 });
  const fromBlob = await w.get(stored);
  assert.ok(fromBlob.view.result, "read back from the blob store");
  documented("get", "/v1/jobs/{jobId}", fromBlob.answer);
  const linked = await w.get(stored, 2_000);
  assert.ok(linked.view.resultTooLarge && linked.view.links.result);
  documented("get", "/v1/jobs/{jobId}", linked.answer);

  const failed = await w.get(await w.job(inventing));
  assert.is(failed.view.error?.code, "UNGROUNDED_CLAIM");
  assert.ok(Array.isArray(failed.view.error?.details), "the violations, as details");
  documented("get", "/v1/jobs/{jobId}", failed.answer);

  const retryable = await w.get(await w.job(unavailable, { receiveCount: 3 }));
  assert.is(retryable.view.error?.retryable, true);
  documented("get", "/v1/jobs/{jobId}", retryable.answer);

  const first = await w.list({ limit: "4" });
  assert.is(first.page.items.length, 4);
  assert.ok(first.page.cursor);
  documented("get", "/v1/jobs", first.answer);
  const rest = await w.list({ limit: "100", cursor: first.page.cursor! });
  const listed = [...first.page.items, ...rest.page.items];
  assert.is(listed.length, 5);
  assert.ok(
    listed.some((j) => j.error) && listed.every((j) => !j.result && j.error?.details === undefined),
    "the listing's form: no results, errors' code and message only",
  );
  documented("get", "/v1/jobs", rest.answer);

  const events: EventsAccepted = await submitEvents(
    { queue: w.queue, clock, eventTypes: [...DEFAULT_EVENT_TYPES], idSecret: idSecret("x".repeat(32)) },
    alice,
    fixture("http/post-events.valid.json"),
  );
  documented("post", "/v1/events", success(202, "ACCEPTED", events));
});

test("refusals from their real sources are documented for their route, status and code", async () => {
  const w = world();
  const refuse = async (method: string, path: string, run: () => unknown, code: HttpErrorCode) => {
    const body = documented(method, path, errorResponse(await thrown(run)));
    assert.is(body.code, code);
    return body;
  };
  await refuse(
    "post",
    "/v1/jobs",
    () => jsonBody(apiEvent({ headers: { "content-type": "text/plain" } })),
    "UNSUPPORTED_MEDIA_TYPE",
  );
  const large = await refuse(
    "post",
    "/v1/events",
    () =>
      jsonBody(apiEvent({ headers: { "content-type": "application/json" }, body: " ".repeat(api.maxBodyBytes + 1) })),
    "PAYLOAD_TOO_LARGE",
  );
  assert.equal(large.details, { limitBytes: api.maxBodyBytes, bytes: api.maxBodyBytes + 1 });
  await refuse(
    "post",
    "/v1/jobs",
    () => jsonBody(apiEvent({ headers: { "content-type": "application/json" }, body: "{" })),
    "VALIDATION_ERROR",
  );
  await refuse(
    "post",
    "/v1/jobs",
    () => submitJob(w.submitDeps, alice, fixture("http/post-job.invalid.json"), undefined),
    "VALIDATION_ERROR",
  );
  const textCv = { ...sample, cv: "just some words about nothing in particular, with no headings at all" };
  await refuse("post", "/v1/jobs", () => submitJob(w.submitDeps, alice, textCv, undefined), "INVALID_CV");
  await submitJob(w.submitDeps, alice, sample, "key-2");
  await refuse(
    "post",
    "/v1/jobs",
    () => submitJob(w.submitDeps, alice, { ...sample, options: { maxSkills: 5 } }, "key-2"),
    "IDEMPOTENCY_KEY_REUSED",
  );
  await refuse(
    "get",
    "/v1/jobs",
    () => callerOf(apiEvent({ claims: { tenantId: "..", sub: "alice" } })),
    "UNAUTHORIZED",
  );
  await refuse("get", "/v1/jobs", () => w.list({ cursor: "forged" }), "VALIDATION_ERROR");
  await refuse("get", "/v1/jobs", () => w.list({ limit: "0" }), "VALIDATION_ERROR");
  await refuse("post", "/v1/jobs", () => submitJob(w.submitDeps, alice, sample, "has space"), "VALIDATION_ERROR");
  const alicesJob = await w.job();
  await refuse("get", "/v1/jobs/{jobId}", () => w.get(alicesJob, undefined, "bob"), "NOT_FOUND");
  w.queue.failNextSend = 1;
  await refuse("post", "/v1/jobs", () => submitJob(w.submitDeps, alice, sample, undefined), "DEPENDENCY_UNAVAILABLE");
  await refuse("post", "/v1/events", () => Promise.reject(new Error("a bug")), "INTERNAL_ERROR");
});

test("each code of HTTP_ERRORS answers with its status, and every operation documents its codes under those statuses", () => {
  for (const [code, spec] of Object.entries(HTTP_ERRORS) as [HttpErrorCode, { status: number }][]) {
    const answer = errorResponse(new CvpipeError("refused", { code }));
    const body = JSON.parse(answer.body as string) as { code: string };
    if (spec.status < 500) {
      assert.is(answer.statusCode, spec.status, code);
      assert.is(body.code, code);
    } else {
      // Only DependencyError (the class) is a 503; any other 5xx is an internal error that never tells why.
      assert.is(answer.statusCode, 500, code);
      assert.is(body.code, "INTERNAL_ERROR");
    }
  }
  assert.is(errorResponse(new DependencyError("throttled")).statusCode, HTTP_ERRORS.DEPENDENCY_UNAVAILABLE.status);
  assert.is(errorResponse(new CvpipeError("x", { code: "ENGINE_UNAVAILABLE" })).statusCode, 500, "not an HTTP code");

  for (const [path, ops] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(ops as Record<string, { responses: Record<string, unknown> }>)) {
      if (method === "head") continue; // no bodies, so no codes: the statuses are its GET's
      for (const [status, response] of Object.entries(op.responses)) {
        if (Number(status) < 400) continue;
        const text = JSON.stringify(response);
        const codes = [...text.matchAll(/"#\/components\/schemas\/(\w+)"/g)].flatMap((m) => {
          const code = HTTP_ERROR_CODES.find((c) => errorComponentName(c) === m[1]);
          return code ? [code] : [];
        });
        assert.ok(codes.length > 0, `${method} ${path} ${status} names its codes`);
        for (const code of codes) {
          const spec = HTTP_ERRORS[code as HttpErrorCode];
          assert.is(spec?.status, Number(status), `${code} under ${status}`);
          assert.ok((response as { description: string }).description.includes(spec.description), `${code}'s text`);
        }
      }
    }
  }
});

test("the authorizer's refusals are documented exactly where the topology puts the authorizer and scopes", () => {
  for (const route of api.routes) {
    const responses = (doc.paths as Record<string, Record<string, { responses: Record<string, unknown> }>>)[
      route.path
    ]![route.method.toLowerCase()]!.responses;
    assert.is("401" in responses, route.auth, `${route.method} ${route.path} 401`);
    assert.is("403" in responses, route.scopes.length > 0, `${route.method} ${route.path} 403`);
  }
  const gateway = answerSchema("closed", "get", "/v1/jobs/{jobId}", 401);
  assert.ok(gateway({ message: "Unauthorized" }), "API Gateway's own body");
});

test("a job-view field the schemas do not name fails the closed document: the tests above would catch it", async () => {
  const w = world();
  const succeeded = (await w.jobs.get(alice.tenantId, await w.job(new LocalEngine())))!;
  // Every field a job record can have, so a view that copied any new one would show it here.
  const everything: Required<JobRecord> = {
    ...succeeded,
    idempotencyKey: "key",
    correlationId: "corr-everything",
    queuedShard: "q1",
    cvRef: { cvId: "0b6c6f2e-5d0a-4e55-9c3e-6a1f2b3c4d99", version: 2 },
    applicationId: "ats-application-7",
    supersededOutcomes: [],
    startedAt: succeeded.startedAt!,
    finishedAt: succeeded.finishedAt!,
    result: succeeded.result!,
    resultBlob: { bucket: "payloads", key: "results/x.json", bytes: 10 },
    usage: { inputTokens: 1, outputTokens: 2, totalTokens: 3 },
    error: { code: "UNGROUNDED_CLAIM", message: "m", details: [{ path: "work[0]" }], retryable: false },
  };
  const view = await jobView(everything, w.blobs);
  const closedJob = component("closed", "Job");
  assert.ok(closedJob(view), JSON.stringify(closedJob.errors));

  const publishedJob = component("published", "Job");
  for (const added of [
    { ...view, queuedShard: "q1" },
    { ...view, result: { ...view.result!, engine: "local" } },
    { ...view, links: { ...view.links, cancel: "/v1/jobs/x/cancel" } },
  ]) {
    assert.not.ok(closedJob(added), "an undocumented field fails");
    assert.ok(publishedJob(added), "the published document tolerates additions (a client should too)");
  }
});

test("every operation has its own operationId, and the document says where the API is", () => {
  const ids = Object.values(doc.paths).flatMap((ops) =>
    Object.values(ops as Record<string, { operationId?: string }>).map((op) => op.operationId),
  );
  assert.ok(ids.length >= 6);
  for (const id of ids) assert.match(String(id), /^[a-z][A-Za-z]+$/, `operationId ${id}`);
  assert.is(new Set(ids).size, ids.length, "operationIds are unique");
  assert.equal((doc as unknown as { servers: unknown }).servers, [
    { url: "/", description: "the API's own origin: the stage's API URL on AWS, http://127.0.0.1:3000 locally" },
  ]);
  // The document's own answer is the bare document, not the envelope.
  const own = (doc.paths as unknown as Record<string, { get: { responses: Record<string, unknown> } }>)[
    "/v1/openapi.json"
  ]!.get.responses["200"];
  assert.not.match(JSON.stringify(own), /"success"/);
});

test("unauthenticated routes say so; error responses reference real schemas", () => {
  for (const path of ["/v1/health", "/v1/openapi.json"]) {
    assert.equal((doc.paths as unknown as Record<string, { get: { security?: unknown[] } }>)[path]!.get.security, []);
  }
  const text = JSON.stringify(doc);
  for (const ref of text.matchAll(/"#\/components\/schemas\/(\w+)"/g)) {
    assert.ok(ref[1]! in doc.components.schemas, `${ref[1]} is defined`);
  }
  assert.not.ok(text.includes('"$id"'), "no schema claims an id of its own");
});

test("every operation takes X-Correlation-Id and every answer names it, as the ingress does", () => {
  const operations = Object.entries(doc.paths).flatMap(([path, ops]) =>
    Object.entries(
      ops as Record<string, { parameters: unknown[]; responses: Record<string, { headers?: object }> }>,
    ).map(([method, op]) => [`${method.toUpperCase()} ${path}`, op] as const),
  );
  assert.ok(operations.length >= 6);
  for (const [name, op] of operations) {
    assert.ok(
      op.parameters.some((p) => JSON.stringify(p) === '{"$ref":"#/components/parameters/CorrelationId"}'),
      name,
    );
    for (const [status, response] of Object.entries(op.responses)) {
      assert.equal(
        (response.headers as Record<string, unknown> | undefined)?.["X-Correlation-Id"],
        { $ref: "#/components/headers/CorrelationId" },
        `${name} ${status}`,
      );
    }
  }
  assert.is(doc.components.parameters.CorrelationId.in, "header");
});

test("each JWT route's security names the scopes the authorizer asks for; public routes need none", () => {
  for (const route of api.routes) {
    const operation = (doc.paths as Record<string, Record<string, { security?: unknown }>>)[route.path]?.[
      route.method.toLowerCase()
    ];
    assert.equal(
      operation?.security,
      route.auth ? route.scopes.map((scope) => ({ jwt: [scope] })) : [],
      `${route.method} ${route.path}`,
    );
  }
});

test.run();
