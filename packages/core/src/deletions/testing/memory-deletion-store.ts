/** The deletions table in memory, with the DynamoDB store's rules (a later suppression stays; COMPLETED is final). */
import {
  addCounts,
  type DeletionPass,
  type DeletionRecord,
  type DeletionStore,
  type Suppression,
} from "../../ports/deletion-store.ts";

export class MemoryDeletionStore implements DeletionStore {
  readonly requests = new Map<string, DeletionRecord>();
  readonly suppressions = new Map<string, Suppression>();

  async create(record: DeletionRecord): Promise<void> {
    this.requests.set(`${record.tenantId}\u0000${record.deletionId}`, record);
  }

  async get(tenantId: string, deletionId: string): Promise<DeletionRecord | undefined> {
    return this.requests.get(`${tenantId}\u0000${deletionId}`);
  }

  async suppression(tenantId: string, userId: string): Promise<Suppression | undefined> {
    return this.suppressions.get(`${tenantId}\u0000${userId}`);
  }

  async suppress(record: Suppression): Promise<void> {
    const key = `${record.tenantId}\u0000${record.userId}`;
    const existing = this.suppressions.get(key);
    if (!existing || existing.requestedAt < record.requestedAt) this.suppressions.set(key, record);
  }

  async listPending(limit: number): Promise<DeletionRecord[]> {
    return [...this.requests.values()]
      .filter((r) => r.status !== "COMPLETED")
      .sort((a, b) => (a.requestedAt < b.requestedAt ? -1 : 1))
      .slice(0, limit);
  }

  async recordPass(tenantId: string, deletionId: string, pass: DeletionPass): Promise<void> {
    const key = `${tenantId}\u0000${deletionId}`;
    const record = this.requests.get(key);
    if (!record || record.status === "COMPLETED") return;
    // COMPLETED forgets the user id; a pass without an error clears the last one.
    const { userId, lastError: _lastError, ...kept } = record;
    this.requests.set(key, {
      ...kept,
      ...(pass.status !== "COMPLETED" && userId !== undefined ? { userId } : {}),
      status: pass.status,
      passes: record.passes + 1,
      lastPassAt: pass.at,
      removed: addCounts(record.removed, pass.removed),
      ...(pass.status === "COMPLETED" ? { completedAt: pass.at } : {}),
      ...(pass.error === undefined ? {} : { lastError: pass.error }),
    });
  }
}
