/** What a running stack wrote about itself in its data directory (stack.json). */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { STACK_INFO_FILE, type StackInfo } from "@cvpipe/local/stack";

/** The StackInfo a stack started on `dataDir` wrote there (read again on each call). */
export const readStackInfo = (dataDir: string): StackInfo =>
  JSON.parse(readFileSync(join(dataDir, STACK_INFO_FILE), "utf8")) as StackInfo;
