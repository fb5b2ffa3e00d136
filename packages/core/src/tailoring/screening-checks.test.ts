import { test } from "uvu";
import * as assert from "uvu/assert";
import type { Resume } from "../resume/resume.ts";
import { screeningChecks } from "./screening-checks.ts";

const degreeOf = (description: string, studyTypes: readonly string[] = []) => {
  const cv: Resume = { education: studyTypes.map((studyType) => ({ institution: "A University", studyType })) };
  return screeningChecks(cv, { description }).degree;
};

test("degrees as postings and CVs write them, in other countries and professions too", () => {
  assert.is(degreeOf("Requires a B.Tech or BE in Electronics.").required, "bachelor");
  assert.is(degreeOf("Doctor of Physical Therapy (DPT) from an accredited program").required, "doctorate");
  assert.is(degreeOf("PharmD required").required, "doctorate");
  assert.is(degreeOf("Associate of Applied Science in Nursing").required, "associate");
  assert.is(degreeOf("BS/MS in Computer Science").required, "bachelor");
  assert.is(degreeOf("An M.Tech is a plus").required, "master");
  assert.equal(degreeOf("B.A. in Economics", ["M.Tech"]), { required: "bachelor", cv: "master", met: true });
  assert.equal(degreeOf("Bachelor's degree required", ["BSN"]), { required: "bachelor", cv: "bachelor", met: true });
  assert.equal(degreeOf("Bachelor's degree required", ["BS"]), { required: "bachelor", cv: "bachelor", met: true });
});

test("'MS Excel', 'the BA team' and '25 mph' ask for no degree", () => {
  assert.is(degreeOf("Advanced MS Excel skills; partner with the BA team; MS Office.").required, null);
  assert.is(degreeOf("Drive at 25 mph in the yard.").required, null);
});

test("a degree the CV says was left unfinished is not held", () => {
  const cv: Resume = {
    education: [
      {
        institution: "KJSCE",
        studyType: "B.Tech, Electronics",
        note: "Dropped out in the 4th semester to found a company.",
      },
      { institution: "Mithibai College", studyType: "HSC, Science" },
    ],
  };
  assert.equal(screeningChecks(cv, { description: "Bachelor's degree required" }).degree, {
    required: "bachelor",
    cv: null,
    met: false,
  });
});

test("years asked, in digits or in words", () => {
  const asked = (description: string) => screeningChecks({}, { description }).yearsOfExperience.required;
  assert.is(asked("3-5 years of payroll experience"), 3);
  assert.is(asked("Five years of clinical experience; two years in orthopaedics"), 5);
  assert.is(asked("At least one year in a law firm"), 1);
});

test.run();
