/**
 * End to end through HTTP, as a producer: POST /v1/jobs → tailoring queue →
 * tailor λ → jobs table → GET /v1/jobs/{id}; POST /v1/events → analytics queue
 * → analytics λ → events table. Real emulators, real handlers, real SDK clients.
 */
import { GetCommand } from "@aws-sdk/lib-dynamodb";
import { createDocumentClient } from "@cvpipe/aws/clients";
import { tables } from "@cvpipe/core/topology";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { fixture } from "./support/fixtures.ts";
import { startTestStack, type TestStack, until } from "./support/stack.ts";

let stack: TestStack;
/** The stack's "now" at start-up: a Wednesday of 2026-W47, whatever today is. */
const START = new Date("2026-11-18T10:00:00Z");

test.before(async () => {
  stack = await startTestStack({ clockStart: START });
});
test.after(async () => stack?.close());

test("a JSON Resume job is accepted (202) and completes; GET shows the result", async () => {
  const res = await stack.api.request("POST", "/v1/jobs", { body: fixture("http/post-job.valid.json") });
  assert.is(res.status, 202);
  assert.is(res.body.success, true);
  assert.is(res.body.code, "ACCEPTED");
  assert.is(res.body.data.status, "QUEUED");
  const jobId: string = res.body.data.jobId;
  assert.is(res.body.data.links.self, `/v1/jobs/${jobId}`);
  assert.is(res.headers.get("location"), `/v1/jobs/${jobId}`);

  const job = await stack.api.waitForJob(jobId);
  assert.is(job.status, "SUCCEEDED", JSON.stringify(job.error));
  assert.is(job.engine, "local");
  assert.is(job.attempts, 1);
  assert.is(job.result.resume.basics.name, "Dana Okafor", "identity unchanged");
  assert.type(job.result.markdown, "string");
  assert.type(job.result.match.score, "number");
  assert.is(job.result.verification.passed, true);
  assert.is(job.tenantId, undefined, "internal keys are not exposed");
});

test("the bedrock engine (through the local Bedrock Runtime server) completes a job and records token usage", async () => {
  const body = fixture("http/post-job.valid.json");
  const res = await stack.api.request("POST", "/v1/jobs", { body: { ...body, options: { engine: "bedrock" } } });
  assert.is(res.status, 202);
  const job = await stack.api.waitForJob(res.body.data.jobId);
  assert.is(job.status, "SUCCEEDED", JSON.stringify(job.error));
  assert.is(job.engine, "bedrock");
  assert.ok(job.usage.inputTokens > 0 && job.usage.outputTokens > 0, JSON.stringify(job.usage));
  assert.is(job.result.modelId, "local.cvpipe-bedrock-stand-in");
  assert.is(job.result.verification.passed, true);
});

test("an unreadable text CV is refused at the door (400 INVALID_CV), not in the worker", async () => {
  const res = await stack.api.request("POST", "/v1/jobs", {
    body: {
      cv: "lorem ipsum dolor sit amet consectetur adipiscing elit sed do eiusmod tempor",
      job: fixture("http/post-job.valid.json").job,
    },
  });
  assert.is(res.status, 400);
  assert.is(res.body.code, "INVALID_CV");
  assert.is(res.body.details[0].path, "body.cv");
});

test("a Markdown CV is parsed and tailored", async () => {
  const res = await stack.api.request("POST", "/v1/jobs", { body: fixture("http/post-job.text-cv.json") });
  assert.is(res.status, 202);
  const job = await stack.api.waitForJob(res.body.data.jobId);
  assert.is(job.status, "SUCCEEDED", JSON.stringify(job.error));
  // Parsed into JSON Resume: the identity, both roles with their dates, the degree and the skills, as written.
  const resume = job.result.resume;
  assert.equal(resume.basics.name, "Sam Rivera");
  assert.is(resume.basics.email, "sam.rivera@example.com");
  assert.is(resume.basics.phone, "+1 555 0100 777");
  assert.equal(resume.basics.location, { city: "Austin", region: "TX" });
  assert.equal(
    resume.work.map((w: { name: string; position: string; startDate: string; endDate?: string }) => [
      w.name,
      w.position,
      w.startDate,
      w.endDate,
    ]),
    [
      ["Lumen Health", "Senior Frontend Engineer", "2020-01", undefined],
      ["Cobalt Studio", "Frontend Developer", "2016-06", "2019-12"],
    ],
  );
  assert.equal(
    [...resume.work[0].highlights].sort(),
    [
      "Built a shared component library used by 6 product teams",
      "Led the migration of the patient portal to React and TypeScript, improving Lighthouse accessibility scores to 98",
      "Set up end-to-end tests with Playwright in CI",
    ],
    "the highlights are the CV's, reordered at most",
  );
  assert.equal(resume.education, [
    {
      institution: "University of Texas at Austin",
      studyType: "BA Graphic Design",
      startDate: "2012",
      endDate: "2016",
    },
  ]);
  assert.equal([...resume.skills.flatMap((s: { keywords: string[] }) => s.keywords)].sort(), [
    "Accessibility",
    "CSS",
    "Design systems",
    "JavaScript",
    "Playwright",
    "React",
    "TypeScript",
  ]);
  assert.match(job.result.markdown, /^# Sam Rivera$/m);
  assert.is(job.result.verification.passed, true);
});

test("another tenant's job is a 404; the same tenant's other user can't list it either", async () => {
  const res = await stack.api.request("POST", "/v1/jobs", {
    body: fixture("http/post-job.valid.json"),
    tenant: "acme",
    user: "bob",
  });
  const jobId = res.body.data.jobId;
  const other = await stack.api.request("GET", `/v1/jobs/${jobId}`, { tenant: "globex", user: "bob" });
  assert.is(other.status, 404);
  assert.is(other.body.code, "NOT_FOUND");
  const list = await stack.api.request("GET", "/v1/jobs?limit=5", { tenant: "acme", user: "carol" });
  assert.is(list.status, 200);
  assert.equal(list.body.data.items, []);
  const own = await stack.api.request("GET", "/v1/jobs?limit=5", { tenant: "acme", user: "bob" });
  assert.equal(
    own.body.data.items.map((j: { jobId: string }) => j.jobId),
    [jobId],
  );
});

test("Idempotency-Key: the same request returns the same job; a different one is refused", async () => {
  const body = fixture("http/post-job.valid.json");
  const headers = { "idempotency-key": "order-42" };
  const first = await stack.api.request("POST", "/v1/jobs", { body, headers });
  assert.is(first.status, 202);
  await stack.api.waitForJob(first.body.data.jobId);
  const again = await stack.api.request("POST", "/v1/jobs", { body, headers });
  assert.is(again.status, 202);
  assert.is(again.body.code, "ALREADY_ACCEPTED");
  assert.is(again.body.data.jobId, first.body.data.jobId);
  assert.is(again.body.data.status, "SUCCEEDED");
  const changed = await stack.api.request("POST", "/v1/jobs", {
    body: { ...body, job: { ...body.job, title: "Staff Engineer" } },
    headers,
  });
  assert.is(changed.status, 409);
  assert.is(changed.body.code, "IDEMPOTENCY_KEY_REUSED");
  const job = await stack.api.waitForJob(first.body.data.jobId);
  assert.is(job.attempts, 1, "processed once");
  const otherUser = await stack.api.request("POST", "/v1/jobs", { body, headers, user: "bob" });
  assert.is(otherUser.status, 202);
  assert.is(otherUser.body.code, "ACCEPTED", "keys are scoped to the caller: bob's key is his own");
  assert.is.not(otherUser.body.data.jobId, first.body.data.jobId);
});

test("invalid requests: 400 naming each field and rule; 415 and bad JSON too", async () => {
  const res = await stack.api.request("POST", "/v1/jobs", { body: fixture("http/post-job.invalid.json") });
  assert.is(res.status, 400);
  assert.is(res.body.success, false);
  assert.is(res.body.code, "VALIDATION_ERROR");
  const paths = res.body.details.map((d: { path: string }) => d.path);
  for (const p of [
    "body.job.description",
    "body.options.engine",
    "body.cv.basics.email",
    "body.cv.work[0].startDate",
  ]) {
    assert.ok(paths.includes(p), `${p} in ${paths.join(", ")}`);
  }
  const media = await stack.api.request("POST", "/v1/jobs", {
    rawBody: "{}",
    headers: { "content-type": "text/plain" },
  });
  assert.is(media.status, 415);
  assert.is(media.body.code, "UNSUPPORTED_MEDIA_TYPE");
  const broken = await stack.api.request("POST", "/v1/jobs", {
    rawBody: "{not json",
    headers: { "content-type": "application/json" },
  });
  assert.is(broken.status, 400);
  assert.is(broken.body.details[0].path, "body");
  assert.is(broken.body.details[0].rule, "json");
});

test("analytics events are stored once each in the events table", async () => {
  const body = fixture("http/post-events.valid.json");
  const res = await stack.api.request("POST", "/v1/events", { body, tenant: "events-co" });
  assert.is(res.status, 202);
  assert.is(res.body.data.accepted, 3);
  const db = createDocumentClient();
  for (const e of body.events) {
    const item = await until(`event ${e.eventId}`, async () => {
      const out = await db.send(
        new GetCommand({ TableName: tables.events.name, Key: { tenantId: "events-co", eventId: e.eventId } }),
      );
      return out.Item;
    });
    const ttlDays = (item["expiresAt"] - START.getTime() / 1000) / 86_400;
    assert.ok(ttlDays > 13.9 && ttlDays < 14.1, `TTL about 14 days out (${ttlDays})`);
  }
});

test("an invalid event rejects the whole request: nothing is enqueued", async () => {
  const res = await stack.api.request("POST", "/v1/events", {
    body: {
      events: [
        { eventId: "ok-1", type: "cv.viewed", occurredAt: "2026-11-16T09:00:00Z" },
        { eventId: "bad 2", type: "Viewed", occurredAt: "yesterday" },
      ],
    },
    tenant: "events-bad",
  });
  assert.is(res.status, 400);
  const paths = res.body.details.map((d: { path: string }) => d.path).sort();
  assert.equal(paths, ["body.events[1].eventId", "body.events[1].occurredAt", "body.events[1].type"]);
  const future = await stack.api.request("POST", "/v1/events", {
    body: {
      events: [
        { eventId: "f-1", type: "cv.viewed", occurredAt: new Date(START.getTime() + 3 * 86_400_000).toISOString() },
      ],
    },
  });
  assert.is(future.status, 400);
  assert.equal(future.body.details, [
    { path: "body.events[0].occurredAt", rule: "not_future", message: "is more than 24 hours in the future" },
  ]);
  await new Promise((r) => setTimeout(r, 1500));
  const out = await createDocumentClient().send(
    new GetCommand({ TableName: tables.events.name, Key: { tenantId: "events-bad", eventId: "ok-1" } }),
  );
  assert.is(out.Item, undefined, "the valid sibling was not enqueued either");
});

test("hostile input never causes a 5xx or a stuck job", async () => {
  const long = await stack.api.request("GET", `/v1/jobs/${"x".repeat(2000)}`);
  assert.is(long.status, 404);
  const cursor = await stack.api.request("GET", "/v1/jobs?cursor=eyJub3QiOiJhIGN1cnNvciJ9");
  assert.is(cursor.status, 400);
  assert.is(cursor.body.details[0].path, "query.cursor");
  const limit = await stack.api.request("GET", "/v1/jobs?limit=0");
  assert.is(limit.status, 400);
  assert.is(limit.body.details[0].path, "query.limit");
  for (const raw of ["[]", "null", "42", '"cv"']) {
    const res = await stack.api.request("POST", "/v1/jobs", {
      rawBody: raw,
      headers: { "content-type": "application/json" },
    });
    assert.is(res.status, 400, raw);
    assert.is(res.body.code, "VALIDATION_ERROR");
  }
  const tooMany = await stack.api.request("POST", "/v1/events", {
    body: {
      events: Array.from({ length: 26 }, (_, i) => ({
        eventId: `e${i}`,
        type: "cv.viewed",
        occurredAt: "2026-11-16T09:00:00Z",
      })),
    },
  });
  assert.is(tooMany.status, 400);
  assert.is(tooMany.body.details[0].path, "body.events");
  const oddTenant = await stack.api.request("GET", "/v1/jobs", { tenant: "has spaces and / slashes" });
  assert.is(oddTenant.status, 401);
  assert.is(oddTenant.body.code, "UNAUTHORIZED");

  let deep: unknown = "x";
  for (let i = 0; i < 3000; i++) deep = [deep];
  const nested = await stack.api.request("POST", "/v1/jobs", {
    body: { cv: { x: deep }, job: fixture("http/post-job.valid.json").job },
  });
  assert.is(nested.status, 400);
  assert.is(nested.body.details.find((d: { rule: string }) => d.rule === "max_depth")?.rule, "max_depth");
  const huge = structuredClone(fixture("http/post-job.valid.json"));
  huge.cv.basics.summary = "x".repeat(300_000);
  const oversized = await stack.api.request("POST", "/v1/jobs", { body: huge });
  assert.is(oversized.status, 400);
  assert.equal(oversized.body.details, [
    { path: "body.cv.basics.summary", rule: "max_length", message: "is 300000 characters; the limit is 20000" },
  ]);
  const empty = await stack.api.request("POST", "/v1/jobs", {
    body: { cv: { basics: { name: "Nobody" } }, job: fixture("http/post-job.valid.json").job },
  });
  assert.is(empty.status, 400);
  assert.is(empty.body.details[0].rule, "content");
  const noCv = await stack.api.request("POST", "/v1/jobs", {
    body: { cv: 42, job: fixture("http/post-job.valid.json").job },
  });
  assert.equal(noCv.body.details[0], {
    path: "body.cv",
    rule: "invalid_union",
    message: "must be a JSON Resume object or a plain-text/Markdown CV string",
  });
  const reserved = await stack.api.request("POST", "/v1/events", {
    body: { events: [{ eventId: "tailoring-outcome-123", type: "cv.viewed", occurredAt: "2026-11-16T09:00:00Z" }] },
  });
  assert.is(reserved.status, 400);
  assert.is(reserved.body.details[0].path, "body.events[0].eventId");
  const unknownType = await stack.api.request("POST", "/v1/events", {
    body: { events: [{ eventId: "u-1", type: "cv.teleported", occurredAt: "2026-11-16T09:00:00Z" }] },
  });
  assert.is(unknownType.status, 400);
  assert.is(unknownType.body.details[0].rule, "catalogue");
  assert.match(unknownType.body.details[0].message, /known: cv\.viewed, cv\.downloaded/);
  const ancient = await stack.api.request("POST", "/v1/events", {
    body: { events: [{ eventId: "a-1", type: "cv.viewed", occurredAt: "0050-06-15T09:00:00Z" }] },
  });
  assert.is(ancient.status, 400);
  assert.is(ancient.body.details[0].path, "body.events[0].occurredAt");

  // Characters SQS refuses in a message body travel escaped and come back unchanged.
  const cv = structuredClone(fixture("http/post-job.valid.json"));
  cv.cv.work[0].highlights[0] += " \uffff";
  const res = await stack.api.request("POST", "/v1/jobs", { body: cv, tenant: "unicode" });
  assert.is(res.status, 202);
  const job = await stack.api.waitForJob(res.body.data.jobId, { tenant: "unicode" });
  assert.is(job.status, "SUCCEEDED", JSON.stringify(job.error));
});

test("paging through a user's jobs with the cursor", async () => {
  const ids: string[] = [];
  for (let i = 0; i < 3; i++)
    ids.push(
      (await stack.api.request("POST", "/v1/jobs", { body: fixture("http/post-job.valid.json"), tenant: "pager" })).body
        .data.jobId,
    );
  const first = await stack.api.request("GET", "/v1/jobs?limit=2", { tenant: "pager" });
  assert.is(first.body.data.items.length, 2);
  const second = await stack.api.request("GET", `/v1/jobs?limit=2&cursor=${first.body.data.cursor}`, {
    tenant: "pager",
  });
  const seen = [...first.body.data.items, ...second.body.data.items].map((j: { jobId: string }) => j.jobId);
  assert.equal([...seen].sort(), [...ids].sort());
  const stolen = await stack.api.request("GET", `/v1/jobs?cursor=${first.body.data.cursor}`, {
    tenant: "pager",
    user: "mallory",
  });
  assert.is(stolen.status, 400, "another user's cursor is refused");
});

test("health and the OpenAPI document need no token", async () => {
  const health = await stack.api.request("GET", "/v1/health", { token: null });
  assert.is(health.status, 200);
  assert.ok(health.body.data.checks.every((c: { ok: boolean }) => c.ok));
  const doc = await stack.api.request("GET", "/v1/openapi.json", { token: null });
  // The bare document, as client generators and linters read it: no response envelope around it.
  assert.is(doc.body.openapi, "3.1.0");
  assert.is(doc.body.success, undefined);
  assert.ok(doc.body.components.schemas.JobRequest.properties.cv);
});

test.run();
