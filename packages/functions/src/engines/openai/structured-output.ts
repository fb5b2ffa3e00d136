import type { ChatCompletion, ChatCompletionsRejectedError } from "./chat-completions-client.ts";

/**
 * How the engine asks for the tailored CV as JSON, best first: a JSON-schema
 * response format (OpenAI, vLLM, llama.cpp, Ollama ≥ 0.5, LM Studio), a forced
 * tool call (servers with function calling but no response_format), or
 * nothing but the prompt's own instruction to reply with one JSON object.
 */
export const OUTPUT_MODES = ["json_schema", "tools", "plain"] as const;
export type OutputMode = (typeof OUTPUT_MODES)[number];

const TOOL_NAME = "submit_tailored_cv";
const SCHEMA_NAME = "tailored_cv";

const objects = { type: "array", items: { type: "object" } } as const;

/**
 * The answer's shape: a JSON Resume's sections, loosely. Not strict: OpenAI's
 * strict mode needs every property required and no others allowed, which for a
 * JSON Resume (every field optional) would make the model fill fields the CV
 * does not have — the very thing the verifier refuses. The full check is
 * core's (resumeShapeProblems, resumeIssues) on whatever comes back.
 */
export const RESUME_ANSWER_SCHEMA = {
  type: "object",
  properties: {
    basics: { type: "object" },
    work: objects,
    volunteer: objects,
    education: objects,
    awards: objects,
    certificates: objects,
    publications: objects,
    skills: objects,
    languages: objects,
    interests: objects,
    references: objects,
    projects: objects,
  },
  required: ["basics"],
} as const;

/** The request fields that ask for the answer in `mode`. */
export const outputParameters = (mode: OutputMode): Record<string, unknown> => {
  switch (mode) {
    case "json_schema":
      return {
        response_format: {
          type: "json_schema",
          json_schema: { name: SCHEMA_NAME, schema: RESUME_ANSWER_SCHEMA, strict: false },
        },
      };
    case "tools":
      return {
        tools: [
          {
            type: "function",
            function: {
              name: TOOL_NAME,
              description: "Submit the tailored CV as one JSON Resume object.",
              parameters: RESUME_ANSWER_SCHEMA,
            },
          },
        ],
        tool_choice: { type: "function", function: { name: TOOL_NAME } },
      };
    case "plain":
      return {};
  }
};

/** Words in a 400's message that say the server does not take the mode's parameters. */
const REFUSAL_WORDS: Readonly<Record<Exclude<OutputMode, "plain">, RegExp>> = {
  json_schema: /response_format|json_schema|schema|structured/i,
  tools: /\btools?\b|tool_choice|function/i,
};

/**
 * Whether a rejection means "this server does not support the mode" (so the
 * next mode may work) rather than "this request is wrong": a 400/422 naming
 * the mode's parameter, in `param` or in its message.
 */
export const refusesMode = (error: ChatCompletionsRejectedError, mode: OutputMode): boolean => {
  if (mode === "plain" || (error.status !== 400 && error.status !== 422)) return false;
  const words = REFUSAL_WORDS[mode];
  return words.test(error.param ?? "") || words.test(error.serverMessage);
};

/**
 * What the answer holds for the parser: a tool call's arguments as parsed
 * JSON (when they parse), else the message's text. A server that ignored the
 * requested form (text instead of a tool call) still gets its text read.
 */
export const answerOf = (
  completion: ChatCompletion,
): { readonly text: string } | { readonly json: unknown; readonly text: string } => {
  const message = completion.choices?.[0]?.message;
  const args = message?.tool_calls?.find((call) => typeof call.function?.arguments === "string")?.function?.arguments;
  if (args !== undefined) {
    try {
      return { json: JSON.parse(args), text: args };
    } catch {
      return { text: args };
    }
  }
  return { text: typeof message?.content === "string" ? message.content : "" };
};
