/**
 * The in-memory jobs table keeps the DynamoDB store's conditions (the use-case
 * unit tests rely on them): expiry, the sparse sweep index, by-user paging.
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { InvalidCursorError } from "../../errors.ts";
import { type JobRecord, userKey } from "../job-record.ts";
import { MemoryJobStore } from "./memory-job-store.ts";
import { queuedJob } from "./sample-job.ts";

let now = new Date("2026-11-18T10:00:00Z");
const clock = { now: () => now };
const NOW_S = now.getTime() / 1000;

const record = (jobId: string, over: Partial<JobRecord> = {}): JobRecord =>
  queuedJob(jobId, {
    createdAt: "2026-11-18T09:00:00.000Z",
    updatedAt: "2026-11-18T09:00:00.000Z",
    expiresAt: NOW_S + 3_600,
    queuedShard: "q1",
    ...over,
  });

test("create: only when absent or expired; an existing job is returned", async () => {
  const store = new MemoryJobStore({ clock });
  assert.equal(await store.create(record("a")), { created: true });
  const again = await store.create(record("a", { requestHash: "other" }));
  assert.is(again.created, false);
  assert.is(!again.created && again.existing.requestHash, "h");
  store.put(record("old", { expiresAt: NOW_S - 1 }));
  assert.is(await store.get("acme", "old"), undefined, "expired reads as absent");
  assert.equal(await store.create(record("old", { requestHash: "new" })), { created: true });
  assert.is((await store.get("acme", "old"))?.requestHash, "new");
  assert.is(await store.get("globex", "a"), undefined, "another tenant's id is another job");
});

test("records are copies: changing what get returned changes nothing stored", async () => {
  const store = new MemoryJobStore({ clock });
  await store.create(record("c"));
  const got = (await store.get("acme", "c")) as { status: string };
  got.status = "SUCCEEDED";
  assert.is((await store.get("acme", "c"))?.status, "QUEUED");
});

test("fail('QUEUED') keeps the sweep mark; clearSweepMark then removes it, never from a QUEUED job", async () => {
  const store = new MemoryJobStore({ clock });
  store.put(record("s1", { createdAt: "2026-11-18T08:00:00.000Z" }));
  store.put(record("s2"));
  store.put(record("late", { createdAt: "2026-11-18T09:59:00.000Z" }));
  assert.equal(
    (await store.listAwaitingSweep("2026-11-18T09:30:00.000Z", 10)).map((r) => r.jobId),
    ["s1", "s2"],
    "oldest first, created before the cut-off",
  );
  await store.clearSweepMark("acme", "s2");
  assert.is((await store.get("acme", "s2"))?.queuedShard, "q1", "a QUEUED job keeps its mark");
  assert.ok(await store.fail("acme", "s1", { code: "NOT_STARTED", message: "x" }, now.toISOString(), "QUEUED"));
  assert.is((await store.get("acme", "s1"))?.queuedShard, "q1");
  assert.equal(
    (await store.listAwaitingSweep("2026-11-18T09:30:00.000Z", 1)).map((r) => r.jobId),
    ["s1"],
  );
  await store.clearSweepMark("acme", "s1");
  assert.is((await store.get("acme", "s1"))?.queuedShard, undefined);
  assert.not.ok(await store.fail("acme", "s1", { code: "NOT_STARTED", message: "x" }, now.toISOString(), "QUEUED"));
});

test("listByUser: newest first, DynamoDB-style cursors, someone else's cursor refused", async () => {
  const store = new MemoryJobStore({ clock });
  for (let i = 1; i <= 5; i++) store.put(record(`j${i}`, { createdAt: `2026-11-18T09:0${i}:00.000Z` }));
  store.put(record("bobs", { userId: "bob", userKey: userKey("acme", "bob") }));
  const p1 = await store.listByUser("acme", "alice", 2);
  assert.equal(
    p1.items.map((r) => r.jobId),
    ["j5", "j4"],
  );
  const p2 = await store.listByUser("acme", "alice", 2, p1.cursor);
  const p3 = await store.listByUser("acme", "alice", 2, p2.cursor);
  assert.equal(
    [...p2.items, ...p3.items].map((r) => r.jobId),
    ["j3", "j2", "j1"],
  );
  assert.is(p3.cursor, undefined);
  try {
    await store.listByUser("acme", "bob", 2, p1.cursor);
    assert.unreachable("bob used alice's cursor");
  } catch (error) {
    assert.instance(error, InvalidCursorError);
  }
  now = new Date(now.getTime() + 2 * 3_600_000);
  assert.equal((await store.listByUser("acme", "alice", 10)).items, [], "expired jobs are not listed");
  now = new Date("2026-11-18T10:00:00Z");
});

test.run();
