import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { settingsFromEnv } from "@cvpipe/local/settings";
import type { StackInfo } from "@cvpipe/local/stack";

/** The running embedded stack's endpoints, from the file it writes at start-up. */
export const readStackInfo = (): StackInfo => {
  const file = join(settingsFromEnv().dataDir, "stack.json");
  if (!existsSync(file)) {
    throw new UsageError(
      `no running stack found (${file} is missing): start it with "pnpm start", or set AWS_ENDPOINT_URL to talk to another endpoint`,
    );
  }
  return JSON.parse(readFileSync(file, "utf8")) as StackInfo;
};

/** Points the AWS SDK at the running local stack unless the caller already chose endpoints. */
export const useStackEndpoints = (): StackInfo | undefined => {
  if (process.env["AWS_ENDPOINT_URL"] || process.env["AWS_ENDPOINT_URL_SQS"]) return undefined;
  const info = readStackInfo();
  process.env["AWS_REGION"] ??= info.region;
  process.env["AWS_ACCESS_KEY_ID"] ??= "local";
  process.env["AWS_SECRET_ACCESS_KEY"] ??= "local";
  process.env["AWS_ENDPOINT_URL_SQS"] = info.endpoints.sqs;
  process.env["AWS_ENDPOINT_URL_S3"] = info.endpoints.s3;
  process.env["AWS_ENDPOINT_URL_DYNAMODB"] = info.endpoints.dynamodb;
  process.env["AWS_ENDPOINT_URL_SES"] = info.endpoints.ses;
  return info;
};

/** A mistake in how the command was called: printed without a stack trace, exit code 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UsageError";
  }
}
