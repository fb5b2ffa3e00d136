import { test } from "uvu";
import * as assert from "uvu/assert";
import { InternalError } from "./errors.ts";
import { compositeKey, keyPart, s3Key, UnsafeKeyError } from "./keys.ts";

test("s3Key joins safe parts with /", () => {
  assert.is(s3Key("results", "acme", "0b6c", "attempt-2.json"), "results/acme/0b6c/attempt-2.json");
  assert.is(s3Key("requests", "t1:x", "a.b.json"), "requests/t1:x/a.b.json");
});

test("parts that could leave their prefix or merge two keys are refused", () => {
  for (const bad of [
    "",
    ".",
    "..",
    "...",
    "a/b",
    "a\\b",
    "a#b",
    "a\u0000b",
    "line\nbreak",
    "\u007f",
    "x".repeat(513),
  ]) {
    assert.throws(
      () => s3Key("requests", bad, "id.json"),
      (e: unknown) => e instanceof UnsafeKeyError,
      JSON.stringify(bad),
    );
    assert.throws(
      () => compositeKey("acme", bad),
      (e: unknown) => e instanceof UnsafeKeyError,
    );
  }
  assert.throws(() => keyPart(".."), /dots only/);
});

test("an UnsafeKeyError is an internal, non-retryable error", () => {
  try {
    keyPart("..");
    assert.unreachable();
  } catch (error) {
    assert.instance(error, UnsafeKeyError);
    assert.instance(error, InternalError);
    assert.is((error as UnsafeKeyError).code, "INTERNAL_ERROR");
    assert.is((error as UnsafeKeyError).retryable, false);
  }
});

test("compositeKey: tenant#user", () => {
  assert.is(compositeKey("acme", "alice"), "acme#alice");
});

test.run();
