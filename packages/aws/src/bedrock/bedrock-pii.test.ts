/** The engine side of PII redaction: the model's placeholders are restored, mangled ones refused. */
import type { BedrockRuntimeClient } from "@aws-sdk/client-bedrock-runtime";
import { CvpipeError } from "@cvpipe/core/errors";
import type { Resume } from "@cvpipe/core/resume/resume";
import { redactPii } from "@cvpipe/core/tailoring/pii";
import { PII_SAMPLE_CV } from "@cvpipe/core/tailoring/testing/pii-sample";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { BedrockEngine } from "./bedrock-engine.ts";

const cv = PII_SAMPLE_CV;

const fakeClient = (reply: string): BedrockRuntimeClient =>
  ({
    send: async () => ({
      output: { message: { role: "assistant", content: [{ text: reply }] } },
      stopReason: "end_turn",
      usage: { inputTokens: 10, outputTokens: 10, totalTokens: 20 },
    }),
  }) as unknown as BedrockRuntimeClient;

const tailorWith = (reply: string): Promise<unknown> =>
  new BedrockEngine(fakeClient(reply), { modelId: "m", piiRedaction: true, malformedRetries: 0 }).tailor({
    cv,
    posting: { title: "Engineer", description: "Platform work." },
    options: {},
  });

test("the engine restores exact placeholders from the model's answer", async () => {
  const r = redactPii(cv);
  const output = (await tailorWith(JSON.stringify(r.resume))) as { resume: Resume };
  assert.equal(output.resume, cv);
});

for (const leftover of ["[EMAIL_3]", "[NAME 1]", "[name_1]", "[ NAME_1 ]", "[Phone-1]", "USERNAME_1"]) {
  test(`a leftover placeholder ${leftover} fails the engine with ENGINE_OUTPUT_INVALID`, async () => {
    const r = redactPii(cv);
    const answer = structuredClone(r.resume) as Resume;
    answer.work![0]!.highlights![1] = `Built a pipeline with ${leftover}.`;
    try {
      await tailorWith(JSON.stringify(answer));
      assert.unreachable("expected a rejection");
    } catch (error) {
      assert.instance(error, CvpipeError);
      const e = error as CvpipeError;
      assert.is(e.code, "ENGINE_OUTPUT_INVALID");
      assert.is(e.retryable, false);
      assert.ok(e.message.includes(leftover), e.message);
      assert.equal(e.details, { placeholders: [leftover] });
    }
  });
}
test.run();
