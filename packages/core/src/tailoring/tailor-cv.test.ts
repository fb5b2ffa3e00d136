import { test } from "uvu";
import * as assert from "uvu/assert";
import {
  ContentError,
  CvpipeError,
  EngineOutputInvalidError,
  InvalidCvError,
  ValidationError,
  VerificationError,
} from "../errors.ts";
import type { TailoringEngine } from "../ports/tailoring-engine.ts";
import { normalizeCv } from "../resume/normalize-cv.ts";
import type { Resume } from "../resume/resume.ts";
import { renderHtml } from "./render-html.ts";
import { renderMarkdown } from "./render-markdown.ts";
import { tailorCv } from "./tailor-cv.ts";
import type { EngineOutput } from "./types.ts";

const cv: Resume = {
  basics: { name: "Jane Doe", email: "jane@example.org", summary: "Platform engineer." },
  work: [{ name: "Acme", position: "Engineer", startDate: "2020-01", highlights: ["Cut costs by 40% on AWS."] }],
  skills: [{ name: "Cloud", keywords: ["AWS"] }],
};
const posting = { title: "Platform Engineer", description: "Platform engineer to run our AWS estate and cut costs." };

const engine = (change: (r: Resume) => unknown, extra: Partial<EngineOutput> = {}): TailoringEngine => ({
  name: "bedrock",
  async tailor(request) {
    const resume = structuredClone(request.cv);
    const replaced = change(resume);
    return { resume: (replaced ?? resume) as Resume, ...extra };
  },
});

const rejects = async (e: TailoringEngine, banned: string[] = []): Promise<CvpipeError> => {
  try {
    await tailorCv(e, { cv, posting, options: {} }, { bannedClaims: banned });
  } catch (error) {
    assert.instance(error, CvpipeError);
    return error as CvpipeError;
  }
  throw new Error("expected tailorCv to reject");
};

test("a grounded output succeeds with renderings, match report, verification, usage and model id", async () => {
  const usage = { inputTokens: 10, outputTokens: 5, totalTokens: 15 };
  const result = await tailorCv(
    engine(() => undefined, { usage, modelId: "m-1" }),
    { cv, posting, options: {} },
    { bannedClaims: [] },
  );
  assert.is(result.engine, "bedrock");
  assert.is(result.modelId, "m-1");
  assert.equal(result.usage, usage);
  assert.ok(result.verification.passed);
  assert.ok(result.match.matchedKeywords.includes("AWS"));
  assert.ok(result.markdown.includes("### Engineer — Acme"));
  assert.ok(result.html.includes("<h3>Engineer — Acme</h3>"));
});

test("an output that is not a JSON Resume → EngineOutputInvalidError (ENGINE_OUTPUT_INVALID), not retryable", async () => {
  const error = await rejects(
    engine((r) => {
      r.work![0]!.startDate = "last spring";
    }),
  );
  assert.instance(error, EngineOutputInvalidError);
  assert.instance(error, ContentError, "its message quotes the engine's answer");
  assert.is(error.code, "ENGINE_OUTPUT_INVALID");
  assert.is(error.retryable, false);
  assert.match(error.message, /resume\.work\[0\]\.startDate/);
});

test("an ungrounded output → VerificationError UNGROUNDED_CLAIM naming the text, violations as details", async () => {
  const error = await rejects(
    engine((r) => {
      r.work![0]!.highlights = ["Cut costs by 60% on AWS."];
    }),
  );
  assert.instance(error, VerificationError);
  assert.instance(error, ContentError);
  assert.is(error.code, "UNGROUNDED_CLAIM");
  assert.is(error.retryable, false);
  assert.match(error.message, /"60%" at work\[0\]\.highlights\[0\]/);
  assert.is((error.details as unknown[]).length, 1);
});

test("BANNED_CLAIM wins when both kinds fail", async () => {
  const error = await rejects(
    engine((r) => {
      r.work![0]!.name = "Google";
      r.basics!.summary = "Holds a security clearance.";
    }),
    ["Security Clearance"],
  );
  assert.instance(error, VerificationError);
  assert.is(error.code, "BANNED_CLAIM");
  assert.match(error.message, /"Security Clearance" at basics\.summary/);
  // The employer, the banned phrase, and the phrase's words (none is the CV's: the content-word rule).
  const details = error.details as { code: string; text: string }[];
  assert.ok(details.some((v) => v.code === "UNGROUNDED_CLAIM" && v.text === "Google"));
  assert.is(details.filter((v) => v.code === "BANNED_CLAIM").length, 1);
});

test("normalizeCv: valid object passes, invalid object is a ValidationError with paths", () => {
  assert.is(normalizeCv(cv as Record<string, unknown>), cv);
  try {
    normalizeCv({ work: [{ startDate: "May 2020" }] }, "body.cv");
    assert.unreachable();
  } catch (error) {
    assert.instance(error, ValidationError);
    assert.is((error as ValidationError).issues[0]?.path, "body.cv.work[0].startDate");
  }
});

test("normalizeCv: text is parsed; text without any CV section is INVALID_CV", () => {
  const parsed = normalizeCv(
    "Jane Doe\njane@example.org\n\nExperience\n\nEngineer at Acme\n2020 - Present\n- Shipped things\n",
  );
  assert.equal(parsed.work, [
    { name: "Acme", position: "Engineer", startDate: "2020", highlights: ["Shipped things"] },
  ]);
  try {
    normalizeCv("Just a sentence about myself that is long enough to pass the length check.", "body.cv");
    assert.unreachable();
  } catch (error) {
    assert.instance(error, InvalidCvError);
    assert.is((error as InvalidCvError).code, "INVALID_CV");
    assert.equal(((error as InvalidCvError).details as { path: string }[])[0]?.path, "body.cv");
  }
});

test("renderers escape everything and load nothing external", () => {
  const nasty: Resume = {
    basics: { name: "<script>alert(1)</script>", url: "javascript:alert(1)", summary: 'A & B "quoted" <b>bold</b>' },
    work: [{ name: "Acme <Corp>", position: "Eng", highlights: ["<img src=x onerror=alert(1)>"] }],
  };
  const html = renderHtml(nasty);
  assert.not.match(html, /<script>|<img|<b>|href="javascript/);
  assert.match(html, /&lt;script&gt;alert\(1\)&lt;\/script&gt;/);
  assert.match(html, /A &amp; B &quot;quoted&quot;/);
  assert.not.match(html, /<link|<[^>]+\ssrc=|url\(/);
  const md = renderMarkdown(cv);
  assert.match(md, /^# Jane Doe\n/);
  assert.match(md, /## Experience\n\n### Engineer — Acme\n\*Jan 2020 – Present\*\n\n- Cut costs by 40% on AWS\./);
});

test.run();
