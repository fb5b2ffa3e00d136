import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { allowedOrigin, CORS } from "@cvpipe/core/contracts/cors";
import { isCorrelationId } from "@cvpipe/core/contracts/message-envelope";
import type { Clock } from "@cvpipe/core/ports/clock";
import type { APIGatewayProxyEventV2WithJWTAuthorizer, APIGatewayProxyResultV2, Context } from "aws-lambda";
import type { LocalKeys } from "../jwt-keys.ts";
import { lambdaContext, withTimeout } from "../lambda-context.ts";
import { listen } from "../listen.ts";
import { readBoundedBody } from "../request-body.ts";
import { HOST } from "../settings.ts";
import { authorize } from "./authorizer.ts";
import { toApiEvent } from "./http-api-event.ts";
import { matchesAnyRoute, matchRoute } from "./route-match.ts";

export type ApiHandler = (
  event: APIGatewayProxyEventV2WithJWTAuthorizer,
  context: Context,
) => Promise<APIGatewayProxyResultV2>;

export interface GatewayOptions {
  readonly port: number;
  readonly keys: LocalKeys;
  readonly handler: ApiHandler;
  readonly timeoutSeconds: number;
  readonly region: string;
  readonly onRequest?: (line: string) => void;
  /** The clock tokens are checked against (exp, nbf, iat) and events are stamped with: the functions' clock. */
  readonly clock: Clock;
  /** Origins CORS allows (`*` for any), as the deployment's API Gateway CORS settings; none: no CORS. */
  readonly corsOrigins?: readonly string[];
  /**
   * The operator console (console/console.ts), answered under /console before any API route is
   * matched: it is no API route (not in the topology, the OpenAPI document or the authorizer's).
   */
  readonly console?: (req: IncomingMessage, res: ServerResponse, url: URL) => Promise<void>;
}

/** The request id of an answer: the caller's `x-request-id` when it is a well-formed id, else a new one. */
const requestIdOf = (req: IncomingMessage): string => {
  const sent = req.headers["x-request-id"];
  return isCorrelationId(sent) ? sent : randomUUID();
};

/** The CORS headers of an answer to a request from `origin` (none when the origin is not allowed). */
const corsHeaders = (origins: readonly string[], origin: string | undefined): Record<string, string> => {
  const allowed = allowedOrigin(origins, origin);
  if (allowed === undefined) return {};
  return {
    "access-control-allow-origin": allowed,
    "access-control-expose-headers": CORS.exposeHeaders.join(","),
    ...(allowed === "*" ? {} : { vary: "origin" }),
  };
};

/** API Gateway's own payload limit for HTTP APIs. */
const MAX_PAYLOAD_BYTES = 10 * 1024 * 1024;

const send = (res: ServerResponse, status: number, body: string, headers: Record<string, string> = {}): void => {
  res.writeHead(status, { "content-type": "application/json", ...headers });
  res.end(body);
};

/** API Gateway's responses for requests that never reach the integration. */
const gatewayError = (res: ServerResponse, status: number, message: string, headers: Record<string, string> = {}) =>
  send(res, status, JSON.stringify({ message }), headers);

/** Writes a Lambda proxy result the way API Gateway does for format 2.0. */
const writeResult = (res: ServerResponse, result: APIGatewayProxyResultV2): void => {
  if (typeof result === "object" && result !== null && "statusCode" in result) {
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(result.headers ?? {})) headers[k] = String(v);
    if (result.cookies?.length) res.setHeader("set-cookie", result.cookies);
    const body = result.body ?? "";
    res.writeHead(result.statusCode ?? 200, headers);
    res.end(result.isBase64Encoded ? Buffer.from(body, "base64") : body);
    return;
  }
  // Without a statusCode, API Gateway assumes 200 and a JSON body.
  send(res, 200, typeof result === "string" ? result : JSON.stringify(result));
};

export interface Gateway {
  readonly url: string;
  readonly port: number;
  readonly server: Server;
  /** Requests being answered now. */
  inFlight(): number;
}

export const startGateway = async (options: GatewayOptions): Promise<Gateway> => {
  let inFlight = 0;
  const server = createServer(async (req, res) => {
    const started = Date.now();
    inFlight++;
    res.once("close", () => inFlight--);
    const method = req.method ?? "GET";
    // The Host header is the client's to send: never let it decide whether the URL parses.
    const url = URL.parse(req.url ?? "/", `http://${HOST}`);
    if (!url) return gatewayError(res, 400, "Bad Request");
    // Every answer names its request id, the gateway's own refusals too (API Gateway: apigw-requestid).
    const requestId = requestIdOf(req);
    res.setHeader("x-request-id", requestId);
    const origins = options.corsOrigins ?? [];
    const origin = typeof req.headers.origin === "string" ? req.headers.origin : undefined;
    const isConsole = options.console !== undefined && /^\/console(?:\/|$)/.test(url.pathname);
    // The console is for this machine's browser only: never readable cross-origin, whatever CORS allows.
    if (!isConsole)
      for (const [name, value] of Object.entries(corsHeaders(origins, origin))) res.setHeader(name, value);
    let status = 0;
    res.on("finish", () => {
      status = res.statusCode;
      options.onRequest?.(`${method} ${url.pathname} ${status} ${Date.now() - started}ms`);
    });
    try {
      if (method === "GET" && url.pathname === "/.well-known/jwks.json") {
        send(res, 200, JSON.stringify({ keys: [options.keys.publicJwk] }));
        return;
      }
      // A CORS preflight is answered by the gateway for any route's path (API Gateway does so when CORS
      // is configured), with no authorizer run; an origin that is not allowed gets no CORS headers.
      if (method === "OPTIONS" && origins.length > 0 && req.headers["access-control-request-method"]) {
        if (!matchesAnyRoute(url.pathname)) return gatewayError(res, 404, "Not Found");
        if (allowedOrigin(origins, origin) !== undefined) {
          res.setHeader("access-control-allow-methods", CORS.allowMethods.join(","));
          res.setHeader("access-control-allow-headers", CORS.allowHeaders.join(","));
          res.setHeader("access-control-max-age", String(CORS.maxAgeSeconds));
        }
        res.writeHead(204);
        res.end();
        return;
      }
      if (isConsole) {
        await options.console!(req, res, url);
        return;
      }
      const matched = matchRoute(method, url.pathname);
      if (!matched) return gatewayError(res, 404, "Not Found");
      const body = await readBoundedBody(req, MAX_PAYLOAD_BYTES);
      if (body === "too-large") return gatewayError(res, 413, "Request Entity Too Large");

      let claims: Record<string, string> | undefined;
      let scopes: string[] | undefined;
      if (matched.route.auth) {
        const verdict = await authorize(options.keys, matched.route, req.headers.authorization, options.clock.now());
        if (!verdict.ok) return gatewayError(res, verdict.status, verdict.message, verdict.headers);
        claims = verdict.claims;
        scopes = verdict.scopes;
      }
      const event = toApiEvent(req, url, body, matched, claims, scopes, requestId, options.clock);
      const context = lambdaContext("ingress", options.timeoutSeconds, options.region);
      const result = await withTimeout(options.handler(event, context), options.timeoutSeconds * 1000);
      if (result === "timeout") return gatewayError(res, 503, "Service Unavailable");
      writeResult(res, result);
    } catch (error) {
      options.onRequest?.(`${method} ${url.pathname}: integration error ${(error as Error).message}`);
      if (!res.headersSent) gatewayError(res, 500, "Internal Server Error");
    }
  });
  // Idle keep-alive connections outlive the clients' own idle timeout (undici: 4 s), as API Gateway's
  // do: with Node's 5 s default, a server whose event loop ran late closed a socket the client was
  // just reusing, and the request failed with a reset (seen under load). stop() closes idle ones.
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  const port = await listen(server, options.port);
  return { url: `http://${HOST}:${port}`, port, server, inFlight: () => inFlight };
};
