/**
 * Authorization headers for the fuzz cases, by name: valid tokens of several
 * identities, and the ways a token can be missing, expired, forged or short of
 * scopes. Cases name a variant; the header is made at send time (tokens carry
 * times), so a case list depends on the seed alone.
 */
import { generateKeyPair } from "node:crypto";
import { promisify } from "node:util";
import { api } from "@cvpipe/core/topology";
import { LOCAL_AUDIENCE, LOCAL_ISSUER, type LocalKeys } from "@cvpipe/local/jwt-keys";
import { base64url, CompactSign, importJWK, type JWK, SignJWT } from "jose";

/** Identities valid tokens are minted for. `owner` holds the resources the set-up creates. */
export const IDENTITIES = {
  owner: { tenantId: "acme", userId: "alice" },
  colleague: { tenantId: "acme", userId: "bob" },
  otherTenant: { tenantId: "other", userId: "alice" },
  caseTwin: { tenantId: "acme", userId: "Alice" },
  stranger: { tenantId: "evil", userId: "mallory" },
} as const;
export type Identity = keyof typeof IDENTITIES;

/** Refused tokens and what the contract says about each: the gateway's 401/403, or the ingress's envelope 401. */
export const REFUSED_TOKENS = {
  none: 401,
  "empty bearer": 401,
  "basic scheme": 401,
  "token without Bearer": 401,
  "not a JWT": 401,
  "two segments": 401,
  expired: 401,
  "not yet valid (nbf)": 401,
  "issued in the future": 401,
  "no exp": 401,
  "forged signature": 401,
  "signed by another key (same kid)": 401,
  "alg none": 401,
  "HS256 keyed with the public JWK": 401,
  "unknown kid": 401,
  "wrong issuer": 401,
  "wrong audience": 401,
  "no scopes": 403,
  "other routes' scopes only": 403,
  "look-alike scope": 403,
  "sub '..'": 401,
  "no tenantId": 401,
  "tenantId with a separator": 401,
  "sub of 129 characters": 401,
  "kid with path traversal": 401,
  "kid a number": 401,
} as const;
export type RefusedToken = keyof typeof REFUSED_TOKENS;

const nested = (depth: number): unknown => {
  let v: unknown = {};
  for (let i = 0; i < depth; i++) v = { a: v };
  return v;
};

/**
 * Validly signed tokens whose identity claims look like the owner's, or are no string at all. The document's
 * 401: "a token whose tenant or sub claim is missing or not a usable id" (the envelope, naming the claim).
 * Only `ACME` is a usable id — of somebody else, who never sees the owner's jobs.
 */
export const LOOKALIKES = {
  "sub 'alice ' (trailing space)": { claims: { sub: "alice " }, usable: false },
  "sub ' alice'": { claims: { sub: " alice" }, usable: false },
  "sub with a zero-width space": { claims: { sub: "alice\u200b" }, usable: false },
  "sub in full-width letters": { claims: { sub: "\uff41\uff4c\uff49\uff43\uff45" }, usable: false },
  "sub with a NUL": { claims: { sub: "alice\u0000" }, usable: false },
  "sub as an array": { claims: { sub: ["alice"] }, usable: false },
  "sub as an object": { claims: { sub: { id: "alice" } }, usable: false },
  "sub as a number": { claims: { sub: 42 }, usable: false },
  "tenantId as an array": { claims: { tenantId: ["acme"] }, usable: false },
  "tenantId as a number": { claims: { tenantId: 0 }, usable: false },
  "tenantId true": { claims: { tenantId: true }, usable: false },
  "tenantId null": { claims: { tenantId: null }, usable: false },
  "tenantId 'ACME'": { claims: { tenantId: "ACME" }, usable: true },
  "tenantId with a combining accent": { claims: { tenantId: "acme\u0301" }, usable: false },
  "tenantId with a trailing newline": { claims: { tenantId: "acme\n" }, usable: false },
  "tenantId 'acme#alice', sub empty": { claims: { tenantId: "acme#alice", sub: "" }, usable: false },
  // Somebody else (bob) whose token is odd elsewhere: accepted, and never the owner.
  // 1,000 levels: a token of about 8 KB, inside the 16 KB of headers Node (and the document: no 431) allows.
  "bob, with a claim nested 1000 deep": { claims: { sub: "bob", x: nested(1_000) }, usable: true },
  "bob, with 400 scopes": {
    claims: {
      sub: "bob",
      scope: [...Array.from({ length: 400 }, (_, i) => `cvpipe/x${i}`), ...api.producerScopes].join(" "),
    },
    usable: true,
  },
  "bob, with 300 extra claims": {
    claims: { sub: "bob", ...Object.fromEntries(Array.from({ length: 300 }, (_, i) => [`c${i}`, i])) },
    usable: true,
  },
} as const;
export type Lookalike = keyof typeof LOOKALIKES;

export type AuthVariant =
  | { readonly valid: Identity }
  | { readonly refused: RefusedToken }
  | { readonly lookalike: Lookalike };

export const authLabel = (a: AuthVariant): string =>
  "valid" in a
    ? `valid token (${a.valid})`
    : "refused" in a
      ? `token: ${a.refused}`
      : `odd identity claims: ${a.lookalike}`;

type Claims = Record<string, unknown>;

export class TokenFactory {
  readonly #keys: LocalKeys;
  readonly #now: () => Date;
  #foreignJwk: JWK | undefined;

  constructor(keys: LocalKeys, now: () => Date) {
    this.#keys = keys;
    this.#now = now;
  }

  async init(): Promise<void> {
    const { privateKey } = await promisify(generateKeyPair)("ec", { namedCurve: "P-256" });
    this.#foreignJwk = { ...privateKey.export({ format: "jwk" }), kid: this.#keys.kid, alg: "ES256" } as JWK;
  }

  async #sign(claims: Claims, options: { header?: Claims; jwk?: JWK } = {}): Promise<string> {
    const now = Math.floor(this.#now().getTime() / 1000);
    const payload: Claims = {
      iss: LOCAL_ISSUER,
      aud: LOCAL_AUDIENCE,
      sub: IDENTITIES.colleague.userId,
      tenantId: IDENTITIES.colleague.tenantId,
      // Every scope: a token each route's authorizer lets through (the analysts' too), so the case reaches the function.
      scope: Object.keys(api.scopes).join(" "),
      iat: now,
      exp: now + 3600,
      ...claims,
    };
    for (const k of Object.keys(payload)) if (payload[k] === undefined) delete payload[k];
    const key = await importJWK(options.jwk ?? this.#keys.privateJwk, "ES256");
    // CompactSign over the JSON as written: jose's claim builder would copy (and check) every claim.
    return new CompactSign(new TextEncoder().encode(JSON.stringify(payload)))
      .setProtectedHeader({ alg: "ES256", kid: this.#keys.kid, ...options.header })
      .sign(key);
  }

  /** The Authorization header value for a variant on a route needing `routeScopes`; undefined: no header. */
  async header(variant: AuthVariant, routeScopes: readonly string[]): Promise<string | undefined> {
    if ("valid" in variant) {
      const id = IDENTITIES[variant.valid];
      return `Bearer ${await this.#sign({ sub: id.userId, tenantId: id.tenantId })}`;
    }
    if ("lookalike" in variant) {
      const owner = { sub: IDENTITIES.owner.userId, tenantId: IDENTITIES.owner.tenantId };
      return `Bearer ${await this.#sign({ ...owner, ...LOOKALIKES[variant.lookalike].claims })}`;
    }
    const now = Math.floor(this.#now().getTime() / 1000);
    const good = await this.#sign({});
    const [h, p] = good.split(".");
    switch (variant.refused) {
      case "none":
        return undefined;
      case "empty bearer":
        return "Bearer ";
      case "basic scheme":
        return `Basic ${Buffer.from("alice:secret").toString("base64")}`;
      case "token without Bearer":
        return good;
      case "not a JWT":
        return "Bearer not-a-jwt";
      case "two segments":
        return `Bearer ${h}.${p}`;
      case "expired":
        return `Bearer ${await this.#sign({ iat: now - 7200, exp: now - 3600 })}`;
      case "not yet valid (nbf)":
        return `Bearer ${await this.#sign({ nbf: now + 3600 })}`;
      case "issued in the future":
        return `Bearer ${await this.#sign({ iat: now + 3600, exp: now + 7200 })}`;
      case "no exp":
        return `Bearer ${await this.#sign({ exp: undefined })}`;
      case "forged signature": {
        // A well-formed signature: another payload's, so only the check of signature against payload fails.
        const other = await this.#sign({ sub: "admin" });
        return `Bearer ${h}.${p}.${other.split(".")[2]}`;
      }
      case "signed by another key (same kid)":
        return `Bearer ${await this.#sign({}, { jwk: this.#foreignJwk! })}`;
      case "alg none":
        return `Bearer ${base64url.encode(JSON.stringify({ alg: "none", kid: this.#keys.kid }))}.${p}.`;
      case "HS256 keyed with the public JWK": {
        const secret = new TextEncoder().encode(JSON.stringify(this.#keys.publicJwk));
        const payload = JSON.parse(Buffer.from(p!, "base64url").toString("utf8"));
        return `Bearer ${await new SignJWT(payload).setProtectedHeader({ alg: "HS256", kid: this.#keys.kid }).sign(secret)}`;
      }
      case "unknown kid":
        return `Bearer ${await this.#sign({}, { header: { kid: "kid-that-does-not-exist" } })}`;
      case "wrong issuer":
        return `Bearer ${await this.#sign({ iss: "https://evil.example/issuer" })}`;
      case "wrong audience":
        return `Bearer ${await this.#sign({ aud: "someone-else" })}`;
      case "no scopes":
        return `Bearer ${await this.#sign({ scope: undefined })}`;
      case "other routes' scopes only": {
        const others = Object.keys(api.scopes).filter((s) => !routeScopes.includes(s));
        return `Bearer ${await this.#sign({ scope: others.length > 0 ? others.join(" ") : "cvpipe/nothing" })}`;
      }
      case "look-alike scope":
        return `Bearer ${await this.#sign({ scope: routeScopes.map((s) => `${s.toUpperCase()} ${s}-x`).join(" ") || "X" })}`;
      case "sub '..'":
        return `Bearer ${await this.#sign({ sub: ".." })}`;
      case "no tenantId":
        return `Bearer ${await this.#sign({ tenantId: undefined })}`;
      case "tenantId with a separator":
        return `Bearer ${await this.#sign({ tenantId: "acme#other" })}`;
      case "sub of 129 characters":
        return `Bearer ${await this.#sign({ sub: "u".repeat(129) })}`;
      case "kid with path traversal":
        return `Bearer ${await this.#sign({}, { header: { kid: "../../keys/jwt-signing-key.json" } })}`;
      case "kid a number":
        return `Bearer ${await this.#sign({}, { header: { kid: 1 } })}`;
    }
  }
}
