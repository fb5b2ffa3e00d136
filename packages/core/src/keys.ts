/**
 * The one place object keys and key attributes are assembled from ids.
 *
 * A part that is empty, dots only (`.`, `..`), or holds a separator (`/`,
 * `\`, `#`) or a control character could leave its prefix once a path is
 * normalised (`requests/../<id>.json` is `<id>.json`), or make two different
 * tuples one key. Ids are validated at the edge (contracts/identity.ts); a
 * part that still gets here unsafe is a bug, refused before any write.
 */
import { InternalError } from "./errors.ts";

/** Longest part accepted, in UTF-8 bytes (S3 keys end at 1,024; DynamoDB sort keys too). */
export const MAX_KEY_PART_BYTES = 512;

const encoder = new TextEncoder();

/** An unsafe key part reached a key builder: never retryable, and never the caller's to read. */
export class UnsafeKeyError extends InternalError {
  readonly problem: string;

  constructor(problem: string) {
    super(`unsafe key part: ${problem}`);
    this.name = "UnsafeKeyError";
    this.problem = problem;
  }
}

/** Why `part` cannot be a key part, or undefined when it can. */
export const keyPartProblem = (part: string): string | undefined => {
  if (part.length === 0) return "is empty";
  if (/^\.+$/.test(part)) return "is dots only";
  if (/[/\\#]/.test(part)) return "contains a separator (/ \\ #)";
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what this refuses.
  if (/[\u0000-\u001f\u007f]/.test(part)) return "contains a control character";
  if (encoder.encode(part).length > MAX_KEY_PART_BYTES) return `is longer than ${MAX_KEY_PART_BYTES} bytes`;
  return undefined;
};

/** The part itself, or UnsafeKeyError. */
export const keyPart = (part: string): string => {
  const problem = keyPartProblem(part);
  if (problem) throw new UnsafeKeyError(problem);
  return part;
};

/**
 * An S3 object key: `s3Key("results", tenantId, jobId, "attempt-1.json")` →
 * `results/<tenant>/<job>/attempt-1.json`. Every part is checked.
 */
export const s3Key = (...parts: readonly string[]): string => parts.map(keyPart).join("/");

/** A composite key attribute (`tenant#user`): parts never contain `#`, so the join is unambiguous. */
export const compositeKey = (...parts: readonly string[]): string => parts.map(keyPart).join("#");
