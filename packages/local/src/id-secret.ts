/**
 * The local stack's id secret (what Secrets Manager holds on AWS): 32 random
 * bytes generated on first start and kept owner-only under the data
 * directory, like the JWT signing key. The ingress reads it through
 * ID_SECRET_FILE; the value is never put in the environment, logged or
 * committed. Deleting the file changes every job id derived from an
 * Idempotency-Key and invalidates list cursors.
 */
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { SETTING } from "@cvpipe/core/topology";

export const ID_SECRET_FILE_ENV = SETTING.idSecretFile;

export const idSecretPath = (dataDir: string): string => join(dataDir, "keys", "id-secret");

/** The secret file's path, generating the secret first if there is none. */
export const ensureIdSecret = (dataDir: string): string => {
  const file = idSecretPath(dataDir);
  if (existsSync(file)) return file;
  mkdirSync(join(dataDir, "keys"), { recursive: true, mode: 0o700 });
  try {
    // "wx": two stacks starting on one fresh data directory keep the first one's secret.
    writeFileSync(file, `${randomBytes(32).toString("base64url")}\n`, { mode: 0o600, flag: "wx" });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
  }
  return file;
};
