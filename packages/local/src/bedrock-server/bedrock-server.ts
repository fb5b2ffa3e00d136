import { randomUUID } from "node:crypto";
import { appendFileSync } from "node:fs";
import { createServer, type Http2ServerRequest, type Http2ServerResponse, type ServerHttp2Session } from "node:http2";
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
import { converseRequest } from "./converse-request.ts";
import { modelAnswer, scenarioOf } from "./scenarios.ts";

/**
 * A local stand-in for the Bedrock Runtime Converse API, speaking its wire
 * protocol (REST-JSON over HTTP/2 cleartext, since the SDK's Bedrock client
 * is HTTP/2-only) so the real `BedrockRuntimeClient` can be pointed at it
 * with `endpoint: server.url`.
 *
 * `POST /model/{modelId}/converse` answers like a well-behaved model by
 * default: it reads the CV and posting from the prompt's `<cv>` and
 * `<job_description>` tags, tailors with the local engine and replies with
 * the JSON Resume in a ```json fence. Other behaviours, for tests:
 * - a model id ending in `scenario-<name>` (`good`, `malformed`, `wrong-shape`,
 *   `throttled` (always), `throttled-<n>` (n × 429 then good), `unavailable`,
 *   `hallucinating`, `guardrail`, `unreliable` (one misbehaviour per CV, by its
 *   text: a changed identity, JSON cut off at max_tokens, an invented employer, prose));
 * - `server.script(...)`: queued replies, used first, one per request.
 * A body that is not a Converse request (converse-request.ts) is answered 400
 * ValidationException naming the field, one over `maxBodyBytes` 413, and a
 * failure of the stand-in itself 500 InternalServerException (and a log line).
 * Every request is recorded in `server.requests` and, when `recordFile` (or
 * `CVPIPE_BEDROCK_RECORD_FILE`) names a file, appended to it as one JSON line
 * once answered — so a test can read what the model received from a stand-in
 * the embedded stack started (in this process or another).
 */
export interface BedrockServerOptions {
  readonly port?: number;
  readonly host?: "127.0.0.1";
  /** JSON Lines file every answered request is appended to (0600); default `CVPIPE_BEDROCK_RECORD_FILE`. */
  readonly recordFile?: string;
  /** The most of a request's body read (default MAX_BODY_BYTES); a longer one is answered 413. */
  readonly maxBodyBytes?: number;
}

/** Where `startBedrockServer` appends what it received when no `recordFile` is given. */
export const BEDROCK_RECORD_FILE_ENV = "CVPIPE_BEDROCK_RECORD_FILE";

/** Request headers that carry credentials: never written to the record file. */
const SECRET_HEADERS = new Set(["authorization", "x-amz-security-token"]);

export interface RecordedRequest {
  readonly method: string;
  readonly path: string;
  readonly modelId: string | undefined;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  /** Parsed JSON body (or the raw text when it is not JSON). */
  readonly body: unknown;
  /** The status the server answered with. */
  status?: number;
}

/** One scripted reply: an AWS error, or a model answer (text + optional stop reason). */
export type ScriptedReply =
  | { readonly error: string; readonly status: number; readonly message?: string }
  | { readonly text: string; readonly stopReason?: string };

/** `script(...)` queues replies that take precedence over the model-id scenario. */
export type BedrockServer = ModelStandIn<RecordedRequest, ScriptedReply>;

const CONVERSE_PATH = /^\/model\/([^/]+)\/converse\/?$/;

/** Bedrock's words for a body that is empty or not JSON. */
const CONVERSE_WORDING: BodyWording = {
  empty: "the request body is empty: a Converse request is a JSON object with messages",
  notJson: (problem) => `the request body is not JSON: ${problem}`,
};

export const startBedrockServer = async (options: BedrockServerOptions = {}): Promise<BedrockServer> => {
  const requests: RecordedRequest[] = [];
  const recordFile = options.recordFile ?? (process.env[BEDROCK_RECORD_FILE_ENV] || undefined);
  // `throttled-<n>` is counted per model id.
  const replies = modelReplies<ScriptedReply>();
  const server = createServer();
  // The SDK keeps its HTTP/2 session open; close() must end it or the server never stops.
  const sessions = new Set<ServerHttp2Session>();
  server.on("session", (session: ServerHttp2Session) => {
    sessions.add(session);
    session.on("close", () => sessions.delete(session));
  });

  const maxBodyBytes = options.maxBodyBytes ?? MAX_BODY_BYTES;

  /** Appends an answered request to the record file, credentials left out. */
  const recordAnswered = (record: RecordedRequest): void => {
    if (recordFile === undefined) return;
    const headers = Object.fromEntries(Object.entries(record.headers).filter(([k]) => !SECRET_HEADERS.has(k)));
    appendFileSync(recordFile, `${JSON.stringify({ ...record, headers })}\n`, { mode: 0o600 });
  };

  /** Answers one request; `seen.record` is what it recorded (for `failed`). */
  const handle = (
    req: Http2ServerRequest,
    res: Http2ServerResponse,
    read: Buffer | "too-large",
    seen: { record?: RecordedRequest },
  ): void => {
    const started = Date.now();
    const { raw, parsed, recorded: body } = readRequestBody(read);
    const path = (req.url ?? "/").split("?")[0] ?? "/";
    const match = CONVERSE_PATH.exec(path);
    const modelId = match ? decodeURIComponent(match[1]!) : undefined;
    const record: RecordedRequest = { method: req.method, path, modelId, headers: { ...req.headers }, body };
    requests.push(record);
    seen.record = record;

    const sendJson = (status: number, payload: unknown, headers: Record<string, string> = {}): void => {
      record.status = status;
      recordAnswered(record);
      res.writeHead(status, { "content-type": "application/json", "x-amzn-requestid": randomUUID(), ...headers });
      res.end(JSON.stringify(payload));
    };
    // AWS REST-JSON errors: the type in `x-amzn-errortype`, the text in `message`.
    const sendError = (status: number, type: string, message: string): void =>
      sendJson(status, { message }, { "x-amzn-errortype": type });

    if (req.method !== "POST" || modelId === undefined) {
      sendError(404, "UnknownOperationException", `no operation at ${req.method} ${path}`);
      return;
    }
    const checked = judgeBody(read, parsed, converseRequest, maxBodyBytes, CONVERSE_WORDING);
    if (!checked.ok) {
      sendError(checked.status, "ValidationException", checked.message);
      return;
    }
    const converse = checked.value as ConverseBody;

    const turn = replies.next(
      () => ({ scenario: scenarioOf(modelId), key: modelId }),
      (scenario) => modelAnswer(scenario, converse),
    );
    if (turn.kind === "throttled") {
      sendError(429, "ThrottlingException", "Too many requests, please wait before trying again.");
      return;
    }
    if (turn.kind === "unavailable") {
      sendError(503, "ServiceUnavailableException", "Bedrock is unable to process your request.");
      return;
    }
    if (turn.kind === "unanswerable") {
      sendError(400, "ValidationException", turn.message);
      return;
    }
    const reply = turn.reply;
    if ("error" in reply) {
      sendError(reply.status, reply.error, reply.message ?? reply.error);
      return;
    }
    sendJson(200, {
      output: { message: { role: "assistant", content: [{ text: reply.text }] } },
      stopReason: reply.stopReason ?? "end_turn",
      usage: estimateUsage(raw, reply.text),
      metrics: { latencyMs: Date.now() - started },
    });
  };

  /** The stand-in's own failure: a 500 in AWS's shape (the client did nothing wrong) and a log line. */
  const failed = (
    req: Http2ServerRequest,
    res: Http2ServerResponse,
    error: unknown,
    record: RecordedRequest | undefined,
  ): void => {
    logStandInFailure("Bedrock", `${req.method} ${req.url}`, error);
    if (record !== undefined) {
      const unrecorded = record.status === undefined;
      record.status = 500;
      try {
        if (unrecorded) recordAnswered(record);
      } catch (recording) {
        logStandInFailure("Bedrock", "its record file", recording);
      }
    }
    try {
      if (res.headersSent) {
        res.stream.close();
        return;
      }
      res.writeHead(500, {
        "content-type": "application/json",
        "x-amzn-requestid": randomUUID(),
        "x-amzn-errortype": "InternalServerException",
      });
      res.end(JSON.stringify({ message: "The Bedrock stand-in failed while answering; see its log." }));
    } catch (answering) {
      logStandInFailure("Bedrock", "with its 500", answering);
    }
  };

  server.on("request", guardedListener(maxBodyBytes, handle, failed));

  return serveStandIn(
    server,
    options,
    requests,
    replies,
    () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const session of sessions) session.destroy();
      }),
  );
};

export interface ConverseBody {
  readonly messages: { role: string; content: { text?: string }[] }[];
  readonly system?: { text?: string }[];
}
