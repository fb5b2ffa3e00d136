/**
 * What the model engines' tests (bedrock-engine, openai-engine) tailor: a CV full of personal data
 * (name, email, phone, address, profile) for the redaction cases, and a posting it matches.
 */
import { CvpipeError } from "@cvpipe/core/errors";
import type { Resume } from "@cvpipe/core/resume/resume";
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
