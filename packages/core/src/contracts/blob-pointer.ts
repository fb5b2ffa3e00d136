import { nonEmpty } from "./non-empty.ts";
import * as z from "./zod.ts";

/** Claim check: the payload lives in S3 because it was too large to travel inline. */
export const BlobPointer = z.strictObject({
  bucket: nonEmpty(),
  key: nonEmpty(),
  bytes: z.number().check(z.int(), z.nonnegative()),
});
export type BlobPointer = z.output<typeof BlobPointer>;
