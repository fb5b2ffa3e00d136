/**
 * DynamoFeedbackStore on dynalite (or the moto backend's moto), and the in-memory store the use-case
 * tests run on (core feedback/testing/memory-feedback-store.ts), case by case the same: an item whose
 * TTL has passed is not served — TTL deletion runs up to 48 h late on AWS and emulators never run it,
 * so the store checks expiry on read, as the other stores do.
 */
import { MemoryFeedbackStore } from "@cvpipe/core/feedback/testing/memory-feedback-store";
import type { FeedbackRecord, FeedbackStore } from "@cvpipe/core/ports/feedback-store";
import { tables } from "@cvpipe/core/topology";
import { DAY_SECONDS, epochSeconds } from "@cvpipe/core/ttl";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { createTables, type DynamoEmulator, startDynalite } from "./analytics/testing/emulators.ts";
import { DynamoFeedbackStore } from "./dynamo-feedback-store.ts";

const NOW = new Date("2026-11-18T10:00:00Z");
const nowSeconds = epochSeconds(NOW);
const clock = { now: () => NOW };
let db: DynamoEmulator;
let stores: ReadonlyArray<readonly [string, FeedbackStore]> = [];

const JOB = "0b6f2f0e-3c1a-4d5e-9f70-1a2b3c4d5e6f";
const record = (id: string, receivedAt: string, expiresAt: number): FeedbackRecord => ({
  tenantId: "acme",
  feedbackKey: `${JOB}#${receivedAt}#${id}`,
  feedbackId: id,
  jobId: JOB,
  userId: "alice",
  rating: 4,
  receivedAt,
  expiresAt,
});

test.before(async () => {
  db = await startDynalite();
  await createTables(db.client, ["feedback"]);
  stores = [
    ["DynamoFeedbackStore", new DynamoFeedbackStore(db.documentClient, tables.feedback.name, { clock })],
    ["MemoryFeedbackStore", new MemoryFeedbackStore({ clock })],
  ];
  for (const [, store] of stores) {
    for (const r of [
      record("0000000a", "2025-10-01T10:00:00.000Z", nowSeconds - 60), // expired
      record("0000000b", "2025-10-02T10:00:00.000Z", nowSeconds), // expires now
      record("0000000c", "2026-11-17T10:00:00.000Z", nowSeconds + DAY_SECONDS), // live
    ]) {
      assert.ok(await store.create(r));
    }
  }
});
test.after(async () => db?.close());

test("list serves no item whose expiresAt has passed (now or earlier), with or without since", async () => {
  for (const [name, store] of stores) {
    assert.equal(
      (await store.list("acme", undefined, 25)).items.map((i) => i.feedbackId),
      ["0000000c"],
      name,
    );
    assert.equal(
      (await store.list("acme", "2025-01-01T00:00:00.000Z", 25)).items.map((i) => i.feedbackId),
      ["0000000c"],
      name,
    );
  }
});

test("a page that holds only expired items still hands back the cursor to the rest", async () => {
  for (const [name, store] of stores) {
    const first = await store.list("acme", undefined, 2);
    assert.equal(first.items, [], name);
    assert.type(first.cursor, "string", name);
    const second = await store.list("acme", undefined, 2, first.cursor);
    assert.equal(
      second.items.map((i) => i.feedbackId),
      ["0000000c"],
      name,
    );
  }
});

test("listForErasure still lists expired items (a user's deletion removes them all)", async () => {
  for (const [name, store] of stores) {
    const keys = (await store.listForErasure("acme", "alice")).map((i) => i.feedbackKey.split("#")[2]).sort();
    assert.equal(keys, ["0000000a", "0000000b", "0000000c"], name);
  }
});

test.run();
