import { identityProblem } from "@cvpipe/core/contracts/identity";
import { jsonLimitIssues, MAX_KEY_CHARS, STREAM_SAFE_COMBINING_RUN } from "@cvpipe/core/contracts/json-limits";
import { CvpipeError, ValidationError } from "@cvpipe/core/errors";
import { api } from "@cvpipe/core/topology";
import type { APIGatewayProxyEventV2WithJWTAuthorizer } from "aws-lambda";

export type ApiEvent = APIGatewayProxyEventV2WithJWTAuthorizer;

/** No legitimate request nests this deep (a JSON Resume needs 5 levels). */
const MAX_BODY_DEPTH = 32;

export interface Caller {
  readonly tenantId: string;
  readonly userId: string;
}

/** Header lookup; API Gateway v2 lower-cases names, but be tolerant. */
export const header = (event: ApiEvent, name: string): string | undefined => {
  const wanted = name.toLowerCase();
  for (const [k, v] of Object.entries(event.headers ?? {})) if (k.toLowerCase() === wanted) return v;
  return undefined;
};

/**
 * Tenant and user from the verified JWT's claims (the authorizer has already
 * checked the signature). They become key parts, so a value that could
 * normalise a path (`.`, `..`) or break a key is refused here, naming the claim.
 */
export const callerOf = (event: ApiEvent): Caller => {
  const claims = event.requestContext.authorizer?.jwt?.claims ?? {};
  const tenantId = claims[api.tenantClaim];
  const userId = claims["sub"];
  for (const [name, value] of [
    [api.tenantClaim, tenantId],
    ["sub", userId],
  ] as const) {
    const problem = identityProblem(value);
    if (problem) throw new CvpipeError(`the token's "${name}" claim ${problem}`, { code: "UNAUTHORIZED" });
  }
  return { tenantId: tenantId as string, userId: userId as string };
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
