/**
 * The local stack's JWT signing key: an ES256 key pair generated on first
 * start and kept (owner-only) under the data directory. Never committed.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { exportJWK, generateKeyPair, importJWK, type JWK, type JWTPayload, jwtVerify, SignJWT } from "jose";

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
  const kid = `local-${Date.now().toString(36)}`;
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
  readonly extraClaims?: Record<string, unknown>;
}

export const mintToken = async (keys: LocalKeys, request: TokenRequest): Promise<string> => {
  const key = await importJWK(keys.privateJwk, ALG);
  return new SignJWT({ tenantId: request.tenantId, scope: "cvpipe/jobs cvpipe/events", ...request.extraClaims })
    .setProtectedHeader({ alg: ALG, kid: keys.kid, typ: "JWT" })
    .setIssuer(LOCAL_ISSUER)
    .setAudience(LOCAL_AUDIENCE)
    .setSubject(request.userId)
    .setIssuedAt()
    .setExpirationTime(`${request.ttlSeconds ?? 3600}s`)
    .sign(key);
};

/** Verifies signature, issuer, audience and expiry, as API Gateway's JWT authorizer does. */
export const verifyToken = async (keys: LocalKeys, token: string): Promise<JWTPayload> => {
  const key = await importJWK(keys.publicJwk, ALG);
  const { payload } = await jwtVerify(token, key, {
    issuer: LOCAL_ISSUER,
    audience: LOCAL_AUDIENCE,
    algorithms: [ALG],
  });
  return payload;
};
