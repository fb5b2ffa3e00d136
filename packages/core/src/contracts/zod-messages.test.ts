/**
 * The messages of zod issues an integrator meets first: a missing field says "is required" and its
 * shape, a value JSON-encoded twice says so, an unknown key names the key it was probably meant to be.
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { EventsRequest } from "./analytics-event.ts";
import { encodedJsonKind } from "./encoded-json.ts";
import { zodIssues } from "./field-issues.ts";
import { JobRequest } from "./job-request.ts";
import type * as z from "./zod.ts";

const issuesOf = (schema: z.ZodMiniType, value: unknown) => {
  const result = schema.safeParse(value);
  return result.success ? [] : zodIssues("body", result.error);
};

const JOB = { description: "Build and run the payment APIs in Go on AWS." };
const CV = { basics: { name: "Dana Okafor", summary: "Backend engineer." } };

test("a missing field: is required, with its type and the schema's description", () => {
  assert.equal(issuesOf(JobRequest, { cv: CV }), [
    {
      path: "body.job",
      rule: "invalid_type",
      message: "is required: an object — The job description to tailor the CV to.",
    },
  ]);
  const events = issuesOf(EventsRequest, { events: [{ type: "cv.downloaded" }] });
  assert.equal(
    events.map((i) => [i.path, i.message]),
    [
      ["body.events[0].eventId", "is required: a string"],
      ["body.events[0].occurredAt", "is required: an ISO 8601 date-time string, e.g. 2026-03-02T09:30:00Z"],
    ],
  );
});

test("a JSON Resume (or posting, or body) sent as a JSON string says so", () => {
  const cvString = JSON.stringify({ ...CV, work: [{ name: "Acme", position: "Engineer" }] });
  assert.ok(cvString.length >= 50, "long enough to pass for a text CV");
  const issues = issuesOf(JobRequest, { cv: cvString, job: JSON.stringify(JOB) });
  assert.equal(
    issues.map((i) => [i.path, i.rule]),
    [
      ["body.cv", "json_string"],
      ["body.job", "invalid_type"],
    ],
  );
  assert.ok(issues[0]!.message.startsWith("is a JSON Resume encoded as a JSON string: send the object itself"));
  assert.ok(issues[1]!.message.startsWith("is an object encoded as a JSON string: send the object itself"));
  const body = issuesOf(JobRequest, JSON.stringify({ cv: CV, job: JOB }));
  assert.equal(
    body.map((i) => [i.path, i.rule]),
    [["body", "invalid_type"]],
  );
  assert.ok(body[0]!.message.includes("encoded as a JSON string"));
  // A text CV that merely starts with a brace, and other strings, are not taken for JSON.
  assert.is(encodedJsonKind("{Senior engineer} with ten years of Go, Kubernetes and AWS experience."), undefined);
  assert.is(encodedJsonKind("[1, 2]"), "array");
  assert.is(encodedJsonKind(" {} "), "object");
  assert.is(encodedJsonKind("{]"), undefined);
  assert.equal(
    issuesOf(JobRequest, { cv: "{Senior engineer} with ten years of Go, Kubernetes and AWS.", job: JOB }),
    [],
  );
});

test("an unknown key of a closed object: the key it was probably meant to be, and the keys it takes", () => {
  const issues = issuesOf(JobRequest, { cv: CV, jb: JOB, job: JOB, options: { engin: "local", colour: "red" } });
  assert.equal(
    issues.map((i) => [i.path, i.rule, i.message]),
    [
      [
        "body.options",
        "unrecognized_keys",
        'unknown fields "engin" (did you mean "engine"?), "colour"; it takes engine, maxHighlightsPerEntry, maxSkills, maxWords',
      ],
      [
        "body",
        "unrecognized_keys",
        'unknown field "jb" (did you mean "job"?); it takes cv, cvRef, job, applicationId, options',
      ],
    ],
  );
  const long = issuesOf(JobRequest, { cv: CV, job: JOB, ["k".repeat(5000)]: 1 });
  assert.ok(long[0]!.message.length < 300, "a long key is shown by its start");
});

test.run();
