/**
 * `cvpipe jobs submit`: a tailoring job through the API, as a producer submits one — an inline CV
 * file or a library CV by id — optionally waiting for it (`Prefer: wait`, then polling, with a
 * progress line on a terminal), then the match report and the files the tailored CV was written to.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { api as apiSpec } from "@cvpipe/core/topology";
import {
  ApiRefusal,
  expectStatus,
  PRODUCER_OPTIONS,
  type ProducerApi,
  producerApi,
  readCvFile,
  readJsonFile,
} from "../producer-api.ts";
import { progress } from "../progress.ts";
import { UsageError } from "../stack-info.ts";

export const jobsSubmitHelp = `cvpipe jobs submit --tenant T --user U (--cv FILE | --cv-id ID [--cv-version N]) --posting FILE
                   [--application-id A] [--engine local|bedrock] [--wait] [--out DIR] [--json]
  Submits a tailoring job through the API (POST /v1/jobs). --posting: a JSON posting ({description, title?,
  company?} or a JSON Resume job); --job FILE, its old name, still works (deprecated). --wait: waits for the job (Prefer: wait=${apiSpec.maxPreferWaitSeconds}, then polls), prints
  the match report and writes the tailored CV to DIR/<jobId>/ (resume.json, cv.md, cv.html; DIR default ./cvpipe-out).`;

/** How long --wait polls after the API's own wait, at most. */
const POLL_LIMIT_MS = 10 * 60_000;

interface JobData {
  jobId: string;
  status: string;
  error?: { code: string; message: string };
  result?: {
    resume: unknown;
    markdown: string;
    html: string;
    match: { score: number; matchedKeywords: string[]; missingKeywords: string[] };
    verification: { passed: boolean; violations: unknown[] };
  };
  resultTooLarge?: unknown;
  links?: { result?: string };
}

const finished = (job: JobData) => job.status === "SUCCEEDED" || job.status === "FAILED";

/** The job's stages, for the progress line: queued, running, finished. */
const STAGES = ["QUEUED", "RUNNING"];

const pollUntilDone = async (api: ProducerApi, jobId: string, json: boolean): Promise<JobData> => {
  const started = Date.now();
  const bar = progress(`job ${jobId}`, { json });
  for (;;) {
    const job = expectStatus(await api.request("GET", `/v1/jobs/${jobId}`), 200).body.data as JobData;
    if (finished(job)) {
      bar.end();
      return job;
    }
    bar.update(STAGES.indexOf(job.status) + 1, STAGES.length + 1, job.status);
    if (Date.now() - started > POLL_LIMIT_MS) {
      throw new Error(
        `job ${jobId} is still ${job.status} after ${POLL_LIMIT_MS / 60_000} minutes: see cvpipe jobs get`,
      );
    }
    await new Promise((r) => setTimeout(r, 500));
  }
};

export const jobsSubmit = async (args: string[]): Promise<void> => {
  const { values } = parseArgs({
    args,
    options: {
      ...PRODUCER_OPTIONS,
      cv: { type: "string" },
      "cv-id": { type: "string" },
      "cv-version": { type: "string" },
      posting: { type: "string" },
      // The old name of --posting: elsewhere (logs, dlq) --job is a job id. Deprecated, still read.
      job: { type: "string" },
      "application-id": { type: "string" },
      engine: { type: "string" },
      wait: { type: "boolean", default: false },
      out: { type: "string", default: "cvpipe-out" },
    },
    strict: true,
  });
  if (values.posting !== undefined && values.job !== undefined) {
    throw new UsageError("give --posting FILE only (--job FILE is its deprecated old name)");
  }
  if (values.job !== undefined) {
    console.error("cvpipe jobs submit: --job FILE is deprecated, use --posting FILE (--job names a job id elsewhere)");
  }
  const posting = values.posting ?? values.job;
  if (!posting) throw new UsageError("--posting FILE is required (the posting, JSON)");
  if ((values.cv === undefined) === (values["cv-id"] === undefined)) {
    throw new UsageError("give exactly one of --cv FILE (an inline CV) and --cv-id ID (a CV of the library)");
  }
  if (values["cv-version"] !== undefined && !/^[1-9][0-9]{0,6}$/.test(values["cv-version"])) {
    throw new UsageError("--cv-version must be a version number (1, 2, …)");
  }
  const body = {
    ...(values.cv === undefined
      ? {
          cvRef: {
            cvId: values["cv-id"],
            ...(values["cv-version"] ? { version: Number(values["cv-version"]) } : {}),
          },
        }
      : { cv: readCvFile(values.cv) }),
    job: readJsonFile(posting),
    ...(values["application-id"] ? { applicationId: values["application-id"] } : {}),
    ...(values.engine ? { options: { engine: values.engine } } : {}),
  };
  const api = await producerApi(values.tenant, values.user);
  const answer = await api.request("POST", "/v1/jobs", {
    body,
    ...(values.wait ? { headers: { prefer: `wait=${apiSpec.maxPreferWaitSeconds}` } } : {}),
  });
  if (answer.status !== 200 && answer.status !== 202) throw new ApiRefusal(answer);
  let job = answer.body.data as JobData;
  if (!values.wait) {
    console.log(
      values.json
        ? JSON.stringify(job, null, 2)
        : `job ${job.jobId} ${job.status}: cvpipe jobs get, or GET /v1/jobs/${job.jobId}`,
    );
    return;
  }
  if (!finished(job)) job = await pollUntilDone(api, job.jobId, values.json);
  const written = job.result ? writeResult(resolve(values.out, job.jobId), job.result) : [];
  if (values.json) {
    console.log(JSON.stringify({ ...job, files: written }, null, 2));
  } else {
    console.log(report(job, written));
  }
  if (job.status === "FAILED") process.exitCode = 1;
};

const writeResult = (dir: string, result: NonNullable<JobData["result"]>): string[] => {
  // A person's CV: readable by its operator only, like the data directory it comes from.
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const files: Array<[string, string]> = [
    ["resume.json", `${JSON.stringify(result.resume, null, 2)}\n`],
    ["cv.md", result.markdown],
    ["cv.html", result.html],
  ];
  for (const [name, text] of files) writeFileSync(join(dir, name), text, { mode: 0o600 });
  return files.map(([name]) => join(dir, name));
};

const report = (job: JobData, files: string[]): string => {
  if (job.status === "FAILED") return `job ${job.jobId} FAILED: ${job.error?.code} — ${job.error?.message}`;
  if (!job.result)
    return `job ${job.jobId} ${job.status}: the result is large, fetch it from ${job.links?.result ?? "GET /v1/jobs/{jobId}"}`;
  const { match, verification } = job.result;
  return [
    `job ${job.jobId} SUCCEEDED`,
    `match score ${match.score}/100`,
    `  found in the CV: ${match.matchedKeywords.join(", ") || "(none)"}`,
    `  missing:         ${match.missingKeywords.join(", ") || "(none)"}`,
    `verification ${verification.passed ? "passed: every claim is grounded in the CV" : `failed: ${verification.violations.length} claims`}`,
    "tailored CV written to:",
    ...files.map((f) => `  ${f}`),
  ].join("\n");
};
