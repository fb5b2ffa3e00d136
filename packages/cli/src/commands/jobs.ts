import { parseArgs } from "node:util";
import { createDocumentClient } from "@cvpipe/aws/clients";
import { DynamoJobStore } from "@cvpipe/aws/dynamo-job-store";
import { resolveTarget, UsageError } from "../stack-info.ts";

export const jobsHelp = `cvpipe jobs get  --tenant T JOB_ID
cvpipe jobs list --tenant T --user U [--limit N]
  Reads the jobs table directly (operators); producers use GET /v1/jobs.`;

export const jobsCommand = async (args: string[]): Promise<void> => {
  const [sub, ...rest] = args;
  const { values, positionals } = parseArgs({
    args: rest,
    options: { tenant: { type: "string" }, user: { type: "string" }, limit: { type: "string", default: "20" } },
    allowPositionals: true,
    strict: true,
  });
  if (!values.tenant) throw new UsageError("--tenant is required");
  const target = await resolveTarget();
  const jobs = new DynamoJobStore(createDocumentClient(), target.tables.jobs);
  if (sub === "get") {
    const id = positionals[0];
    if (!id) throw new UsageError("give the job id");
    const job = await jobs.get(values.tenant, id);
    if (!job) {
      console.error(`no job ${id} for tenant ${values.tenant} (or it expired)`);
      process.exitCode = 1;
      return;
    }
    const { result, ...rest2 } = job;
    console.log(
      JSON.stringify(
        { ...rest2, ...(result ? { result: { match: result.match, verification: result.verification } } : {}) },
        null,
        2,
      ),
    );
    return;
  }
  if (sub === "list") {
    if (!values.user) throw new UsageError("--user is required");
    const page = await jobs.listByUser(values.tenant, values.user, Number(values.limit));
    for (const j of page.items)
      console.log(
        `${j.jobId}  ${j.status.padEnd(10)} ${j.engine.padEnd(7)} ${j.createdAt}${j.error ? `  ${j.error.code}` : ""}`,
      );
    if (page.items.length === 0) console.log("no jobs");
    return;
  }
  throw new UsageError(`unknown jobs command "${sub ?? ""}": use get or list`);
};
