/** copyJson is structuredClone for JSON data, and structuredClone itself for anything else. */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { loadResume, resumeFiles } from "../tailoring/testing/eval-set.ts";
import { copyJson } from "./copy-json.ts";

test("every CV of the eval set: equal to structuredClone's copy, key order included, sharing nothing", () => {
  for (const file of resumeFiles()) {
    const cv = loadResume(file);
    const copy = copyJson(cv);
    assert.is(JSON.stringify(copy), JSON.stringify(structuredClone(cv)), file);
    assert.equal(copy, cv);
    assert.is.not(copy, cv);
    assert.is.not(copy.work?.[0], cv.work?.[0]);
  }
});

test("a __proto__ key from JSON.parse stays an own key, the prototype untouched", () => {
  const value = JSON.parse('{"a":{"__proto__":{"x":1},"b":[1,null,"s",true]}}');
  const copy = copyJson(value);
  assert.is(Object.getPrototypeOf(copy.a), Object.prototype);
  assert.equal(Object.keys(copy.a), ["__proto__", "b"]);
  assert.is(JSON.stringify(copy), JSON.stringify(value));
});

test("what JSON cannot hold is structuredClone's: dates, maps, cycles, holes, functions", () => {
  const date = new Date(0);
  assert.ok(copyJson({ d: date }).d instanceof Date);
  assert.ok(copyJson({ m: new Map([[1, 2]]) }).m instanceof Map);
  const cyclic: Record<string, unknown> = { a: 1 };
  cyclic["self"] = cyclic;
  const copy = copyJson(cyclic);
  assert.is(copy["self"], copy);
  // biome-ignore lint/suspicious/noSparseArray: the hole is the point
  const holes = copyJson([1, , 3]);
  assert.not.ok(1 in holes);
  assert.throws(
    () => copyJson({ f: () => 1 }),
    (e: Error) => e.name === "DataCloneError",
  );
});

test.run();
