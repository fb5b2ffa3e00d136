import type { DeletionStore, SuppressionLookup } from "../ports/deletion-store.ts";

/**
 * A lookup that remembers each user's answer for `ttlMs` on `now` (a worker asks for every job and event;
 * lookups of one user in flight together share one read). An answer may so be `ttlMs` late: the deletion's
 * last pass waits that long more (`DELETION_GRACE_SECONDS`).
 */
export const cachedSuppressions = (
  store: Pick<DeletionStore, "suppression">,
  now: () => number,
  ttlMs = 10_000,
  maxEntries = 10_000,
): SuppressionLookup => {
  const cache = new Map<string, { readonly at: number; readonly requestedAt: Promise<string | undefined> }>();
  return (tenantId, userId) => {
    const key = `${tenantId}\u0000${userId}`;
    const hit = cache.get(key);
    const t = now();
    if (hit && t - hit.at < ttlMs) return hit.requestedAt;
    const requestedAt = store.suppression(tenantId, userId).then((found) => found?.requestedAt);
    // A failed read is not remembered: the next lookup reads again.
    requestedAt.catch(() => cache.delete(key));
    if (cache.size >= maxEntries) cache.clear();
    cache.set(key, { at: t, requestedAt });
    return requestedAt;
  };
};
