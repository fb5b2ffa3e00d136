import type { EngineOutput, TailoringEngine, TailorRequest } from "./types.ts";

/**
 * PLACEHOLDER (foundation issue): returns the CV unchanged. The tailoring
 * issue replaces it with the deterministic extractive engine.
 */
export class LocalEngine implements TailoringEngine {
  readonly name = "local" as const;

  async tailor(request: TailorRequest): Promise<EngineOutput> {
    return { resume: structuredClone(request.cv) };
  }
}
