/**
 * The ingest workload: POST /v1/jobs through the gateway, and the same body sent raw with
 * SendMessage to the same SQS emulator, both with the same users (FIFO groups) and concurrency.
 */

import { randomUUID } from "node:crypto";
import { CreateQueueCommand, SendMessageCommand, SQSClient } from "@aws-sdk/client-sqs";
import { messageBody, messageGroupId } from "@cvpipe/core/contracts/message-envelope";
import type { Posting } from "@cvpipe/core/contracts/posting";
import type { TailoringJobMessage } from "@cvpipe/core/contracts/tailoring-job-message";
import { systemClock } from "@cvpipe/core/ports/clock";
import type { Resume } from "@cvpipe/core/resume/resume";
import { evalPairs, loadJob, loadResume } from "@cvpipe/core/tailoring/testing/eval-set";
import { mintToken } from "@cvpipe/local/jwt-keys";
import type { StartedStackProcess } from "../../test/support/stack-process.ts";
import { type LoadResult, runLoad } from "./load.ts";

export const TENANT = "bench";

/** The job requests: the eval pairs, in turn (each posting its JSON Resume job file, as is). */
export const jobRequests = (): Array<{ cv: Resume; job: Posting }> =>
  evalPairs().map((p) => ({ cv: loadResume(p.resume), job: loadJob(p.jobJson) }));

export interface Producer {
  /** The producer's own SQS client (the raw baseline's), for queue depths too. */
  readonly sqs: SQSClient;
  /** POST /v1/jobs as user i % users; resolves with the job id, throws on anything but 202. */
  postJob(i: number): Promise<string>;
  /** GET /v1/jobs/{jobId} as the user of request i: the job's data (status, startedAt, finishedAt, ...). */
  getJob(jobId: string, i: number): Promise<JobView>;
  /** The raw baseline: SendMessage of the message the ingress would send for request i. */
  sendRaw(i: number): Promise<void>;
  close(): void;
}

export interface JobView {
  readonly jobId: string;
  readonly status: string;
  readonly startedAt?: string;
  readonly finishedAt?: string;
  readonly error?: { readonly code: string };
}

export const producer = async (stack: StartedStackProcess, users: number): Promise<Producer> => {
  const requests = jobRequests();
  const bodies = requests.map((r) => JSON.stringify(r));
  const tokens = await Promise.all(
    Array.from({ length: users }, (_, u) =>
      mintToken(stack.keys, { tenantId: TENANT, userId: `user-${u}`, now: systemClock.now() }),
    ),
  );
  const sqs = new SQSClient({
    region: stack.info.region,
    endpoint: stack.info.endpoints.sqs,
    credentials: { accessKeyId: "bench", secretAccessKey: "bench" },
  });
  // A queue of its own, made like the tailoring queue, with no consumer.
  const { QueueUrl: rawQueue } = await sqs.send(
    new CreateQueueCommand({ QueueName: "bench-raw.fifo", Attributes: { FifoQueue: "true" } }),
  );
  const api = stack.info.apiUrl;
  return {
    sqs,
    async postJob(i) {
      const res = await fetch(`${api}/v1/jobs`, {
        method: "POST",
        headers: { authorization: `Bearer ${tokens[i % users]}`, "content-type": "application/json" },
        body: bodies[i % bodies.length]!,
      });
      const text = await res.text();
      if (res.status !== 202) throw new Error(`POST /v1/jobs answered ${res.status}: ${text.slice(0, 200)}`);
      return (JSON.parse(text) as { data: { jobId: string } }).data.jobId;
    },
    async getJob(jobId, i) {
      const res = await fetch(`${api}/v1/jobs/${jobId}`, { headers: { authorization: `Bearer ${tokens[i % users]}` } });
      const text = await res.text();
      if (res.status !== 200) throw new Error(`GET /v1/jobs/${jobId} answered ${res.status}: ${text.slice(0, 200)}`);
      return (JSON.parse(text) as { data: JobView }).data;
    },
    async sendRaw(i) {
      const request = requests[i % requests.length]!;
      const userId = `user-${i % users}`;
      const jobId = randomUUID();
      const message: TailoringJobMessage = {
        schema: "tailoring-job.v1",
        jobId,
        tenantId: TENANT,
        userId,
        submittedAt: new Date().toISOString(),
        input: { inline: { cv: { ...request.cv }, posting: request.job, options: { engine: "local" } } },
      };
      await sqs.send(
        new SendMessageCommand({
          QueueUrl: rawQueue,
          MessageBody: messageBody(message),
          MessageGroupId: messageGroupId(TENANT, userId),
          MessageDeduplicationId: jobId,
        }),
      );
    },
    close: () => sqs.destroy(),
  };
};

export const postJobs = (p: Producer, n: number, concurrency: number): Promise<LoadResult> =>
  runLoad(n, concurrency, async (i) => {
    await p.postJob(i);
  });

export const sendRaw = (p: Producer, n: number, concurrency: number): Promise<LoadResult> =>
  runLoad(n, concurrency, (i) => p.sendRaw(i));
