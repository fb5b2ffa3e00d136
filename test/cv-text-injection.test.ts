/**
 * CV text against the renderers and the text pipeline — the attacks of the
 * review of the linear-time text handling, kept as regressions: no thematic
 * break from emphasis-wrapped fields, a phone of thousands of digits refused
 * (not a regex build error carrying the digits), a huge property key refused at
 * the ingress. (Growth figures live in bench/, not here.)
 */

import { idSecret } from "@cvpipe/core/contracts/canonical-json";
import { MemoryCvStore } from "@cvpipe/core/cvs/testing/memory-cv-store";
import { CvpipeError } from "@cvpipe/core/errors";
import { MemoryJobStore } from "@cvpipe/core/jobs/testing/memory-job-store";
import type { Resume } from "@cvpipe/core/resume/resume";
import { LocalEngine } from "@cvpipe/core/tailoring/local-engine";
import { redactPii } from "@cvpipe/core/tailoring/pii";
import { renderMarkdown } from "@cvpipe/core/tailoring/render-markdown";
import { tailorCv } from "@cvpipe/core/tailoring/tailor-cv";
import { MemoryBlobs, Outbox } from "@cvpipe/core/testing/memory-ports";
import { type SubmitJobDeps, submitJob } from "@cvpipe/functions/app/submit-job";
import { test } from "uvu";
import * as assert from "uvu/assert";

const posting = { description: "We need a TypeScript engineer with AWS and React experience." };

/** CommonMark 4.1: 0–3 spaces, then three or more of one of `*`, `-`, `_`, with only spaces or tabs between. */
const thematicBreaks = (markdown: string): string[] =>
  markdown.split(/\r\n|\r|\n/).filter((line) => /^ {0,3}([*_-])(?:[ \t]*\1){2,}[ \t]*$/.test(line));

// ---------------------------------------------------------------- Markdown: block structure from CV text

test("markdown: a work location of '*' does not become a thematic break (meta line *meta* = ***)", async () => {
  const cv: Resume = {
    basics: { name: "Jo Li" },
    work: [{ name: "Acme", position: "Engineer", location: "*", highlights: ["Built TypeScript services"] }],
  };
  const result = await tailorCv(new LocalEngine(), { cv, posting, options: {} }, { bannedClaims: [] });
  assert.equal(thematicBreaks(result.markdown), [], result.markdown);
});

test("markdown: a work location of '**' (no dates) does not become a thematic break (`****`)", () => {
  const md = renderMarkdown({ basics: { name: "Jo Li" }, work: [{ location: "**", highlights: ["x"] }] });
  assert.equal(thematicBreaks(md), [], md);
});

test("markdown: a label of '* * *' does not become a thematic break (**label** = *** * ***)", async () => {
  const cv: Resume = {
    basics: { name: "Jo Li", label: "* * *" },
    work: [{ name: "Acme", position: "Engineer", highlights: ["Built TypeScript services"] }],
  };
  const result = await tailorCv(new LocalEngine(), { cv, posting, options: {} }, { bannedClaims: [] });
  assert.equal(thematicBreaks(result.markdown), [], result.markdown);
});

test("markdown: a label of '*' does not become a thematic break (`*****`)", () => {
  const md = renderMarkdown({ basics: { name: "Jo Li", label: "*" } });
  assert.equal(thematicBreaks(md), [], md);
});

// ---------------------------------------------------------------- PII redaction: CV-built phone pattern

/** The redactor, wherever the working tree has it (it is moving from @cvpipe/aws to @cvpipe/core). */

test("pii: a 6,000-digit basics.phone is redacted or refused as INVALID_CV, not a regex SyntaxError carrying the digits", async () => {
  const phone = `${"4".repeat(5_999)}7`; // 6,000 characters: inside the 20,000-character field limit
  const cv: Resume = { basics: { name: "Jo Li", phone }, work: [{ name: "Acme", summary: `Call ${phone}` }] };
  let caught: unknown;
  try {
    redactPii(cv);
  } catch (error) {
    caught = error;
  }
  if (caught !== undefined) {
    assert.ok(
      caught instanceof CvpipeError && caught.code === "INVALID_CV",
      `threw ${(caught as Error).name}: ${(caught as Error).message.slice(0, 80)}…`,
    );
    // Whatever is thrown ends up in the worker's error log: it must not carry the phone number.
    assert.not.ok(
      (caught as Error).message.includes("4[\\s().\\-/]{0,8}4"),
      "the error message holds the phone's digits",
    );
  }
});

// ---------------------------------------------------------------- ingress: property keys are unbounded text too

const NOW = new Date("2026-11-18T10:00:00Z");
const deps = (): SubmitJobDeps => ({
  jobs: new MemoryJobStore({ clock: { now: () => NOW } }),
  queue: new Outbox(),
  blobs: new MemoryBlobs(),
  clock: { now: () => NOW },
  newId: () => "job-1",
  idSecret: idSecret("review-text-test-id-secret-0123456789"),
  defaultEngine: "local",
  jobTtlDays: 30,
  cvs: new MemoryCvStore(),
  cvBlobs: new MemoryBlobs(),
});

test("ingress: a CV property key of 100,000 characters is refused like a 100,000-character value (every leaf path repeats it in the worker)", async () => {
  const cv: Record<string, unknown> = {
    basics: { name: "Jo Li" },
    work: [{ name: "Acme", position: "Engineer", highlights: ["Built TypeScript services"] }],
    ["k".repeat(100_000)]: Array.from({ length: 10_000 }, () => "x"),
  };
  let caught: unknown;
  try {
    await submitJob(deps(), { tenantId: "t1", userId: "u1" }, { cv, job: posting }, undefined);
  } catch (error) {
    caught = error;
  }
  // Accepted today: the tailor worker then runs out of memory on it (~140 KB body, > 900 MB heap).
  assert.ok(caught instanceof CvpipeError, "the 140 KB request was accepted (status QUEUED)");
});

test.run();
