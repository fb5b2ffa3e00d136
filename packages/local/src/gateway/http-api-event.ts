import type { IncomingMessage } from "node:http";
import type { Clock } from "@cvpipe/core/ports/clock";
import type { APIGatewayProxyEventV2WithJWTAuthorizer } from "aws-lambda";
import { HOST } from "../settings.ts";
import type { MatchedRoute } from "./route-match.ts";

const TEXT_TYPES =
  /^(text\/|application\/(json|xml|javascript|x-www-form-urlencoded)|application\/[\w.+-]+\+(json|xml))/i;

/** API Gateway passes JWT claims as strings; arrays become `[a b]`. */
export const claimString = (value: unknown): string =>
  Array.isArray(value) ? `[${value.join(" ")}]` : typeof value === "string" ? value : JSON.stringify(value);

const apiTime = (d: Date): string => {
  const months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
  const p = (n: number) => String(n).padStart(2, "0");
  return `${p(d.getUTCDate())}/${months[d.getUTCMonth()]}/${d.getUTCFullYear()}:${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())} +0000`;
};

/** Builds the payload-format-2.0 event for a matched request; its time is `clock`'s (the gateway's). */
export const toApiEvent = (
  req: IncomingMessage,
  url: URL,
  body: Buffer,
  matched: MatchedRoute,
  claims: Record<string, string> | undefined,
  scopes: string[] | undefined,
  requestId: string,
  clock: Clock,
): APIGatewayProxyEventV2WithJWTAuthorizer => {
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(req.headers)) {
    if (v === undefined || k === "cookie") continue;
    headers[k.toLowerCase()] = Array.isArray(v) ? v.join(",") : v;
  }
  // Own keys only, `__proto__` included: API Gateway's JSON event carries every name as sent.
  const query: Record<string, string> = {};
  for (const [k, v] of url.searchParams) {
    const before = Object.hasOwn(query, k) ? query[k] : undefined;
    Object.defineProperty(query, k, {
      value: before === undefined ? v : `${before},${v}`,
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  const cookies = req.headers.cookie
    ?.split(";")
    .map((c) => c.trim())
    .filter(Boolean);
  const now = clock.now();
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
      requestId,
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
