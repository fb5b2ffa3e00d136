/** The CV store in memory, with the DynamoDB store's conditions (create on absence, append on the expected latest). */
import { InvalidCursorError } from "../../errors.ts";
import type { CreateCvOutcome, CvOwner, CvPage, CvRecord, CvStore, CvVersion } from "../../ports/cv-store.ts";

const keyOf = (owner: CvOwner, cvId: string) => `${owner.tenantId}\u0000${owner.userId}\u0000${cvId}`;
const owned = (owner: CvOwner, r: CvRecord) => r.tenantId === owner.tenantId && r.userId === owner.userId;

export class MemoryCvStore implements CvStore {
  readonly records = new Map<string, CvRecord>();

  async create(record: CvRecord): Promise<CreateCvOutcome> {
    const existing = this.records.get(keyOf(record, record.cvId));
    if (existing) return { created: false, existing };
    this.records.set(keyOf(record, record.cvId), record);
    return { created: true };
  }

  async addVersion(owner: CvOwner, cvId: string, version: CvVersion, afterVersion: number): Promise<boolean> {
    const record = this.records.get(keyOf(owner, cvId));
    if (!record || record.deletedAt !== undefined || record.versions.at(-1)?.version !== afterVersion) return false;
    this.records.set(keyOf(owner, cvId), {
      ...record,
      versions: [...record.versions, version],
      updatedAt: version.createdAt,
    });
    return true;
  }

  async get(owner: CvOwner, cvId: string): Promise<CvRecord | undefined> {
    return this.records.get(keyOf(owner, cvId));
  }

  async list(owner: CvOwner, limit: number, cursor?: string): Promise<CvPage> {
    if (cursor !== undefined && !/^[0-9a-f-]{36}$/.test(cursor)) throw new InvalidCursorError();
    const mine = [...this.records.values()]
      .filter((r) => owned(owner, r))
      .sort((a, b) => (a.cvId < b.cvId ? -1 : 1))
      .filter((r) => cursor === undefined || r.cvId > cursor);
    const page = mine.slice(0, limit);
    const items = page.filter((r) => r.deletedAt === undefined);
    return mine.length > limit ? { items, cursor: page.at(-1)!.cvId } : { items };
  }

  async markDeleted(owner: CvOwner, cvId: string, at: string): Promise<CvRecord | undefined> {
    const record = this.records.get(keyOf(owner, cvId));
    if (!record) return undefined;
    const marked = record.deletedAt === undefined ? { ...record, deletedAt: at } : record;
    this.records.set(keyOf(owner, cvId), marked);
    return marked;
  }

  async remove(owner: CvOwner, cvId: string): Promise<void> {
    this.records.delete(keyOf(owner, cvId));
  }

  async listForErasure(owner: CvOwner): Promise<CvRecord[]> {
    return [...this.records.values()].filter((r) => owned(owner, r));
  }
}
