/**
 * The whole Unicode range SQS allows, end to end through the HTTP API on the
 * embedded stack: astral characters (emoji, CJK Extension B, mathematical
 * alphanumerics), combining marks, right-to-left text, and the characters SQS
 * refuses in a message body (U+FFFE, U+FFFF) all reach the result unchanged.
 * Content never causes a 5xx.
 */
import { GetObjectCommand } from "@aws-sdk/client-s3";
import { GetCommand } from "@aws-sdk/lib-dynamodb";
import { createDocumentClient, createS3Client } from "@cvpipe/aws/clients";
import { tables } from "@cvpipe/core/topology";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { fixture, sharedFixture, sharedText } from "./support/fixtures.ts";
import { startTestStack, type TestStack, until } from "./support/stack.ts";

/** U+1F644 FACE WITH ROLLING EYES: the character that made a real CV fail with a 503. */
const EMOJI = "\u{1F644}";
/** A sample of what SQS accepts beyond ASCII, and the two BMP non-characters it refuses (sent escaped). */
const SAMPLES = {
  emoji: `${EMOJI} \u{1F680}\u{1F3FD} \u{1F469}\u200D\u{1F4BB} \u{1F1EC}\u{1F1E7}`, // ZWJ sequence, skin tone, flag
  cjkExtB: "\u{20000}\u{2000B}\u{2A6D6}", // 𠀀 𠀋 𪛖
  mathAlnum: "\u{1D400}\u{1D401}\u{1D402} \u{1D4B3} \u{1D7D8}", // 𝐀𝐁𝐂 𝒳 𝟘
  planeEdges: "\u{10000}\u{10FFFD}",
  combining: "e\u0301 a\u0308 Z\u0351\u0352\u0353 \u0915\u094D\u0937", // é ä Z͓͑͒ क्ष
  arabic: "\u0645\u0647\u0646\u062F\u0633 \u0628\u0631\u0645\u062C\u064A\u0627\u062A", // مهندس برمجيات
  hebrew: "\u05DE\u05D4\u05E0\u05D3\u05E1 \u05EA\u05D5\u05DB\u05E0\u05D4", // מהנדס תוכנה
  bidiControls: "\u202Bembedded\u202C \u2067isolated\u2069 \u200F",
  bmpEdges: "\uD7FF\uE000\uFFFD",
  nonCharacters: "\uFFFE\uFFFF",
};
const ALL = Object.values(SAMPLES).join(" | ");

/** A real public CV (shared eval set) and a real posting. */
const realCv = () => sharedFixture("eval/resumes/01-backend-engineer.json");
const realJob = () => {
  const text = sharedText("eval/jobs/01-backend-engineer-mixmax.md");
  const [head = "", ...rest] = text.split("\n\n");
  const field = (name: string) => new RegExp(`^${name}: (.*)$`, "m").exec(head)?.[1];
  return { title: field("title"), company: field("company"), description: rest.join("\n\n") };
};

let stack: TestStack;

/** The stack's clock: the events below are dated two days before it, whatever today is. */
const START = new Date("2026-11-18T10:00:00Z");

test.before(async () => {
  stack = await startTestStack({ clockStart: START });
});
test.after(async () => stack?.close());

test("a real CV with one emoji in a highlight is accepted and tailored (was 503 DEPENDENCY_UNAVAILABLE)", async () => {
  const cv = realCv();
  const zapier = cv.work.find((w: { name: string }) => w.name === "Zapier");
  const i = zapier.highlights.findIndex((h: string) => h.includes("AWS Lambda"));
  zapier.highlights[i] = `${zapier.highlights[i]} ${EMOJI}`;
  const res = await stack.api.request("POST", "/v1/jobs", { body: { cv, job: realJob() }, tenant: "emoji" });
  assert.is(res.status, 202, JSON.stringify(res.body));
  const job = await stack.api.waitForJob(res.body.data.jobId, { tenant: "emoji" });
  assert.is(job.status, "SUCCEEDED", JSON.stringify(job.error));
  const out = job.result.resume.work.find((w: { name: string }) => w.name === "Zapier");
  assert.ok(
    out.highlights.includes(zapier.highlights[i]),
    `the emoji highlight is kept intact: ${JSON.stringify(out.highlights)}`,
  );
  assert.ok(job.result.markdown.includes(EMOJI), "and rendered");
});

test("every class of character SQS allows survives a JSON Resume job end to end", async () => {
  const body = structuredClone(fixture("http/post-job.valid.json"));
  const name = `Dana Okafor ${SAMPLES.arabic} ${SAMPLES.hebrew} ${SAMPLES.mathAlnum} ${EMOJI}`;
  body.cv.basics.name = name;
  body.cv.basics.label = `Backend Engineer ${SAMPLES.combining}`;
  body.cv.basics.location.city = `Manchester ${SAMPLES.cjkExtB}`;
  const highlight = `${body.cv.work[0].highlights[0]} ${ALL}`;
  // The entry's only highlight, so the engine keeps it whatever its ranking and budget (an entry keeps its lead highlight).
  body.cv.work[0].highlights = [highlight];
  const res = await stack.api.request("POST", "/v1/jobs", { body, tenant: "unicode" });
  assert.is(res.status, 202, JSON.stringify(res.body));
  const job = await stack.api.waitForJob(res.body.data.jobId, { tenant: "unicode" });
  assert.is(job.status, "SUCCEEDED", JSON.stringify(job.error));
  const r = job.result.resume;
  assert.is(r.basics.name, name, "identity fields unchanged, RTL and astral included");
  assert.is(r.basics.label, body.cv.basics.label);
  assert.is(r.basics.location.city, body.cv.basics.location.city);
  assert.ok(r.work[0].highlights.includes(highlight), JSON.stringify(r.work[0].highlights));
  for (const [what, s] of Object.entries(SAMPLES))
    assert.ok(job.result.markdown.includes(s), `${what} in the Markdown`);
});

test("a plain-text CV with astral, combining and RTL characters is parsed and tailored", async () => {
  const text = [
    `# Dana Okafor ${EMOJI}`,
    "",
    "## Experience",
    "",
    "### Senior Backend Engineer at Northwind Logistics",
    "2021-03 - present",
    `- Rebuilt shipment tracking on AWS Lambda, SQS and DynamoDB in TypeScript ${SAMPLES.emoji}`,
    `- Localised the tracking site into Arabic and Hebrew (${SAMPLES.arabic}, ${SAMPLES.hebrew}) ${SAMPLES.combining}`,
    `- Wrote the CJK ${SAMPLES.cjkExtB} and ${SAMPLES.mathAlnum} font fallback tests ${SAMPLES.nonCharacters}`,
    "",
    "## Skills",
    "",
    "- TypeScript, Node.js, AWS Lambda, SQS, DynamoDB",
  ].join("\n");
  const res = await stack.api.request("POST", "/v1/jobs", {
    body: { cv: text, job: fixture("http/post-job.valid.json").job },
    tenant: "unicode-text",
  });
  assert.is(res.status, 202, JSON.stringify(res.body));
  const job = await stack.api.waitForJob(res.body.data.jobId, { tenant: "unicode-text" });
  assert.is(job.status, "SUCCEEDED", JSON.stringify(job.error));
  const markdown: string = job.result.markdown;
  for (const s of [EMOJI, SAMPLES.emoji, SAMPLES.arabic, SAMPLES.hebrew, SAMPLES.cjkExtB, SAMPLES.mathAlnum])
    assert.ok(markdown.includes(s), `${JSON.stringify(s)} in ${markdown}`);
});

test("a CV too large to travel inline (S3 claim check) keeps its astral characters too", async () => {
  const body = structuredClone(fixture("http/post-job.valid.json"));
  const highlight = `${body.cv.work[0].highlights[0]} ${ALL}`;
  // The entry's only highlight, so the engine keeps it whatever its ranking and budget (an entry keeps its lead highlight).
  body.cv.work[0].highlights = [highlight];
  // Bulk: 3-byte CJK and 4-byte astral characters, under the 20,000-unit field limit but ~40 KB of UTF-8 each.
  const filler = `${"\u4E2D\u6587\u7B80\u5386 ".repeat(2000)}${`${EMOJI}\u{2000B} `.repeat(1500)}`;
  body.cv.work[1].highlights.push(...Array.from({ length: 6 }, () => filler));
  body.cv.projects[0].highlights.push(filler);
  assert.ok(Buffer.byteLength(JSON.stringify(body)) > 200_000, "over the inline limit");
  const res = await stack.api.request("POST", "/v1/jobs", { body, tenant: "unicode-big" });
  assert.is(res.status, 202, JSON.stringify(res.body));
  const job = await stack.api.waitForJob(res.body.data.jobId, { tenant: "unicode-big", timeoutMs: 60_000 });
  assert.is(job.status, "SUCCEEDED", JSON.stringify(job.error));
  assert.ok(job.result.resume.work[0].highlights.includes(highlight), JSON.stringify(job.result.resume.work[0]));
  const stored = await createS3Client().send(
    new GetObjectCommand({ Bucket: stack.info.bucket, Key: `requests/unicode-big/${job.jobId}.json` }),
  );
  const input = JSON.parse((await stored.Body?.transformToString("utf-8")) ?? "null");
  assert.equal(input.cv.work[1].highlights.at(-1), filler, "the claim-checked request kept its astral characters");
});

test("lone surrogates in a request are not a 5xx either", async () => {
  // Not valid Unicode text (no UTF-8 encoding exists), but valid JSON escapes: the request must not break the pipeline.
  const body = structuredClone(fixture("http/post-job.valid.json"));
  body.cv.work[0].highlights[1] += " \uD83D and \uDE44 alone";
  const res = await stack.api.request("POST", "/v1/jobs", { body, tenant: "surrogates" });
  assert.ok(res.status < 500, `status ${res.status}: ${JSON.stringify(res.body)}`);
  if (res.status === 202) {
    const job = await stack.api.waitForJob(res.body.data.jobId, { tenant: "surrogates" });
    assert.is(job.status, "SUCCEEDED", JSON.stringify(job.error));
  }
});

test("analytics events carry the same characters in their property keys and values", async () => {
  const properties = Object.fromEntries(Object.entries(SAMPLES).map(([k, v]) => [`${k} ${EMOJI}`, v]));
  const events = [
    { eventId: "uni-1", type: "cv.viewed", occurredAt: "2026-11-16T09:00:00Z", properties },
    { eventId: "uni-2", type: "search.performed", occurredAt: "2026-11-16T09:01:00Z", properties: { q: ALL } },
  ];
  const res = await stack.api.request("POST", "/v1/events", { body: { events }, tenant: "unicode-events" });
  assert.is(res.status, 202, JSON.stringify(res.body));
  const db = createDocumentClient();
  for (const e of events) {
    const item = await until(`event ${e.eventId}`, async () => {
      const out = await db.send(
        new GetCommand({ TableName: tables.events.name, Key: { tenantId: "unicode-events", eventId: e.eventId } }),
      );
      return out.Item;
    });
    assert.equal(JSON.parse(item["body"]).event.properties, e.properties, `${e.eventId} stored unchanged`);
  }
});

test.run();
