/**
 * What the model engines' tests (bedrock-engine, openai-engine) tailor: a CV full of personal data
 * (name, email, phone, address, profile) for the redaction cases, and a posting it matches.
 */
import { CvpipeError } from "@cvpipe/core/errors";
import type { TailoringEngine } from "@cvpipe/core/ports/tailoring-engine";
import type { Resume } from "@cvpipe/core/resume/resume";
import { resumeIssues } from "@cvpipe/core/resume/validate-resume";
import { tailorCv } from "@cvpipe/core/tailoring/tailor-cv";
import type { TailoringResult } from "@cvpipe/core/tailoring/types";
import * as assert from "uvu/assert";

export const cv: Resume = {
  basics: {
    name: "Jane Doe",
    label: "Platform Engineer",
    email: "jane.doe@example.org",
    phone: "+44 20 7946 0958",
    url: "https://janedoe.dev",
    summary: "Jane Doe builds Kubernetes platforms on AWS. Reach me at jane.doe@example.org.",
    location: { address: "221B Baker Street", postalCode: "NW1 6XE", city: "London", countryCode: "GB" },
    profiles: [{ network: "GitHub", username: "janedoe", url: "https://github.com/janedoe" }],
  },
  work: [
    {
      name: "Acme",
      position: "Staff Engineer",
      startDate: "2020-01",
      highlights: ["Ran Kubernetes clusters on AWS for 40 teams.", "Organised the book club."],
    },
    {
      name: "Initech",
      position: "Engineer",
      startDate: "2016-03",
      endDate: "2019-12",
      highlights: ["Wrote Terraform."],
    },
  ],
  skills: [{ name: "Cloud", keywords: ["AWS", "Kubernetes", "Terraform"] }],
};

export const posting = {
  title: "Platform Engineer",
  description: "Run Kubernetes on AWS with Terraform. Kubernetes operators a plus.",
};

export const request = { cv, posting, options: {} };

/** The CvpipeError `promise` rejects with; fails the test if it resolves or rejects with anything else. */
export const rejection = async (promise: Promise<unknown>): Promise<CvpipeError> => {
  try {
    await promise;
  } catch (error) {
    assert.instance(error, CvpipeError);
    return error as CvpipeError;
  }
  throw new Error("expected a rejection");
};

/**
 * The PII redaction case every model engine passes: `engine` redacts; nothing personal of `cv` is in
 * the bodies its server received (`sent`), placeholders are, and the tailored CV has the real values back.
 */
export const redactionCase = async (engine: TailoringEngine, sent: () => readonly unknown[]): Promise<void> => {
  const result = await tailorCv(engine, request, { bannedClaims: [] });
  const wire = JSON.stringify(sent());
  for (const secret of [
    "Jane",
    "Doe",
    "jane.doe@example.org",
    "7946",
    "janedoe.dev",
    "github.com/janedoe",
    "Baker Street",
    "NW1 6XE",
  ]) {
    assert.not.ok(wire.includes(secret), `${secret} reached the model`);
  }
  assert.ok(wire.includes("[EMAIL_1]") && wire.includes("[NAME_1]") && wire.includes("[PHONE_1]"));
  assert.equal(result.resume.basics?.email, "jane.doe@example.org");
  assert.equal(result.resume.basics?.name, "Jane Doe");
  assert.equal(result.resume.basics?.location, cv.basics?.location);
  assert.equal(result.resume.basics?.profiles, cv.basics?.profiles);
  assert.ok(result.verification.passed);
};

/**
 * What a good answer gives through any model engine: a verified, valid CV from the engine and the
 * model named, the tokens of the call (their total adds up), the CV's own first highlight first.
 */
export const assertGoodResult = (result: TailoringResult, engine: string, modelId: string): void => {
  assert.is(result.engine, engine);
  assert.is(result.modelId, modelId);
  assert.ok(result.verification.passed);
  assert.equal(resumeIssues(result.resume), []);
  assert.ok((result.usage?.inputTokens ?? 0) > 0 && (result.usage?.outputTokens ?? 0) > 0);
  assert.is(result.usage?.totalTokens, (result.usage?.inputTokens ?? 0) + (result.usage?.outputTokens ?? 0));
  assert.is(result.resume.work?.[0]?.highlights?.[0], "Ran Kubernetes clusters on AWS for 40 teams.");
};
