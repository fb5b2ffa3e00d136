import { test } from "uvu";
import * as assert from "uvu/assert";
import { seededRandom } from "../testing/random.ts";
import { extractJson } from "./model-answer.ts";

test("extractJson tolerates fences and surrounding prose", () => {
  assert.equal(extractJson('Here:\n```json\n{"a":1}\n```\nDone.'), { a: 1 });
  assert.equal(extractJson('Sure {"a":{"b":2}} thanks'), { a: { b: 2 } });
  assert.equal(extractJson('```\n{"a":1}\n``` and later {"b":2}'), { a: 1 }, "the fence's object, not the reply's");
  assert.equal(extractJson('unclosed ```json\n{"a":1}'), { a: 1 }, "an unclosed fence is prose");
  assert.throws(() => extractJson("no json"), /no JSON object/);
});

/** What extractJson did with a pattern: the reference its scan must agree with. */
const byPattern = (text: string): unknown => {
  const fence = /```(?:json|JSON)?\s*\n?([\s\S]*?)```/.exec(text);
  const candidate = fence?.[1] ?? text;
  const start = candidate.indexOf("{");
  const end = candidate.lastIndexOf("}");
  if (start < 0 || end <= start) throw new SyntaxError("the reply contains no JSON object");
  return JSON.parse(candidate.slice(start, end + 1));
};

const outcome = (f: (text: string) => unknown, text: string): unknown => {
  try {
    return { value: f(text) };
  } catch (error) {
    return { error: (error as Error).name, message: (error as Error).message };
  }
};

test("extractJson = the fence pattern it replaced, on 20,000 seeded replies", () => {
  const next = seededRandom(12);
  const pieces = ["```", "`", "json", "JSON", "\n", " ", "{", "}", '"a"', ":", "1", ",", "x", "{}", '{"b":[2]}'];
  for (let n = 0; n < 20_000; n++) {
    let text = "";
    for (let i = Math.floor(next() * 14); i > 0; i--) text += pieces[Math.floor(next() * pieces.length)];
    assert.equal(outcome(extractJson, text), outcome(byPattern, text), JSON.stringify(text));
  }
});

test.run();
