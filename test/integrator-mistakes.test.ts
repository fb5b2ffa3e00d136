/**
 * Mistakes an integrator makes, answered through the gateway so they can be fixed without reading
 * source (issue 13 §11): JSON Resume typos are taken with `warnings` (202 of POST /v1/jobs, 201 of
 * POST /v1/cvs); calendar-invalid dates, an end before its start, "Present" and null end dates, a CV
 * sent as a JSON string and a missing posting are refused with every field at once, and nothing is
 * recorded or queued; an event batch reports all its problems at once. Every answer is checked
 * against the served OpenAPI document (ApiClient), so `warnings` is documented where it is sent.
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { fixture } from "./support/fixtures.ts";
import { startTestStack, type TestStack } from "./support/stack.ts";

let stack: TestStack;
/** The stack's "now" at start-up: a Wednesday of 2026-W47, whatever today is. */
const START = new Date("2026-11-18T10:00:00Z");

test.before(async () => {
  stack = await startTestStack({ clockStart: START });
});
test.after(async () => stack?.close());

const valid = () => structuredClone(fixture("http/post-job.valid.json")) as Record<string, any>;

/** A CV with the typos of the issue: `bascis` (a second basics, lost) and `positon`. */
const typoCv = () => {
  const cv = valid()["cv"];
  cv.bascis = { label: "Backend engineer" };
  cv.work[0].positon = cv.work[0].position;
  cv.work[0]["x-team"] = "payments";
  return cv;
};

const EXPECTED_WARNINGS = [
  {
    path: "body.cv.bascis",
    rule: "unknown",
    message: "unknown field 'bascis' — did you mean 'basics'? Its value is not read.",
  },
  {
    path: "body.cv.work[0].positon",
    rule: "unknown",
    message: "unknown field 'positon' — did you mean 'position'? Its value is not read.",
  },
];

/** A CV that breaks every date rule the schema's pattern lets through or words badly. */
const badDatesCv = () => {
  const cv = valid()["cv"];
  cv.work = [
    { name: "A", position: "Engineer", startDate: "2020-13" },
    { name: "B", position: "Engineer", startDate: "2019-01", endDate: "2020-02-30" },
    { name: "C", position: "Engineer", startDate: "2021-06", endDate: "2020-01" },
    { name: "D", position: "Engineer", startDate: "2022-01", endDate: "Present" },
    { name: "E", position: "Engineer", startDate: "2023-01", endDate: null },
  ];
  return cv;
};

const BAD_DATES = [
  ["body.cv.work[3].endDate", "pattern"],
  ["body.cv.work[4].endDate", "type"],
  ["body.cv.work[0].startDate", "calendar"],
  ["body.cv.work[1].endDate", "calendar"],
  ["body.cv.work[2].endDate", "order"],
];

const nothingRecorded = async (user: string) => {
  const jobs = await stack.api.request("GET", "/v1/jobs", { user });
  assert.is(jobs.status, 200);
  assert.equal(jobs.body.data.items, [], `${user}: no job recorded (a job is queued only after it is recorded)`);
  const cvs = await stack.api.request("GET", "/v1/cvs", { user });
  assert.equal(cvs.body.data.items, [], `${user}: no CV stored`);
};

test("POST /v1/jobs: a CV with typos is accepted (202) with warnings naming the field meant; extensions pass", async () => {
  const res = await stack.api.request("POST", "/v1/jobs", { body: { ...valid(), cv: typoCv() }, user: "typist" });
  assert.is(res.status, 202, JSON.stringify(res.body));
  assert.is(res.body.code, "ACCEPTED");
  assert.equal(res.body.data.warnings, EXPECTED_WARNINGS);
  // The same request again (same key): the same warnings, deterministically.
  const again = await stack.api.request("POST", "/v1/jobs", {
    body: { ...valid(), cv: typoCv() },
    user: "typist",
    headers: { "idempotency-key": "typo-job-1" },
  });
  const repeat = await stack.api.request("POST", "/v1/jobs", {
    body: { ...valid(), cv: typoCv() },
    user: "typist",
    headers: { "idempotency-key": "typo-job-1" },
  });
  assert.is(repeat.body.code, "ALREADY_ACCEPTED");
  assert.equal(repeat.body.data.warnings, again.body.data.warnings);
  // A CV without typos: no warnings key at all.
  const clean = await stack.api.request("POST", "/v1/jobs", { body: valid(), user: "typist" });
  assert.is(clean.status, 202);
  assert.not.ok("warnings" in clean.body.data);
});

test("POST /v1/cvs and PUT /v1/cvs/{cvId}: a CV with typos is stored (201) with the same warnings", async () => {
  const res = await stack.api.request("POST", "/v1/cvs", { body: { cv: typoCv() }, user: "librarian" });
  assert.is(res.status, 201, JSON.stringify(res.body));
  assert.equal(res.body.data.warnings, EXPECTED_WARNINGS);
  const put = await stack.api.request("PUT", `/v1/cvs/${res.body.data.cvId}`, {
    body: { cv: typoCv() },
    user: "librarian",
  });
  assert.is(put.status, 201);
  assert.equal(put.body.data.warnings, EXPECTED_WARNINGS);
});

test("POST /v1/jobs: calendar-invalid dates, an end before its start, Present and null are refused at once; nothing queued", async () => {
  const res = await stack.api.request("POST", "/v1/jobs", { body: { ...valid(), cv: badDatesCv() }, user: "dater" });
  assert.is(res.status, 400);
  assert.is(res.body.code, "VALIDATION_ERROR");
  const details: Array<{ path: string; rule: string; message: string }> = res.body.details;
  assert.equal(
    details.map((d) => [d.path, d.rule]),
    BAD_DATES,
  );
  const byPath = new Map(details.map((d) => [d.path, d.message]));
  assert.ok(byPath.get("body.cv.work[3].endDate")!.includes("leave endDate out for a current role"));
  assert.ok(byPath.get("body.cv.work[4].endDate")!.includes("leave endDate out for a current role"));
  assert.ok(byPath.get("body.cv.work[0].startDate")!.includes("there is no month 13"));
  assert.ok(byPath.get("body.cv.work[1].endDate")!.includes("February 2020 (it has 29 days)"));
  assert.ok(byPath.get("body.cv.work[2].endDate")!.includes('is before startDate "2021-06"'));
  for (const d of details) assert.not.ok(d.message.includes("must match pattern"), d.message);
  await nothingRecorded("dater");
});

test("POST /v1/cvs: the same date refusals; nothing stored", async () => {
  const res = await stack.api.request("POST", "/v1/cvs", { body: { cv: badDatesCv() }, user: "dater-2" });
  assert.is(res.status, 400);
  assert.equal(
    res.body.details.map((d: { path: string; rule: string }) => [d.path, d.rule]),
    BAD_DATES,
  );
  await nothingRecorded("dater-2");
});

test("a CV or posting sent as a JSON string, and a missing posting, say so; nothing queued", async () => {
  const { cv, job } = valid();
  const res = await stack.api.request("POST", "/v1/jobs", {
    body: { cv: JSON.stringify(cv), job: JSON.stringify(job) },
    user: "encoder",
  });
  assert.is(res.status, 400);
  assert.equal(
    res.body.details.map((d: { path: string; rule: string }) => [d.path, d.rule]),
    [
      ["body.cv", "json_string"],
      ["body.job", "invalid_type"],
    ],
  );
  assert.ok(res.body.details[0].message.startsWith("is a JSON Resume encoded as a JSON string"));
  assert.ok(res.body.details[1].message.startsWith("is an object encoded as a JSON string"));
  const upload = await stack.api.request("POST", "/v1/cvs", { body: { cv: JSON.stringify(cv) }, user: "encoder" });
  assert.is(upload.status, 400);
  assert.is(upload.body.details[0].rule, "json_string");

  const missing = await stack.api.request("POST", "/v1/jobs", { body: { cv }, user: "encoder" });
  assert.is(missing.status, 400);
  assert.equal(missing.body.details, [
    {
      path: "body.job",
      rule: "invalid_type",
      message: "is required: an object — The job description to tailor the CV to.",
    },
  ]);
  const noCv = await stack.api.request("POST", "/v1/cvs", { body: {}, user: "encoder" });
  assert.equal(noCv.body.details, [
    {
      path: "body.cv",
      rule: "invalid_union",
      message: "is required: a JSON Resume object or a plain-text/Markdown CV string",
    },
  ]);
  await nothingRecorded("encoder");
});

test("POST /v1/events: every problem of a batch is reported at once", async () => {
  const ok = { eventId: "ok-1", type: "cv.viewed", occurredAt: "2026-11-16T09:00:00Z" };
  const res = await stack.api.request("POST", "/v1/events", {
    body: {
      events: [
        ok,
        { ...ok, eventId: "no-type", type: undefined },
        { ...ok, eventId: "unknown-type", type: "cv.teleported" },
        ok,
        { ...ok, eventId: "late", occurredAt: "2026-11-20T10:00:00Z" },
      ],
    },
    user: "counter",
  });
  assert.is(res.status, 400);
  assert.equal(
    res.body.details.map((d: { path: string; rule: string }) => [d.path, d.rule]),
    [
      ["body.events[1].type", "invalid_type"],
      ["body.events[2].type", "catalogue"],
      ["body.events[3].eventId", "unique"],
      ["body.events[4].occurredAt", "not_future"],
    ],
  );
  assert.is(res.body.details[0].message, "is required: a string");
});

test.run();
