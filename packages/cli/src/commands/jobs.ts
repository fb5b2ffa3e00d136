import { parseArgs } from "node:util";
import { jobStoreFor, resolveTarget, UsageError } from "../stack-info.ts";

export const jobsHelp = `cvpipe jobs get  --tenant T JOB_ID
cvpipe jobs list --tenant T --user U [--limit N] [--cursor C]
  Reads the jobs table directly (operators); producers use GET /v1/jobs.`;

export const jobsCommand = async (args: string[]): Promise<void> => {
  const [sub, ...rest] = args;
  const { values, positionals } = parseArgs({
    args: rest,
    options: {
      tenant: { type: "string" },
      user: { type: "string" },
      limit: { type: "string", default: "20" },
      cursor: { type: "string" },
    },
    allowPositionals: true,
    strict: true,
  });
  if (!values.tenant) throw new UsageError("--tenant is required");
  const target = await resolveTarget();
  const jobs = jobStoreFor(target);
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
    const limit = Number(values.limit);
    if (!Number.isInteger(limit) || limit < 1 || limit > 100)
      throw new UsageError("--limit must be a whole number from 1 to 100");
    const page = await jobs.listByUser(values.tenant, values.user, limit, values.cursor);
    for (const j of page.items)
      console.log(
        `${j.jobId}  ${j.status.padEnd(10)} ${j.engine.padEnd(7)} ${j.createdAt}${j.error ? `  ${j.error.code}` : ""}`,
      );
    if (page.items.length === 0) console.log("no jobs");
    if (page.cursor) console.log(`more: --cursor ${page.cursor}`);
    return;
  }
  throw new UsageError(`unknown jobs command "${sub ?? ""}": use get or list`);
};
