/**
 * The TTL attribute every table keeps (topology `ttlAttribute`), read on every read: DynamoDB's TTL
 * deletion runs up to 48 h late on AWS and emulators never run it, so an item past its `expiresAt`
 * is treated as absent by each store, here in one place.
 */
import type { Clock } from "@cvpipe/core/ports/clock";

/** The clock's now in epoch seconds, the unit of `expiresAt`. */
export const epochSeconds = (clock: Clock): number => Math.floor(clock.now().getTime() / 1000);

/** Whether the item's `expiresAt` is at or before `nowSeconds` (epochSeconds); an item without one never expires. */
export const expired = (item: Record<string, unknown>, nowSeconds: number): boolean =>
  typeof item["expiresAt"] === "number" && item["expiresAt"] <= nowSeconds;
