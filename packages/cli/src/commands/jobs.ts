import { parseArgs } from "node:util";
import { InvalidLimitError } from "@cvpipe/core/errors";
import { parseListLimit } from "@cvpipe/core/jobs/list-limit";
import { api } from "@cvpipe/core/topology";
import { jobStoreFor, resolveTarget, UsageError } from "../stack-info.ts";
import { jobsSubmit, jobsSubmitHelp } from "./jobs-submit.ts";

export const jobsHelp = `${jobsSubmitHelp}
cvpipe jobs get  --tenant T JOB_ID
cvpipe jobs list --tenant T --user U [--limit N] [--cursor C]
  Reads the jobs table directly (operators); producers use GET /v1/jobs.
  --limit: ${api.listLimit.min}-${api.listLimit.max}, default ${api.listLimit.default} (as GET /v1/jobs).`;

export const jobsCommand = async (args: string[]): Promise<void> => {
  const [sub, ...rest] = args;
  if (sub === "submit") return jobsSubmit(rest);
  const { values, positionals } = parseArgs({
    args: rest,
    options: {
      tenant: { type: "string" },
      user: { type: "string" },
      limit: { type: "string", default: String(api.listLimit.default) },
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
    let limit: number;
    try {
      limit = parseListLimit(values.limit);
    } catch (error) {
      if (error instanceof InvalidLimitError) throw new UsageError(`--limit ${error.message}`);
      throw error;
    }
    const page = await jobs.listByUser(values.tenant, values.user, limit, values.cursor);
    for (const j of page.items)
      console.log(
        `${j.jobId}  ${j.status.padEnd(10)} ${j.engine.padEnd(7)} ${j.createdAt}${j.error ? `  ${j.error.code}` : ""}`,
      );
    if (page.items.length === 0) console.log("no jobs");
    if (page.cursor) console.log(`more: --cursor ${page.cursor}`);
    return;
  }
  throw new UsageError(`unknown jobs command "${sub ?? ""}": use submit, get or list`);
};
