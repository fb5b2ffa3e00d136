import { test } from "uvu";
import * as assert from "uvu/assert";
import { InvalidLimitError } from "../errors.ts";
import { api } from "../topology.ts";
import { parseListLimit } from "./list-limit.ts";

const { min, max } = api.listLimit;

test("a page size is a whole number from the documented min to max, in plain digits; absent is the default", () => {
  assert.is(parseListLimit(undefined), api.listLimit.default);
  assert.is(parseListLimit(String(min)), min);
  assert.is(parseListLimit(String(max)), max);
  assert.is(parseListLimit("07"), 7);
  for (const raw of [String(min - 1), String(max + 1), "-1", "1.5", "1e2", " 5", "5 ", "abc", "", "0100", "٣"]) {
    try {
      parseListLimit(raw);
      assert.unreachable(JSON.stringify(raw));
    } catch (error) {
      assert.instance(error, InvalidLimitError, JSON.stringify(raw));
      assert.equal([(error as InvalidLimitError).min, (error as InvalidLimitError).max], [min, max]);
      assert.is((error as Error).message, `must be an integer from ${min} to ${max}`);
    }
  }
});

test.run();
