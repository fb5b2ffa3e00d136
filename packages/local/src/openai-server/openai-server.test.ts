/**
 * The Chat Completions stand-in on the wire: a request body that is not a Chat Completions request
 * gets OpenAI's 400 naming the field, never an exception that ends the process (in the embedded
 * stack an uncaught TypeError ends `pnpm start`); what real clients send is accepted; an unexpected
 * failure is a 500; an oversized body a 413. The engine against it: test/openai-engine.test.ts.
 */

import { PROMPT_TAGS } from "@cvpipe/core/tailoring/prompt-template";
import { captureConsoleErrors, replyThatThrows } from "@cvpipe/core/testing/stdout";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { startOpenAiServer } from "./openai-server.ts";

const uncaught: Error[] = [];
process.on("uncaughtException", (error) => uncaught.push(error));

const cv = { basics: { name: "Jane" }, work: [{ name: "Acme", position: "Engineer", highlights: ["Ran AWS."] }] };
const prompt = `<${PROMPT_TAGS.jobDescription}>AWS engineer</${PROMPT_TAGS.jobDescription}>\n<${PROMPT_TAGS.cv}>${JSON.stringify(cv)}</${PROMPT_TAGS.cv}>`;
const good = { model: "m", messages: [{ role: "user", content: prompt }] };

type OpenAiError = { error: { message: string; type: string; param: string | null; code: string | null } };

const post = async (url: string, body: unknown, raw = false): Promise<{ status: number; json: unknown }> => {
  const res = await fetch(`${url}/v1/chat/completions`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: raw ? (body as string) : JSON.stringify(body),
    signal: AbortSignal.timeout(5000),
  });
  return { status: res.status, json: await res.json() };
};

test("a body that is not a Chat Completions request: 400 invalid_request_error naming the field, and the server lives on", async () => {
  const server = await startOpenAiServer();
  uncaught.length = 0;
  try {
    const cases: [string, unknown, boolean, string | null, RegExp][] = [
      ["not JSON", "{", true, null, /^We could not parse the JSON body of your request: /],
      ["empty", "", true, null, /^The request body is empty: /],
      ["an array", [], false, null, /^\(root\): Invalid input: expected object, received array$/],
      ["no model", { messages: [{ role: "user", content: "hi" }] }, false, "model", /^model: is required: a string/],
      ["no messages", { model: "m", messages: [] }, false, "messages", /messages: Too small/],
      [
        "a null message",
        { model: "m", messages: [null] },
        false,
        "messages[0]",
        /^messages\[0\]: Invalid input: expected object, received null$/,
      ],
      [
        "a null content part",
        { model: "m", messages: [{ role: "user", content: [null] }] },
        false,
        "messages[0].content[0]",
        /^messages\[0\]\.content\[0\]: Invalid input: expected object, received null$/,
      ],
      [
        "numeric content",
        { model: "m", messages: [{ role: "user", content: 5 }] },
        false,
        "messages[0].content",
        /^messages\[0\]\.content: Invalid input: expected a string, an array or null, received number$/,
      ],
      [
        "a part's text not a string",
        { model: "m", messages: [{ role: "user", content: [{ type: "text", text: 5 }] }] },
        false,
        "messages[0].content[0].text",
        /^messages\[0\]\.content\[0\]\.text: Invalid input: expected string, received number$/,
      ],
      [
        "an unknown role",
        { model: "m", messages: [{ role: "robot", content: "hi" }] },
        false,
        "messages[0].role",
        /^messages\[0\]\.role: Invalid option: expected one of /,
      ],
      [
        "tools not a list",
        { ...good, tools: { function: { name: "x" } } },
        false,
        "tools",
        /^tools: Invalid input: expected array, received object$/,
      ],
    ];
    for (const [name, body, raw, param, message] of cases) {
      const res = await post(server.url, body, raw);
      const error = (res.json as OpenAiError).error;
      assert.is(res.status, 400, name);
      assert.is(error.type, "invalid_request_error", name);
      assert.is(error.param, param, name);
      assert.is(error.code, null, name);
      assert.match(error.message, message, name);
      assert.not.match(error.message, /Cannot read|is not a function|TypeError/, name);
    }
    assert.equal(
      uncaught.map((e) => e.message),
      [],
    );
    assert.is((await post(server.url, good)).status, 200, "still answers");
  } finally {
    await server.close();
  }
});

test("what real clients send is accepted: parts, null content, tool messages, sampling and unknown fields", async () => {
  const server = await startOpenAiServer();
  try {
    const res = await post(server.url, {
      model: "m",
      messages: [
        { role: "developer", content: "You tailor CVs." },
        { role: "system", content: [{ type: "text", text: "Answer JSON." }] },
        { role: "user", content: [{ type: "text", text: prompt }] },
        {
          role: "assistant",
          content: null,
          tool_calls: [{ id: "c1", type: "function", function: { name: "f", arguments: "{}" } }],
        },
        { role: "tool", tool_call_id: "c1", content: "{}" },
        { role: "user", content: "again", name: "jane" },
      ],
      temperature: 0,
      top_p: 1,
      max_tokens: 4096,
      max_completion_tokens: 4096,
      seed: 7,
      stream: false,
      user: "u",
      response_format: { type: "json_schema", json_schema: { name: "cv", strict: true, schema: { type: "object" } } },
      tools: [{ type: "function", function: { name: "cv", description: "d", parameters: { type: "object" } } }],
      tool_choice: "auto",
      somethingNew: { a: 1 },
    });
    assert.is(res.status, 200);
    const named = await post(server.url, {
      ...good,
      tools: [{ type: "function", function: { name: "cv", parameters: { type: "object" } } }],
      tool_choice: { type: "function", function: { name: "cv" } },
    });
    assert.is(named.status, 200);
  } finally {
    await server.close();
  }
});

test("an unexpected failure while answering: 500 server_error, not a 400, and the server lives on", async () => {
  const server = await startOpenAiServer();
  try {
    server.script(replyThatThrows());
    const logged = await captureConsoleErrors(async () => {
      const res = await post(server.url, good);
      assert.is(res.status, 500);
      const body = (res.json as OpenAiError).error;
      assert.is(body.type, "server_error");
      assert.not.match(body.message, /Cannot read/);
    });
    assert.ok(
      logged.some((line) => line.includes("Cannot read properties")),
      "logged",
    );
    assert.is((await post(server.url, good)).status, 200, "still answers");
  } finally {
    await server.close();
  }
});

test("a body over maxBodyBytes: 413 saying so; one under it is answered", async () => {
  const server = await startOpenAiServer({ maxBodyBytes: 2048 });
  try {
    const res = await post(server.url, { model: "m", messages: [{ role: "user", content: "x".repeat(4096) }] });
    assert.is(res.status, 413);
    const error = (res.json as OpenAiError).error;
    assert.is(error.type, "invalid_request_error");
    assert.match(error.message, /over 2048 bytes/);
    assert.is((await post(server.url, good)).status, 200);
  } finally {
    await server.close();
  }
});

test.run();
