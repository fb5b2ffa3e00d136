/**
 * The names and patterns of a job that code uses without validating a request: engine names, job
 * statuses, the id patterns. Plain values, no schema: importing them does not bring the request
 * schemas of job-request.ts (and with them the posting's compiled JSON Schema validator) into a
 * function's bundle — the analytics event schema, the configuration and the stores need only these.
 */

export const ENGINE_NAMES = ["local", "bedrock", "openai"] as const;
export type EngineName = (typeof ENGINE_NAMES)[number];

/** A library CV's id: a UUID (random, or derived from the upload's Idempotency-Key). */
export const CV_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** A producer's own id for what a job belongs to (an application in their ATS): echoed, and a list filter. */
export const APPLICATION_ID = /^[\x21-\x7e]{1,128}$/;

export const JOB_STATUSES = ["QUEUED", "PROCESSING", "SUCCEEDED", "FAILED"] as const;
export type JobStatus = (typeof JOB_STATUSES)[number];
export const isTerminal = (status: JobStatus): boolean => status === "SUCCEEDED" || status === "FAILED";
