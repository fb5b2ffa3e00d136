import * as z from "@cvpipe/core/contracts/zod";

/**
 * The body of a Chat Completions request, as OpenAI (and the servers that speak its API) check it:
 * `model`, `messages` (at least one) of `{role, content: string | content parts | null}`, and the
 * optional parameters whose shape the stand-in reads (`response_format`, `tools`, `tool_choice`) or
 * a client commonly sends (`max_tokens`, `temperature`, …). Fields it does not know pass as sent, as
 * a real server's newer parameters would.
 */

/** A content part: `{type: "text", text}`, or another type (image_url, input_audio, …) as sent. */
const contentPart = z.looseObject({ type: z.string(), text: z.optional(z.string()) }).check(
  z.refine((part) => part.type !== "text" || typeof part.text === "string", {
    message: 'a part of type "text" has a string text',
    path: ["text"],
  }),
);

const message = z.looseObject({
  role: z.enum(["system", "developer", "user", "assistant", "tool", "function"]),
  content: z.optional(z.union([z.string(), z.array(contentPart), z.null()])),
  name: z.optional(z.string()),
});

const responseFormat = z.looseObject({
  type: z.enum(["text", "json_object", "json_schema"]),
  json_schema: z.optional(
    z.looseObject({ name: z.string(), strict: z.optional(z.nullable(z.boolean())), schema: z.optional(z.unknown()) }),
  ),
});

const tool = z.looseObject({
  type: z.string(),
  function: z.optional(
    z.looseObject({ name: z.string(), description: z.optional(z.string()), parameters: z.optional(z.unknown()) }),
  ),
});

const toolChoice = z.union([
  z.enum(["none", "auto", "required"]),
  z.looseObject({ type: z.string(), function: z.optional(z.looseObject({ name: z.string() })) }),
]);

const optionalNumber = z.optional(z.nullable(z.number()));
const optionalCount = z.optional(z.nullable(z.int().check(z.minimum(0))));

export const chatRequest = z.looseObject({
  model: z.string(),
  messages: z.array(message).check(z.minLength(1)),
  response_format: z.optional(z.nullable(responseFormat)),
  tools: z.optional(z.nullable(z.array(tool))),
  tool_choice: z.optional(z.nullable(toolChoice)),
  max_tokens: optionalCount,
  max_completion_tokens: optionalCount,
  n: optionalCount,
  temperature: optionalNumber,
  top_p: optionalNumber,
  presence_penalty: optionalNumber,
  frequency_penalty: optionalNumber,
  seed: z.optional(z.nullable(z.int())),
  stop: z.optional(z.nullable(z.union([z.string(), z.array(z.string())]))),
  stream: z.optional(z.nullable(z.boolean())),
  user: z.optional(z.string()),
});

export type ChatRequest = z.output<typeof chatRequest>;
