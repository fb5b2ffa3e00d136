import type { Readable } from "node:stream";

/**
 * A request's body, up to `maxBytes`: read to its end however long (so the client gets the answer
 * rather than a reset connection), but nothing past the limit is kept; "too-large" when it was over.
 */
export const readBoundedBody = (req: Readable, maxBytes: number): Promise<Buffer | "too-large"> =>
  new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (c: Buffer) => {
      size += c.length;
      if (size <= maxBytes) chunks.push(c);
    });
    req.on("end", () => resolve(size > maxBytes ? "too-large" : Buffer.concat(chunks)));
    req.on("error", reject);
  });
