import { test } from "uvu";
import * as assert from "uvu/assert";
import {
  api,
  buckets,
  envName,
  functions,
  queueNameOf,
  queues,
  type RouteSpec,
  resourceNames,
  retention,
  SETTING,
  STAGE_PATTERN,
  stagedName,
  tables,
  VISIBILITY_TIMEOUT_FACTOR,
} from "./topology.ts";

test("every queue is FIFO with a FIFO DLQ and a receive limit", () => {
  for (const q of Object.values(queues)) {
    assert.ok(q.name.endsWith(".fifo"), q.name);
    assert.ok(q.dlqName.endsWith(".fifo"), q.dlqName);
    assert.is.not(q.name, q.dlqName);
    assert.ok(q.maxReceiveCount >= 1 && q.maxReceiveCount <= 10);
  }
});

test("visibility timeout is at least 6x the worker's timeout", () => {
  for (const q of Object.values(queues)) {
    const worker = functions[q.worker];
    assert.ok(
      q.visibilityTimeoutSeconds >= VISIBILITY_TIMEOUT_FACTOR * worker.timeoutSeconds,
      `${q.name}: ${q.visibilityTimeoutSeconds}s < 6 x ${worker.timeoutSeconds}s`,
    );
    assert.ok(q.visibilityTimeoutSeconds <= 43_200, "SQS maximum is 12 hours");
  }
});

test("jobs and events tables expire items by TTL; jobs has the by-user and the sparse queued index", () => {
  assert.is(tables.jobs.ttlAttribute, "expiresAt");
  assert.is(tables.events.ttlAttribute, "expiresAt");
  assert.equal(
    tables.jobs.indexes.map((i) => [i.name, i.partitionKey.name, i.sortKey.name]),
    [
      ["byUser", "userKey", "createdAt"],
      ["queued", "queuedShard", "createdAt"],
    ],
  );
});

test("every JWT route needs a declared scope, public routes none; the producer holds every scope but the analysts'", () => {
  const declared = Object.keys(api.scopes);
  for (const route of api.routes as readonly RouteSpec[]) {
    const key = `${route.method} ${route.path}`;
    assert.is(route.scopes.length > 0, route.auth, `${key}: scopes exactly where there is a JWT authorizer`);
    for (const scope of route.scopes) assert.ok(declared.includes(scope), `${key}: ${scope} is declared`);
  }
  // Reading the tenant's feedback is for its analysts (that scope and the analyst role claim), not producers.
  assert.equal([...api.producerScopes].sort(), declared.filter((s) => s !== "cvpipe/feedback.read").sort());
  const used = new Set((api.routes as readonly RouteSpec[]).flatMap((r) => r.scopes));
  assert.equal([...used].sort(), [...declared].sort(), "no scope is declared and never required");
});

test("scope names fit Cognito's custom scopes (<resource server>/<name>) and the space-separated scope claim", () => {
  for (const scope of Object.keys(api.scopes)) {
    assert.match(scope, /^cvpipe\/[\x21\x23-\x2E\x30-\x5B\x5D-\x7E]+$/, scope);
  }
});

test("the payload bucket keeps a job's stored result as long as the job lives", () => {
  assert.is(buckets.payloads.expireAfterDays, retention.jobTtlDays);
});

test("outcome events outlive a job's life plus a stay in the analytics-events DLQ", () => {
  const dlqDays = queues.analyticsEvents.dlqRetentionSeconds / 86_400;
  assert.ok(Number.isInteger(dlqDays), "the DLQ retention is whole days");
  assert.ok(retention.outcomeEventTtlDays > retention.jobTtlDays + dlqDays);
  assert.is(retention.outcomeEventTtlDays, 45, "30 + 14 + 1, as before it was derived");
  assert.ok(retention.eventTtlDays >= dlqDays, "a raw event's dedup record outlives its message in the DLQ");
});

test("env names derive from ids", () => {
  assert.is(envName("tailoringJobs"), "TAILORING_JOBS");
  assert.is(envName("jobs"), "JOBS");
});

test("each setting's variable is its key's env name", () => {
  for (const [id, name] of Object.entries(SETTING)) assert.is(name, envName(id), id);
});

test("resourceNames: the topology's names as written, or every one with the stage (FIFO names keep .fifo)", () => {
  const plain = resourceNames();
  const staged = resourceNames("alice");
  for (const q of Object.values(queues)) {
    assert.equal(plain.queues[q.id], { name: q.name, dlqName: q.dlqName });
    assert.equal(staged.queues[q.id], { name: stagedName(q.name, "alice"), dlqName: stagedName(q.dlqName, "alice") });
    assert.match(staged.queues[q.id].dlqName, /-alice\.fifo$/);
  }
  for (const t of Object.values(tables)) assert.is(staged.tables[t.id], `${t.name}-alice`);
  assert.equal(plain.buckets, { payloads: buckets.payloads.name, cvs: buckets.cvs.name });
  assert.is(staged.buckets.cvs, `${buckets.cvs.name}-alice`);
  assert.is(
    queueNameOf("https://sqs.eu-west-1.amazonaws.com/123456789012/tailoring-jobs-alice.fifo"),
    "tailoring-jobs-alice.fifo",
  );
});

test("STAGE_PATTERN: a lowercase letter, then up to 11 lowercase letters, digits or hyphens", () => {
  for (const ok of ["dev", "a", "prod-2", "abcdefghijkl"]) assert.ok(STAGE_PATTERN.test(ok), ok);
  for (const bad of ["", "Dev", "1dev", "dev_1", "abcdefghijklm", "dev.x"]) assert.not.ok(STAGE_PATTERN.test(bad), bad);
});

test.run();
