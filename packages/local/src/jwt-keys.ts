/**
 * The local stack's JWT signing key: an ES256 key pair generated on first
 * start and kept (owner-only) under the data directory. Never committed.
 */

import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { api } from "@cvpipe/core/topology";
import { epochSeconds } from "@cvpipe/core/ttl";
import {
  compactVerify,
  decodeProtectedHeader,
  exportJWK,
  generateKeyPair,
  importJWK,
  type JWK,
  type JWTPayload,
  type ProtectedHeaderParameters,
  SignJWT,
} from "jose";

export const LOCAL_ISSUER = "https://cvpipe.local/issuer";
export const LOCAL_AUDIENCE = "cvpipe";
const ALG = "ES256";

export interface LocalKeys {
  readonly kid: string;
  readonly privateJwk: JWK;
  readonly publicJwk: JWK;
}

const keyFile = (dataDir: string): string => join(dataDir, "keys", "jwt-signing-key.json");

export const loadOrCreateKeys = async (dataDir: string): Promise<LocalKeys> => {
  const file = keyFile(dataDir);
  if (existsSync(file)) return JSON.parse(readFileSync(file, "utf8")) as LocalKeys;
  const { privateKey, publicKey } = await generateKeyPair(ALG, { extractable: true });
  // Random, not the time: two key sets made in one millisecond must not share an id.
  const kid = `local-${randomBytes(9).toString("base64url")}`;
  const keys: LocalKeys = {
    kid,
    privateJwk: { ...(await exportJWK(privateKey)), kid, alg: ALG },
    publicJwk: { ...(await exportJWK(publicKey)), kid, alg: ALG, use: "sig" },
  };
  mkdirSync(join(dataDir, "keys"), { recursive: true, mode: 0o700 });
  writeFileSync(file, JSON.stringify(keys), { mode: 0o600 });
  return keys;
};

export const readKeys = (dataDir: string): LocalKeys => {
  const file = keyFile(dataDir);
  if (!existsSync(file)) {
    throw new Error(`no signing key at ${file}: start the stack once (pnpm start) to generate it`);
  }
  return JSON.parse(readFileSync(file, "utf8")) as LocalKeys;
};

export interface TokenRequest {
  readonly tenantId: string;
  readonly userId: string;
  readonly ttlSeconds?: number;
  /** The `scope` claim (space-separated); [] mints none. Default: a producer's, every scope of the API. */
  readonly scopes?: readonly string[];
  readonly extraClaims?: Record<string, unknown>;
  /** When the token is issued (`iat`; `exp` is `ttlSeconds` after it): the clock of the stack that will check it. */
  readonly now: Date;
}

export const mintToken = async (keys: LocalKeys, request: TokenRequest): Promise<string> => {
  const key = await importJWK(keys.privateJwk, ALG);
  const scopes = request.scopes ?? api.producerScopes;
  const scope = scopes.length > 0 ? { scope: scopes.join(" ") } : {};
  const issuedAt = epochSeconds(request.now);
  return new SignJWT({ tenantId: request.tenantId, ...scope, ...request.extraClaims })
    .setProtectedHeader({ alg: ALG, kid: keys.kid, typ: "JWT" })
    .setIssuer(LOCAL_ISSUER)
    .setAudience(LOCAL_AUDIENCE)
    .setSubject(request.userId)
    .setIssuedAt(issuedAt)
    .setExpirationTime(issuedAt + (request.ttlSeconds ?? 3600))
    .sign(key);
};

/**
 * Why a token was refused. A fixed set: callers describe a failure by its
 * class, never with text taken from the token.
 */
export type TokenFailure =
  | "malformed"
  | "unsupported-header"
  | "unknown-key"
  | "bad-signature"
  | "no-expiry"
  | "expired"
  | "not-yet-valid"
  | "issued-in-future"
  | "wrong-issuer"
  | "wrong-audience";

export type TokenCheck =
  | { readonly ok: true; readonly payload: JWTPayload }
  | { readonly ok: false; readonly failure: TokenFailure };

const refuse = (failure: TokenFailure): TokenCheck => ({ ok: false, failure });
const isNumber = (v: unknown): v is number => typeof v === "number" && Number.isFinite(v);

/** The public key imported once per key set: importing a JWK cost about as much as verifying a signature. */
const publicKeys = new WeakMap<LocalKeys, ReturnType<typeof importJWK>>();
const publicKeyOf = (keys: LocalKeys): ReturnType<typeof importJWK> => {
  let key = publicKeys.get(keys);
  if (!key) {
    key = importJWK(keys.publicJwk, ALG);
    // A key that cannot be imported is not kept: the next token tries again (and fails the same way).
    key.catch(() => publicKeys.delete(keys));
    publicKeys.set(keys, key);
  }
  return key;
};

/**
 * Tokens whose signature verified, per key set, each with its payload's text: a producer sends the same
 * token with request after request, and the signature check was the gateway's largest cost (an ECDSA
 * verification through WebCrypto). Only the signature's verdict is kept (the same bytes under the same
 * key verify the same way); every claim is checked again on every request. Bounded, oldest out first.
 */
const verifiedTokens = new WeakMap<LocalKeys, Map<string, string>>();
const VERIFIED_TOKENS_KEPT = 1024;

const verifiedPayload = async (keys: LocalKeys, token: string): Promise<string> => {
  let kept = verifiedTokens.get(keys);
  if (!kept) {
    kept = new Map();
    verifiedTokens.set(keys, kept);
  }
  const known = kept.get(token);
  if (known !== undefined) return known;
  const verified = await compactVerify(token, await publicKeyOf(keys), { algorithms: [ALG] });
  const text = new TextDecoder("utf-8", { fatal: true }).decode(verified.payload);
  if (kept.size >= VERIFIED_TOKENS_KEPT) kept.delete(kept.keys().next().value!);
  kept.set(token, text);
  return text;
};

/**
 * Validates a token as API Gateway's JWT authorizer does, in its order: the
 * header's `kid` names the issuer's key and the signature verifies with it;
 * then `iss` matches; `aud` (or, without `aud`, `client_id`) is the audience;
 * `exp` is present and after now; `nbf` and `iat`, when present, not after now.
 * Scopes are the caller's to check per route.
 */
export const verifyToken = async (keys: LocalKeys, token: string, now: Date): Promise<TokenCheck> => {
  let header: ProtectedHeaderParameters;
  try {
    header = decodeProtectedHeader(token);
  } catch {
    return refuse("malformed");
  }
  if (header.alg !== ALG) return refuse("unsupported-header");
  if (header.kid !== keys.kid) return refuse("unknown-key");
  let payload: unknown;
  try {
    payload = JSON.parse(await verifiedPayload(keys, token));
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === "ERR_JWS_SIGNATURE_VERIFICATION_FAILED") return refuse("bad-signature");
    // crit, b64 and other header parameters jose refuses before the signature.
    if (code === "ERR_JOSE_NOT_SUPPORTED" || code === "ERR_JOSE_ALG_NOT_ALLOWED") return refuse("unsupported-header");
    return refuse("malformed");
  }
  if (typeof payload !== "object" || payload === null || Array.isArray(payload)) return refuse("malformed");
  const claims = payload as JWTPayload & { client_id?: unknown };
  if (claims.iss !== LOCAL_ISSUER) return refuse("wrong-issuer");
  const audience =
    claims.aud !== undefined
      ? claims.aud === LOCAL_AUDIENCE || (Array.isArray(claims.aud) && claims.aud.includes(LOCAL_AUDIENCE))
      : claims.client_id === LOCAL_AUDIENCE;
  if (!audience) return refuse("wrong-audience");
  if (claims.exp === undefined) return refuse("no-expiry");
  // NumericDate claims are numbers (RFC 7519); "1700000000" is not one.
  for (const claim of ["exp", "nbf", "iat"] as const) {
    if (claims[claim] !== undefined && !isNumber(claims[claim])) return refuse("malformed");
  }
  const seconds = epochSeconds(now);
  if (claims.exp <= seconds) return refuse("expired");
  if (claims.nbf !== undefined && claims.nbf > seconds) return refuse("not-yet-valid");
  if (claims.iat !== undefined && claims.iat > seconds) return refuse("issued-in-future");
  return { ok: true, payload: claims };
};

/** The token's scopes: `scope` (space-separated), else `scp` (a list, or space-separated). */
export const tokenScopes = (payload: JWTPayload): string[] => {
  const raw = payload["scope"] ?? payload["scp"];
  if (typeof raw === "string") return raw.split(" ").filter(Boolean);
  if (Array.isArray(raw)) return raw.filter((s): s is string => typeof s === "string");
  return [];
};
