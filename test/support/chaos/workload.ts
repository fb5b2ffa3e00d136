/**
 * The chaos test's workload, all of it decided by the seed before anything
 * runs: the users (tenant + user), the tailoring jobs (each with its own
 * Idempotency-Key) and the batches of producer events (25 per request), in
 * the order the producers send them. What the run must end with is computed
 * from this list alone, never from what the stack says.
 */
import type { ProducerEvent } from "@cvpipe/core/contracts/analytics-event";
import { DEFAULT_EVENT_TYPES, MAX_EVENTS_PER_REQUEST } from "@cvpipe/core/contracts/analytics-event";
import { Rng } from "@cvpipe/core/testing/random";
import { fixture } from "../fixtures.ts";

export interface ChaosSizes {
  readonly jobs: number;
  readonly events: number;
  readonly users: number;
}

export interface ChaosUser {
  readonly tenantId: string;
  readonly userId: string;
}

export interface JobSubmission {
  readonly kind: "job";
  readonly index: number;
  readonly user: ChaosUser;
  readonly idempotencyKey: string;
  readonly body: unknown;
  /** The CV carries the banned phrase: the verifier must fail the job (BANNED_CLAIM), once. */
  readonly banned: boolean;
}

export interface EventBatch {
  readonly kind: "events";
  readonly index: number;
  readonly user: ChaosUser;
  readonly events: readonly ProducerEvent[];
}

export type Submission = JobSubmission | EventBatch;

export interface Workload {
  readonly users: readonly ChaosUser[];
  readonly jobs: readonly JobSubmission[];
  readonly batches: readonly EventBatch[];
  /** Jobs and event batches interleaved, in sending order. */
  readonly submissions: readonly Submission[];
}

/** Put in the stack's BANNED_CLAIMS; the CVs of `banned` jobs have it in their (unchangeable) label. */
export const BANNED_PHRASE = "Chaos Certified";
const BANNED_SHARE = 0.04;

const TENANTS = ["acme", "globex", "initech", "umbrella", "hooli", "wayne", "stark", "tyrell"];

/** Postings with different keyword sets, so the missing-keyword counts vary. */
const POSTINGS = [
  {
    title: "Backend Engineer",
    company: "Acme Careers",
    description:
      "We are hiring a backend engineer to build our serverless job-matching platform on AWS. You will design event-driven services with Lambda, SQS and DynamoDB in TypeScript and Node.js, own CI/CD pipelines, and improve observability. Experience with Terraform or CDK, and mentoring other engineers, is a plus.",
  },
  {
    title: "Platform Engineer",
    company: "Globex",
    description:
      "Platform engineer for our Kubernetes and Kafka estate. Go or Rust, Terraform, Prometheus and Grafana, on-call experience, PostgreSQL tuning. Python scripting and incident reviews are part of the job.",
  },
  {
    title: "Full-stack Developer",
    company: "Initech",
    description:
      "Full-stack developer: React and TypeScript on the front end, Node.js and GraphQL behind it, PostgreSQL and Redis. You will write tests, review code and ship weekly through CI/CD.",
  },
  {
    title: "Data Engineer",
    company: "Umbrella",
    description:
      "Data engineer building batch and streaming pipelines with Spark, Airflow and Kafka on AWS. SQL, Python, DynamoDB and data modelling; Terraform and observability experience welcome.",
  },
] as const;

/**
 * The workload for a seed. Events happen in `week` (most) and the week before,
 * never after `notAfter` (the stack clock's start), so none is refused as future.
 */
export const buildWorkload = (
  seed: number,
  sizes: ChaosSizes,
  window: { readonly from: Date; readonly notAfter: Date },
): Workload => {
  const rng = new Rng(seed);
  const pickUser = rng.fork("users");
  const users: ChaosUser[] = Array.from({ length: sizes.users }, (_, i) => ({
    tenantId: TENANTS[i % TENANTS.length]!,
    userId: `user-${String(Math.floor(i / TENANTS.length)).padStart(2, "0")}`,
  }));
  const sample = fixture("http/post-job.valid.json") as { cv: { basics: { label: string } }; options: unknown };

  const jobRng = rng.fork("jobs");
  const jobs: JobSubmission[] = Array.from({ length: sizes.jobs }, (_, index) => {
    const banned = jobRng.chance(BANNED_SHARE);
    const cv = structuredClone(sample.cv);
    if (banned) cv.basics.label = `${cv.basics.label}, ${BANNED_PHRASE}`;
    return {
      kind: "job",
      index,
      user: pickUser.pick(users),
      idempotencyKey: `chaos-${seed}-job-${index}`,
      body: { cv, job: jobRng.pick(POSTINGS), options: sample.options },
      banned,
    };
  });

  const eventRng = rng.fork("events");
  const span = window.notAfter.getTime() - window.from.getTime();
  const batches: EventBatch[] = [];
  for (let sent = 0, index = 0; sent < sizes.events; index++) {
    const count = Math.min(MAX_EVENTS_PER_REQUEST, sizes.events - sent);
    const events = Array.from({ length: count }, (_, i): ProducerEvent => {
      const n = sent + i;
      const at = new Date(window.from.getTime() + Math.floor(eventRng.next() * span));
      return {
        eventId: `chaos-${seed}-evt-${n}`,
        type: eventRng.pick(DEFAULT_EVENT_TYPES),
        occurredAt: at.toISOString(),
        ...(eventRng.chance(0.3) ? { properties: { n, source: "chaos" } } : {}),
      };
    });
    batches.push({ kind: "events", index, user: pickUser.pick(users), events });
    sent += count;
  }

  // Interleaved in a seeded order, so jobs and events arrive mixed as from many producers.
  const order = rng.fork("order");
  const submissions: Submission[] = [];
  let j = 0;
  let b = 0;
  while (j < jobs.length || b < batches.length) {
    const jobsLeft = jobs.length - j;
    const batchesLeft = batches.length - b;
    const takeJob = batchesLeft === 0 || (jobsLeft > 0 && order.next() < jobsLeft / (jobsLeft + batchesLeft));
    submissions.push(takeJob ? jobs[j++]! : batches[b++]!);
  }
  return { users, jobs, batches, submissions };
};
