import { test } from "uvu";
import * as assert from "uvu/assert";
import { DAY_MS, DAY_SECONDS, epochSeconds, expired, expiresAt } from "./ttl.ts";

test("expiresAt is the instant's epoch seconds, floored, plus whole days", () => {
  const at = new Date("2026-11-17T10:00:00.999Z");
  assert.is(epochSeconds(at), Date.parse("2026-11-17T10:00:00.000Z") / 1000);
  assert.is(expiresAt(at, 30), Date.parse("2026-12-17T10:00:00.000Z") / 1000);
  assert.is(DAY_MS, DAY_SECONDS * 1000);
});

test("an item expires at its expiresAt, not before; one without never does", () => {
  assert.is(expired({ expiresAt: 100 }, 99), false);
  assert.is(expired({ expiresAt: 100 }, 100), true);
  assert.is(expired({}, Number.MAX_SAFE_INTEGER), false);
  assert.is(expired({ expiresAt: "100" }, 200), false);
});

test.run();
