/**
 * Issue 14 §4: the embedded stack tailors with the Bedrock endpoint the user
 * configured (AWS_ENDPOINT_URL_BEDROCK_RUNTIME), everything else staying
 * local. The "user's" endpoint is a Bedrock stand-in this test starts on a
 * port of its own; the assertions are that a bedrock job's Converse request
 * reached it, and that the stack started no stand-in of its own. (Real AWS
 * the same way — CVPIPE_USE_AWS=bedrock-runtime, or an *.amazonaws.com
 * endpoint — is user-credentials.test.ts's, which checks where the client
 * would go without calling AWS.)
 */
import { type BedrockServer, startBedrockServer } from "@cvpipe/local/bedrock-server";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { fixture } from "./support/fixtures.ts";
import { startTestStack, type TestStack, testSettings } from "./support/stack.ts";
import { listening } from "./support/stack-process.ts";

const body = fixture("http/post-job.valid.json");
const MODEL = "anthropic.claude-3-haiku-20240307-v1:0";
let server: BedrockServer;
let stack: TestStack;
let builtInPort: number;

test.before(async () => {
  server = await startBedrockServer();
  const settings = await testSettings();
  builtInPort = settings.bedrockPort;
  stack = await startTestStack({
    settings,
    env: { AWS_ENDPOINT_URL_BEDROCK_RUNTIME: server.url, BEDROCK_MODEL_ID: MODEL },
  });
});
test.after(async () => {
  await stack.close();
  await server.close();
});

test("the configured endpoint is the stack's Bedrock: no stand-in of its own, the rest emulated as ever", async () => {
  assert.equal(stack.info.services["bedrock-runtime"].source, "configured");
  assert.is(stack.info.endpoints.bedrock, server.url);
  assert.ok(
    stack.lines.includes(
      `bedrock-runtime: user-configured (AWS_ENDPOINT_URL_BEDROCK_RUNTIME) ${server.url}, no emulator`,
    ),
    stack.lines.join("\n"),
  );
  assert.not.ok(await listening(builtInPort), "the built-in stand-in's port is free");
  for (const service of ["sqs", "s3", "dynamodb", "ses"] as const) {
    assert.is.not(stack.info.services[service].source, "aws", service);
  }
});

test("a bedrock job through the API SUCCEEDS, and its Converse request reached the configured endpoint", async () => {
  const res = await stack.api.request("POST", "/v1/jobs", { body: { ...body, options: { engine: "bedrock" } } });
  assert.is(res.status, 202, JSON.stringify(res.body));
  const done = await stack.api.waitForJob(res.body.data.jobId);
  assert.is(done.status, "SUCCEEDED", JSON.stringify(done.error));
  assert.is(done.engine, "bedrock");
  assert.is(done.result.modelId, MODEL);
  assert.ok(done.usage.inputTokens > 0);
  const converse = server.requests.filter((r) => r.path === `/model/${encodeURIComponent(MODEL)}/converse`);
  assert.is(converse.length, 1, JSON.stringify(server.requests.map((r) => r.path)));
  assert.is(converse[0]!.status, 200);
  assert.match(String(converse[0]!.headers["authorization"]), /^AWS4-HMAC-SHA256 /, "signed by the SDK's client");
  const prompt = JSON.stringify(converse[0]!.body);
  assert.ok(prompt.includes(body.job.description.slice(0, 40)), "the job's posting is in the request");
});

test.run();
