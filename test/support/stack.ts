/**
 * Test helpers: an embedded stack in this process on free ports with its own
 * data directory, and a producer-side HTTP client for it.
 *
 * On the moto backend (`CVPIPE_TEST_BACKEND=moto`, support/moto.ts) importing
 * this module starts the test file's moto_server and points SQS, S3, DynamoDB
 * and SES at it in process.env: every stack then provisions and runs there
 * (stack processes spawned from this process inherit it), and a stack started
 * on a fresh data directory starts on an empty moto, as it would on fresh
 * emulators.
 */
import { rmSync } from "node:fs";
import { type RunningStack, type StackOptions, startStack } from "@cvpipe/local/stack";
import { ApiClient } from "./api-client.ts";
import { moto, motoSentEmails, resetMoto, type SentEmail, type TestBackend } from "./moto.ts";
import { testSettings } from "./settings.ts";

export { ApiClient, type ApiResponse } from "./api-client.ts";
/** `moto`: this file's moto on the moto backend (started on import, before any test runs); undefined on the embedded one. */
export { moto, onMoto, type SentEmail, type TestBackend, testBackend, unlessMoto } from "./moto.ts";
export { freePort } from "./ports.ts";
export { repoRoot, sharedDir, tempDataDir, testSettings } from "./settings.ts";
export { until } from "./until.ts";

export interface TestStack extends RunningStack {
  readonly api: ApiClient;
  readonly lines: string[];
  /** Which AWS-protocol servers this stack runs on. */
  readonly backend: TestBackend;
  /** Emails the stack's SES accepted, oldest first (aws-ses-v2-local's store, or moto's). */
  sentEmails(): Promise<SentEmail[]>;
  close(): Promise<void>;
}

/** Stacks of this process now running, and every data directory a stack has run on (moto backend). */
let running = 0;
const usedDataDirs = new Set<string>();

export const startTestStack = async (options: Partial<StackOptions> = {}): Promise<TestStack> => {
  process.env["POWERTOOLS_LOG_LEVEL"] ??= "SILENT";
  const settings = options.settings ?? (await testSettings());
  // A fresh data directory is fresh emulators; on moto the same (unless another stack is using it now).
  if (moto && running === 0 && !usedDataDirs.has(settings.dataDir)) await resetMoto(moto);
  usedDataDirs.add(settings.dataDir);
  const lines: string[] = [];
  const stack = await startStack({ waitTimeSeconds: 1, log: (l) => lines.push(l), ...options, settings });
  running++;
  return {
    ...stack,
    lines,
    api: new ApiClient(stack.info.apiUrl, stack),
    backend: moto ? "moto" : "embedded",
    sentEmails: async () => {
      if (moto) return motoSentEmails(moto);
      const res = await fetch(`${stack.info.endpoints.ses}/store`);
      return ((await res.json()) as { emails: SentEmail[] }).emails;
    },
    close: async () => {
      await stack.stop();
      running--;
      rmSync(settings.dataDir, { recursive: true, force: true });
    },
  };
};
