import { createHash, createHmac, createSecretKey, type KeyObject } from "node:crypto";

/** JSON with object keys sorted at every level: equal values give equal strings. */
export const canonicalJson = (value: unknown): string =>
  JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === "object" && !Array.isArray(v)
      ? Object.fromEntries(
          Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
        )
      : v,
  );

export const sha256Hex = (text: string): string => createHash("sha256").update(text).digest("hex");

/**
 * The server's secret for ids and tokens derived from caller-chosen values.
 * A KeyObject, so it never prints: `console.log` and loggers show no bytes.
 */
export type IdSecret = KeyObject;

/** Shortest secret accepted (characters of the stored string; 32 random base64url characters are 192 bits). */
export const MIN_ID_SECRET_CHARS = 32;

export const idSecret = (value: string): IdSecret => {
  const trimmed = value.trim();
  if (trimmed.length < MIN_ID_SECRET_CHARS) {
    throw new RangeError(`the id secret must be at least ${MIN_ID_SECRET_CHARS} characters`);
  }
  return createSecretKey(Buffer.from(trimmed, "utf8"));
};

/**
 * Parts joined with NUL, which no part may contain: the encoding is then
 * unambiguous (`t1` + `x:e1` and `t1:x` + `e1` stay apart). Every caller's
 * parts are validated ids and keys, so a NUL here is a bug, not input.
 */
const joinParts = (parts: readonly string[]): string => {
  for (const part of parts) if (part.includes("\u0000")) throw new TypeError("a derived-id part contains NUL");
  return parts.join("\u0000");
};

/** HMAC-SHA256 of the NUL-joined parts under the secret. Start the parts with a label saying what it is for. */
export const hmac = (secret: IdSecret, ...parts: readonly string[]): Buffer =>
  createHmac("sha256", secret).update(joinParts(parts)).digest();

/**
 * A stable UUID-shaped id (version nibble 8: custom) derived from the given
 * parts with an HMAC under the server's secret: the same parts give the same
 * id, and nobody without the secret can compute it from the parts — a job id
 * made from a tenant, user and Idempotency-Key cannot be guessed by another
 * user who knows (or picks) the key.
 */
export const derivedId = (secret: IdSecret, ...parts: readonly string[]): string => {
  const h = hmac(secret, ...parts).toString("hex");
  const variant = ((Number.parseInt(h[16] ?? "0", 16) & 0x3) | 0x8).toString(16);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-8${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
};
