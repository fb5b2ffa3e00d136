/**
 * verifyToken keeps the signature verdict of tokens it has seen (the gateway's
 * largest cost); these check that nothing else is kept: every claim is judged
 * again on every call, and any other bytes are verified afresh.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { loadOrCreateKeys, mintToken, verifyToken } from "./jwt-keys.ts";

const dir = mkdtempSync(join(tmpdir(), "cvpipe-jwt-"));
const keys = await loadOrCreateKeys(dir);
const other = await loadOrCreateKeys(join(dir, "other"));
test.after(() => rmSync(dir, { recursive: true, force: true }));

const issued = new Date("2030-01-01T00:00:00Z");
const at = (seconds: number) => new Date(issued.getTime() + seconds * 1000);

test("a token verified once is judged again on its claims: expired later, not yet valid earlier", async () => {
  const token = await mintToken(keys, { tenantId: "t", userId: "u", now: issued, ttlSeconds: 60 });
  assert.equal((await verifyToken(keys, token, at(1))).ok, true);
  assert.equal((await verifyToken(keys, token, at(2))).ok, true);
  assert.equal(await verifyToken(keys, token, at(60)), { ok: false, failure: "expired" });
  assert.equal(await verifyToken(keys, token, at(-5)), { ok: false, failure: "issued-in-future" });
  assert.equal((await verifyToken(keys, token, at(3))).ok, true);
});

test("other bytes are verified afresh: a changed signature or payload is refused after the original passed", async () => {
  const token = await mintToken(keys, { tenantId: "t", userId: "u", now: issued });
  assert.equal((await verifyToken(keys, token, at(1))).ok, true);
  const [h, p, s] = token.split(".") as [string, string, string];
  const flipped = `${h}.${p}.${s.slice(0, 10)}${s[10] === "A" ? "B" : "A"}${s.slice(11)}`;
  assert.equal(await verifyToken(keys, flipped, at(1)), { ok: false, failure: "bad-signature" });
  const payload = JSON.parse(Buffer.from(p, "base64url").toString("utf8"));
  const forged = `${h}.${Buffer.from(JSON.stringify({ ...payload, tenantId: "x" })).toString("base64url")}.${s}`;
  assert.equal(await verifyToken(keys, forged, at(1)), { ok: false, failure: "bad-signature" });
});

test("every key set gets a key id of its own, even two made in the same millisecond", async () => {
  // Made at once, as two stacks starting together do (the id was the creation time in ms: equal ids).
  const sets = await Promise.all(Array.from({ length: 8 }, (_, i) => loadOrCreateKeys(join(dir, `burst-${i}`))));
  assert.is(new Set(sets.map((k) => k.kid)).size, sets.length);
});

test("a token verified under one key set means nothing under another", async () => {
  const token = await mintToken(keys, { tenantId: "t", userId: "u", now: issued });
  assert.equal((await verifyToken(keys, token, at(1))).ok, true);
  assert.equal(await verifyToken({ ...other, kid: keys.kid }, token, at(1)), { ok: false, failure: "bad-signature" });
  assert.equal(await verifyToken(other, token, at(1)), { ok: false, failure: "unknown-key" });
});

test.run();
