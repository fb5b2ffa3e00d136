import { test } from "uvu";
import * as assert from "uvu/assert";
import { EngineOutputInvalidError } from "../errors.ts";
import { rejects } from "../testing/rejects.ts";
import { DEFAULT_PROMPT_TEMPLATES } from "./default-prompts.ts";
import { type ModelAnswer, type RetryTurn, tailorWithModel } from "./model-dialogue.ts";
import type { TailorRequest } from "./types.ts";

const cv = { basics: { name: "Ana Lima", email: "ana@example.org", label: "Engineer" } };
const request: TailorRequest = {
  cv,
  posting: { title: "Engineer", description: "Build services on AWS with TypeScript." },
  options: {},
};
const settings = { templates: DEFAULT_PROMPT_TEMPLATES, piiRedaction: true, modelId: "m-1" };
const usage = { inputTokens: 10, outputTokens: 5, totalTokens: 15 };

/** A model that answers from a script, recording what each turn was sent. */
const scripted = (answers: string[]) => {
  const seen: { user: string; retries: RetryTurn[] }[] = [];
  const turn = async (prompt: { user: string }, retries: readonly RetryTurn[]): Promise<ModelAnswer> => {
    seen.push({ user: prompt.user, retries: [...retries] });
    return { answer: { text: answers[seen.length - 1] ?? "" }, usage };
  };
  return { seen, turn };
};

test("a malformed answer is asked again once, with the answer and what was wrong; tokens of both turns add up", async () => {
  const model = scripted(["not json at all", JSON.stringify({ basics: { name: "[NAME_1]", label: "Engineer" } })]);
  const out = await tailorWithModel(request, settings, model.turn);
  assert.is(model.seen.length, 2);
  assert.equal(model.seen[0]!.retries, []);
  assert.is(model.seen[1]!.retries[0]!.answer, "not json at all");
  assert.match(model.seen[1]!.retries[0]!.instruction, /not usable: not JSON/);
  assert.equal(out.usage, { inputTokens: 20, outputTokens: 10, totalTokens: 30 });
  assert.is(out.modelId, "m-1");
  // The prompt carried placeholders, and the answer's placeholder came back as the CV's name.
  assert.not.ok(model.seen[0]!.user.includes("ana@example.org"));
  assert.is(out.resume.basics?.name, "Ana Lima");
});

test("still malformed after the retry: ENGINE_OUTPUT_INVALID, and no third turn", async () => {
  const model = scripted(["nope", "still nope", "{}"]);
  const error = await rejects(() => tailorWithModel(request, settings, model.turn));
  assert.instance(error, EngineOutputInvalidError);
  assert.is(model.seen.length, 2);
});

test.run();
