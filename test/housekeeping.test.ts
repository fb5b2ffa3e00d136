/**
 * Housekeeping on the embedded stack (whose emulators never expire anything) removes what DynamoDB
 * TTL and the S3 lifecycle rules remove on AWS, and only that: items whose TTL attribute has
 * passed, objects older than their bucket's expiry; live items, tables without TTL (the CV
 * library) and buckets without expiry (its bodies) untouched. Checked directly in the emulators;
 * `cvpipe housekeeping run` says what it removed.
 */
import { execFile } from "node:child_process";
import { join } from "node:path";
import { promisify } from "node:util";
import { HeadObjectCommand, ListObjectsV2Command, PutObjectCommand } from "@aws-sdk/client-s3";
import { PutCommand, ScanCommand } from "@aws-sdk/lib-dynamodb";
import { createDocumentClient, createS3Client } from "@cvpipe/aws/clients";
import { buckets, retention, tables } from "@cvpipe/core/topology";
import { runHousekeeping } from "@cvpipe/local/housekeeping";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { fixture } from "./support/fixtures.ts";
import { repoRoot, startTestStack, type TestStack, until } from "./support/stack.ts";

const exec = promisify(execFile);
const START = new Date("2026-11-18T10:00:00Z");
const DAY = 86_400_000;
let stack: TestStack;
test.before(async () => {
  stack = await startTestStack({ clockStart: START });
});
test.after(async () => stack?.close());

const db = () => createDocumentClient();
const count = async (table: string) =>
  (await db().send(new ScanCommand({ TableName: table, Select: "COUNT" }))).Count ?? 0;
const keys = async (bucket: string) =>
  ((await createS3Client().send(new ListObjectsV2Command({ Bucket: bucket }))).Contents ?? []).map((o) => o.Key!);

test("items past their TTL and objects past their bucket's expiry go; nothing else does", async () => {
  // Live data: a finished job (TTL 30 days), its events (14 and 45 days), a library CV (no TTL).
  const job = await stack.api.request("POST", "/v1/jobs", { body: fixture("http/post-job.valid.json") });
  await stack.api.waitForJob(job.body.data.jobId);
  const events = await stack.api.request("POST", "/v1/events", { body: fixture("http/post-events.valid.json") });
  assert.is(events.status, 202);
  const cv = await stack.api.request("POST", "/v1/cvs", { body: { cv: fixture("http/post-job.valid.json").cv } });
  assert.is(cv.status, 201);
  // An item that expired a second ago, and an object of the payload bucket.
  await db().send(
    new PutCommand({
      TableName: tables.jobs.name,
      Item: { tenantId: "acme", jobId: "expired-job", expiresAt: Math.floor(START.getTime() / 1000) - 1 },
    }),
  );
  await createS3Client().send(
    new PutObjectCommand({ Bucket: buckets.payloads.name, Key: "requests/acme/old.json", Body: "{}" }),
  );
  const sent = (fixture("http/post-events.valid.json") as { events: unknown[] }).events.length;
  await until("the events stored by the analytics worker", async () =>
    (await count(tables.events.name)) >= sent ? true : undefined,
  );
  const before = {
    jobs: await count(tables.jobs.name),
    events: await count(tables.events.name),
    cvs: await count(tables.cvs.name),
  };
  const cvObjects = await keys(buckets.cvs.name);
  assert.ok(cvObjects.length >= 1);
  const clients = { db: db(), s3: createS3Client() };
  // S3's own clock (the object ages are its LastModified times): the time it stamped the object just written.
  const s3Now = (
    await createS3Client().send(new HeadObjectCommand({ Bucket: buckets.payloads.name, Key: "requests/acme/old.json" }))
  ).LastModified!;

  // Now: only the expired job item.
  const first = await runHousekeeping(clients, { now: START, s3Now });
  assert.equal(first.items, { jobs: 1, events: 0, aggregates: 0, feedback: 0, deletions: 0 });
  assert.equal(first.objects, { payloads: 0 });
  assert.is(await count(tables.jobs.name), before.jobs - 1);

  // Past the raw events' TTL, before the jobs': the events go (the outcome events live longer), the job stays.
  const later = new Date(START.getTime() + (retention.eventTtlDays + 1) * DAY);
  const second = await runHousekeeping(clients, { now: later, s3Now });
  assert.ok((second.items.events ?? 0) >= 1, JSON.stringify(second));
  assert.is(second.items.jobs, 0);
  assert.is(await count(tables.jobs.name), before.jobs - 1);
  assert.is((await stack.api.request("GET", `/v1/jobs/${job.body.data.jobId}`)).status, 200);

  // Objects: kept until their bucket's expiry has passed on S3's clock; the CV library's never.
  assert.is(
    (await runHousekeeping(clients, { now: later, s3Now: new Date(s3Now.getTime() + 29 * DAY) })).objects.payloads,
    0,
  );
  const expired = await runHousekeeping(clients, {
    now: later,
    s3Now: new Date(s3Now.getTime() + (buckets.payloads.expireAfterDays + 1) * DAY),
  });
  assert.ok((expired.objects.payloads ?? 0) >= 1);
  assert.equal(await keys(buckets.payloads.name), []);
  assert.equal(await keys(buckets.cvs.name), cvObjects, "the CV library's bodies stay");
  assert.is(await count(tables.cvs.name), before.cvs, "the CV library has no TTL");

  // Past the jobs' TTL: the job goes.
  const afterJobs = new Date(START.getTime() + (retention.jobTtlDays + 1) * DAY);
  assert.ok(((await runHousekeeping(clients, { now: afterJobs, s3Now })).items.jobs ?? 0) >= 1);
});

test("cvpipe housekeeping run sweeps the running stack and says what it removed", async () => {
  await db().send(
    new PutCommand({
      TableName: tables.jobs.name,
      Item: { tenantId: "acme", jobId: "expired-job-2", expiresAt: Math.floor(START.getTime() / 1000) - 60 },
    }),
  );
  const { stdout } = await exec(
    process.execPath,
    [join(repoRoot, "packages/cli/src/cvpipe.ts"), "housekeeping", "run"],
    {
      env: { ...process.env, CVPIPE_DATA_DIR: stack.info.dataDir },
    },
  );
  assert.match(
    stdout,
    /housekeeping: removed 1 expired item \(jobs 1, events 0, aggregates 0, feedback 0, deletions 0\) and 0 expired objects \(payloads 0\)/,
  );
});

test.run();
