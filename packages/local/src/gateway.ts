/**
 * A local stand-in for API Gateway HTTP API: matches the topology's routes,
 * verifies the JWT like the JWT authorizer, and invokes the ingress handler with
 * a payload-format-2.0 event shaped as AWS documents it.
 */
import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { api, type RouteSpec } from "@cvpipe/core/topology";
import type { APIGatewayProxyEventV2WithJWTAuthorizer, APIGatewayProxyResultV2, Context } from "aws-lambda";
import { type LocalKeys, type TokenFailure, tokenScopes, verifyToken } from "./jwt-keys.ts";
import { lambdaContext, withTimeout } from "./lambda-context.ts";
import { HOST } from "./settings.ts";

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
}

/** API Gateway's own payload limit for HTTP APIs. */
const MAX_PAYLOAD_BYTES = 10 * 1024 * 1024;
const TEXT_TYPES =
  /^(text\/|application\/(json|xml|javascript|x-www-form-urlencoded)|application\/[\w.+-]+\+(json|xml))/i;

interface MatchedRoute {
  readonly route: RouteSpec;
  readonly pathParameters: Record<string, string>;
}

export const matchRoute = (method: string, path: string): MatchedRoute | undefined => {
  for (const route of api.routes) {
    if (route.method !== method) continue;
    const names: string[] = [];
    const pattern = route.path.replace(/\{(\w+)\}/g, (_m, name: string) => {
      names.push(name);
      return "([^/]+)";
    });
    const m = new RegExp(`^${pattern}$`).exec(path);
    if (!m) continue;
    const pathParameters: Record<string, string> = {};
    for (const [i, n] of names.entries()) {
      // A malformed %-escape is passed on as sent rather than failing the request.
      pathParameters[n] = safeDecode(m[i + 1] ?? "");
    }
    return { route, pathParameters };
  }
  return undefined;
};

const safeDecode = (raw: string): string => {
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw;
  }
};

/** API Gateway passes JWT claims as strings; arrays become `[a b]`. */
const claimString = (value: unknown): string =>
  Array.isArray(value) ? `[${value.join(" ")}]` : typeof value === "string" ? value : JSON.stringify(value);

const apiTime = (d: Date): string => {
  const months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
  const p = (n: number) => String(n).padStart(2, "0");
  return `${p(d.getUTCDate())}/${months[d.getUTCMonth()]}/${d.getUTCFullYear()}:${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())} +0000`;
};

const readBody = (req: IncomingMessage): Promise<Buffer | "too-large"> =>
  new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (c: Buffer) => {
      size += c.length;
      if (size <= MAX_PAYLOAD_BYTES) chunks.push(c);
    });
    req.on("end", () => resolve(size > MAX_PAYLOAD_BYTES ? "too-large" : Buffer.concat(chunks)));
    req.on("error", reject);
  });

/** Builds the payload-format-2.0 event for a matched request. */
export const toApiEvent = (
  req: IncomingMessage,
  url: URL,
  body: Buffer,
  matched: MatchedRoute,
  claims: Record<string, string> | undefined,
  scopes: string[] | undefined,
): APIGatewayProxyEventV2WithJWTAuthorizer => {
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(req.headers)) {
    if (v === undefined || k === "cookie") continue;
    headers[k.toLowerCase()] = Array.isArray(v) ? v.join(",") : v;
  }
  const query: Record<string, string> = {};
  for (const [k, v] of url.searchParams) query[k] = query[k] === undefined ? v : `${query[k]},${v}`;
  const cookies = req.headers.cookie
    ?.split(";")
    .map((c) => c.trim())
    .filter(Boolean);
  const now = new Date();
  const routeKey = `${matched.route.method} ${matched.route.path}`;
  const isText = body.length === 0 || TEXT_TYPES.test(headers["content-type"] ?? "");
  const event = {
    version: "2.0",
    routeKey,
    rawPath: url.pathname,
    rawQueryString: url.search.slice(1),
    ...(cookies && cookies.length > 0 ? { cookies } : {}),
    headers,
    ...(Object.keys(query).length > 0 ? { queryStringParameters: query } : {}),
    requestContext: {
      accountId: "000000000000",
      apiId: "local",
      ...(claims
        ? { authorizer: { principalId: "", integrationLatency: 0, jwt: { claims, scopes: scopes ?? [] } } }
        : {}),
      domainName: headers["host"] ?? `${HOST}`,
      domainPrefix: (headers["host"] ?? "local").split(".")[0] ?? "local",
      http: {
        method: matched.route.method,
        path: url.pathname,
        protocol: `HTTP/${req.httpVersion}`,
        sourceIp: req.socket.remoteAddress ?? HOST,
        userAgent: headers["user-agent"] ?? "",
      },
      requestId: randomUUID(),
      routeKey,
      stage: "$default",
      time: apiTime(now),
      timeEpoch: now.getTime(),
    },
    ...(Object.keys(matched.pathParameters).length > 0 ? { pathParameters: matched.pathParameters } : {}),
    ...(body.length > 0 ? { body: isText ? body.toString("utf8") : body.toString("base64") } : {}),
    isBase64Encoded: !isText,
  };
  return event as unknown as APIGatewayProxyEventV2WithJWTAuthorizer;
};

const send = (res: ServerResponse, status: number, body: string, headers: Record<string, string> = {}): void => {
  res.writeHead(status, { "content-type": "application/json", ...headers });
  res.end(body);
};

/** API Gateway's responses for requests that never reach the integration. */
const gatewayError = (res: ServerResponse, status: number, message: string, headers: Record<string, string> = {}) =>
  send(res, status, JSON.stringify({ message }), headers);

/**
 * The `www-authenticate` descriptions: one fixed text per failure class. Nothing
 * of the token (a header value, a claim, a library's message about either) is
 * ever echoed: it would let a caller write into our response headers.
 */
const TOKEN_FAILURES: Record<TokenFailure, string> = {
  malformed: "the token is not a well-formed signed JWT",
  "unsupported-header": "the token's header asks for an algorithm or extension not supported",
  "unknown-key": "the token's kid names no key of the issuer",
  "bad-signature": "the token's signature does not verify",
  "no-expiry": "the token has no exp claim",
  expired: "the token has expired (exp)",
  "not-yet-valid": "the token is not valid yet (nbf)",
  "issued-in-future": "the token's iat is in the future",
  "wrong-issuer": "the token's issuer (iss) is not accepted",
  "wrong-audience": "the token's audience (aud or client_id) is not accepted",
};
const NO_TOKEN = "no bearer token in the authorization header";
const NO_SCOPE = "the token has none of the route's scopes";

/**
 * The token from the Authorization header (the identity source). API Gateway also takes a bare token
 * without `Bearer `; the local gateway asks for the prefix, so what works here works there too.
 */
const bearerToken = (header: string | undefined): string | undefined => /^Bearer\s+(\S+)$/i.exec(header ?? "")?.[1];

const unauthorized = (res: ServerResponse, error: "invalid_request" | "invalid_token", description: string) =>
  gatewayError(res, 401, "Unauthorized", {
    "www-authenticate": `Bearer error="${error}" error_description="${description}"`,
  });

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

export const startGateway = async (options: GatewayOptions): Promise<{ url: string; port: number; server: Server }> => {
  const server = createServer(async (req, res) => {
    const started = Date.now();
    const method = req.method ?? "GET";
    // The Host header is the client's to send: never let it decide whether the URL parses.
    const url = URL.parse(req.url ?? "/", `http://${HOST}`);
    if (!url) return gatewayError(res, 400, "Bad Request");
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
      const matched = matchRoute(method, url.pathname);
      if (!matched) return gatewayError(res, 404, "Not Found");
      const body = await readBody(req);
      if (body === "too-large") return gatewayError(res, 413, "Request Entity Too Large");

      let claims: Record<string, string> | undefined;
      let scopes: string[] | undefined;
      if (matched.route.auth) {
        const token = bearerToken(req.headers.authorization);
        if (!token) return unauthorized(res, "invalid_request", NO_TOKEN);
        const checked = await verifyToken(options.keys, token);
        if (!checked.ok) return unauthorized(res, "invalid_token", TOKEN_FAILURES[checked.failure]);
        claims = Object.fromEntries(Object.entries(checked.payload).map(([k, v]) => [k, claimString(v)]));
        scopes = tokenScopes(checked.payload);
        const required: readonly string[] = matched.route.scopes;
        if (required.length > 0 && !required.some((s) => scopes?.includes(s))) {
          // API Gateway: a valid token without any of the route's authorizationScopes is a 403.
          return gatewayError(res, 403, "Forbidden", {
            "www-authenticate": `Bearer error="insufficient_scope" error_description="${NO_SCOPE}" scope="${required.join(" ")}"`,
          });
        }
      }
      const event = toApiEvent(req, url, body, matched, claims, scopes);
      const context = lambdaContext("ingress", options.timeoutSeconds, options.region);
      const result = await withTimeout(options.handler(event, context), options.timeoutSeconds * 1000);
      if (result === "timeout") return gatewayError(res, 503, "Service Unavailable");
      writeResult(res, result);
    } catch (error) {
      options.onRequest?.(`${method} ${url.pathname}: integration error ${(error as Error).message}`);
      if (!res.headersSent) gatewayError(res, 500, "Internal Server Error");
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, HOST, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return { url: `http://${HOST}:${port}`, port, server };
};
