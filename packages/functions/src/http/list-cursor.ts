/**
 * The cursor `GET /v1/jobs` hands out: the store's own cursor, bound to the
 * caller and sealed with an HMAC under the id secret. A cursor that was not
 * issued to this caller — forged, edited, another user's — is a 400 naming
 * `query.cursor` before it reaches DynamoDB (where an empty or oversized key
 * value would be a 503).
 */
import { timingSafeEqual } from "node:crypto";
import { hmac, type IdSecret } from "@cvpipe/core/contracts/canonical-json";
import { ValidationError } from "@cvpipe/core/errors";
import type { Caller } from "./api-request.ts";

/** A store cursor is a few hundred characters; anything much longer was never issued. */
const MAX_CURSOR_CHARS = 2_048;
const SEALED = /^([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]{43})$/;

const mac = (secret: IdSecret, caller: Caller, inner: string): Buffer =>
  hmac(secret, "list-cursor", caller.tenantId, caller.userId, inner);

export const sealCursor = (secret: IdSecret, caller: Caller, inner: string): string =>
  `${inner}.${mac(secret, caller, inner).toString("base64url")}`;

/** The store cursor inside a sealed one, or undefined for none; ValidationError for anything else. */
export const openCursor = (secret: IdSecret, caller: Caller, cursor: string | undefined): string | undefined => {
  if (cursor === undefined || cursor === "") return undefined;
  const m = cursor.length <= MAX_CURSOR_CHARS ? SEALED.exec(cursor) : null;
  const inner = m?.[1];
  const given = m?.[2] ? Buffer.from(m[2], "base64url") : undefined;
  if (inner === undefined || given === undefined || !timingSafeEqual(given, mac(secret, caller, inner))) {
    throw new ValidationError([
      {
        path: "query.cursor",
        rule: "cursor",
        message: "is not a cursor returned by this listing; omit it to start over",
      },
    ]);
  }
  return inner;
};
