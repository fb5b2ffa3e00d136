/**
 * Deleting a user's data on request, through the gateway and checked in the emulators themselves:
 * after DELETE /v1/users/{userId}/data and the eraser's pass, nothing of the user is readable through
 * the API, and no item of any table and no object of either bucket holds their id, their CV's name or
 * e-mail — but another user's data is all there, and the week's aggregates still count the deleted
 * user's jobs and events. A job of theirs still queued when they asked is never tailored and leaves
 * nothing behind; their events still queued are not stored. A pass that crashed half-way is finished
 * by the next one.
 */
import { GetObjectCommand, ListObjectsV2Command } from "@aws-sdk/client-s3";
import { GetQueueAttributesCommand, GetQueueUrlCommand } from "@aws-sdk/client-sqs";
import { ScanCommand } from "@aws-sdk/lib-dynamodb";
import { createDocumentClient, createS3Client, createSqsClient } from "@cvpipe/aws/clients";
import { isoWeekOf } from "@cvpipe/core/analytics/iso-week";
import { clockFromEnv } from "@cvpipe/core/ports/clock";
import { api, buckets, queues, SETTING, tables } from "@cvpipe/core/topology";
import { carryOutDeletions, erasePass } from "@cvpipe/functions/app/erase-user";
import { eraserDeps } from "@cvpipe/functions/composition/eraser";
import { mintToken } from "@cvpipe/local/jwt-keys";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { fixture } from "./support/fixtures.ts";
import { startTestStack, type TestStack, until } from "./support/stack.ts";
import { weekFigures } from "./support/week-figures.ts";

const START = new Date("2026-11-18T10:00:00Z");
const GRACE_S = 12;
const week = isoWeekOf(START);
let stack: TestStack;
test.before(async () => {
  // A short grace, past the workers' 10 s cache of the suppression record (their answers may be that late).
  stack = await startTestStack({ clockStart: START, env: { [SETTING.deletionGraceSeconds]: String(GRACE_S) } });
});
test.after(async () => stack?.close());

const db = createDocumentClient();
const s3 = createS3Client();
const job = fixture("http/post-job.valid.json") as { cv: Record<string, any>; job: unknown };
/** A person's CV: the fixture's, under their own name and address. */
const cvOf = (name: string, email: string) => ({ ...job.cv, basics: { ...job.cv["basics"], name, email } });

const scanAll = async (table: string): Promise<Record<string, unknown>[]> => {
  const items: Record<string, unknown>[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const out = await db.send(new ScanCommand({ TableName: table, ...(start ? { ExclusiveStartKey: start } : {}) }));
    items.push(...(out.Items ?? []));
    start = out.LastEvaluatedKey;
  } while (start);
  return items;
};
const objectBodies = async (bucket: string): Promise<{ key: string; body: string }[]> => {
  const out = await s3.send(new ListObjectsV2Command({ Bucket: bucket }));
  return Promise.all(
    (out.Contents ?? []).map(async (o) => ({
      key: o.Key!,
      body: await (await s3.send(new GetObjectCommand({ Bucket: bucket, Key: o.Key! }))).Body!.transformToString(),
    })),
  );
};
/** Every table item and bucket object, as text, that mentions any of `needles`. */
const mentions = async (needles: readonly string[]) => {
  const found: string[] = [];
  for (const spec of Object.values(tables)) {
    for (const item of await scanAll(spec.name)) {
      const text = JSON.stringify(item);
      if (needles.some((n) => text.includes(n))) found.push(`${spec.name}: ${text.slice(0, 300)}`);
    }
  }
  for (const spec of Object.values(buckets)) {
    for (const o of await objectBodies(spec.name)) {
      if (needles.some((n) => o.body.includes(n) || o.key.includes(n))) found.push(`s3://${spec.name}/${o.key}`);
    }
  }
  return found;
};
const as = (user: string) => ({ user });
const analystToken = () =>
  mintToken(stack.keys, {
    tenantId: "acme",
    userId: "ana",
    scopes: ["cvpipe/users.delete", "cvpipe/feedback.read"],
    now: clockFromEnv(process.env).now(),
    extraClaims: { [api.roleClaim]: "analyst" },
  });

/** Passes until the request is COMPLETED (the first one after the grace). */
const completes = (deletionId: string, user: string) =>
  until(
    "the deletion COMPLETED",
    async () => {
      await new Promise((r) => setTimeout(r, 1_000));
      await stack.schedulers.userDeletions.trigger();
      const res = await stack.api.request("GET", `/v1/deletions/${deletionId}`, as(user));
      return res.body.data.status === "COMPLETED" ? true : undefined;
    },
    60_000,
  );

/** A user's data of every kind: a CV in two versions, a job by reference and one inline, feedback, events. */
const giveData = async (user: string, name: string, email: string) => {
  const cv = await stack.api.request("POST", "/v1/cvs", { body: { cv: cvOf(name, email) }, ...as(user) });
  assert.is(cv.status, 201, JSON.stringify(cv.body));
  const cvId = cv.body.data.cvId;
  const v2 = await stack.api.request("PUT", `/v1/cvs/${cvId}`, {
    body: { cv: cvOf(name, email) },
    ...as(user),
  });
  assert.is(v2.status, 201, JSON.stringify(v2.body));
  const byRef = await stack.api.request("POST", "/v1/jobs", { body: { cvRef: { cvId }, job: job.job }, ...as(user) });
  // Large enough to travel by claim check (an object in the payloads bucket).
  const line = "Built and ran event-driven services on AWS with SQS, DynamoDB and Lambda for a logistics platform. ";
  const big = {
    ...cvOf(name, email),
    work: Array.from({ length: 48 }, (_, i) => ({
      name: `Company ${i + 1}`,
      position: "Backend Engineer",
      startDate: "2015-01",
      summary: line.repeat(47),
    })),
  };
  const inline = await stack.api.request("POST", "/v1/jobs", { body: { cv: big, job: job.job }, ...as(user) });
  assert.is(inline.status, 202, JSON.stringify(inline.body));
  const jobIds = [byRef.body.data.jobId, inline.body.data.jobId] as string[];
  for (const id of jobIds) assert.is((await stack.api.waitForJob(id, as(user))).status, "SUCCEEDED");
  const fb = await stack.api.request("POST", `/v1/jobs/${jobIds[0]}/feedback`, {
    body: { rating: 5, comment: `thanks from ${name}` },
    ...as(user),
  });
  assert.is(fb.status, 201, JSON.stringify(fb.body));
  const events = await stack.api.request("POST", "/v1/events", {
    body: {
      events: [
        { eventId: `${user}-e1`, type: "cv.viewed", occurredAt: "2026-11-17T09:00:00Z" },
        { eventId: `${user}-e2`, type: "cv.downloaded", occurredAt: "2026-11-17T09:01:00Z" },
      ],
    },
    ...as(user),
  });
  assert.is(events.status, 202, JSON.stringify(events.body));
  return { cvId, jobIds };
};

/** Every event of `user` stored and folded (3 of theirs: 2 sent, feedback; 2 outcomes). */
const allFolded = (user: string, count: number) =>
  until(`${user}'s events folded`, async () => {
    const mine = (await scanAll(tables.events.name)).filter((i) => String(i["groupId"]).endsWith(`#${user}`));
    return mine.length >= count && mine.every((i) => i["folded"] === true) ? true : undefined;
  });

test("deletion leaves nothing of the user in the API, the tables or the buckets, and everything of the others", async () => {
  const alice = await giveData("alice", "Dana Okafor", "dana.okafor@example.com");
  const bob = await giveData("bob", "Bo Lindqvist", "bo.lindqvist@example.org");
  await allFolded("alice", 5);
  await allFolded("bob", 5);
  const before = await weekFigures(week, START);

  // A job of alice's still queued when she asks, and an event of hers still queued: neither may come back.
  await stack.pollers.tailoringJobs!.stop();
  await stack.pollers.analyticsEvents!.stop();
  const queued = await stack.api.request("POST", "/v1/jobs", { body: job, ...as("alice") });
  assert.is(queued.status, 202);
  const lateEvent = await stack.api.request("POST", "/v1/events", {
    body: { events: [{ eventId: "alice-e3", type: "cv.viewed", occurredAt: "2026-11-17T09:02:00Z" }] },
    ...as("alice"),
  });
  assert.is(lateEvent.status, 202);

  const del = await stack.api.request("DELETE", "/v1/users/alice/data", as("alice"));
  assert.is(del.status, 202, JSON.stringify(del.body));
  assert.is(del.body.code, "ACCEPTED");
  const deletionId = del.body.data.deletionId as string;
  assert.is(del.headers.get("location"), `/v1/deletions/${deletionId}`);

  // The first pass, within the grace: most is gone, but the request stays RUNNING.
  const first = (await stack.schedulers.userDeletions.trigger()) as { examined: number; completed: number };
  assert.ok(first.examined >= 1);
  const running = await stack.api.request("GET", `/v1/deletions/${deletionId}`, as("alice"));
  assert.is(running.body.data.status, "RUNNING", JSON.stringify(running.body));
  assert.is(running.body.data.removed.cvs, 1);
  await completes(deletionId, "alice");

  // The workers resume after the deletion: the queued job is dropped, not tailored; the queued event not stored.
  stack.pollers.tailoringJobs!.start();
  stack.pollers.analyticsEvents!.start();
  await until("the queued job dropped", async () =>
    (await stack.api.request("GET", `/v1/jobs/${queued.body.data.jobId}`, as("alice"))).status === 404
      ? true
      : undefined,
  );
  const sqs = createSqsClient();
  const { QueueUrl } = await sqs.send(new GetQueueUrlCommand({ QueueName: queues.analyticsEvents.name }));
  await until("the analytics queue drained", async () => {
    const a = (await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ["All"] }))).Attributes ?? {};
    return Number(a["ApproximateNumberOfMessages"]) + Number(a["ApproximateNumberOfMessagesNotVisible"]) === 0
      ? true
      : undefined;
  });
  assert.ok(
    (await scanAll(tables.events.name)).every((i) => i["eventId"] !== "alice-e3"),
    "the event queued before the request is not stored",
  );

  const done = await stack.api.request("GET", `/v1/deletions/${deletionId}`, as("alice"));
  assert.is(done.status, 200, JSON.stringify(done.body));
  assert.is(done.body.data.status, "COMPLETED");
  assert.is(done.body.data.requestedBy, "user");
  // Three jobs: the two done and the one still queued; four objects: two CV bodies, the claim-checked request and its stored result.
  assert.equal(done.body.data.removed, { cvs: 1, cvVersions: 2, jobs: 3, objects: 4, feedback: 1, events: 5 });
  assert.not.ok(JSON.stringify(done.body).includes("alice"), "the answer does not name the user");

  // Through the API: nothing.
  assert.equal((await stack.api.request("GET", "/v1/cvs", as("alice"))).body.data.items, []);
  assert.is((await stack.api.request("GET", `/v1/cvs/${alice.cvId}`, as("alice"))).status, 404);
  assert.equal((await stack.api.request("GET", "/v1/jobs", as("alice"))).body.data.items, []);
  for (const id of alice.jobIds) {
    assert.is((await stack.api.request("GET", `/v1/jobs/${id}`, as("alice"))).status, 404);
  }
  const byRef = await stack.api.request("POST", "/v1/jobs", {
    body: { cvRef: { cvId: alice.cvId }, job: job.job },
    ...as("alice"),
  });
  assert.is(byRef.status, 404);
  assert.is(byRef.body.code, "CV_NOT_FOUND");
  const feedback = await stack.api.request("GET", "/v1/feedback", { token: await analystToken() });
  assert.equal(
    (feedback.body.data.items as { userId: string }[]).map((f) => f.userId),
    ["bob"],
    "the tenant's feedback: bob's only",
  );

  // In the emulators: nothing names alice or holds her CV, but her suppression record (until it expires).
  const left = await mentions(["alice", "Dana Okafor", "dana.okafor@example.com"]);
  assert.equal(
    left.map((l) => l.split(": ")[0]),
    [tables.deletions.name],
    `only the suppression record is left:\n${left.join("\n")}`,
  );
  const suppression = JSON.parse(left[0]!.slice(left[0]!.indexOf(": ") + 2)) as Record<string, unknown>;
  assert.equal(Object.keys(suppression).sort(), [
    "expiresAt",
    "itemKey",
    "requestedAt",
    "suppressedBy",
    "tenantId",
    "userId",
  ]);

  // Bob's data is all there.
  const bobLeft = await mentions(["Bo Lindqvist"]);
  assert.ok(
    bobLeft.some((l) => l.startsWith(tables.cvs.name) === false && l.startsWith("s3://cvpipe-cvs")),
    bobLeft.join("\n"),
  );
  assert.is((await stack.api.request("GET", `/v1/cvs/${bob.cvId}`, as("bob"))).status, 200);
  for (const id of bob.jobIds) assert.is((await stack.api.request("GET", `/v1/jobs/${id}`, as("bob"))).status, 200);

  // The aggregates keep the counts: alice's jobs and events still count, and nothing in them names her.
  const after = await weekFigures(week, START);
  assert.equal(after, before, "the week's figures are unchanged by the deletion");
});

test("a request for another user: analysts and admins only; others 403, and another's deletion is a 404 to them", async () => {
  const refused = await stack.api.request("DELETE", "/v1/users/bob/data", as("mallory"));
  assert.is(refused.status, 403);
  assert.match(refused.body.error, /analyst.*admin/);
  const byAnalyst = await stack.api.request("DELETE", "/v1/users/dave/data", { token: await analystToken() });
  assert.is(byAnalyst.status, 202, JSON.stringify(byAnalyst.body));
  const id = byAnalyst.body.data.deletionId;
  const theirs = await stack.api.request("GET", `/v1/deletions/${id}`, as("dave"));
  assert.is(theirs.status, 200, "the subject user reads it");
  assert.is(theirs.body.data.requestedBy, "analyst");
  assert.is((await stack.api.request("GET", `/v1/deletions/${id}`, as("mallory"))).status, 404);
  assert.is((await stack.api.request("GET", `/v1/deletions/${id}`, { user: "dave", tenant: "globex" })).status, 404);
  const bad = await stack.api.request("DELETE", "/v1/users/bad%20id/data", as("ana"));
  assert.is(bad.status, 400);
  assert.is(bad.body.details[0].path, "path.userId");
});

test("a pass that crashed half-way leaves the request RUNNING with its error; the next pass completes it", async () => {
  const carol = await giveData("carol", "Cara Mendes", "cara.mendes@example.net");
  await allFolded("carol", 5);
  const del = await stack.api.request("DELETE", "/v1/users/carol/data", as("carol"));
  assert.is(del.status, 202);
  const deps = eraserDeps(process.env);
  // S3 fails after the CV's record was marked: a crash in the middle of the CVs.
  let failures = 1;
  const crashing = {
    ...deps,
    cvBlobs: {
      ...deps.cvBlobs,
      put: deps.cvBlobs.put.bind(deps.cvBlobs),
      get: deps.cvBlobs.get.bind(deps.cvBlobs),
      remove: deps.cvBlobs.remove.bind(deps.cvBlobs),
      removeUnder: async (prefix: string) => {
        if (failures-- > 0) throw new Error("S3 went away");
        return deps.cvBlobs.removeUnder(prefix);
      },
    },
  };
  const request = (await deps.deletions.get("acme", del.body.data.deletionId))!;
  const first = await erasePass(crashing, request);
  assert.is(first.status, "RUNNING");
  assert.match(first.error ?? "", /S3 went away/);
  const mid = await stack.api.request("GET", `/v1/deletions/${del.body.data.deletionId}`, as("carol"));
  assert.is(mid.body.data.status, "RUNNING");
  assert.match(mid.body.data.lastError, /S3 went away/);
  assert.is(
    (await stack.api.request("GET", `/v1/cvs/${carol.cvId}`, as("carol"))).status,
    404,
    "reads as gone already",
  );

  await until(
    "the grace over",
    async () =>
      clockFromEnv(process.env).now().getTime() - Date.parse(request.requestedAt) > GRACE_S * 1000 ? true : undefined,
    30_000,
  );
  await carryOutDeletions(deps);
  const done = await stack.api.request("GET", `/v1/deletions/${del.body.data.deletionId}`, as("carol"));
  assert.is(done.body.data.status, "COMPLETED", JSON.stringify(done.body));
  assert.not.ok("lastError" in done.body.data);
  assert.is(done.body.data.removed.jobs, 2);
  const left = await mentions(["Cara Mendes", "cara.mendes@example.net"]);
  assert.equal(left, []);
});

test.run();
