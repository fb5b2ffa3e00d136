import type { BlobPointer } from "../contracts/messages.ts";

/** Large payloads (claim checks, big results). */
export interface BlobStore {
  put(key: string, body: string, contentType: string): Promise<BlobPointer>;
  get(pointer: BlobPointer): Promise<string>;
}
