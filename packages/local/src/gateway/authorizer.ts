/**
 * The JWT authorizer, as API Gateway HTTP API's: a bearer token from the
 * Authorization header, verified against the local issuer's keys, and the
 * route's scopes checked against the token's.
 */
import type { RouteSpec } from "@cvpipe/core/topology";
import { type LocalKeys, type TokenFailure, tokenScopes, verifyToken } from "../jwt-keys.ts";
import { claimString } from "./http-api-event.ts";

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

/** The authorizer's verdict: the claims and scopes for the event, or API Gateway's own refusal. */
export type Authorization =
  | { readonly ok: true; readonly claims: Record<string, string>; readonly scopes: string[] }
  | {
      readonly ok: false;
      readonly status: 401 | 403;
      readonly message: string;
      readonly headers: Record<string, string>;
    };

const unauthorized = (error: "invalid_request" | "invalid_token", description: string): Authorization => ({
  ok: false,
  status: 401,
  message: "Unauthorized",
  headers: { "www-authenticate": `Bearer error="${error}" error_description="${description}"` },
});

/** Checks the Authorization header of a request to `route` (a route with `auth`). */
export const authorize = async (
  keys: LocalKeys,
  route: RouteSpec,
  authorization: string | undefined,
  /** The stack's clock, as the token was issued on it. */
  now: Date,
): Promise<Authorization> => {
  const token = bearerToken(authorization);
  if (!token) return unauthorized("invalid_request", NO_TOKEN);
  const checked = await verifyToken(keys, token, now);
  if (!checked.ok) return unauthorized("invalid_token", TOKEN_FAILURES[checked.failure]);
  const claims = Object.fromEntries(Object.entries(checked.payload).map(([k, v]) => [k, claimString(v)]));
  const scopes = tokenScopes(checked.payload);
  const required: readonly string[] = route.scopes;
  if (required.length > 0 && !required.some((s) => scopes.includes(s))) {
    // API Gateway: a valid token without any of the route's authorizationScopes is a 403.
    return {
      ok: false,
      status: 403,
      message: "Forbidden",
      headers: {
        "www-authenticate": `Bearer error="insufficient_scope" error_description="${NO_SCOPE}" scope="${required.join(" ")}"`,
      },
    };
  }
  return { ok: true, claims, scopes };
};
