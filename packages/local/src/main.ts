/**
 * `pnpm start`: the embedded stack in the foreground. Ctrl-C stops it
 * gracefully (in-flight work finishes, nothing unfinished is deleted); a
 * second Ctrl-C exits at once.
 */

import { ConfigError } from "@cvpipe/core/errors";
import { queues } from "@cvpipe/core/topology";
import { settingsFromEnv } from "./settings.ts";
import { startStack } from "./stack.ts";

// First of all: whatever the stack writes under the data directory (CVs among it) is owner-only.
// startStack also sets this and closes an existing tree; set here so nothing in this process precedes it.
process.umask(0o077);
const settings = settingsFromEnv();
const stamp = () => new Date().toISOString().slice(11, 19);
const log = (line: string) => console.log(`${stamp()} ${line}`);

log(`cvpipe embedded stack starting (data: ${settings.dataDir})`);
// CVPIPE_CONSUMERS=off: accept requests but leave queues untouched (maintenance, inspection).
const consumers = process.env["CVPIPE_CONSUMERS"] !== "off";
if (!consumers) log("CVPIPE_CONSUMERS=off: queue consumers are paused; messages stay queued");
const stack = await startStack({ settings, log, pollers: consumers }).catch((error: unknown) => {
  console.error(`cvpipe: could not start: ${(error as Error).message}`);
  if ((error as { code?: string }).code === "EADDRINUSE") {
    console.error(
      "a port is taken: is another stack running? Override with CVPIPE_API_PORT, CVPIPE_SQS_PORT, CVPIPE_DYNAMODB_PORT, CVPIPE_SES_PORT, CVPIPE_BEDROCK_PORT. (An AWS_ENDPOINT_URL_<SERVICE> at the stack's own port counts as the stack's address: to use a server of your own there, give the stack another port.)",
    );
  }
  process.exit(error instanceof ConfigError ? 2 : 1);
});
const { info } = stack;

const { services } = info;
const sesNote =
  services.ses.source === "emulated" ? `   sent mail: ${info.endpoints.ses}/ (web UI), /store (JSON)` : "";
const bedrockNote = services["bedrock-runtime"].source === "emulated" ? "   Converse over h2c" : "";
console.log(`
  API (HTTP API v2 + JWT)   ${info.apiUrl}          routes under /v1, JWKS at /.well-known/jwks.json
  SQS                       ${services.sqs.description}
  S3                        ${services.s3.description}
  DynamoDB                  ${services.dynamodb.description}
  Bedrock Runtime           ${services["bedrock-runtime"].description}${bedrockNote}; jobs with options.engine "bedrock" use it
  SES                       ${services.ses.description}${sesNote}
  queues                    ${Object.values(queues)
    .map((q) => q.name)
    .join(", ")} (+ DLQs)
  weekly report             ${stack.scheduler?.next()?.toISOString() ?? "off"} next
  stuck-job sweep           ${stack.schedulers.jobSweep.next()?.toISOString() ?? "off"} next (every 15 min)

  token:  pnpm cvpipe token --tenant acme --user alice
  aws:    aws --endpoint-url ${info.endpoints.sqs} sqs list-queues
`);
log("ready; Ctrl-C to stop");

let stopping = false;
const shutdown = (signal: string) => {
  if (stopping) {
    log(`${signal} again: exiting now`);
    process.exit(130);
  }
  stopping = true;
  log(`${signal}: stopping (waiting for in-flight work; ${signal} again to force)`);
  stack.stop().then(
    () => {
      log("stopped");
      process.exit(0);
    },
    (error: unknown) => {
      console.error(`stop failed: ${(error as Error).message}`);
      process.exit(1);
    },
  );
};
process.on("SIGINT", () => shutdown("SIGINT"));
process.on("SIGTERM", () => shutdown("SIGTERM"));
