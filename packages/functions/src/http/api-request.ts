import { randomUUID } from "node:crypto";
import { identityProblem } from "@cvpipe/core/contracts/identity";
import { jsonLimitIssues, MAX_KEY_CHARS, STREAM_SAFE_COMBINING_RUN } from "@cvpipe/core/contracts/json-limits";
import { isCorrelationId } from "@cvpipe/core/contracts/message-envelope";
import { CvpipeError, ValidationError } from "@cvpipe/core/errors";
import type { Caller } from "@cvpipe/core/jobs/caller";
import { api } from "@cvpipe/core/topology";
import type { APIGatewayProxyEventV2WithJWTAuthorizer } from "aws-lambda";

export type ApiEvent = APIGatewayProxyEventV2WithJWTAuthorizer;

/** No legitimate request nests this deep (a JSON Resume needs 5 levels). */
const MAX_BODY_DEPTH = 32;

/** The request and response header naming the request's correlation id. */
export const CORRELATION_ID_HEADER = api.correlationIdHeader.toLowerCase();

/**
 * The caller's `X-Correlation-Id` when it is a well-formed id (isCorrelationId:
 * bounded, a safe charset), else API Gateway's request id. A malformed header is
 * ignored, never refused: it is the caller's tracing aid, not part of the request.
 */
export const correlationIdOf = (event: ApiEvent): string => {
  const given = header(event, CORRELATION_ID_HEADER);
  if (isCorrelationId(given)) return given;
  const requestId = event.requestContext?.requestId;
  return isCorrelationId(requestId) ? requestId : randomUUID();
};

/** Header lookup; API Gateway v2 lower-cases names, but be tolerant. */
export const header = (event: ApiEvent, name: string): string | undefined => {
  const wanted = name.toLowerCase();
  for (const [k, v] of Object.entries(event.headers ?? {})) if (k.toLowerCase() === wanted) return v;
  return undefined;
};

/**
 * The seconds of a `Prefer: wait=N` header (RFC 7240 §4.3), at most `api.maxPreferWaitSeconds`;
 * undefined without one. Preferences are hints: one that is malformed is ignored, as the RFC says
 * a server may ignore any preference (`Preference-Applied` then says nothing was applied).
 */
export const preferredWaitSeconds = (event: ApiEvent): number | undefined => {
  const prefer = header(event, "prefer");
  if (prefer === undefined) return undefined;
  for (const preference of prefer.split(",")) {
    const [token, ...rest] = (preference.split(";")[0] ?? "").split("=");
    if (token?.trim().toLowerCase() !== "wait") continue;
    const value = rest
      .join("=")
      .trim()
      .replace(/^"(.*)"$/, "$1");
    if (!/^[0-9]{1,6}$/.test(value)) return undefined;
    return Math.min(Number(value), api.maxPreferWaitSeconds);
  }
  return undefined;
};

/**
 * The claims as the token itself has them, from the Authorization header the
 * authorizer verified. The event's claims can be text only (the local gateway,
 * modelling API Gateway's, writes a JSON `null`, `0` or `true` as "null", "0",
 * "true"), so only the token tells whether a claim was a string at all.
 * undefined when the header holds no single bearer JWT with a JSON object
 * payload (then the event's claims are all there is).
 */
const tokenClaims = (event: ApiEvent): Record<string, unknown> | undefined => {
  const jwt = /^Bearer\s+[\w-]+\.([\w-]+)\.[\w-]*$/i.exec(header(event, "authorization")?.trim() ?? "");
  if (!jwt) return undefined;
  try {
    const payload: unknown = JSON.parse(Buffer.from(jwt[1]!, "base64url").toString("utf8"));
    return payload !== null && typeof payload === "object" && !Array.isArray(payload)
      ? (payload as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
};

/** What a claim the token has is, when it is not a string: `null`, `a number`, `an array`… */
const notAString = (value: unknown): string | undefined => {
  if (typeof value === "string") return undefined;
  if (value === null) return "is null, not a string";
  const kind = Array.isArray(value) ? "an array" : typeof value === "object" ? "an object" : `a ${typeof value}`;
  return `is ${kind}, not a string`;
};

/**
 * Tenant and user from the verified JWT's claims (the authorizer has already
 * checked the signature). They become key parts, so a value that could
 * normalise a path (`.`, `..`) or break a key is refused here, naming the claim;
 * so is a claim the token carries as anything but a string (a `null` tenant is
 * no tenant, not the tenant "null").
 */
export const callerOf = (event: ApiEvent): Caller => {
  const claims = event.requestContext.authorizer?.jwt?.claims ?? {};
  const own = tokenClaims(event);
  const tenantId = claims[api.tenantClaim];
  const userId = claims["sub"];
  for (const [name, value] of [
    [api.tenantClaim, tenantId],
    ["sub", userId],
  ] as const) {
    const problem = identityProblem(value) ?? (own && name in own ? notAString(own[name]) : undefined);
    if (problem) throw new CvpipeError(`the token's "${name}" claim ${problem}`, { code: "UNAUTHORIZED" });
  }
  return { tenantId: tenantId as string, userId: userId as string };
};

/** The words of a claim as the authorizer hands it over (an array claim as the text `[a b]`), split at `separator`. */
const claimWords = (value: string, separator: RegExp): string[] =>
  value
    .replace(/^\[|\]$/g, "")
    .split(separator)
    .filter(Boolean);

/**
 * The caller's roles (`api.roleClaim`): the token's array or space-separated string, as the token
 * has it; API Gateway hands an array claim to the function as the text `[a b]`, read the same.
 */
export const rolesOf = (event: ApiEvent): string[] => {
  const own = tokenClaims(event)?.[api.roleClaim];
  const value = own ?? event.requestContext.authorizer?.jwt?.claims?.[api.roleClaim];
  if (Array.isArray(value)) return value.filter((r): r is string => typeof r === "string");
  if (typeof value !== "string") return [];
  return claimWords(value, /[\s,]+/);
};

/**
 * Every scope the caller's verified token was granted: the authorizer's `jwt.scopes` (API Gateway's
 * may hold only the scopes it matched against the route's, so a route's own scope is no sign of the
 * others) together with the token's `scope` / `scp` claims, as the authorizer passes them (a string,
 * an array claim as the text `[a b]`), split on spaces only, as OAuth separates scopes.
 */
export const scopesOf = (event: ApiEvent): string[] => {
  const jwt = event.requestContext.authorizer?.jwt;
  const granted = Array.isArray(jwt?.scopes) ? jwt.scopes.filter((s): s is string => typeof s === "string") : [];
  const claims = jwt?.claims ?? {};
  const claimed = [claims["scope"], claims["scp"]].flatMap((raw) =>
    typeof raw === "string" ? claimWords(raw, /\s+/) : [],
  );
  return [...new Set([...granted, ...claimed])];
};

/** The JSON body, after the content-type and size checks; errors name the rule. */
export const jsonBody = (event: ApiEvent): unknown => {
  const type = header(event, "content-type") ?? "";
  if (!/^application\/(?:[\w.+-]+\+)?json\b/i.test(type.trim())) {
    throw new CvpipeError(`Content-Type must be application/json (got ${type ? `"${type}"` : "none"})`, {
      code: "UNSUPPORTED_MEDIA_TYPE",
    });
  }
  const raw = event.body ?? "";
  const text = event.isBase64Encoded ? Buffer.from(raw, "base64").toString("utf8") : raw;
  const bytes = Buffer.byteLength(text);
  if (bytes > api.maxBodyBytes) {
    throw new CvpipeError(`request body is ${bytes} bytes; the limit is ${api.maxBodyBytes}`, {
      code: "PAYLOAD_TOO_LARGE",
      details: { limitBytes: api.maxBodyBytes, bytes },
    });
  }
  if (text.trim() === "") {
    throw new ValidationError([
      { path: "body", rule: "required", message: "request body is empty; send a JSON object" },
    ]);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new ValidationError([
      { path: "body", rule: "json", message: `body is not valid JSON: ${(error as Error).message}` },
    ]);
  }
  // Every body, every route: bounded nesting, keys and combining-mark runs before any text work.
  const issues = jsonLimitIssues(value, "body", {
    maxDepth: MAX_BODY_DEPTH,
    maxKeyChars: MAX_KEY_CHARS,
    maxCombiningRun: STREAM_SAFE_COMBINING_RUN,
  });
  if (issues.length > 0) throw new ValidationError(issues);
  return value;
};
