/**
 * Where a test stack lives: the repository and the shared test data, a fresh
 * data directory, settings on free ports. Light to import: no stack code (the
 * stack process helpers and the benchmarks use it without loading a stack).
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { LocalSettings } from "@cvpipe/local/settings";
import { freePort } from "./ports.ts";

export const repoRoot = join(import.meta.dirname, "..", "..");
export const sharedDir = join(repoRoot, "..", "shared");

export const tempDataDir = (): string => mkdtempSync(join(tmpdir(), "cvpipe-test-"));

export const testSettings = async (dataDir = tempDataDir()): Promise<LocalSettings> => ({
  dataDir,
  apiPort: await freePort(),
  sqsPort: await freePort(),
  dynamoDbPort: await freePort(),
  sesPort: await freePort(),
  bedrockPort: await freePort(),
  openaiPort: await freePort(),
  region: "us-east-1",
});
