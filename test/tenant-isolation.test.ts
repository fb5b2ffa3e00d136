/**
 * Issue 9, through the HTTP API of the embedded stack: a job is its
 * submitter's alone (items 1), ids that normalise a path are refused at the
 * edge (4), list cursors are checked field by field and signed (3b), and two
 * tenants' events never share a deduplication id (5).
 */
import { createHash, randomUUID } from "node:crypto";
import { GetCommand } from "@aws-sdk/lib-dynamodb";
import { createDocumentClient, createS3Client } from "@cvpipe/aws/clients";
import { DynamoJobStore } from "@cvpipe/aws/dynamo-job-store";
import { S3BlobStore } from "@cvpipe/aws/s3-blob-store";
import { InvalidCursorError } from "@cvpipe/core/errors";
import { UnsafeKeyError } from "@cvpipe/core/keys";
import { systemClock } from "@cvpipe/core/ports/clock";
import { jobIndexes, tables } from "@cvpipe/core/topology";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { fixture } from "./support/fixtures.ts";
import { startTestStack, type TestStack, until } from "./support/stack.ts";

let stack: TestStack;
const START = new Date("2026-11-18T10:00:00Z");

test.before(async () => {
  stack = await startTestStack({ clockStart: START });
});
test.after(async () => stack?.close());

/** The id scheme of the report: an unkeyed hash anyone can compute from tenant, user and key. */
const unkeyedId = (...parts: string[]): string => {
  const h = createHash("sha256").update(parts.join("\u0000")).digest("hex");
  const variant = ((Number.parseInt(h[16] ?? "0", 16) & 0x3) | 0x8).toString(16);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-8${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
};

test("a job is visible to its submitter only: another user of the tenant gets the body a missing job gets", async () => {
  const posted = await stack.api.request("POST", "/v1/jobs", {
    body: fixture("http/post-job.valid.json"),
    headers: { "idempotency-key": "first-try" },
    tenant: "acme",
    user: "alice",
  });
  assert.is(posted.status, 202);
  const jobId: string = posted.body.data.jobId;
  assert.match(jobId, /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/, "still UUID-shaped");
  const done = await stack.api.waitForJob(jobId, { tenant: "acme", user: "alice" });
  assert.is(done.status, "SUCCEEDED", JSON.stringify(done.error));
  assert.is(done.result.resume.basics.email, "dana.okafor@example.com", "alice sees her own job");

  // The reproduction: bob, same tenant, computes the id from the README's example key.
  const computed = unkeyedId("job", "acme", "alice", "first-try");
  assert.is.not(jobId, computed, "the id is not computable without the server secret");
  const guessed = await stack.api.request("GET", `/v1/jobs/${computed}`, { tenant: "acme", user: "bob" });
  assert.is(guessed.status, 404);

  // Even with alice's real id, bob sees exactly what a missing job looks like.
  const stolen = await stack.api.request("GET", `/v1/jobs/${jobId}`, { tenant: "acme", user: "bob" });
  const missing = await stack.api.request("GET", `/v1/jobs/${randomUUID()}`, { tenant: "acme", user: "bob" });
  assert.is(stolen.status, 404);
  assert.equal(stolen.body, missing.body, "no difference between someone else's job and no job");
  assert.not.match(JSON.stringify(stolen.body), /okafor/i);

  const listed = await stack.api.request("GET", "/v1/jobs?limit=100", { tenant: "acme", user: "bob" });
  assert.is(listed.status, 200);
  assert.not.ok(
    listed.body.data.items.some((j: { jobId: string }) => j.jobId === jobId),
    "nor in bob's listing",
  );

  // The same key is bob's own: it makes bob's job, never alice's.
  const bobs = await stack.api.request("POST", "/v1/jobs", {
    body: fixture("http/post-job.valid.json"),
    headers: { "idempotency-key": "first-try" },
    tenant: "acme",
    user: "bob",
  });
  assert.is(bobs.body.code, "ACCEPTED");
  assert.is.not(bobs.body.data.jobId, jobId);
});

test("tenant and user ids that are dots only are refused at the edge, naming the claim", async () => {
  for (const [tenant, user, claim] of [
    ["..", "alice", "tenantId"],
    [".", "alice", "tenantId"],
    ["...", "alice", "tenantId"],
    ["acme", "..", "sub"],
  ] as const) {
    for (const [method, path] of [
      ["POST", "/v1/jobs"],
      ["GET", "/v1/jobs"],
    ] as const) {
      const res = await stack.api.request(method, path, {
        ...(method === "POST" ? { body: fixture("http/post-job.valid.json") } : {}),
        tenant,
        user,
      });
      assert.is(res.status, 401, `${method} ${path} as ${tenant}/${user}`);
      assert.is(res.body.code, "UNAUTHORIZED");
      assert.match(res.body.error, new RegExp(`"${claim}"`), res.body.error);
    }
  }
});

test("the S3 store refuses a key that would leave its prefix, before anything is written", async () => {
  const blobs = new S3BlobStore(createS3Client(), stack.info.bucket, { signingClock: systemClock });
  for (const key of ["requests/../x.json", "results/./x.json", "requests//x.json", "requests/t\u0001/x.json"]) {
    const refused = await blobs.put(key, "{}", "application/json", { tenantId: "t" }).then(
      () => undefined,
      (error: unknown) => error,
    );
    assert.instance(refused, UnsafeKeyError, key);
  }
});

test("a forged list cursor is a 400 naming query.cursor, never a 5xx", async () => {
  await stack.api.request("POST", "/v1/jobs", {
    body: fixture("http/post-job.valid.json"),
    tenant: "forge",
    user: "eve",
  });
  await stack.api.request("POST", "/v1/jobs", {
    body: fixture("http/post-job.valid.json"),
    tenant: "forge",
    user: "eve",
  });
  const forge = (fields: Record<string, string>) => Buffer.from(JSON.stringify(fields)).toString("base64url");
  const userKey = "forge#eve";
  const forged = [
    forge({ createdAt: "", jobId: "", tenantId: "", userKey }),
    forge({ createdAt: "x".repeat(5000), jobId: randomUUID(), tenantId: "forge", userKey }),
    forge({ createdAt: "2026-11-18T10:00:00.000Z", jobId: "y".repeat(5000), tenantId: "forge", userKey }),
    forge({ createdAt: "2026-11-18T10:00:00.000Z", jobId: randomUUID(), tenantId: "z".repeat(5000), userKey }),
    forge({ createdAt: "2026-11-18T10:00:00.000Z", jobId: randomUUID(), tenantId: "other", userKey }),
  ];
  for (const cursor of forged) {
    const res = await stack.api.request("GET", `/v1/jobs?limit=1&cursor=${cursor}`, { tenant: "forge", user: "eve" });
    assert.is(res.status, 400, cursor.slice(0, 60));
    assert.is(res.body.code, "VALIDATION_ERROR");
    assert.is(res.body.details[0].path, "query.cursor");
  }
  // A real cursor still pages.
  const first = await stack.api.request("GET", "/v1/jobs?limit=1", { tenant: "forge", user: "eve" });
  assert.type(first.body.data.cursor, "string");
  const next = await stack.api.request("GET", `/v1/jobs?limit=1&cursor=${first.body.data.cursor}`, {
    tenant: "forge",
    user: "eve",
  });
  assert.is(next.status, 200);
  assert.is(next.body.data.items.length, 1);
  assert.is.not(next.body.data.items[0].jobId, first.body.data.items[0].jobId);
});

test("the store itself checks every cursor field (the CLI lists without the API's seal)", async () => {
  const store = new DynamoJobStore(createDocumentClient(), tables.jobs.name, {
    clock: systemClock,
    indexes: jobIndexes,
  });
  const forge = (fields: Record<string, string>) => Buffer.from(JSON.stringify(fields)).toString("base64url");
  const base = { createdAt: "2026-11-18T10:00:00.000Z", jobId: randomUUID(), tenantId: "forge", userKey: "forge#eve" };
  for (const bad of [
    { ...base, createdAt: "" },
    { ...base, jobId: "" },
    { ...base, createdAt: "x".repeat(5000) },
    { ...base, jobId: "y".repeat(5000) },
    { ...base, tenantId: "other" },
    { ...base, userKey: "forge#mallory" },
  ]) {
    const refused = await store.listByUser("forge", "eve", 1, forge(bad)).then(
      () => undefined,
      (error: unknown) => error,
    );
    assert.instance(refused, InvalidCursorError, JSON.stringify(bad).slice(0, 80));
  }
  const page = await store.listByUser("forge", "eve", 1);
  assert.ok(page.cursor, "a real cursor");
  assert.is((await store.listByUser("forge", "eve", 1, page.cursor)).items.length, 1);
});

test("tenant t1 event x:e1 and then tenant t1:x event e1 are both stored", async () => {
  const event = (eventId: string) => ({ eventId, type: "cv.viewed", occurredAt: "2026-11-16T09:00:00Z" });
  const db = createDocumentClient();
  const stored = (tenantId: string, eventId: string) =>
    until(
      `${tenantId} ${eventId}`,
      async () => (await db.send(new GetCommand({ TableName: tables.events.name, Key: { tenantId, eventId } }))).Item,
      10_000,
    );
  const first = await stack.api.request("POST", "/v1/events", { body: { events: [event("x:e1")] }, tenant: "t1" });
  assert.is(first.status, 202);
  await stored("t1", "x:e1");
  const second = await stack.api.request("POST", "/v1/events", { body: { events: [event("e1")] }, tenant: "t1:x" });
  assert.is(second.status, 202);
  const item = await stored("t1:x", "e1");
  assert.is(item["tenantId"], "t1:x");
});

test.run();
