/**
 * The openai engine (@cvpipe/functions) against the local Chat Completions
 * stand-in (@cvpipe/local) over loopback HTTP: each scenario, Retry-After,
 * the structured-output fallbacks, PII redaction. Here because the functions
 * package does not depend on the local one. No real waits: the engine's sleep
 * and clock are injected and the sleeps it asked for are asserted.
 */
import { EngineOutputInvalidError } from "@cvpipe/core/errors";
import { tailorCv } from "@cvpipe/core/tailoring/tailor-cv";
import {
  ChatCompletionsRejectedError,
  ChatCompletionsUnavailableError,
} from "@cvpipe/functions/engines/openai/chat-completions-client";
import { OpenAiEngine, type OpenAiEngineOptions } from "@cvpipe/functions/engines/openai/openai-engine";
import { type OpenAiServer, type OpenAiServerOptions, startOpenAiServer } from "@cvpipe/local/openai-server";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { assertGoodResult, posting, redactionCase, rejection, request } from "./support/model-engine-case.ts";
import { freePort } from "./support/ports.ts";

/** A fixed instant for HTTP-date Retry-After: the engine reads this clock, never the real one. */
const NOW = Date.parse("2026-03-02T10:00:00Z");

let server: OpenAiServer;
let sleeps: number[];

const engine = (model: string, options: Partial<OpenAiEngineOptions> = {}, on = server): OpenAiEngine =>
  new OpenAiEngine({
    baseUrl: `${on.url}/v1`,
    model,
    piiRedaction: false,
    timer: {
      sleep: async (ms) => {
        sleeps.push(ms);
      },
    },
    clock: { now: () => new Date(NOW) },
    random: () => 0.5,
    ...options,
  });

/** A stand-in of its own for a test that changes what the server supports. */
const withServer = async (options: OpenAiServerOptions, run: (s: OpenAiServer) => Promise<void>): Promise<void> => {
  const own = await startOpenAiServer(options);
  try {
    await run(own);
  } finally {
    await own.close();
  }
};

test.before(async () => {
  server = await startOpenAiServer({ apiKey: "sk-test-key" });
});
test.after(async () => server.close());
test.before.each(() => {
  server.requests.length = 0;
  sleeps = [];
});

const withKey = { apiKey: async () => "sk-test-key" };

test("good: a verified result with token usage and model, the key sent as a bearer token, json_schema asked for", async () => {
  const e = engine("llama3.1:8b", withKey);
  const result = await tailorCv(e, request, { bannedClaims: [] });
  assertGoodResult(result, "openai", "llama3.1:8b");
  assert.is(server.requests.length, 1);
  const sent = server.requests[0]!;
  assert.is(sent.path, "/v1/chat/completions");
  assert.is(sent.authorization, "Bearer sk-test-key");
  assert.is(sent.mode, "json_schema");
  const body = sent.body as {
    model: string;
    temperature: number;
    messages: { role: string; content: string }[];
    response_format: { json_schema: { name: string; strict: boolean; schema: { required: string[] } } };
  };
  assert.is(body.model, "llama3.1:8b");
  assert.is(body.temperature, 0);
  assert.equal(
    body.messages.map((m) => m.role),
    ["system", "user"],
  );
  assert.match(body.messages[0]!.content, /never invent/, "the repo's default system prompt");
  assert.equal(body.response_format.json_schema.schema.required, ["basics"]);
  assert.is(body.response_format.json_schema.strict, false);
  assert.is(e.outputMode, "json_schema");
});

test("no key where the server wants one: ENGINE_REJECTED (401), never retried", async () => {
  const error = await rejection(engine("m").tailor(request));
  assert.instance(error, ChatCompletionsRejectedError);
  assert.equal([error.code, error.retryable, server.requests.length], ["ENGINE_REJECTED", false, 1]);
  assert.match(error.message, /HTTP 401/);
});

test("malformed (prose) → asked once more, then ENGINE_OUTPUT_INVALID, not retryable", async () => {
  const error = await rejection(engine("cvpipe.local-scenario-malformed", withKey).tailor(request));
  assert.instance(error, EngineOutputInvalidError);
  assert.equal([error.code, error.retryable], ["ENGINE_OUTPUT_INVALID", false]);
  assert.match(error.message, /not JSON/);
  assert.is(server.requests.length, 2);
  const second = server.requests[1]!.body as { messages: { role: string; content: string }[] };
  assert.equal(
    second.messages.map((m) => m.role),
    ["system", "user", "assistant", "user"],
  );
  assert.match(second.messages[3]!.content, /not usable: not JSON/);
});

test("wrong shape → ENGINE_OUTPUT_INVALID naming the shape", async () => {
  const error = await rejection(engine("cvpipe.local-scenario-wrong-shape", withKey).tailor(request));
  assert.instance(error, EngineOutputInvalidError);
  assert.match(error.message, /wrong shape/);
});

test("throttled twice with Retry-After: 1 → waits 1 s each time (as asked, no jitter), then succeeds", async () => {
  const output = await engine("cvpipe.local-scenario-throttled-2", withKey).tailor(request);
  assert.is(output.resume.basics?.email, "jane.doe@example.org");
  assert.equal(
    server.requests.map((r) => r.status),
    [429, 429, 200],
  );
  assert.equal(sleeps, [1000, 1000]);
});

test("Retry-After as an HTTP date is read against the engine's clock; a huge one is capped", async () => {
  server.script(
    { status: 429, headers: { "retry-after": "Mon, 02 Mar 2026 10:00:07 GMT" } },
    { status: 503, headers: { "retry-after": "86400" } },
  );
  await engine("m", { ...withKey, maxRetryAfterMs: 15_000 }).tailor(request);
  assert.equal(sleeps, [7000, 15_000]);
  assert.equal(
    server.requests.map((r) => r.status),
    [429, 503, 200],
  );
});

test("no Retry-After: jittered exponential backoff (base × 2^n × random)", async () => {
  server.script({ status: 500 }, { status: 502 });
  await engine("m", { ...withKey, retryBaseDelayMs: 100 }).tailor(request);
  assert.equal(sleeps, [0.5 * 200, 0.5 * 400]);
});

test("persistent throttling → retryable ENGINE_UNAVAILABLE after maxAttempts, the Bedrock engine's class of failure", async () => {
  const error = await rejection(
    engine("cvpipe.local-scenario-throttled", { ...withKey, maxAttempts: 4 }).tailor(request),
  );
  assert.instance(error, ChatCompletionsUnavailableError);
  assert.equal([error.code, error.retryable, server.requests.length], ["ENGINE_UNAVAILABLE", true, 4]);
  assert.equal(error.details, { attempts: 4, status: 429 });
  assert.is(sleeps.length, 3, "no wait after the last attempt");
});

test("unavailable (503) is retried too, then ENGINE_UNAVAILABLE; a 400 that is not about the format is not retried", async () => {
  const unavailable = await rejection(engine("cvpipe.local-scenario-unavailable", withKey).tailor(request));
  assert.equal([unavailable.code, unavailable.retryable, server.requests.length], ["ENGINE_UNAVAILABLE", true, 3]);
  server.requests.length = 0;
  server.script({ status: 400, message: "This model's maximum context length is 8192 tokens" });
  const invalid = await rejection(engine("m", withKey).tailor(request));
  assert.equal([invalid.code, invalid.retryable, server.requests.length], ["ENGINE_REJECTED", false, 1]);
  assert.match(invalid.message, /maximum context length/);
});

test("an unreachable server (connection refused) is transient: ENGINE_UNAVAILABLE after the attempts", async () => {
  const port = await freePort();
  const e = new OpenAiEngine({
    baseUrl: `http://127.0.0.1:${port}/v1`,
    model: "m",
    piiRedaction: false,
    timer: {
      sleep: async (ms) => {
        sleeps.push(ms);
      },
    },
  });
  const error = await rejection(e.tailor(request));
  assert.equal([error.code, error.retryable], ["ENGINE_UNAVAILABLE", true]);
  assert.match(error.message, /ECONNREFUSED/);
  assert.is(sleeps.length, 2);
});

test("hallucinating → tailorCv throws UNGROUNDED_CLAIM, never a success", async () => {
  const error = await rejection(
    tailorCv(engine("cvpipe.local-scenario-hallucinating", withKey), request, { bannedClaims: [] }),
  );
  assert.is(error.code, "UNGROUNDED_CLAIM");
  const texts = (error.details as { text: string }[]).map((v) => v.text);
  assert.ok(texts.includes("Globex Corporation"), texts.join(", "));
  assert.ok(texts.includes("90"), texts.join(", "));
});

test("a content_filter finish (the guardrail scenario) → ENGINE_OUTPUT_INVALID, not retryable", async () => {
  const error = await rejection(engine("cvpipe.local-scenario-guardrail", withKey).tailor(request));
  assert.instance(error, EngineOutputInvalidError);
  assert.match(error.message, /content_filter/);
});

test("a server without response_format: 400 → a tool call, and the engine remembers it for the next job", async () => {
  await withServer({ supports: { jsonSchema: false } }, async (own) => {
    const e = engine("m", {}, own);
    const first = await tailorCv(e, request, { bannedClaims: [] });
    assert.ok(first.verification.passed);
    assert.equal(
      own.requests.map((r) => [r.mode, r.status]),
      [
        ["json_schema", 400],
        ["tools", 200],
      ],
    );
    const tools = own.requests[1]!.body as { tool_choice: { function: { name: string } }; tools: unknown[] };
    assert.is(tools.tool_choice.function.name, "submit_tailored_cv");
    assert.is(e.outputMode, "tools");
    own.requests.length = 0;
    await e.tailor(request);
    assert.equal(
      own.requests.map((r) => r.mode),
      ["tools"],
      "not refused again",
    );
  });
});

test("a server with neither: json_schema → tools → plain JSON in a fenced reply", async () => {
  await withServer({ supports: { jsonSchema: false, tools: false } }, async (own) => {
    const e = engine("m", {}, own);
    const output = await e.tailor(request);
    assert.is(output.resume.basics?.name, "Jane Doe");
    assert.equal(
      own.requests.map((r) => [r.mode, r.status]),
      [
        ["json_schema", 400],
        ["tools", 400],
        ["plain", 200],
      ],
    );
    const plain = own.requests[2]!.body as Record<string, unknown>;
    assert.not.ok("response_format" in plain || "tools" in plain);
    assert.is(e.outputMode, "plain");
  });
});

test("tool mode: a hallucinating answer arrives as tool arguments and is still refused by the verifier", async () => {
  await withServer({ supports: { jsonSchema: false } }, async (own) => {
    const error = await rejection(
      tailorCv(engine("cvpipe.local-scenario-hallucinating", { outputMode: "tools" }, own), request, {
        bannedClaims: [],
      }),
    );
    assert.is(error.code, "UNGROUNDED_CLAIM");
    assert.equal(
      own.requests.map((r) => r.mode),
      ["tools"],
    );
  });
});

test("a scenario named in the posting's title (cvpipe-scenario-<name>) picks the answer for that job only", async () => {
  const e = engine("llama3.1:8b", withKey);
  const error = await rejection(
    tailorCv(
      e,
      { ...request, posting: { ...posting, title: "Engineer cvpipe-scenario-hallucinating" } },
      {
        bannedClaims: [],
      },
    ),
  );
  assert.is(error.code, "UNGROUNDED_CLAIM");
  const result = await tailorCv(e, request, { bannedClaims: [] });
  assert.ok(result.verification.passed, "the next job, without the marker, is good");
});

test("PII redaction: nothing personal reaches the server, and the output has it back", () =>
  redactionCase(engine("m", { ...withKey, piiRedaction: true }), () => server.requests.map((r) => r.body)));

test("the stand-in lists its model at GET /v1/models", async () => {
  const res = await fetch(`${server.url}/v1/models`, { headers: { authorization: "Bearer sk-test-key" } });
  const body = (await res.json()) as { object: string; data: { id: string }[] };
  assert.is(body.object, "list");
  assert.ok(body.data.length > 0);
});

test.run();
