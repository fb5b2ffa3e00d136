/**
 * The CV library through the HTTP gateway, as a producer uses it: upload a master CV once, tailor
 * it by reference, add a version, tailor again — each job keeps the version it was given —, read
 * versions, list, delete; CV_NOT_FOUND for unknown, deleted and other users' CVs, at ingress (no
 * job is queued); the bodies and the record checked directly in the emulators' bucket and table.
 */
import { ListObjectsV2Command } from "@aws-sdk/client-s3";
import { GetCommand } from "@aws-sdk/lib-dynamodb";
import { createDocumentClient, createS3Client } from "@cvpipe/aws/clients";
import { DynamoCvStore } from "@cvpipe/aws/dynamo-cv-store";
import { buckets, tables } from "@cvpipe/core/topology";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { fixture } from "./support/fixtures.ts";
import { startTestStack, type TestStack } from "./support/stack.ts";

let stack: TestStack;
const START = new Date("2026-11-18T10:00:00Z");

test.before(async () => {
  stack = await startTestStack({ clockStart: START });
});
test.after(async () => stack?.close());

const sample = fixture("http/post-job.valid.json") as { cv: Record<string, any>; job: Record<string, unknown> };
const cvWithLabel = (label: string) => ({ ...sample.cv, basics: { ...sample.cv.basics, label } });
const api = (method: string, path: string, init: Parameters<TestStack["api"]["request"]>[2] = {}) =>
  stack.api.request(method, path, init);

const objectsOf = async (cvId: string) =>
  ((await createS3Client().send(new ListObjectsV2Command({ Bucket: buckets.cvs.name }))).Contents ?? []).filter((o) =>
    o.Key?.includes(cvId),
  );

test("upload, tailor by reference, new version, tailor again: each job keeps the version it used", async () => {
  const up = await api("POST", "/v1/cvs", { body: { cv: cvWithLabel("Backend Engineer") } });
  assert.is(up.status, 201, JSON.stringify(up.body));
  assert.is(up.body.code, "CREATED");
  const cvId: string = up.body.data.cvId;
  assert.is(up.body.data.version, 1);
  assert.is(up.headers.get("location"), `/v1/cvs/${cvId}`);

  const first = await api("POST", "/v1/jobs", {
    body: { cvRef: { cvId }, job: sample.job, applicationId: "ats-app-1" },
  });
  assert.is(first.status, 202, JSON.stringify(first.body));
  const firstJob = await stack.api.waitForJob(first.body.data.jobId);
  assert.is(firstJob.status, "SUCCEEDED", JSON.stringify(firstJob.error));
  assert.equal(firstJob.cvRef, { cvId, version: 1 });
  assert.is(firstJob.applicationId, "ats-app-1");
  assert.is(firstJob.result.resume.basics.label, "Backend Engineer");

  const put = await api("PUT", `/v1/cvs/${cvId}`, { body: { cv: cvWithLabel("Staff Platform Engineer") } });
  assert.is(put.status, 201, JSON.stringify(put.body));
  assert.is(put.body.data.version, 2);

  const second = await api("POST", "/v1/jobs", { body: { cvRef: { cvId }, job: sample.job } });
  const secondJob = await stack.api.waitForJob(second.body.data.jobId);
  assert.is(secondJob.status, "SUCCEEDED", JSON.stringify(secondJob.error));
  assert.equal(secondJob.cvRef, { cvId, version: 2 });
  assert.is(secondJob.result.resume.basics.label, "Staff Platform Engineer");

  // An explicit earlier version, and the first job unchanged by the new version.
  const pinned = await api("POST", "/v1/jobs", { body: { cvRef: { cvId, version: 1 }, job: sample.job } });
  assert.equal((await stack.api.waitForJob(pinned.body.data.jobId)).cvRef, { cvId, version: 1 });
  const again = await stack.api.waitForJob(first.body.data.jobId);
  assert.equal(again.cvRef, { cvId, version: 1 });
  assert.is(again.result.resume.basics.label, "Backend Engineer");

  // Both versions readable; the listing names the CV with its latest version.
  const latest = await api("GET", `/v1/cvs/${cvId}`);
  assert.is(latest.status, 200);
  assert.is(latest.body.data.version, 2);
  assert.is(latest.body.data.latestVersion, 2);
  assert.is(latest.body.data.cv.basics.label, "Staff Platform Engineer");
  assert.equal(
    latest.body.data.versions.map((v: { version: number; format: string }) => [v.version, v.format]),
    [
      [1, "json-resume"],
      [2, "json-resume"],
    ],
  );
  const v1 = await api("GET", `/v1/cvs/${cvId}?version=1`);
  assert.is(v1.body.data.cv.basics.label, "Backend Engineer");
  assert.is((await api("GET", `/v1/cvs/${cvId}?version=3`)).body.code, "CV_NOT_FOUND");
  const bad = await api("GET", `/v1/cvs/${cvId}?version=two`);
  assert.is(bad.status, 400);
  assert.is(bad.body.details[0].path, "query.version");
  const names = (await objectsOf(cvId)).map((o) => o.Key!.split("/").pop()!).sort();
  assert.is(names.length, 2, "one object per version");
  assert.match(names[0]!, /^v1-[0-9a-f]{12}\.json$/);
  assert.match(names[1]!, /^v2-[0-9a-f]{12}\.json$/);

  // applicationId is echoed in the listing of jobs too.
  const listed = await api("GET", "/v1/jobs?limit=100");
  const mine = listed.body.data.items.find((j: { jobId: string }) => j.jobId === first.body.data.jobId);
  assert.is(mine.applicationId, "ats-app-1");
});

test("CV_NOT_FOUND at ingress for an unknown, another user's, another tenant's and a deleted CV; nothing queued", async () => {
  const up = await api("POST", "/v1/cvs", { body: { cv: sample.cv } });
  const cvId: string = up.body.data.cvId;
  const before = (await api("GET", "/v1/jobs?limit=100", { user: "bob" })).body.data.items.length;
  const refused = async (init: Parameters<TestStack["api"]["request"]>[2], ref: Record<string, unknown>) => {
    const res = await api("POST", "/v1/jobs", { ...init, body: { cvRef: ref, job: sample.job } });
    assert.is(res.status, 404, JSON.stringify(res.body));
    assert.is(res.body.code, "CV_NOT_FOUND");
  };
  await refused({}, { cvId: "0b6c6f2e-5d0a-4e55-9c3e-6a1f2b3c4d5e" });
  await refused({ user: "bob" }, { cvId });
  await refused({ tenant: "globex" }, { cvId });
  await refused({}, { cvId, version: 9 });
  assert.is((await api("GET", `/v1/cvs/${cvId}`, { user: "bob" })).status, 404, "bob cannot read alice's CV");
  assert.is((await api("DELETE", `/v1/cvs/${cvId}`, { user: "bob" })).status, 404, "nor delete it");
  assert.is((await api("PUT", `/v1/cvs/${cvId}`, { user: "bob", body: { cv: sample.cv } })).status, 404);

  const del = await api("DELETE", `/v1/cvs/${cvId}`);
  assert.is(del.status, 204);
  await refused({}, { cvId });
  assert.is((await api("GET", `/v1/cvs/${cvId}`)).body.code, "CV_NOT_FOUND");
  assert.is((await api("DELETE", `/v1/cvs/${cvId}`)).status, 404, "a second delete finds nothing");
  assert.is((await api("GET", "/v1/jobs?limit=100", { user: "bob" })).body.data.items.length, before);
  // Nothing of it left: no object in the bucket, no item in the table.
  assert.equal(await objectsOf(cvId), []);
  const item = await createDocumentClient().send(
    new GetCommand({ TableName: tables.cvs.name, Key: { ownerKey: "acme#alice", cvId } }),
  );
  assert.is(item.Item, undefined);
});

test("tailoring by reference reads the library: a token without cvpipe/cvs.read is refused 403, nothing queued", async () => {
  const up = await api("POST", "/v1/cvs", { body: { cv: sample.cv } });
  const cvId: string = up.body.data.cvId;
  const token = await stack.api.token("acme", "alice", ["cvpipe/jobs.write", "cvpipe/jobs.read"]);
  assert.is((await api("GET", `/v1/cvs/${cvId}`, { token })).status, 403, "the token cannot read the CV");
  const before = (await api("GET", "/v1/jobs?limit=100")).body.data.items.length;
  const res = await api("POST", "/v1/jobs", { token, body: { cvRef: { cvId }, job: sample.job } });
  assert.is(res.status, 403, JSON.stringify(res.body));
  assert.is(res.body.code, "FORBIDDEN");
  assert.match(res.body.error, /cvpipe\/cvs\.read/);
  assert.match(res.headers.get("www-authenticate") ?? "", /insufficient_scope.*cvpipe\/cvs\.read/);
  assert.is((await api("GET", "/v1/jobs?limit=100")).body.data.items.length, before, "no job was created");
  // The same token still submits an inline CV, and a token with both scopes tailors by reference.
  assert.is((await api("POST", "/v1/jobs", { token, body: sample })).status, 202);
  const both = await stack.api.token("acme", "alice", ["cvpipe/jobs.write", "cvpipe/cvs.read"]);
  assert.is((await api("POST", "/v1/jobs", { token: both, body: { cvRef: { cvId }, job: sample.job } })).status, 202);
});

test("a delete that died after marking the CV is finished by the next DELETE", async () => {
  const up = await api("POST", "/v1/cvs", { body: { cv: sample.cv } });
  const cvId: string = up.body.data.cvId;
  await api("PUT", `/v1/cvs/${cvId}`, { body: { cv: cvWithLabel("Second") } });
  // What a crash right after the first step of a delete leaves: the record marked, both bodies there.
  const store = new DynamoCvStore(createDocumentClient(), tables.cvs.name);
  await store.markDeleted({ tenantId: "acme", userId: "alice" }, cvId, START.toISOString());
  assert.is((await objectsOf(cvId)).length, 2);
  assert.is((await api("GET", `/v1/cvs/${cvId}`)).status, 404, "reads as gone at once");
  const listing = await api("GET", "/v1/cvs?limit=100");
  assert.not.ok(
    listing.body.data.items.some((c: { cvId: string }) => c.cvId === cvId),
    "not listed",
  );
  assert.is((await api("DELETE", `/v1/cvs/${cvId}`)).status, 204);
  assert.equal(await objectsOf(cvId), []);
  assert.is(await store.get({ tenantId: "acme", userId: "alice" }, cvId), undefined);
});

test("uploads are validated as POST /v1/jobs validates a CV, and Idempotency-Key is honoured", async () => {
  const invalid = await api("POST", "/v1/cvs", {
    tenant: "val",
    body: { cv: { basics: { name: "X", email: "not-an-email" }, work: "nope" } },
  });
  assert.is(invalid.status, 400);
  assert.is(invalid.body.code, "VALIDATION_ERROR");
  const paths = invalid.body.details.map((d: { path: string }) => d.path);
  assert.ok(paths.includes("body.cv.work"), JSON.stringify(paths));
  const short = await api("POST", "/v1/cvs", { tenant: "val", body: { cv: "too short" } });
  assert.is(short.body.details[0].path, "body.cv");
  const extra = await api("POST", "/v1/cvs", { tenant: "val", body: { cv: sample.cv, job: sample.job } });
  assert.is(extra.status, 400);
  assert.is((await api("GET", "/v1/cvs", { tenant: "val" })).body.data.items.length, 0, "nothing stored");

  const key = { "idempotency-key": "upload-7" };
  const a = await api("POST", "/v1/cvs", { tenant: "idem", headers: key, body: { cv: sample.cv } });
  const b = await api("POST", "/v1/cvs", { tenant: "idem", headers: key, body: { cv: sample.cv } });
  assert.is(a.status, 201);
  assert.is(b.status, 200);
  assert.is(b.body.code, "ALREADY_CREATED");
  assert.is(b.body.data.cvId, a.body.data.cvId);
  const reused = await api("POST", "/v1/cvs", { tenant: "idem", headers: key, body: { cv: cvWithLabel("Other") } });
  assert.is(reused.status, 409);
  assert.equal(reused.body.details, { cvId: a.body.data.cvId });
  const cvId = a.body.data.cvId;
  const vkey = { "idempotency-key": "version-2" };
  const p1 = await api("PUT", `/v1/cvs/${cvId}`, { tenant: "idem", headers: vkey, body: { cv: cvWithLabel("V2") } });
  const p2 = await api("PUT", `/v1/cvs/${cvId}`, { tenant: "idem", headers: vkey, body: { cv: cvWithLabel("V2") } });
  assert.equal([p1.status, p1.body.data.version, p2.status, p2.body.data.version], [201, 2, 200, 2]);
  assert.is((await api("GET", `/v1/cvs/${cvId}`, { tenant: "idem" })).body.data.latestVersion, 2);
});

test("GET /v1/cvs pages the caller's CVs with a sealed cursor; a text CV is stored as text", async () => {
  const text = `Jo Bloggs\nBackend developer\n\nExperience\nAcme Ltd — Developer (2019 – 2024)\n- Built the billing service in Go\n\nSkills\nGo, PostgreSQL, AWS`;
  const ids: string[] = [];
  for (let i = 0; i < 3; i++) {
    const res = await api("POST", "/v1/cvs", { tenant: "pages", body: { cv: text } });
    assert.is(res.status, 201, JSON.stringify(res.body));
    ids.push(res.body.data.cvId);
  }
  const seen: string[] = [];
  let cursor: string | undefined;
  for (let page = 0; page < 5; page++) {
    const res = await api("GET", `/v1/cvs?limit=2${cursor ? `&cursor=${cursor}` : ""}`, { tenant: "pages" });
    assert.is(res.status, 200);
    assert.ok(res.body.data.items.length <= 2);
    seen.push(...res.body.data.items.map((c: { cvId: string; format: string }) => c.cvId));
    cursor = res.body.data.cursor;
    if (!cursor) break;
  }
  assert.equal(seen.sort(), [...ids].sort());
  const one = await api("GET", `/v1/cvs/${ids[0]}`, { tenant: "pages" });
  assert.is(one.body.data.format, "text");
  assert.is(one.body.data.cv, text);
  const forged = await api("GET", "/v1/cvs?cursor=abc", { tenant: "pages" });
  assert.is(forged.status, 400);
  assert.is(forged.body.details[0].path, "query.cursor");
  const theirs = await api("GET", "/v1/cvs?limit=1", { tenant: "pages" });
  const stolen = await api("GET", `/v1/cvs?cursor=${theirs.body.data.cursor}`, { tenant: "pages", user: "mallory" });
  assert.is(stolen.status, 400, "a cursor is bound to its caller");
});

test.run();
