import { mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { connect } from "node:http2";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PROMPT_TAGS } from "@cvpipe/core/tailoring/prompt-template";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { startBedrockServer } from "./bedrock-server.ts";
import { unreliableKind } from "./scenarios.ts";

/** A prompt as the default template lays it out: the posting and the CV in their tags. */
const prompt = (description: string, cv: unknown): string =>
  `<${PROMPT_TAGS.jobDescription}>${description}</${PROMPT_TAGS.jobDescription}>\n<${PROMPT_TAGS.cv}>${JSON.stringify(cv)}</${PROMPT_TAGS.cv}>`;

/** One raw h2c request, to check the wire format without the SDK in between. */
const post = (url: string, path: string, body: unknown, extraHeaders: Record<string, string> = {}) =>
  new Promise<{ status: number; headers: Record<string, unknown>; json: unknown }>((resolve, reject) => {
    const session = connect(url);
    session.on("error", reject);
    const req = session.request({
      ":method": "POST",
      ":path": path,
      "content-type": "application/json",
      ...extraHeaders,
    });
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
      content: [{ text: prompt("AWS engineer", cv) }],
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

test("unreliable: one misbehaviour per CV (identity, cut-off, invented employer, prose), the same on a retry", async () => {
  const server = await startBedrockServer();
  try {
    const seen = new Map<string, { text: string; stop: string; name: string }>();
    for (let i = 0; seen.size < 4 && i < 64; i++) {
      const variant = { ...cv, basics: { name: `Jane ${i}` } };
      const request = {
        messages: [
          {
            role: "user",
            content: [{ text: prompt("AWS", variant) }],
          },
        ],
      };
      const kind = unreliableKind(request);
      const res = await post(server.url, "/model/local.cvpipe-scenario-unreliable/converse", request);
      const again = await post(server.url, "/model/local.cvpipe-scenario-unreliable/converse", request);
      const answer = (r: typeof res) => {
        const body = r.json as { output: { message: { content: { text: string }[] } }; stopReason: string };
        return { text: body.output.message.content[0]!.text, stop: body.stopReason };
      };
      assert.equal(answer(again), answer(res), "a retry gets the same misbehaviour");
      seen.set(kind, { ...answer(res), name: `Jane ${i}` });
    }
    const json = (text: string) => JSON.parse(/```json\n([\s\S]*)```/.exec(text)![1]!);
    const identity = seen.get("identity")!;
    assert.is(json(identity.text).basics.name, `${identity.name} — CV`);
    assert.is(seen.get("cut-off")!.stop, "max_tokens");
    assert.throws(() => json(seen.get("cut-off")!.text));
    assert.is(json(seen.get("hallucinating")!.text).work[0].name, "Globex Corporation");
    assert.not.match(seen.get("malformed")!.text, /[{}]/);
  } finally {
    await server.close();
  }
});

test("recordFile: each answered request is one JSON line (body, status), without credential headers", async () => {
  const dir = mkdtempSync(join(tmpdir(), "bedrock-record-"));
  const file = join(dir, "requests.jsonl");
  const server = await startBedrockServer({ recordFile: file });
  try {
    await post(server.url, "/model/m/converse", converse, { authorization: "AWS4-HMAC-SHA256 Credential=LOCALKEY/x" });
    await post(server.url, "/model/x-scenario-throttled/converse", converse);
    const lines = readFileSync(file, "utf8")
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    assert.equal(
      lines.map((l) => [l.modelId, l.status]),
      [
        ["m", 200],
        ["x-scenario-throttled", 429],
      ],
    );
    assert.equal(lines[0].body, converse);
    assert.is(lines[0].headers.authorization, undefined);
    assert.ok(!readFileSync(file, "utf8").includes("LOCALKEY"));
    assert.is(statSync(file).mode & 0o777, 0o600);
  } finally {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test.run();
