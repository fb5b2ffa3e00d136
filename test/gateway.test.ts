/**
 * The local HTTP gateway: API Gateway HTTP API payload-format-2.0 events, and
 * the JWT authorizer's refusals.
 */

import { connect } from "node:net";
import { api } from "@cvpipe/core/topology";
import { startGateway } from "@cvpipe/local/gateway";
import { LOCAL_AUDIENCE, LOCAL_ISSUER, type LocalKeys, loadOrCreateKeys, mintToken } from "@cvpipe/local/jwt-keys";
import type { APIGatewayProxyEventV2WithJWTAuthorizer } from "aws-lambda";
import { generateKeyPair, importJWK, SignJWT } from "jose";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { tempDataDir } from "./support/stack.ts";

const seen: APIGatewayProxyEventV2WithJWTAuthorizer[] = [];
let keys: LocalKeys;
let url: string;
let close: () => Promise<void>;

/** The gateway's clock: fixed, so no token here depends on today's date. */
const NOW = new Date("2026-11-18T10:00:00Z");
const NOW_S = NOW.getTime() / 1000;

test.before(async () => {
  keys = await loadOrCreateKeys(tempDataDir());
  const gw = await startGateway({
    port: 0,
    keys,
    clock: { now: () => NOW },
    timeoutSeconds: 2,
    region: "eu-west-1",
    handler: async (event) => {
      seen.push(event);
      if (event.rawPath === "/v1/jobs/slow") await new Promise((r) => setTimeout(r, 3000));
      return { statusCode: 201, headers: { "x-echo": event.routeKey }, body: JSON.stringify({ ok: true }) };
    },
  });
  url = gw.url;
  close = () => new Promise((r) => gw.server.close(() => r()));
});
test.after(async () => close());

const call = (path: string, init: RequestInit = {}) => fetch(`${url}${path}`, init);

test("a verified request becomes a payload-format-2.0 event with the JWT claims as strings", async () => {
  const token = await mintToken(keys, { tenantId: "acme", userId: "alice", now: NOW });
  const res = await call("/v1/jobs/job-123?include=result&x=1&x=2", {
    method: "GET",
    headers: { authorization: `Bearer ${token}`, "X-Custom": "Yes", cookie: "a=1; b=2" },
  });
  assert.is(res.status, 201);
  assert.is(res.headers.get("x-echo"), "GET /v1/jobs/{jobId}");
  const e = seen.at(-1)!;
  assert.is(e.version, "2.0");
  assert.is(e.routeKey, "GET /v1/jobs/{jobId}");
  assert.is(e.rawPath, "/v1/jobs/job-123");
  assert.is(e.rawQueryString, "include=result&x=1&x=2");
  assert.equal(e.queryStringParameters, { include: "result", x: "1,2" });
  assert.equal(e.pathParameters, { jobId: "job-123" });
  assert.equal(e.cookies, ["a=1", "b=2"]);
  assert.is(e.headers["x-custom"], "Yes", "header names are lower-cased");
  assert.is(e.requestContext.http.method, "GET");
  assert.is(e.requestContext.http.path, "/v1/jobs/job-123");
  assert.is(e.requestContext.stage, "$default");
  assert.is(e.requestContext.routeKey, "GET /v1/jobs/{jobId}");
  assert.match(e.requestContext.time, /^\d\d\/[A-Z][a-z]{2}\/\d{4}:\d\d:\d\d:\d\d \+0000$/);
  assert.type(e.requestContext.timeEpoch, "number");
  const claims = e.requestContext.authorizer.jwt.claims;
  assert.is(claims["tenantId"], "acme");
  assert.is(claims["sub"], "alice");
  assert.is(claims["iss"], LOCAL_ISSUER);
  assert.type(claims["exp"], "string", "numeric claims arrive as strings, as API Gateway sends them");
  // The token carries a producer's scopes (mintToken's default): all of them arrive, in order.
  assert.equal(e.requestContext.authorizer.jwt.scopes, [...api.producerScopes]);
  assert.is(e.isBase64Encoded, false);
});

test("JSON bodies pass as text; binary bodies base64-encoded", async () => {
  const token = await mintToken(keys, { tenantId: "acme", userId: "alice", now: NOW });
  await call("/v1/events", {
    method: "POST",
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    body: '{"a":1}',
  });
  assert.is(seen.at(-1)!.body, '{"a":1}');
  assert.is(seen.at(-1)!.isBase64Encoded, false);
  await call("/v1/events", {
    method: "POST",
    headers: { authorization: `Bearer ${token}`, "content-type": "application/octet-stream" },
    body: new Uint8Array([0, 255, 1]),
  });
  assert.is(seen.at(-1)!.body, Buffer.from([0, 255, 1]).toString("base64"));
  assert.is(seen.at(-1)!.isBase64Encoded, true);
});

const refused = async (headers: Record<string, string>, why: RegExp) => {
  const before = seen.length;
  const res = await call("/v1/jobs", {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: "{}",
  });
  assert.is(res.status, 401);
  assert.equal(await res.json(), { message: "Unauthorized" });
  assert.match(res.headers.get("www-authenticate") ?? "", why);
  assert.is(seen.length, before, "the handler is never invoked");
};

test("JWT: missing or malformed Authorization header is refused", async () => {
  await refused({}, /invalid_request/);
  await refused({ authorization: "Basic abc" }, /invalid_request/);
  await refused({ authorization: "Bearer not.a.jwt" }, /invalid_token/);
});

test("JWT: a token signed by another key is refused", async () => {
  const other = await generateKeyPair("ES256");
  const token = await new SignJWT({ tenantId: "acme" })
    .setProtectedHeader({ alg: "ES256", kid: keys.kid })
    .setIssuer(LOCAL_ISSUER)
    .setAudience(LOCAL_AUDIENCE)
    .setSubject("alice")
    .setExpirationTime("1h")
    .sign(other.privateKey);
  await refused({ authorization: `Bearer ${token}` }, /signature/);
});

/** A token signed with the stack's own key but with the given issuer and audience. */
const signed = async (issuer: string, audience: string) =>
  new SignJWT({ tenantId: "acme" })
    .setProtectedHeader({ alg: "ES256", kid: keys.kid })
    .setIssuer(issuer)
    .setAudience(audience)
    .setSubject("alice")
    .setExpirationTime("1h")
    .sign(await importJWK(keys.privateJwk, "ES256"));

test("JWT: expired, wrong audience and wrong issuer are refused", async () => {
  await refused(
    { authorization: `Bearer ${await mintToken(keys, { tenantId: "a", userId: "u", ttlSeconds: -10, now: NOW })}` },
    /exp/,
  );
  await refused({ authorization: `Bearer ${await signed(LOCAL_ISSUER, "someone-else")}` }, /aud/);
  await refused({ authorization: `Bearer ${await signed("https://evil.example", LOCAL_AUDIENCE)}` }, /iss/);
});

/** A compact JWS with the given header and payload and a signature that is not one (never verified). */
const forged = (header: Record<string, unknown>, payload: Record<string, unknown>): string =>
  `${Buffer.from(JSON.stringify(header)).toString("base64url")}.${Buffer.from(JSON.stringify(payload)).toString("base64url")}.AAAA`;
const validClaims = () => ({
  tenantId: "acme",
  sub: "alice",
  iss: LOCAL_ISSUER,
  aud: LOCAL_AUDIENCE,
  exp: NOW_S + 3600,
});
/** Every www-authenticate value the gateway may send: fixed text, never anything taken from the token. */
const FIXED_CHALLENGE =
  /^Bearer error="(invalid_request|invalid_token|insufficient_scope)" error_description="[a-z ()']+"( scope="[a-z/. ]+")?$/;

test("JWT: text from an unsigned token's crit header is never echoed; a CR/LF in it is a 401, not a 500", async () => {
  for (const name of ["leak-me-please", 'x"\r\nset-cookie: pwned=1']) {
    const token = forged({ alg: "ES256", kid: keys.kid, crit: [name], [name]: true }, validClaims());
    const res = await call("/v1/jobs", { method: "POST", headers: { authorization: `Bearer ${token}` }, body: "{}" });
    assert.is(res.status, 401, name);
    assert.equal(await res.json(), { message: "Unauthorized" });
    const challenge = res.headers.get("www-authenticate") ?? "";
    assert.match(challenge, FIXED_CHALLENGE);
    assert.not.match(challenge, /leak|pwned|set-cookie/i, "nothing of the token is echoed");
    assert.is(res.headers.get("set-cookie"), null);
  }
});

/** A token signed with the stack's key: the given header fields and claims (undefined removes one). */
const withClaims = async (claims: Record<string, unknown>, header: Record<string, unknown> = {}): Promise<string> => {
  const payload = Object.fromEntries(
    Object.entries({ ...validClaims(), ...claims }).filter(([, v]) => v !== undefined),
  );
  const protectedHeader = Object.fromEntries(
    Object.entries({ alg: "ES256", kid: keys.kid, ...header }).filter(([, v]) => v !== undefined),
  );
  return new SignJWT(payload)
    .setProtectedHeader(protectedHeader as { alg: string })
    .sign(await importJWK(keys.privateJwk, "ES256"));
};
const now = () => NOW_S;

test("JWT: like API Gateway, exp is required and nbf and iat must not be in the future", async () => {
  await refused({ authorization: `Bearer ${await withClaims({ exp: undefined })}` }, /no exp claim/);
  await refused({ authorization: `Bearer ${await withClaims({ exp: String(now() + 3600) })}` }, /well-formed/);
  await refused({ authorization: `Bearer ${await withClaims({ iat: now() + 365 * 86_400 })}` }, /iat/);
  await refused({ authorization: `Bearer ${await withClaims({ nbf: now() + 600 })}` }, /not valid yet/);
});

test("JWT: the kid must name the issuer's key", async () => {
  await refused({ authorization: `Bearer ${await withClaims({}, { kid: "someone-elses-key" })}` }, /kid/);
  await refused({ authorization: `Bearer ${await withClaims({}, { kid: undefined })}` }, /kid/);
});

test("JWT: without aud, client_id is checked against the audience (Cognito access tokens)", async () => {
  const before = seen.length;
  const ok = await call("/v1/jobs/job-1", {
    headers: {
      authorization: `Bearer ${await withClaims({ aud: undefined, client_id: LOCAL_AUDIENCE, scope: "cvpipe/jobs.read" })}`,
    },
  });
  assert.is(ok.status, 201);
  assert.is(seen.length, before + 1);
  await refused(
    { authorization: `Bearer ${await withClaims({ aud: undefined, client_id: "another-client" })}` },
    /aud/,
  );
  await refused({ authorization: `Bearer ${await withClaims({ aud: undefined })}` }, /aud/);
});

test("scopes: a route's scopes are enforced (403 Forbidden, the handler never runs); scp works as scope does", async () => {
  const before = seen.length;
  const res = await call("/v1/jobs", {
    method: "POST",
    headers: {
      authorization: `Bearer ${await withClaims({ scope: "cvpipe/events.write" })}`,
      "content-type": "application/json",
    },
    body: "{}",
  });
  assert.is(res.status, 403);
  assert.equal(await res.json(), { message: "Forbidden" });
  assert.match(res.headers.get("www-authenticate") ?? "", FIXED_CHALLENGE);
  assert.match(res.headers.get("www-authenticate") ?? "", /error="insufficient_scope"/);
  assert.is(seen.length, before, "the handler is never invoked");

  const scp = await call("/v1/jobs", {
    method: "POST",
    headers: { authorization: `Bearer ${await withClaims({ scp: ["openid", "cvpipe/jobs.write"] })}` },
    body: "{}",
  });
  assert.is(scp.status, 201);
  assert.equal(seen.at(-1)!.requestContext.authorizer.jwt.scopes, ["openid", "cvpipe/jobs.write"]);
});

test("unauthenticated routes need no token; unknown routes are API Gateway's 404", async () => {
  const health = await call("/v1/health");
  assert.is(health.status, 201);
  assert.is(seen.at(-1)!.requestContext.authorizer, undefined);
  const missing = await call("/v2/nothing");
  assert.is(missing.status, 404);
  assert.equal(await missing.json(), { message: "Not Found" });
});

test("an integration that outlives the function timeout is a 503", async () => {
  const token = await mintToken(keys, { tenantId: "acme", userId: "alice", now: NOW });
  const res = await call("/v1/jobs/slow", { headers: { authorization: `Bearer ${token}` } });
  assert.is(res.status, 503);
});

/** Sends raw bytes, for requests fetch() refuses to make. */
const raw = (request: string): Promise<string> =>
  new Promise((resolve, reject) => {
    const { port } = new URL(url);
    const socket = connect(Number(port), "127.0.0.1", () => socket.end(request));
    let data = "";
    socket.on("data", (d) => {
      data += d;
    });
    socket.on("end", () => resolve(data));
    socket.on("error", reject);
  });

test("a hostile Host header or a broken %-escape never takes the gateway down", async () => {
  const badHost = await raw("GET /v1/health HTTP/1.1\r\nHost: [bad\r\nConnection: close\r\n\r\n");
  assert.match(badHost, /^HTTP\/1\.1 201/, "served; the Host header is not used to parse the URL");
  const token = await mintToken(keys, { tenantId: "acme", userId: "alice", now: NOW });
  const res = await call("/v1/jobs/%E0%A4%A", { headers: { authorization: `Bearer ${token}` } });
  assert.is(res.status, 201);
  assert.equal(seen.at(-1)!.pathParameters, { jobId: "%E0%A4%A" });
  assert.is((await call("/v1/health")).status, 201, "still up");
});

test.run();
