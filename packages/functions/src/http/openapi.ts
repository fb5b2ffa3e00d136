import { EventsRequest } from "@cvpipe/core/contracts/analytics-event";
import { JOB_STATUSES, JobRequest } from "@cvpipe/core/contracts/job-request";
import { api } from "@cvpipe/core/topology";
import { z } from "zod";

const envelopeError = {
  type: "object",
  required: ["success", "code", "error"],
  properties: {
    success: { const: false },
    code: { type: "string", examples: ["VALIDATION_ERROR", "UNAUTHORIZED", "NOT_FOUND"] },
    error: { type: "string" },
    details: {
      description: "For VALIDATION_ERROR: one entry per problem, with the field path and the rule broken",
      type: "array",
      items: {
        type: "object",
        properties: {
          path: { type: "string", examples: ["body.cv.work[2].startDate"] },
          rule: { type: "string" },
          message: { type: "string" },
        },
      },
    },
  },
};

const ok = (data: object) => ({
  type: "object",
  required: ["success", "code", "data"],
  properties: { success: { const: true }, code: { type: "string" }, data },
});

const errors = (...codes: number[]) =>
  Object.fromEntries(
    codes.map((c) => [
      String(c),
      { description: "error", content: { "application/json": { schema: { $ref: "#/components/schemas/Error" } } } },
    ]),
  );

/** OpenAPI 3.1 document generated from the zod schemas the handlers validate with. */
export const openApiDocument = () => ({
  openapi: "3.1.0",
  info: {
    title: "cvpipe",
    version: "1.0.0",
    description: `Tailors CVs to job descriptions and records usage analytics. Every request except health and this document needs a JWT bearer token carrying "${api.tenantClaim}" and "sub" claims.`,
  },
  components: {
    securitySchemes: { jwt: { type: "http", scheme: "bearer", bearerFormat: "JWT" } },
    schemas: {
      JobRequest: z.toJSONSchema(JobRequest, { io: "input", unrepresentable: "any" }),
      EventsRequest: z.toJSONSchema(EventsRequest, { io: "input", unrepresentable: "any" }),
      Error: envelopeError,
    },
  },
  security: [{ jwt: [] }],
  paths: {
    "/v1/jobs": {
      post: {
        summary: "Submit a tailoring job",
        parameters: [
          {
            name: "Idempotency-Key",
            in: "header",
            required: false,
            schema: { type: "string", maxLength: 255 },
            description: "Same key + same body returns the first job, however late the retry.",
          },
        ],
        requestBody: {
          required: true,
          content: { "application/json": { schema: { $ref: "#/components/schemas/JobRequest" } } },
        },
        responses: {
          "202": {
            description: "accepted",
            content: {
              "application/json": {
                schema: ok({
                  type: "object",
                  properties: {
                    jobId: { type: "string" },
                    status: { enum: [...JOB_STATUSES] },
                    links: { type: "object" },
                  },
                }),
              },
            },
          },
          ...errors(400, 401, 409, 413, 415, 503),
        },
      },
      get: {
        summary: "List the caller's jobs, newest first",
        parameters: [
          { name: "limit", in: "query", schema: { type: "integer", minimum: 1, maximum: 100 } },
          { name: "cursor", in: "query", schema: { type: "string" } },
        ],
        responses: { "200": { description: "jobs" }, ...errors(400, 401) },
      },
    },
    "/v1/jobs/{jobId}": {
      get: {
        summary: "A job's status; the tailored CV, match and verification reports when done",
        parameters: [{ name: "jobId", in: "path", required: true, schema: { type: "string" } }],
        responses: { "200": { description: "job" }, ...errors(401, 404) },
      },
    },
    "/v1/events": {
      post: {
        summary: "Record 1-25 analytics events",
        requestBody: {
          required: true,
          content: { "application/json": { schema: { $ref: "#/components/schemas/EventsRequest" } } },
        },
        responses: { "202": { description: "accepted" }, ...errors(400, 401, 413, 415, 503) },
      },
    },
    "/v1/health": {
      get: {
        summary: "Liveness and dependency checks",
        security: [],
        responses: { "200": { description: "healthy" }, "503": { description: "a dependency is down" } },
      },
    },
    "/v1/openapi.json": {
      get: { summary: "This document", security: [], responses: { "200": { description: "OpenAPI 3.1" } } },
    },
  },
});
