import { test } from "uvu";
import * as assert from "uvu/assert";
import type { Resume } from "../resume/resume.ts";
import { verifyGrounding } from "./verify-grounding.ts";

const source: Resume = {
  basics: {
    name: "Jane Doe",
    label: "Backend Engineer",
    email: "jane@example.org",
    phone: "+44 20 7946 0958",
    summary: "Backend engineer with 8 years of Node.js and AWS.",
    location: { city: "London", countryCode: "GB" },
    profiles: [{ network: "GitHub", username: "jane", url: "https://github.com/jane" }],
  },
  work: [
    {
      name: "Acme",
      position: "Staff Engineer",
      startDate: "2020-01",
      highlights: ["Cut p99 latency by 40% on the payments API.", "Led the move to Kubernetes."],
    },
    {
      name: "Initech",
      position: "Software Engineer",
      startDate: "2016-03",
      endDate: "2019-12",
      highlights: ["Built billing in React.js and Node.js for 1,200 customers."],
    },
  ],
  education: [{ institution: "University of Leeds", studyType: "BSc", area: "Computer Science", startDate: "2012" }],
  skills: [{ name: "Backend", keywords: ["Node.js", "PostgreSQL", "AWS"] }],
};

const edit = (change: (cv: Resume) => void): Resume => {
  const cv = structuredClone(source);
  change(cv);
  return cv;
};

const only = (cv: Resume, banned: string[] = []) => {
  const report = verifyGrounding(source, cv, banned);
  assert.is(report.passed, false);
  assert.is(report.violations.length, 1, JSON.stringify(report.violations));
  return report.violations[0]!;
};

test("passes a selected, reordered, trimmed CV with a summary built from its own facts", () => {
  const tailored = edit((cv) => {
    cv.work![0]!.highlights = ["Led the move to Kubernetes."];
    cv.work!.reverse();
    cv.skills![0]!.keywords = ["AWS", "React", "Node.js"];
    cv.basics!.summary = "Backend engineer with 8 years of Node.js and AWS. Relevant skills: AWS, Kubernetes.";
  });
  const report = verifyGrounding(source, tailored, ["security clearance"]);
  assert.equal(report.violations, []);
  assert.ok(report.passed);
  assert.ok(report.checkedFields > 15, `checked ${report.checkedFields}`);
});

test("catches a new employer", () => {
  const v = only(edit((cv) => cv.work!.push({ name: "Google", position: "Staff Engineer", startDate: "2020-01" })));
  assert.equal([v.code, v.path, v.text], ["UNGROUNDED_CLAIM", "work[2].name", "Google"]);
});

test("catches a changed title", () => {
  const v = only(edit((cv) => (cv.work![1]!.position = "Senior Software Engineer")));
  assert.equal([v.code, v.path, v.text], ["UNGROUNDED_CLAIM", "work[1].position", "Senior Software Engineer"]);
});

test("catches a shifted date", () => {
  const v = only(edit((cv) => (cv.work![1]!.startDate = "2015-03")));
  assert.equal([v.code, v.path, v.text], ["UNGROUNDED_CLAIM", "work[1].startDate", "2015-03"]);
});

test("catches a dropped end date (the role would read as current)", () => {
  const v = only(edit((cv) => delete cv.work![1]!.endDate));
  assert.equal([v.code, v.path], ["UNGROUNDED_CLAIM", "work[1].endDate"]);
});

test("catches an inflated metric (40% → 60%)", () => {
  const v = only(edit((cv) => (cv.work![0]!.highlights![0] = "Cut p99 latency by 60% on the payments API.")));
  assert.equal([v.code, v.path, v.text], ["UNGROUNDED_CLAIM", "work[0].highlights[0]", "60%"]);
});

test("catches a skill not in the CV, in the skills list and in prose", () => {
  const v = only(edit((cv) => cv.skills![0]!.keywords!.push("Kafka")));
  assert.equal([v.code, v.path, v.text], ["UNGROUNDED_CLAIM", "skills[0].keywords[3]", "Kafka"]);
  const w = only(edit((cv) => (cv.basics!.summary = "Backend engineer with 8 years of Node.js and Terraform.")));
  assert.equal([w.code, w.path, w.text], ["UNGROUNDED_CLAIM", "basics.summary", "Terraform"]);
});

test("catches a changed degree and institution", () => {
  assert.equal(only(edit((cv) => (cv.education![0]!.studyType = "MSc"))).path, "education[0].studyType");
  assert.equal(
    only(edit((cv) => (cv.education![0]!.institution = "University of Oxford"))).path,
    "education[0].institution",
  );
});

test("catches a banned claim, case-insensitively", () => {
  const v = only(
    edit((cv) => cv.work![0]!.highlights!.push("Holds an active security clearance.")),
    ["Security Clearance"],
  );
  assert.equal([v.code, v.path, v.text], ["BANNED_CLAIM", "work[0].highlights[2]", "Security Clearance"]);
});

test("catches a changed email", () => {
  const v = only(edit((cv) => (cv.basics!.email = "jane.doe@example.com")));
  assert.equal([v.code, v.path, v.text], ["UNGROUNDED_CLAIM", "basics.email", "jane.doe@example.com"]);
});

test("catches a changed location or profile", () => {
  assert.is(only(edit((cv) => (cv.basics!.location!.city = "Paris"))).path, "basics.location");
  assert.is(only(edit((cv) => (cv.basics!.profiles = []))).path, "basics.profiles");
});

test.run();
