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
  // The review's cases: counts in words that ask for nothing, and "two or more years".
  assert.is(asked("Named a top workplace three years running; grown 5x in two years."), null);
  assert.is(asked("Two or more years of dispatch experience"), 2);
  assert.is(asked("Twenty years of experience preferred"), 20);
  // The second review's: "required" after, "minimum" before.
  assert.is(asked("Experience: Two years required."), 2);
  assert.is(asked("Minimum three years."), 3);
  assert.is(asked("Must be 21 years of age; 2 years of delivery experience"), 2);
});

test("the review's cases: acronyms that are something else ask for no degree; dotted forms and bare CV letters are read", () => {
  for (const text of [
    "Experience with SSO and MFA.",
    "Boston, MA, United States",
    "Jackson, MS / Hybrid",
    "ROS 2 and DDS middleware",
    "IT Dpt.",
    "the BA, PM and QA teams",
    "careers@b.com",
  ])
    assert.is(degreeOf(text).required, null, text);
  for (const [text, level] of [
    ["B.S in Computer Science", "bachelor"],
    ["BE in Electronics", "bachelor"],
    ["B. Tech in IT", "bachelor"],
    ["M. Sc. required", "master"],
    ["BS, MS or PhD", "bachelor"],
    ["MFA in Creative Writing", "master"],
  ] as const)
    assert.is(degreeOf(text).required, level, text);
  assert.equal(degreeOf("Doctor of Medicine (MD) or DO", ["MD"]), {
    required: "doctorate",
    cv: "doctorate",
    met: true,
  });
  assert.is(degreeOf("Associate degree", ["A.S."]).cv, "associate");
  assert.is(degreeOf("Bachelor's degree", ["B.E"]).cv, "bachelor");
});

test("the second review's cases: lower-case words and sentence breaks are no degree; degree-only letters count anywhere", () => {
  for (const text of [
    "You will be in the office three days a week",
    "Sales Associate in our Denver store",
    "CDL Class B. A clean driving record",
    "needs to be in order to ship",
    "Certified Scrum Master a plus; Master Data Management",
  ])
    assert.is(degreeOf(text).required, null, text);
  for (const [text, level] of [
    ["BSN required.", "bachelor"],
    ["MSW from an accredited program", "master"],
    ["DPT from a CAPTE-accredited program", "doctorate"],
    ["BBA or MBA.", "bachelor"],
    ["Master's degree in Finance", "master"],
    ["Master of Science in Nursing", "master"],
  ] as const)
    assert.is(degreeOf(text).required, level, text);
});

test.run();
