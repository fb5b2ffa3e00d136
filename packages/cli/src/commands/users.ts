import { parseArgs } from "node:util";
import { STAGE_ENV } from "../cli-env.ts";
import { expectStatus, PRODUCER_OPTIONS, producerApi } from "../producer-api.ts";
import { UsageError } from "../stack-info.ts";

export const usersHelp = `cvpipe users delete  --tenant T --user U [--as OPERATOR] [--wait] [--json]
cvpipe users deletion --tenant T --user U DELETION_ID [--as OPERATOR] [--json]
  Deletes a user's data on request (DELETE /v1/users/{userId}/data): every CV and version, job,
  result, stored request, feedback record and raw event of theirs, carried out within minutes
  (the weekly aggregates keep only counts). --wait follows it until COMPLETED. \`deletion\` shows
  a deletion's progress and what it removed. On the embedded stack the token is the user's own, or
  with --as an admin's of the tenant; on a deployed stage CVPIPE_API_URL and CVPIPE_TOKEN.`;

const WAIT_LIMIT_MS = 20 * 60_000;

export const usersCommand = async (args: string[]): Promise<void> => {
  const [sub, ...rest] = args;
  const { values, positionals } = parseArgs({
    args: rest,
    options: {
      ...PRODUCER_OPTIONS,
      as: { type: "string" },
      wait: { type: "boolean", default: false },
    },
    allowPositionals: true,
    strict: true,
  });
  if (sub !== "delete" && sub !== "deletion") {
    throw new UsageError(`unknown users command "${sub ?? ""}": use delete or deletion`);
  }
  if (!values.user && !process.env[STAGE_ENV]) throw new UsageError("--user is required");
  const api = await producerApi(values.tenant, values.as ?? values.user, values.as ? ["admin"] : []);
  const print = (data: unknown, human: string) => console.log(values.json ? JSON.stringify(data, null, 2) : human);
  const show = async (id: string) =>
    expectStatus(await api.request("GET", `/v1/deletions/${encodeURIComponent(id)}`), 200).body.data;
  const describe = (d: { deletionId: string; status: string; removed: Record<string, number> }) =>
    `deletion ${d.deletionId}: ${d.status}; removed ${Object.entries(d.removed)
      .map(([k, v]) => `${v} ${k}`)
      .join(", ")}`;

  if (sub === "deletion") {
    const id = positionals[0];
    if (!id) throw new UsageError("give the deletion id");
    const deletion = await show(id);
    print(deletion, describe(deletion));
    return;
  }
  if (!values.user) throw new UsageError("--user is required: whose data to delete");
  const answer = expectStatus(await api.request("DELETE", `/v1/users/${encodeURIComponent(values.user)}/data`), 202);
  const accepted = answer.body.data as { deletionId: string };
  if (!values.wait) {
    print(
      answer.body.data,
      `accepted: deletion ${accepted.deletionId} (follow it with: cvpipe users deletion ${accepted.deletionId})`,
    );
    return;
  }
  const deadline = Date.now() + WAIT_LIMIT_MS;
  for (;;) {
    const deletion = await show(accepted.deletionId);
    if (deletion.status === "COMPLETED") {
      if (process.stderr.isTTY) process.stderr.write("\n");
      print(deletion, describe(deletion));
      return;
    }
    if (process.stderr.isTTY) process.stderr.write(`\r${describe(deletion)} (passes: ${deletion.passes})   `);
    if (Date.now() > deadline) {
      throw new Error(
        `deletion ${accepted.deletionId} still ${deletion.status} after 20 minutes; see the RUNBOOK (user-deletion)`,
      );
    }
    await new Promise((r) => setTimeout(r, 2_000));
  }
};
