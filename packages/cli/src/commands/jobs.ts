import { mkdirSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { createS3Client } from "@cvpipe/aws/clients";
import { S3BlobStore } from "@cvpipe/aws/s3-blob-store";
import { JOB_STATUSES, type JobStatus } from "@cvpipe/core/contracts/job-constants";
import { InvalidLimitError } from "@cvpipe/core/errors";
import type { JobRecord } from "@cvpipe/core/jobs/job-record";
import { parseListLimit } from "@cvpipe/core/jobs/list-limit";
import { systemClock } from "@cvpipe/core/ports/clock";
import type { TailoringResult } from "@cvpipe/core/tailoring/types";
import { api } from "@cvpipe/core/topology";
import { resultOf } from "@cvpipe/functions/app/job-view";
import { parseCliArgs } from "../args.ts";
import { emit, formatFields, formatTable } from "../output.ts";
import { jobStoreFor, resolveTarget, type Target, UsageError } from "../stack-info.ts";
import { jobsSubmit, jobsSubmitHelp } from "./jobs-submit.ts";

export const jobsHelp = `${jobsSubmitHelp}
cvpipe jobs get  --tenant T JOB_ID [--out DIR] [--json]
cvpipe jobs list --tenant T --user U [--status S] [--code C] [--since TIME] [--until TIME]
                 [--limit N] [--cursor C] [--json]
  Read the jobs table directly (operators); producers use GET /v1/jobs.
  get: the job as an operator needs it: status, engine, times, attempts, error, CV version,
    application id, match score, verification, where the result is stored. --out DIR writes the
    tailored CV (resume.json, cv.md, cv.html), match.json and verification.json to DIR/<jobId>/.
  list: newest first. --status ${JOB_STATUSES.join("|")}; --code: the error code (FAILED jobs);
    --since/--until: ISO 8601 times (or dates) bounding createdAt, --until exclusive.
    --limit: ${api.listLimit.min}-${api.listLimit.max}, default ${api.listLimit.default} (as GET /v1/jobs).`;

/** Where a job's result is: in its item of the jobs table, in the payload bucket, or nowhere (yet). */
const storedAt = (record: JobRecord, target: Target) =>
  record.result
    ? { stored: "inline" as const, location: `${target.tables.jobs} (the job's item)` }
    : record.resultBlob
      ? {
          stored: "s3" as const,
          location: `s3://${record.resultBlob.bucket}/${record.resultBlob.key}`,
          bytes: record.resultBlob.bytes,
        }
      : { stored: "none" as const };

/**
 * The operator's view of a job (`jobs get --json`, docs/cli.md): what happened to it and where its
 * output is. Not the table's internals — userKey, requestHash, idempotencyKey, the TTL, the sweep's
 * shard — which say nothing an operator acts on and, for the key, are the producer's.
 */
export const operatorView = (record: JobRecord, target: Target, result: TailoringResult | undefined) => ({
  jobId: record.jobId,
  tenantId: record.tenantId,
  userId: record.userId,
  status: record.status,
  engine: record.engine,
  ...(result?.modelId ? { modelId: result.modelId } : {}),
  createdAt: record.createdAt,
  updatedAt: record.updatedAt,
  ...(record.startedAt ? { startedAt: record.startedAt } : {}),
  ...(record.finishedAt ? { finishedAt: record.finishedAt } : {}),
  attempts: record.attempts,
  ...(record.correlationId ? { correlationId: record.correlationId } : {}),
  ...(record.applicationId === undefined ? {} : { applicationId: record.applicationId }),
  ...(record.cvRef ? { cvRef: { cvId: record.cvRef.cvId, version: record.cvRef.version } } : {}),
  ...(record.error
    ? {
        error: {
          code: record.error.code,
          message: record.error.message,
          ...(record.error.retryable === undefined ? {} : { retryable: record.error.retryable }),
        },
      }
    : {}),
  ...(result
    ? {
        match: {
          score: result.match.score,
          matchedKeywords: result.match.matchedKeywords,
          missingKeywords: result.match.missingKeywords,
        },
        verification: {
          passed: result.verification.passed,
          checkedFields: result.verification.checkedFields,
          violations: result.verification.violations.length,
        },
      }
    : {}),
  ...(record.usage ? { usage: record.usage } : {}),
  result: storedAt(record, target),
});

type OperatorView = ReturnType<typeof operatorView> & { files?: Record<string, string> };

const writeFiles = (dir: string, result: TailoringResult): Record<string, string> => {
  // A person's CV: readable by its operator only, like the data directory it comes from.
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const files = {
    resume: ["resume.json", `${JSON.stringify(result.resume, null, 2)}\n`],
    markdown: ["cv.md", result.markdown],
    html: ["cv.html", result.html],
    match: ["match.json", `${JSON.stringify(result.match, null, 2)}\n`],
    verification: ["verification.json", `${JSON.stringify(result.verification, null, 2)}\n`],
  } as const;
  return Object.fromEntries(
    Object.entries(files).map(([what, [name, text]]) => {
      writeFileSync(join(dir, name), text, { mode: 0o600 });
      return [what, join(dir, name)];
    }),
  );
};

const describeJob = (v: OperatorView): string =>
  formatFields([
    ["job", v.jobId],
    ["tenant", v.tenantId],
    ["user", v.userId],
    ["status", v.status],
    ["engine", v.modelId ? `${v.engine} (${v.modelId})` : v.engine],
    ["created", v.createdAt],
    ["started", v.startedAt],
    ["finished", v.finishedAt],
    ["attempts", String(v.attempts)],
    ["error", v.error ? `${v.error.code}: ${v.error.message}${v.error.retryable ? " (retryable)" : ""}` : undefined],
    ["cv", v.cvRef ? `${v.cvRef.cvId} version ${v.cvRef.version}` : undefined],
    ["application", v.applicationId],
    ["correlation", v.correlationId],
    [
      "match",
      v.match
        ? `${v.match.score}/100; found ${v.match.matchedKeywords.join(", ") || "(none)"}; missing ${v.match.missingKeywords.join(", ") || "(none)"}`
        : undefined,
    ],
    [
      "verification",
      v.verification
        ? v.verification.passed
          ? `passed (${v.verification.checkedFields} fields checked)`
          : `failed: ${v.verification.violations} violation(s)`
        : undefined,
    ],
    ["result", v.result.stored === "none" ? "none" : v.result.location],
    ...Object.entries(v.files ?? {}).map(([what, path]) => [`  ${what}`, path] as const),
  ]);

/** An ISO 8601 time (or date) of a flag, normalised as createdAt is stored (toISOString). */
const isoTime = (flag: string, text: string | undefined): string | undefined => {
  if (text === undefined) return undefined;
  const ms = /^\d{4}-\d{2}-\d{2}/.test(text) ? Date.parse(text) : Number.NaN;
  if (Number.isNaN(ms)) throw new UsageError(`${flag}: must be an ISO 8601 time or date, like 2026-11-20T10:00:00Z`);
  return new Date(ms).toISOString();
};

export const jobsCommand = async (args: string[]): Promise<void> => {
  const [sub, ...rest] = args;
  if (sub === "submit") return jobsSubmit(rest);
  if (sub !== "get" && sub !== "list")
    throw new UsageError(`unknown jobs command "${sub ?? ""}": use submit, get or list`);
  const { values, positionals } = parseCliArgs({
    args: rest,
    options: {
      tenant: { type: "string" },
      user: { type: "string" },
      limit: { type: "string", default: String(api.listLimit.default) },
      cursor: { type: "string" },
      status: { type: "string" },
      code: { type: "string" },
      since: { type: "string" },
      until: { type: "string" },
      out: { type: "string" },
      json: { type: "boolean", default: false },
    },
    allowPositionals: true,
    strict: true,
  });
  if (!values.tenant) throw new UsageError("--tenant is required");
  if (sub === "get") {
    const id = positionals[0];
    if (!id) throw new UsageError("give the job id");
    const target = await resolveTarget();
    const job = await jobStoreFor(target).get(values.tenant, id);
    if (!job) {
      console.error(`no job ${id} for tenant ${values.tenant} (or it expired)`);
      process.exitCode = 1;
      return;
    }
    // A stored result's pointer names its bucket; S3 is only read when the result is not inline.
    const blobs = new S3BlobStore(createS3Client(), job.resultBlob?.bucket ?? "", { signingClock: systemClock });
    const result = await resultOf(job, blobs);
    const view: OperatorView = operatorView(job, target, result);
    if (values.out !== undefined) {
      if (!result) throw new UsageError(`--out: job ${id} is ${job.status} and has no result to write`);
      view.files = writeFiles(resolve(values.out, job.jobId), result);
    }
    emit(values.json, view, () => describeJob(view));
    return;
  }

  if (!values.user) throw new UsageError("--user is required");
  let limit: number;
  try {
    limit = parseListLimit(values.limit);
  } catch (error) {
    if (error instanceof InvalidLimitError) throw new UsageError(`--limit ${error.message}`);
    throw error;
  }
  const status = values.status;
  if (status !== undefined && !(JOB_STATUSES as readonly string[]).includes(status)) {
    throw new UsageError(`--status: must be one of ${JOB_STATUSES.join(", ")} (got "${status}")`);
  }
  const since = isoTime("--since", values.since);
  const until = isoTime("--until", values.until);
  const target = await resolveTarget();
  const jobs = jobStoreFor(target);
  const keep = (j: JobRecord) =>
    (values.code === undefined || j.error?.code === values.code) &&
    (since === undefined || j.createdAt >= since) &&
    (until === undefined || j.createdAt < until);
  // Status is filtered by DynamoDB, code and time here: a page is read until `limit` jobs are kept, each
  // query asking for no more than are still wanted, so the cursor resumes exactly after the last one read.
  const items: JobRecord[] = [];
  let cursor = values.cursor;
  do {
    const page = await jobs.listByUser(
      values.tenant,
      values.user,
      limit - items.length,
      cursor,
      status === undefined ? {} : { status: status as JobStatus },
    );
    items.push(...page.items.filter(keep));
    cursor = page.cursor;
    // Newest first: once a page reaches jobs created before --since, no later page has one to keep.
    if (since !== undefined && page.items.some((j) => j.createdAt < since)) cursor = undefined;
  } while (cursor !== undefined && items.length < limit);
  const listed = items.map((j) => ({
    jobId: j.jobId,
    status: j.status,
    engine: j.engine,
    createdAt: j.createdAt,
    ...(j.finishedAt ? { finishedAt: j.finishedAt } : {}),
    ...(j.error ? { errorCode: j.error.code } : {}),
    ...(j.applicationId === undefined ? {} : { applicationId: j.applicationId }),
  }));
  emit(values.json, { items: listed, ...(cursor ? { cursor } : {}) }, () => {
    if (listed.length === 0) return "no jobs";
    return [
      formatTable([
        ["job", "status", "engine", "created", "error"],
        ...listed.map((j) => [j.jobId, j.status, j.engine, j.createdAt, j.errorCode ?? "-"]),
      ]),
      ...(cursor ? [`more: --cursor ${cursor}`] : []),
    ].join("\n");
  });
};
