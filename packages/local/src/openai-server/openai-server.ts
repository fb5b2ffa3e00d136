import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { closeServer } from "../listen.ts";
import {
  type BodyWording,
  estimateUsage,
  guardedListener,
  judgeBody,
  logStandInFailure,
  MAX_BODY_BYTES,
  type ModelStandIn,
  modelReplies,
  readRequestBody,
  serveStandIn,
} from "../model-stand-in.ts";
import { chatRequest } from "./chat-request.ts";
import { asConverse, chatAnswer, chatScenario } from "./chat-scenarios.ts";

/**
 * A local stand-in for an OpenAI-compatible server (Ollama, vLLM, llama.cpp's
 * server, LM Studio, a hosted provider): `POST /v1/chat/completions` and
 * `GET /v1/models` over HTTP/1.1 on 127.0.0.1, so the `openai` engine can be
 * pointed at it with `OPENAI_BASE_URL=<server.url>/v1`.
 *
 * It answers with the Bedrock stand-in's scenarios (chat-scenarios.ts): a
 * model name ending in `scenario-<name>`, or `cvpipe-scenario-<name>` in the
 * posting's title, picks `good`, `malformed`, `wrong-shape`, `throttled`,
 * `throttled-<n>`, `unavailable`, `hallucinating`, `guardrail` (here a
 * `content_filter` finish) or `unreliable`. The answer comes the way the
 * request asked for it:
 * - `response_format: {type: "json_schema"}`: the JSON alone as the content;
 * - `tools` + `tool_choice` naming a function: a tool call with the JSON as arguments;
 * - neither: the JSON in a ```json fence inside prose.
 * `supports` turns either structured form off: such a request is then answered
 * 400 naming the parameter, as servers without it answer.
 * A misbehaving answer (prose) stays prose whatever the form: a model that
 * ignores the format is what the engine must survive.
 * A body that is not a Chat Completions request (chat-request.ts) is answered
 * 400 naming the field (`param`), one over `maxBodyBytes` 413, and a failure
 * of the stand-in itself 500 `server_error` (and a log line).
 */
export interface OpenAiServerOptions {
  readonly port?: number;
  readonly host?: "127.0.0.1";
  /** When set, a request without `Authorization: Bearer <apiKey>` is answered 401. */
  readonly apiKey?: string;
  /** Which structured forms the server accepts (default both). */
  readonly supports?: { readonly jsonSchema?: boolean; readonly tools?: boolean };
  /** `Retry-After` of a throttled answer, in seconds (default 1; "" sends none). */
  readonly retryAfter?: string;
  /** The most of a request's body read (default MAX_BODY_BYTES); a longer one is answered 413. */
  readonly maxBodyBytes?: number;
}

/** Request headers that carry credentials: kept out of `headers` (a test may print them). */
const SECRET_HEADERS = new Set(["authorization"]);

/** OpenAI's words for a body that is empty or not JSON. */
const CHAT_WORDING: BodyWording = {
  empty: "The request body is empty: a Chat Completions request is a JSON object with model and messages.",
  notJson: (problem) => `We could not parse the JSON body of your request: ${problem}`,
};

export interface RecordedChatRequest {
  readonly method: string;
  readonly path: string;
  /** Without the Authorization header, which is `authorization` alone (tests check what key came). */
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly authorization: string | undefined;
  readonly body: unknown;
  /** Which structured form the request asked for. */
  readonly mode?: "json_schema" | "tools" | "plain";
  status?: number;
}

/** One scripted reply: an error status (with headers such as Retry-After), or the model's text. */
export type ScriptedChatReply =
  | { readonly status: number; readonly message?: string; readonly headers?: Readonly<Record<string, string>> }
  | { readonly text: string; readonly finishReason?: string };

export interface OpenAiServer extends ModelStandIn<RecordedChatRequest, ScriptedChatReply> {
  /** `http://127.0.0.1:<port>`; the API is under `/v1`. */
  readonly url: string;
}

interface ChatBody {
  readonly model?: unknown;
  readonly messages?: unknown;
  readonly response_format?: { readonly type?: string; readonly json_schema?: { readonly name?: string } };
  readonly tools?: readonly { readonly function?: { readonly name?: string } }[];
  readonly tool_choice?: { readonly function?: { readonly name?: string } } | string;
}

const FINISH_REASON: Readonly<Record<string, string>> = {
  end_turn: "stop",
  max_tokens: "length",
  guardrail_intervened: "content_filter",
};

/** The JSON object in the scenario's text (inside its fence), or undefined for prose. */
const jsonIn = (text: string): string | undefined => {
  const fence = /```json\n([\s\S]*?)\n```/.exec(text);
  if (fence?.[1] !== undefined) return fence[1];
  const start = text.indexOf("{");
  return start >= 0 ? text.slice(start) : undefined;
};

export const startOpenAiServer = async (options: OpenAiServerOptions = {}): Promise<OpenAiServer> => {
  const requests: RecordedChatRequest[] = [];
  const replies = modelReplies<ScriptedChatReply>();
  const supportsJsonSchema = options.supports?.jsonSchema ?? true;
  const supportsTools = options.supports?.tools ?? true;
  const retryAfter = options.retryAfter ?? "1";

  const maxBodyBytes = options.maxBodyBytes ?? MAX_BODY_BYTES;

  /** Answers one request; `seen.record` is what it recorded (for `failed`). */
  const handle = (
    req: IncomingMessage,
    res: ServerResponse,
    read: Buffer | "too-large",
    seen: { record?: RecordedChatRequest },
  ): void => {
    const { raw, parsed, recorded: body } = readRequestBody(read);
    const path = (req.url ?? "/").split("?")[0] ?? "/";
    const headers = Object.fromEntries(Object.entries(req.headers).filter(([k]) => !SECRET_HEADERS.has(k)));
    const chat = (typeof body === "object" && body !== null ? body : {}) as ChatBody;
    const mode =
      chat.response_format?.type === "json_schema" ? "json_schema" : chat.tools !== undefined ? "tools" : "plain";
    const record: RecordedChatRequest = {
      method: req.method ?? "GET",
      path,
      headers,
      authorization: req.headers.authorization,
      body,
      ...(path.endsWith("/chat/completions") ? { mode } : {}),
    };
    requests.push(record);
    seen.record = record;
    const send = (status: number, payload: unknown, extra: Record<string, string> = {}): void => {
      record.status = status;
      res.writeHead(status, { "content-type": "application/json", "x-request-id": randomUUID(), ...extra });
      res.end(JSON.stringify(payload));
    };
    // OpenAI's error body: `{error: {message, type, param, code}}`.
    const fail = (status: number, type: string, message: string, param: string | null = null, extra = {}): void =>
      send(status, { error: { message, type, param, code: null } }, extra);

    if (options.apiKey !== undefined && req.headers.authorization !== `Bearer ${options.apiKey}`) {
      fail(401, "invalid_request_error", "Incorrect API key provided.");
      return;
    }
    if (req.method === "GET" && path === "/v1/models") {
      send(200, {
        object: "list",
        data: [{ id: "local.cvpipe-openai-stand-in", object: "model", owned_by: "cvpipe" }],
      });
      return;
    }
    if (req.method !== "POST" || path !== "/v1/chat/completions") {
      fail(404, "invalid_request_error", `Unknown request URL: ${req.method} ${path}`);
      return;
    }
    const checked = judgeBody(read, parsed, chatRequest, maxBodyBytes, CHAT_WORDING);
    if (!checked.ok) {
      fail(checked.status, "invalid_request_error", checked.message, checked.path);
      return;
    }
    const valid = checked.value;
    if (mode === "json_schema" && !supportsJsonSchema) {
      fail(400, "invalid_request_error", "response_format type json_schema is not supported", "response_format");
      return;
    }
    if (mode === "tools" && !supportsTools) {
      fail(400, "invalid_request_error", "tools are not supported by this model", "tools");
      return;
    }

    const converse = asConverse(valid.messages);
    const model = valid.model;
    const turn = replies.next(
      () => chatScenario(model, converse),
      (scenario) => {
        const answer = chatAnswer(scenario, converse);
        return { text: answer.text, finishReason: FINISH_REASON[answer.stopReason ?? "end_turn"] ?? "stop" };
      },
    );
    if (turn.kind === "throttled") {
      fail(429, "rate_limit_exceeded", "Rate limit reached; please try again later.", null, {
        ...(retryAfter === "" ? {} : { "retry-after": retryAfter }),
      });
      return;
    }
    if (turn.kind === "unavailable") {
      fail(503, "server_error", "The server is overloaded or not ready yet.");
      return;
    }
    if (turn.kind === "unanswerable") {
      fail(400, "invalid_request_error", turn.message, "messages");
      return;
    }
    const reply = turn.reply;
    if (!("text" in reply)) {
      fail(
        reply.status,
        reply.status === 429 ? "rate_limit_exceeded" : "server_error",
        reply.message ?? "error",
        null,
        {
          ...reply.headers,
        },
      );
      return;
    }
    const json = jsonIn(reply.text);
    const toolName = typeof valid.tool_choice === "object" ? valid.tool_choice?.function?.name : undefined;
    const message =
      mode === "tools" && json !== undefined
        ? {
            role: "assistant",
            content: null,
            tool_calls: [
              {
                id: `call_${randomUUID()}`,
                type: "function",
                function: { name: toolName ?? valid.tools?.[0]?.function?.name ?? "answer", arguments: json },
              },
            ],
          }
        : { role: "assistant", content: mode === "json_schema" && json !== undefined ? json : reply.text };
    const usage = estimateUsage(raw, reply.text);
    send(200, {
      id: `chatcmpl-${randomUUID()}`,
      object: "chat.completion",
      created: 0,
      model,
      choices: [
        {
          index: 0,
          message,
          finish_reason:
            "tool_calls" in message && reply.finishReason === "stop" ? "tool_calls" : (reply.finishReason ?? "stop"),
        },
      ],
      usage: {
        prompt_tokens: usage.inputTokens,
        completion_tokens: usage.outputTokens,
        total_tokens: usage.totalTokens,
      },
    });
  };

  /** The stand-in's own failure: a 500 in OpenAI's shape (the client did nothing wrong) and a log line. */
  const failed = (req: IncomingMessage, res: ServerResponse, error: unknown, record?: RecordedChatRequest): void => {
    logStandInFailure("OpenAI", `${req.method} ${req.url}`, error);
    if (record !== undefined) record.status = 500;
    try {
      if (res.headersSent) {
        res.destroy();
        return;
      }
      res.writeHead(500, { "content-type": "application/json", "x-request-id": randomUUID() });
      res.end(
        JSON.stringify({
          error: {
            message: "The OpenAI stand-in failed while answering; see its log.",
            type: "server_error",
            param: null,
            code: null,
          },
        }),
      );
    } catch (answering) {
      logStandInFailure("OpenAI", "with its 500", answering);
    }
  };

  const server = createServer(guardedListener(maxBodyBytes, handle, failed));
  return serveStandIn(server, options, requests, replies, () => closeServer(server));
};
