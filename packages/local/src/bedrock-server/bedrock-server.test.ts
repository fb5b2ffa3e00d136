import { mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { connect } from "node:http2";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PROMPT_TAGS } from "@cvpipe/core/tailoring/prompt-template";
import { captureConsoleErrors, replyThatThrows } from "@cvpipe/core/testing/stdout";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { startBedrockServer } from "./bedrock-server.ts";
import { unreliableKind } from "./scenarios.ts";

/** A prompt as the default template lays it out: the posting and the CV in their tags. */
const prompt = (description: string, cv: unknown): string =>
  `<${PROMPT_TAGS.jobDescription}>${description}</${PROMPT_TAGS.jobDescription}>\n<${PROMPT_TAGS.cv}>${JSON.stringify(cv)}</${PROMPT_TAGS.cv}>`;

/** One raw h2c request, to check the wire format without the SDK in between. */
const post = (url: string, path: string, body: unknown, extraHeaders: Record<string, string> = {}, raw = false) =>
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
    req.end(raw ? (body as string | Buffer) : JSON.stringify(body));
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

type BedrockError = { status: number; type: unknown; message: string };
const errorOf = (res: Awaited<ReturnType<typeof post>>): BedrockError => ({
  status: res.status,
  type: res.headers["x-amzn-errortype"],
  message: (res.json as { message: string }).message,
});

test("a body that is not a Converse request: 400 ValidationException naming the field and the rule, and the server lives on", async () => {
  const server = await startBedrockServer();
  const uncaught: Error[] = [];
  const onUncaught = (error: Error) => uncaught.push(error);
  process.on("uncaughtException", onUncaught);
  try {
    const cases: [string, unknown, boolean, RegExp][] = [
      ["not JSON", "{", true, /^the request body is not JSON: /],
      ["empty", "", true, /^the request body is empty: /],
      ["an array", [], false, /\(root\): Invalid input: expected object, received array/],
      ["no messages", { system: [{ text: "s" }] }, false, /messages: is required: an array/],
      ["no message", { messages: [] }, false, /messages: Too small: expected array to have >=1 items/],
      ["a null message", { messages: [null] }, false, /messages\[0\]: Invalid input: expected object, received null/],
      [
        "content a string",
        { messages: [{ role: "user", content: "hi" }] },
        false,
        /messages\[0\]\.content: Invalid input: expected array, received string/,
      ],
      [
        "a null content block",
        { messages: [{ role: "user", content: [null] }] },
        false,
        /messages\[0\]\.content\[0\]: Invalid input: expected object, received null/,
      ],
      [
        "a text block not a string",
        { messages: [{ role: "user", content: [{ text: 5 }] }] },
        false,
        /messages\[0\]\.content\[0\]\.text: Invalid input: expected string, received number/,
      ],
      [
        "an unknown role",
        { messages: [{ role: "system", content: [{ text: "hi" }] }] },
        false,
        /messages\[0\]\.role: Invalid option: expected one of "user"\|"assistant"/,
      ],
      [
        "system not a list",
        { messages: [{ role: "user", content: [{ text: "hi" }] }], system: "be nice" },
        false,
        /system: Invalid input: expected array, received string/,
      ],
    ];
    for (const [name, body, raw, message] of cases) {
      const res = errorOf(await post(server.url, "/model/m/converse", body, {}, raw));
      assert.equal([res.status, res.type], [400, "ValidationException"], name);
      assert.match(res.message, message, name);
      assert.not.match(res.message, /Cannot read|is not a function|TypeError/, name);
    }
    assert.equal(
      uncaught.map((e) => e.message),
      [],
    );
    assert.is((await post(server.url, "/model/m/converse", converse)).status, 200, "still answers");
  } finally {
    process.off("uncaughtException", onUncaught);
    await server.close();
  }
});

test("what the SDK sends is accepted: system, inferenceConfig, toolConfig, toolUse/toolResult blocks, unknown fields", async () => {
  const server = await startBedrockServer();
  try {
    const res = await post(server.url, "/model/m/converse", {
      messages: [
        { role: "user", content: [{ text: "first" }] },
        { role: "assistant", content: [{ toolUse: { toolUseId: "t1", name: "lookup", input: { q: 1 } } }] },
        {
          role: "user",
          content: [{ toolResult: { toolUseId: "t1", content: [{ json: { a: 1 } }], status: "success" } }],
        },
        { role: "user", content: [{ text: prompt("AWS engineer", cv) }, { cachePoint: { type: "default" } }] },
      ],
      system: [{ text: "You tailor CVs." }],
      inferenceConfig: { maxTokens: 4096, temperature: 0, topP: 1, stopSequences: ["###"] },
      toolConfig: {
        tools: [{ toolSpec: { name: "lookup", description: "d", inputSchema: { json: { type: "object" } } } }],
        toolChoice: { auto: {} },
      },
      additionalModelRequestFields: { top_k: 5 },
      somethingNew: true,
    });
    assert.is(res.status, 200);
  } finally {
    await server.close();
  }
});

test("an unexpected failure while answering: 500 InternalServerException, not a 400, and the server lives on", async () => {
  const server = await startBedrockServer();
  try {
    server.script(replyThatThrows());
    const logged = await captureConsoleErrors(async () => {
      const res = errorOf(await post(server.url, "/model/m/converse", converse));
      assert.equal([res.status, res.type], [500, "InternalServerException"]);
      assert.not.match(res.message, /Cannot read/);
    });
    assert.ok(
      logged.some((line) => line.includes("Cannot read properties")),
      "logged",
    );
    assert.is((await post(server.url, "/model/m/converse", converse)).status, 200, "still answers");
  } finally {
    await server.close();
  }
});

test("a body over maxBodyBytes: 413 with a message saying so; one under it is answered", async () => {
  const server = await startBedrockServer({ maxBodyBytes: 2048 });
  try {
    const big = { messages: [{ role: "user", content: [{ text: "x".repeat(4096) }] }] };
    const res = errorOf(await post(server.url, "/model/m/converse", big));
    assert.equal([res.status, res.type], [413, "ValidationException"]);
    assert.match(res.message, /over 2048 bytes/);
    assert.is((await post(server.url, "/model/m/converse", converse)).status, 200);
  } finally {
    await server.close();
  }
});

test.run();
