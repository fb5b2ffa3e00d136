/**
 * The cursor `GET /v1/jobs` hands out: the store's own cursor, sealed for the
 * caller with AES-256-GCM under a key derived from the id secret — opaque (it
 * names no table or index attribute) and authenticated, with the caller's
 * tenant and user as associated data. A cursor that was not issued to this
 * caller — forged, edited, another user's — is an InvalidCursorError before it
 * reaches DynamoDB (where an empty or oversized key value would be a 503); the
 * HTTP layer answers it as the 400 naming `query.cursor`.
 */
import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import { hmac, type IdSecret } from "@cvpipe/core/contracts/canonical-json";
import { InvalidCursorError } from "@cvpipe/core/errors";
import type { Caller } from "@cvpipe/core/jobs/caller";

/** A store cursor is a few hundred characters; anything much longer was never issued. */
const MAX_CURSOR_CHARS = 2_048;
const IV_BYTES = 12;
const TAG_BYTES = 16;
const SEALED = /^[A-Za-z0-9_-]+$/;

const keyOf = (secret: IdSecret): Buffer => hmac(secret, "list-cursor-key");
const boundTo = (caller: Caller): Buffer => Buffer.from(`${caller.tenantId}\u0000${caller.userId}`, "utf8");

export const sealCursor = (secret: IdSecret, caller: Caller, inner: string): string => {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv("aes-256-gcm", keyOf(secret), iv);
  cipher.setAAD(boundTo(caller));
  const sealed = Buffer.concat([cipher.update(inner, "utf8"), cipher.final()]);
  return Buffer.concat([iv, cipher.getAuthTag(), sealed]).toString("base64url");
};

/** The store cursor inside a sealed one, or undefined for none; InvalidCursorError for anything else. */
export const openCursor = (secret: IdSecret, caller: Caller, cursor: string | undefined): string | undefined => {
  if (cursor === undefined || cursor === "") return undefined;
  if (cursor.length > MAX_CURSOR_CHARS || !SEALED.test(cursor)) throw new InvalidCursorError();
  const raw = Buffer.from(cursor, "base64url");
  if (raw.length <= IV_BYTES + TAG_BYTES) throw new InvalidCursorError();
  try {
    const decipher = createDecipheriv("aes-256-gcm", keyOf(secret), raw.subarray(0, IV_BYTES));
    decipher.setAAD(boundTo(caller));
    decipher.setAuthTag(raw.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
    return Buffer.concat([decipher.update(raw.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]).toString("utf8");
  } catch {
    throw new InvalidCursorError();
  }
};
