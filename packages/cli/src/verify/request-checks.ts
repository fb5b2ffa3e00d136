/**
 * The checks that go through the HTTP API as a producer does: health, a valid request answered 2xx,
 * an invalid one with its documented error (400 VALIDATION_ERROR naming the field), a request without
 * a token refused (401), and a job carried end to end (submitted with the local engine, polled to SUCCEEDED).
 */
import { setTimeout as sleep } from "node:timers/promises";
import { type Check, fail, pass, skip } from "./checklist.ts";

export interface ApiAccess {
  readonly url: string;
  /** A JWT with the producer's scopes; undefined: the checks that need one are skipped with this reason. */
  readonly token: string | undefined;
  readonly noTokenReason: string;
  /** How long the job may take to succeed. */
  readonly jobTimeoutMs: number;
}

// biome-ignore lint/suspicious/noExplicitAny: an answer's JSON, read field by field
type Answer = { status: number; body: any };

const call = async (
  access: ApiAccess,
  method: string,
  path: string,
  body?: unknown,
  token = access.token,
): Promise<Answer> => {
  const headers: Record<string, string> = {};
  if (token) headers["authorization"] = `Bearer ${token}`;
  if (body !== undefined) headers["content-type"] = "application/json";
  const res = await fetch(`${access.url}${path}`, {
    method,
    headers,
    signal: AbortSignal.timeout(30_000),
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  try {
    return { status: res.status, body: text ? JSON.parse(text) : undefined };
  } catch {
    return { status: res.status, body: text };
  }
};

/** A small job the local engine tailors in milliseconds; every fact in the summary is in the CV. */
const JOB = {
  cv: {
    basics: { name: "Verify Check", summary: "Backend engineer building event-driven services on AWS." },
    work: [
      {
        name: "Example Ltd",
        position: "Backend Engineer",
        startDate: "2020-01",
        highlights: ["Built event-driven services with AWS Lambda, SQS and DynamoDB", "Ran the on-call rotation"],
      },
    ],
    skills: [{ name: "TypeScript" }, { name: "AWS" }],
  },
  job: { description: "Backend engineer for event-driven services on AWS Lambda, SQS and DynamoDB, in TypeScript." },
  options: { engine: "local" },
};

/** Breaks one rule the API documents: the job description is too short (400 VALIDATION_ERROR at body.job.description). */
const INVALID_JOB = { cv: JOB.cv, job: { description: "too short" } };

const todoUrl = "check the API URL (the service stack's ApiUrl output; CVPIPE_API_URL) and that the ingress answers";

export const requestChecks = (access: ApiAccess): Check[] => {
  const needsToken = (run: () => Promise<ReturnType<typeof pass>>) => () =>
    access.token ? run() : Promise.resolve(skip(access.noTokenReason));
  return [
    {
      id: "api:health",
      title: "GET /v1/health answers 200",
      async run() {
        const r = await call(access, "GET", "/v1/health");
        return r.status === 200 ? pass("200") : fail(`${r.status} ${JSON.stringify(r.body)}`, todoUrl);
      },
    },
    {
      id: "api:no-token",
      title: "a request without a token is refused with 401",
      async run() {
        const r = await call(access, "GET", "/v1/jobs", undefined, "");
        return r.status === 401
          ? pass("401")
          : fail(
              `${r.status}: the JWT authorizer let an anonymous request through`,
              "check the route's JWT authorizer",
            );
      },
    },
    {
      id: "api:valid",
      title: "a valid request (GET /v1/jobs?limit=1) answers 2xx",
      run: needsToken(async () => {
        const r = await call(access, "GET", "/v1/jobs?limit=1");
        if (r.status >= 200 && r.status < 300 && r.body?.success === true) return pass(`${r.status}`);
        return fail(
          `${r.status} ${JSON.stringify(r.body)}`,
          r.status === 401 || r.status === 403
            ? "the token was refused: it needs the tenantId claim and the cvpipe/jobs.read scope, unexpired"
            : todoUrl,
        );
      }),
    },
    {
      id: "api:invalid",
      title: "an invalid job (description too short) answers 400 VALIDATION_ERROR naming body.job.description",
      run: needsToken(async () => {
        const r = await call(access, "POST", "/v1/jobs", INVALID_JOB);
        const named = JSON.stringify(r.body?.details ?? "").includes("job.description");
        if (r.status === 400 && r.body?.code === "VALIDATION_ERROR" && named)
          return pass("400 VALIDATION_ERROR at body.job.description");
        return fail(
          `${r.status} ${JSON.stringify(r.body).slice(0, 300)}`,
          "the ingress must refuse an invalid job with the documented error (README, API); is an old ingress deployed?",
        );
      }),
    },
    {
      id: "job:end-to-end",
      title: `a job (engine local) completes end to end within ${Math.round(access.jobTimeoutMs / 1000)} s`,
      run: needsToken(async () => {
        const submitted = await call(access, "POST", "/v1/jobs", JOB);
        if (submitted.status !== 202 && submitted.status !== 200) {
          return fail(
            `POST /v1/jobs answered ${submitted.status} ${JSON.stringify(submitted.body).slice(0, 300)}`,
            todoUrl,
          );
        }
        const jobId = String(submitted.body?.data?.jobId);
        const deadline = Date.now() + access.jobTimeoutMs;
        let status = String(submitted.body?.data?.status);
        for (;;) {
          if (status === "SUCCEEDED") return pass(`job ${jobId} SUCCEEDED`);
          const job = await call(access, "GET", `/v1/jobs/${jobId}`);
          status = String(job.body?.data?.status);
          if (status === "SUCCEEDED") return pass(`job ${jobId} SUCCEEDED`);
          if (status === "FAILED") {
            return fail(
              `job ${jobId} FAILED: ${JSON.stringify(job.body?.data?.error)}`,
              "read the tailor's logs for the job id; RUNBOOK.md (failed jobs)",
            );
          }
          if (Date.now() > deadline) {
            return fail(
              `job ${jobId} still ${status} after ${Math.round(access.jobTimeoutMs / 1000)} s`,
              `is the tailor worker running? "cvpipe queues" shows the queue's depth and age; "cvpipe dlq peek --queue tailoring" its failures; a longer --timeout if the stage is merely slow`,
            );
          }
          await sleep(500);
        }
      }),
    },
  ];
};
