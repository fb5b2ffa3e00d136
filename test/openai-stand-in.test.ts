/**
 * Without OPENAI_BASE_URL the embedded stack starts its own Chat Completions
 * stand-in (on settings.openaiPort, CVPIPE_OPENAI_PORT) and points the openai
 * engine at it, as it does the Bedrock stand-in for engine bedrock; on stop the
 * variables it set are gone, so a later stack starts a stand-in of its own.
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { fixture } from "./support/fixtures.ts";
import { startTestStack, testSettings } from "./support/stack.ts";
import { listening } from "./support/stack-process.ts";

const body = fixture("http/post-job.valid.json");

test("engine openai works out of the box on the stack's stand-in", async () => {
  delete process.env["OPENAI_BASE_URL"];
  delete process.env["OPENAI_MODEL"];
  const settings = await testSettings();
  const stack = await startTestStack({ settings });
  try {
    const baseUrl = `http://127.0.0.1:${settings.openaiPort}/v1`;
    assert.equal(stack.info.openai, { source: "emulated", baseUrl, model: "local.cvpipe-openai-stand-in" });
    assert.ok(await listening(settings.openaiPort));
    const res = await stack.api.request("POST", "/v1/jobs", { body: { ...body, options: { engine: "openai" } } });
    const done = await stack.api.waitForJob(res.body.data.jobId);
    assert.is(done.status, "SUCCEEDED", JSON.stringify(done.error));
    assert.is(done.engine, "openai");
    assert.is(done.result.modelId, "local.cvpipe-openai-stand-in");
    assert.ok(done.usage.inputTokens > 0);
  } finally {
    await stack.close();
  }
  assert.is(process.env["OPENAI_BASE_URL"], undefined, "put back on stop");
  assert.is(process.env["OPENAI_MODEL"], undefined);
  assert.not.ok(await listening(settings.openaiPort), "the stand-in stopped with the stack");
});

test.run();
