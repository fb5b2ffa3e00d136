/**
 * How DynamoJobStore keeps a job's result in the item (dynalite, or the moto
 * backend's moto): one binary attribute holding the result's JSON, read back
 * as the same result; an item written before (the result as a map) still
 * reads as it was. The rules of the transitions are the JobStore contract's
 * (test/job-store-contract.test.ts).
 */
import { GetItemCommand, PutItemCommand } from "@aws-sdk/client-dynamodb";
import { PutCommand } from "@aws-sdk/lib-dynamodb";
import { queuedJob } from "@cvpipe/core/jobs/testing/sample-job";
import { normalizeCv } from "@cvpipe/core/resume/normalize-cv";
import { LocalEngine } from "@cvpipe/core/tailoring/local-engine";
import { tailorCv } from "@cvpipe/core/tailoring/tailor-cv";
import type { TailoringResult } from "@cvpipe/core/tailoring/types";
import { fixture } from "@cvpipe/core/testing/fixtures";
import { jobIndexes, tables } from "@cvpipe/core/topology";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { createTables, type DynamoEmulator, startDynalite } from "./analytics/testing/emulators.ts";
import { DynamoJobStore } from "./dynamo-job-store.ts";

const NOW = new Date("2026-11-18T10:00:00Z");
const AT = NOW.toISOString();
const clock = { now: () => NOW };
let db: DynamoEmulator;
let store: DynamoJobStore;
let result: TailoringResult;

test.before(async () => {
  db = await startDynalite();
  await createTables(db.client, ["jobs"]);
  store = new DynamoJobStore(db.documentClient, tables.jobs.name, { clock, indexes: jobIndexes });
  const sample = fixture("http/post-job.valid.json");
  result = await tailorCv(
    new LocalEngine(),
    { cv: normalizeCv(sample.cv), posting: sample.job, options: {} },
    { bannedClaims: [] },
  );
});
test.after(async () => db?.close());

const rawItem = async (jobId: string) =>
  (
    await db.client.send(
      new GetItemCommand({
        TableName: tables.jobs.name,
        Key: { tenantId: { S: "acme" }, jobId: { S: jobId } },
        ConsistentRead: true,
      }),
    )
  ).Item;

test("a succeeded job's result is one binary attribute, its JSON; every read gives the result back as written", async () => {
  await store.create(queuedJob("bin", {}, NOW));
  const started = await store.start("acme", "bin", AT);
  assert.ok(started.started);
  const usage = { inputTokens: 10, outputTokens: 2, totalTokens: 12 };
  assert.ok(await store.succeed("acme", "bin", 1, { result, usage }, AT));

  const item = await rawItem("bin");
  assert.equal(Object.keys(item?.["result"] ?? {}), ["B"], "one binary attribute");
  assert.equal(JSON.parse(Buffer.from(item!["result"]!.B!).toString("utf8")), JSON.parse(JSON.stringify(result)));
  assert.equal(item?.["usage"]?.M?.["inputTokens"], { N: "10" }, "usage stays a map");

  const read = await store.get("acme", "bin");
  assert.equal(read?.result, JSON.parse(JSON.stringify(result)));
  assert.equal(read?.usage, usage);
  assert.is(read?.status, "SUCCEEDED");
  const listed = await store.listByUser("acme", "alice", 10);
  assert.equal(
    listed.items.map((r) => [r.jobId, r.result?.match.score]),
    [["bin", result.match.score]],
  );
  const again = await store.create(queuedJob("bin", {}, NOW));
  assert.equal(again, { created: false, existing: read });
  // A redelivery of the finished job: not started, the stored job as it is.
  assert.equal(await store.start("acme", "bin", AT), { started: false, record: read });
});

test("an item written with the result as a map (before it was binary) reads as it was", async () => {
  const done = { ...queuedJob("map", {}, NOW), status: "SUCCEEDED" as const, attempts: 1, finishedAt: AT, result };
  const { queuedShard: _, ...item } = done;
  await db.documentClient.send(new PutCommand({ TableName: tables.jobs.name, Item: item }));
  assert.ok((await rawItem("map"))?.["result"]?.M, "stored as a map");
  assert.equal((await store.get("acme", "map"))?.result, JSON.parse(JSON.stringify(result)));
});

test("a job without a result has none: a failure, a result in S3", async () => {
  await store.create(queuedJob("none", {}, NOW));
  await store.start("acme", "none", AT);
  const blob = { bucket: "payloads", key: "results/acme/none/attempt-1.json", bytes: 400_000 };
  assert.ok(await store.succeed("acme", "none", 1, { resultBlob: blob }, AT));
  const read = await store.get("acme", "none");
  assert.is(read?.result, undefined);
  assert.equal(read?.resultBlob, blob);
  assert.not.ok((await rawItem("none"))?.["result"]);
  await db.client.send(
    new PutItemCommand({
      TableName: tables.jobs.name,
      Item: { tenantId: { S: "acme" }, jobId: { S: "bare" }, status: { S: "QUEUED" }, expiresAt: { N: "9999999999" } },
    }),
  );
  assert.is((await store.get("acme", "bare"))?.result, undefined);
});

test.run();
