import { parseArgs } from "node:util";
import { createDocumentClient, createS3Client } from "@cvpipe/aws/clients";
import { clockFromEnv } from "@cvpipe/core/ports/clock";
import { describeHousekeeping, runHousekeeping } from "@cvpipe/local/housekeeping";
import { progress } from "../progress.ts";
import { resolveTarget, UsageError } from "../stack-info.ts";

export const housekeepingHelp = `cvpipe housekeeping run [--json]
  Embedded stack: removes now what DynamoDB TTL and the S3 lifecycle rules remove on AWS (expired
  jobs, events, aggregates; claim checks and results past the payload bucket's expiry), as the
  stack does hourly, and says what it removed. On a deployed stage AWS does this itself.`;

export const housekeepingCommand = async (args: string[]): Promise<void> => {
  const [sub, ...rest] = args;
  const { values } = parseArgs({ args: rest, options: { json: { type: "boolean", default: false } }, strict: true });
  if (sub !== "run") throw new UsageError(`unknown housekeeping command "${sub ?? ""}": use run`);
  const target = await resolveTarget();
  if (target.name !== "local") {
    throw new UsageError(
      `on the deployed stage "${target.name}" DynamoDB TTL and the S3 lifecycle rules remove expired data; there is nothing to run`,
    );
  }
  // One pass whose parts report nothing on the way: the line says it is working, and for how long.
  const bar = progress("housekeeping: removing expired items and objects", { json: values.json });
  const ticker = setInterval(() => bar.update(), 500);
  bar.update();
  const report = await runHousekeeping(
    { db: createDocumentClient(), s3: createS3Client() },
    {
      now: clockFromEnv(process.env).now(),
      s3Now: new Date(),
      tableNames: target.tables,
      ...(target.buckets ? { bucketNames: target.buckets } : {}),
    },
  ).finally(() => {
    clearInterval(ticker);
    bar.end();
  });
  console.log(values.json ? JSON.stringify(report, null, 2) : describeHousekeeping(report));
};
