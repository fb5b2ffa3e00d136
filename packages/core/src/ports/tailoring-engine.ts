import type { EngineName } from "../contracts/job-constants.ts";
import type { EngineOutput, TailorRequest } from "../tailoring/types.ts";

/**
 * A tailoring engine: `local` (deterministic, extractive, core's LocalEngine)
 * or `bedrock` (the aws package's BedrockEngine). Whatever it returns,
 * `tailorCv` verifies before anything is stored.
 */
export interface TailoringEngine {
  readonly name: EngineName;
  tailor(request: TailorRequest): Promise<EngineOutput>;
}
