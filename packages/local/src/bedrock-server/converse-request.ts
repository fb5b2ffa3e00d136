import * as z from "@cvpipe/core/contracts/zod";

/**
 * The body of a Bedrock Runtime Converse request, as the service checks it before a model sees it:
 * `messages` (at least one) of `{role: "user" | "assistant", content: ContentBlock[]}`, and optional
 * `system`, `inferenceConfig`, `toolConfig`. The blocks the stand-in reads or a client of cvpipe
 * sends (text, toolUse, toolResult) are checked; other members (image, document, cachePoint, …) and
 * fields the stand-in does not use (additionalModelRequestFields, guardrailConfig, …) pass as sent.
 */

const toolUse = z.looseObject({ toolUseId: z.string(), name: z.string(), input: z.unknown() });

const toolResult = z.looseObject({
  toolUseId: z.string(),
  content: z.array(z.looseObject({})),
  status: z.optional(z.enum(["success", "error"])),
});

/** A content block: a union of which one member is set. */
const contentBlock = z
  .looseObject({ text: z.optional(z.string()), toolUse: z.optional(toolUse), toolResult: z.optional(toolResult) })
  .check(
    z.refine((block) => Object.keys(block).length > 0, {
      message: "a content block sets one member, such as text, toolUse or toolResult",
    }),
  );

const message = z.looseObject({ role: z.enum(["user", "assistant"]), content: z.array(contentBlock) });

const systemBlock = z.looseObject({ text: z.optional(z.string()) });

const inferenceConfig = z.looseObject({
  maxTokens: z.optional(z.int().check(z.minimum(1))),
  temperature: z.optional(z.number().check(z.minimum(0), z.maximum(1))),
  topP: z.optional(z.number().check(z.minimum(0), z.maximum(1))),
  stopSequences: z.optional(z.array(z.string())),
});

const toolConfig = z.looseObject({
  tools: z.array(
    z.looseObject({
      toolSpec: z.optional(
        z.looseObject({
          name: z.string(),
          description: z.optional(z.string()),
          inputSchema: z.looseObject({ json: z.optional(z.unknown()) }),
        }),
      ),
    }),
  ),
  toolChoice: z.optional(z.looseObject({})),
});

export const converseRequest = z.looseObject({
  messages: z.array(message).check(z.minLength(1)),
  system: z.optional(z.array(systemBlock)),
  inferenceConfig: z.optional(inferenceConfig),
  toolConfig: z.optional(toolConfig),
});
