/**
 * The Bedrock engine (@cvpipe/aws) against the local Bedrock stand-in
 * (@cvpipe/local): retries, throttling, output validation and the SDK's view
 * of the stand-in's errors. An integration test, here because @cvpipe/aws
 * does not depend on @cvpipe/local.
 */
import { ConverseCommand } from "@aws-sdk/client-bedrock-runtime";
import { BedrockEngine, type BedrockEngineOptions, isTransientBedrockError } from "@cvpipe/aws/bedrock/bedrock-engine";
import { EngineOutputInvalidError } from "@cvpipe/core/errors";
import { extractJson } from "@cvpipe/core/tailoring/model-answer";
import { tailorCv } from "@cvpipe/core/tailoring/tailor-cv";
import { type BedrockServer, startBedrockServer } from "@cvpipe/local/bedrock-server";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { standInBedrockClient, standInBedrockEngine } from "./support/bedrock-stand-in.ts";
import { assertGoodResult, redactionCase, rejection, request } from "./support/model-engine-case.ts";

let server: BedrockServer;
const engine = (modelId: string, options: Partial<BedrockEngineOptions> = {}): BedrockEngine =>
  standInBedrockEngine(server.url, { modelId, ...options });

test.before(async () => {
  server = await startBedrockServer();
});
test.after(async () => {
  await server.close();
});
test.before.each(() => {
  server.requests.length = 0;
});

test("good: a verified result with token usage and model id, over the real client and h2c", async () => {
  const result = await tailorCv(engine("anthropic.claude-test"), request, { bannedClaims: [] });
  assertGoodResult(result, "bedrock", "anthropic.claude-test");
  assert.is(server.requests.length, 1);
  const sent = server.requests[0]!;
  assert.is(sent.path, "/model/anthropic.claude-test/converse");
  assert.match(String(sent.headers["authorization"]), /^AWS4-HMAC-SHA256 /);
  const body = sent.body as { system: { text: string }[]; inferenceConfig: { temperature: number } };
  assert.match(body.system[0]!.text, /never invent/);
  assert.is(body.inferenceConfig.temperature, 0);
});

test("malformed (not JSON) → asked once more, then ENGINE_OUTPUT_INVALID, not retryable", async () => {
  const error = await rejection(engine("cvpipe.local-scenario-malformed").tailor(request));
  assert.instance(error, EngineOutputInvalidError);
  assert.is(error.code, "ENGINE_OUTPUT_INVALID");
  assert.is(error.retryable, false);
  assert.match(error.message, /not JSON/);
  assert.is(server.requests.length, 2);
  const second = server.requests[1]!.body as { messages: { role: string }[] };
  assert.equal(
    second.messages.map((m) => m.role),
    ["user", "assistant", "user"],
  );
});

test("wrong shape → ENGINE_OUTPUT_INVALID", async () => {
  const error = await rejection(engine("cvpipe.local-scenario-wrong-shape").tailor(request));
  assert.instance(error, EngineOutputInvalidError);
  assert.is(error.code, "ENGINE_OUTPUT_INVALID");
  assert.match(error.message, /wrong shape/);
});

test("a malformed answer followed by a good one succeeds", async () => {
  server.script({ text: "no JSON here" });
  const output = await engine("anthropic.claude-test").tailor(request);
  assert.is(server.requests.length, 2);
  assert.is(output.resume.basics?.name, "Jane Doe");
});

test("throttled twice → succeeds on the third request", async () => {
  const output = await engine("cvpipe.local-scenario-throttled-2", { maxAttempts: 3 }).tailor(request);
  assert.is(output.resume.basics?.email, "jane.doe@example.org");
  assert.equal(
    server.requests.map((r) => r.status),
    [429, 429, 200],
  );
});

test("the SDK's own retry strategy also handles ThrottlingException", async () => {
  server.script({ error: "ThrottlingException", status: 429 }, { error: "InternalServerException", status: 500 });
  const client = standInBedrockClient(server.url, 3);
  const output = await new BedrockEngine(client, { modelId: "m", piiRedaction: false, maxAttempts: 1 }).tailor(request);
  assert.ok(output.resume.work);
  assert.equal(
    server.requests.map((r) => r.status),
    [429, 500, 200],
  );
});

test("persistent throttling → retryable ENGINE_UNAVAILABLE after maxAttempts", async () => {
  const error = await rejection(engine("cvpipe.local-scenario-throttled", { maxAttempts: 4 }).tailor(request));
  assert.is(error.code, "ENGINE_UNAVAILABLE");
  assert.is(error.retryable, true);
  assert.is(server.requests.length, 4);
});

test("503 ServiceUnavailable is retryable too; ValidationException is ENGINE_REJECTED, never retried", async () => {
  const unavailable = await rejection(engine("cvpipe.local-scenario-unavailable", { maxAttempts: 2 }).tailor(request));
  assert.equal([unavailable.code, unavailable.retryable, server.requests.length], ["ENGINE_UNAVAILABLE", true, 2]);
  server.requests.length = 0;
  server.script({ error: "ValidationException", status: 400, message: "Input is too long" });
  const invalid = await rejection(engine("m", { maxAttempts: 3 }).tailor(request));
  assert.equal([invalid.code, invalid.retryable, server.requests.length], ["ENGINE_REJECTED", false, 1]);
  assert.match(invalid.message, /ValidationException/);
});

test("hallucinating → tailorCv throws UNGROUNDED_CLAIM, never a success", async () => {
  const error = await rejection(tailorCv(engine("cvpipe.local-scenario-hallucinating"), request, { bannedClaims: [] }));
  assert.is(error.code, "UNGROUNDED_CLAIM");
  const texts = (error.details as { text: string }[]).map((v) => v.text);
  assert.ok(texts.includes("Globex Corporation"), texts.join(", "));
  assert.ok(texts.includes("90"), texts.join(", "));
});

test("guardrail: guardrailConfig is sent; guardrail_intervened → non-retryable failure", async () => {
  const error = await rejection(
    engine("cvpipe.local-scenario-guardrail", {
      guardrail: { identifier: "arn:aws:bedrock:gr/abc", version: "3" },
    }).tailor(request),
  );
  assert.instance(error, EngineOutputInvalidError);
  assert.is(error.code, "ENGINE_OUTPUT_INVALID");
  assert.is(error.retryable, false);
  assert.match(error.message, /guardrail_intervened/);
  assert.equal((server.requests[0]!.body as { guardrailConfig: unknown }).guardrailConfig, {
    guardrailIdentifier: "arn:aws:bedrock:gr/abc",
    guardrailVersion: "3",
  });
});

test("PII redaction: nothing personal reaches the server, and the output has it back", () =>
  redactionCase(engine("anthropic.claude-test", { piiRedaction: true }), () => server.requests.map((r) => r.body)));

test("extractJson tolerates fences and surrounding prose", () => {
  assert.equal(extractJson('Here:\n```json\n{"a":1}\n```\nDone.'), { a: 1 });
  assert.equal(extractJson('Sure {"a":{"b":2}} thanks'), { a: { b: 2 } });
  assert.throws(() => extractJson("no json"), /no JSON object/);
});

test("the server answers an empty conversation with a ValidationException the SDK recognises", async () => {
  const client = standInBedrockClient(server.url);
  try {
    await client.send(new ConverseCommand({ modelId: "m", messages: [] }));
    assert.unreachable();
  } catch (e) {
    assert.is((e as Error).name, "ValidationException");
    assert.is((e as { $metadata: { httpStatusCode: number } }).$metadata.httpStatusCode, 400);
  }
  client.destroy();
});

test("a failure with no answer from Bedrock (any connection error) is transient; only an answered 4xx is a refusal", () => {
  const noAnswer = [
    Object.assign(new Error("stream cancelled"), { code: "ERR_HTTP2_STREAM_CANCEL" }),
    Object.assign(new Error("goaway"), { code: "ERR_HTTP2_GOAWAY_SESSION" }),
    Object.assign(new Error("socket hang up"), { code: "ECONNRESET" }),
    new Error("something new the SDK throws before any answer"),
  ];
  for (const error of noAnswer) assert.ok(isTransientBedrockError(error), error.message);
  const answered = (name: string, status: number) =>
    Object.assign(new Error(name), { name, $metadata: { httpStatusCode: status } });
  assert.ok(isTransientBedrockError(answered("ThrottlingException", 429)));
  assert.ok(isTransientBedrockError(answered("InternalServerException", 500)));
  assert.ok(
    isTransientBedrockError(answered("ModelNotReadyException", 400)),
    "a 4xx Bedrock itself names as transient",
  );
  assert.not.ok(isTransientBedrockError(answered("AccessDeniedException", 403)));
  assert.not.ok(isTransientBedrockError(answered("ValidationException", 400)));
  assert.not.ok(isTransientBedrockError(answered("ResourceNotFoundException", 404)));
});

test.run();
