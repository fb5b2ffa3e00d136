import { connect } from "node:http2";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { startBedrockServer } from "./bedrock-server.ts";

/** One raw h2c request, to check the wire format without the SDK in between. */
const post = (url: string, path: string, body: unknown) =>
  new Promise<{ status: number; headers: Record<string, unknown>; json: unknown }>((resolve, reject) => {
    const session = connect(url);
    session.on("error", reject);
    const req = session.request({ ":method": "POST", ":path": path, "content-type": "application/json" });
    let headers: Record<string, unknown> = {};
    const chunks: Buffer[] = [];
    req.on("response", (h) => {
      headers = h as Record<string, unknown>;
    });
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      session.close();
      resolve({
        status: Number(headers[":status"]),
        headers,
        json: JSON.parse(Buffer.concat(chunks).toString("utf8")),
      });
    });
    req.end(JSON.stringify(body));
  });

const cv = { basics: { name: "Jane" }, work: [{ name: "Acme", position: "Engineer", highlights: ["Ran AWS."] }] };
const converse = {
  messages: [
    {
      role: "user",
      content: [{ text: `<job_description>AWS engineer</job_description>\n<cv>${JSON.stringify(cv)}</cv>` }],
    },
  ],
};

test("Converse wire format: output.message.content[].text, stopReason, usage, metrics", async () => {
  const server = await startBedrockServer();
  try {
    const res = await post(server.url, "/model/any-model/converse", converse);
    assert.is(res.status, 200);
    const body = res.json as {
      output: { message: { role: string; content: { text: string }[] } };
      stopReason: string;
      usage: { inputTokens: number; outputTokens: number; totalTokens: number };
      metrics: { latencyMs: number };
    };
    assert.is(body.output.message.role, "assistant");
    assert.match(body.output.message.content[0]!.text, /```json\n\{/);
    assert.is(body.stopReason, "end_turn");
    assert.is(body.usage.totalTokens, body.usage.inputTokens + body.usage.outputTokens);
    assert.type(body.metrics.latencyMs, "number");
    assert.is(server.requests[0]?.modelId, "any-model");
  } finally {
    await server.close();
  }
});

test("AWS JSON errors: x-amzn-errortype header and message body", async () => {
  const server = await startBedrockServer();
  try {
    const throttled = await post(server.url, "/model/x-scenario-throttled/converse", converse);
    assert.is(throttled.status, 429);
    assert.is(throttled.headers["x-amzn-errortype"], "ThrottlingException");
    assert.type((throttled.json as { message: string }).message, "string");
    server.script({ error: "ModelNotReadyException", status: 429 }, { error: "InternalServerException", status: 500 });
    assert.is(
      (await post(server.url, "/model/m/converse", converse)).headers["x-amzn-errortype"],
      "ModelNotReadyException",
    );
    assert.is((await post(server.url, "/model/m/converse", converse)).status, 500);
    const unknown = await post(server.url, "/model/m/invoke-nothing", {});
    assert.equal([unknown.status, unknown.headers["x-amzn-errortype"]], [404, "UnknownOperationException"]);
    const noCv = await post(server.url, "/model/m/converse", {
      messages: [{ role: "user", content: [{ text: "hi" }] }],
    });
    assert.equal([noCv.status, noCv.headers["x-amzn-errortype"]], [400, "ValidationException"]);
  } finally {
    await server.close();
  }
});

test.run();
