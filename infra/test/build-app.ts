/** Builds the app the way `cdk synth` does (cdk.json context), with bundling skipped to stay fast. */
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { App } from "aws-cdk-lib";
import { buildCvpipe, type CvpipeStacks } from "../src/cvpipe-app.ts";
import { infraRoot } from "../src/paths.ts";

export const cdkJsonContext = (): Record<string, unknown> =>
  (JSON.parse(readFileSync(join(infraRoot, "cdk.json"), "utf8")) as { context: Record<string, unknown> }).context;

export const buildTestApp = (overrides: Record<string, unknown> = {}): CvpipeStacks & { app: App } => {
  const app = new App({
    outdir: mkdtempSync(join(tmpdir(), "cvpipe-cdk-")),
    context: { ...cdkJsonContext(), skipBundling: true, ...overrides },
  });
  return { app, ...buildCvpipe(app) };
};
