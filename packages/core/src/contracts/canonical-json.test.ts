import { randomBytes } from "node:crypto";
import { inspect } from "node:util";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { derivedId, idSecret } from "./canonical-json.ts";

const secret = idSecret(randomBytes(32).toString("base64url"));

test("derivedId: UUID-shaped, stable under one secret, different under another", () => {
  const id = derivedId(secret, "job", "acme", "alice", "first-try");
  assert.match(id, /^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  assert.is(derivedId(secret, "job", "acme", "alice", "first-try"), id);
  const other = idSecret(randomBytes(32).toString("base64url"));
  assert.is.not(derivedId(other, "job", "acme", "alice", "first-try"), id);
});

test("derivedId: parts are unambiguous (t1 + x:e1 is not t1:x + e1)", () => {
  assert.is.not(derivedId(secret, "event", "t1", "x:e1"), derivedId(secret, "event", "t1:x", "e1"));
  assert.is.not(derivedId(secret, "a", "bc"), derivedId(secret, "ab", "c"));
  assert.throws(() => derivedId(secret, "a\u0000b"), /NUL/);
});

test("the secret: at least 32 characters, and it never prints", () => {
  assert.throws(() => idSecret("short"), /at least 32/);
  const raw = "s".repeat(40);
  assert.not.match(inspect(idSecret(raw)), raw);
  assert.not.match(JSON.stringify({ s: idSecret(raw) }), raw);
});

test.run();
