/**
 * Clients of the local Bedrock stand-in (@cvpipe/local's bedrock-server), as the Bedrock tests
 * (bedrock-engine, bedrock-prompt-delimiting) build them: test credentials, and by default one SDK
 * attempt, so the retries a test sees are the engine's own.
 */
import { BedrockRuntimeClient } from "@aws-sdk/client-bedrock-runtime";
import { BedrockEngine, type BedrockEngineOptions } from "@cvpipe/aws/bedrock/bedrock-engine";

/** A Bedrock Runtime client of the stand-in at `url`; `maxAttempts` is the SDK's (default 1). */
export const standInBedrockClient = (url: string, maxAttempts = 1): BedrockRuntimeClient =>
  new BedrockRuntimeClient({
    endpoint: url,
    region: "us-east-1",
    credentials: { accessKeyId: "test", secretAccessKey: "test" },
    maxAttempts,
  });

/** A BedrockEngine on the stand-in: model `anthropic.claude-test`, no PII redaction, no real sleeps, unless `options` say otherwise. */
export const standInBedrockEngine = (url: string, options: Partial<BedrockEngineOptions> = {}): BedrockEngine =>
  new BedrockEngine(standInBedrockClient(url), {
    modelId: "anthropic.claude-test",
    piiRedaction: false,
    sleep: async () => {},
    ...options,
  });
