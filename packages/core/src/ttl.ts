/**
 * Time-to-live arithmetic, in one place: every table's TTL attribute (topology `ttlAttribute`,
 * `expiresAt`) holds epoch seconds, written as "this instant plus so many days" and read on every
 * read: DynamoDB's TTL deletion runs up to 48 h late on AWS and emulators never run it, so an item
 * past its `expiresAt` is treated as absent by each store (and each in-memory store alike).
 */

/** Seconds in a day: the unit of every `…Days` retention, against `expiresAt`'s seconds. */
export const DAY_SECONDS = 86_400;
/** Milliseconds in a day. */
export const DAY_MS = DAY_SECONDS * 1000;

/** An instant in epoch seconds, the unit of `expiresAt`. */
export const epochSeconds = (at: Date): number => Math.floor(at.getTime() / 1000);

/** The `expiresAt` of an item kept `days` days from `from`: epoch seconds. */
export const expiresAt = (from: Date, days: number): number => epochSeconds(from) + days * DAY_SECONDS;

/** Whether the item's `expiresAt` is at or before `nowSeconds` (epochSeconds); an item without one never expires. */
export const expired = (item: object, nowSeconds: number): boolean => {
  const at = (item as { readonly expiresAt?: unknown }).expiresAt;
  return typeof at === "number" && at <= nowSeconds;
};
