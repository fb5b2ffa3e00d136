import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import {
  DEFAULT_SYSTEM_PROMPT,
  DEFAULT_USER_PROMPT,
  type PromptTemplates,
} from "@cvpipe/core/tailoring/default-prompts";

/** Repo defaults, each overridden by `<dir>/system.md` / `<dir>/user.md` when `dir` (PROMPT_TEMPLATES_PATH) has it. */
export const loadPromptTemplates = (dir?: string): PromptTemplates => {
  const read = (name: string, fallback: string): string => {
    if (dir === undefined || dir === "") return fallback;
    const path = join(dir, name);
    return existsSync(path) ? readFileSync(path, "utf8") : fallback;
  };
  return { system: read("system.md", DEFAULT_SYSTEM_PROMPT), user: read("user.md", DEFAULT_USER_PROMPT) };
};
