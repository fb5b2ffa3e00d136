import { join } from "node:path";

/** The `infra/` directory. */
export const infraRoot = join(import.meta.dirname, "..");
/** The repository root, which topology entry paths are relative to. */
export const repoRoot = join(infraRoot, "..");
