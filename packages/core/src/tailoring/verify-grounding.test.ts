import { test } from "uvu";
import * as assert from "uvu/assert";
import type { Resume } from "../resume/resume.ts";
import { verifyGrounding } from "./verify-grounding/index.ts";

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

const fails = (cv: Resume, banned: string[] = []) => {
  const report = verifyGrounding(source, cv, banned);
  assert.is(report.passed, false, "should fail");
  return report.violations;
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
  // The phrase's words are not the CV's either (the content-word rule reports them too): the banned claim is named.
  const v = fails(
    edit((cv) => cv.work![0]!.highlights!.push("Holds an active security clearance.")),
    ["Security Clearance"],
  ).filter((x) => x.code === "BANNED_CLAIM");
  assert.equal(
    v.map((x) => [x.code, x.path, x.text]),
    [["BANNED_CLAIM", "work[0].highlights[2]", "Security Clearance"]],
  );
});

test("catches a changed email", () => {
  const v = only(edit((cv) => (cv.basics!.email = "jane.doe@example.com")));
  assert.equal([v.code, v.path, v.text], ["UNGROUNDED_CLAIM", "basics.email", "jane.doe@example.com"]);
});

test("catches a changed location or profile", () => {
  assert.is(only(edit((cv) => (cv.basics!.location!.city = "Paris"))).path, "basics.location");
  assert.is(only(edit((cv) => (cv.basics!.profiles = []))).path, "basics.profiles");
});

test("a number cut out of a source sentence is caught (60% → 0%)", () => {
  const v = fails(edit((cv) => (cv.work![0]!.highlights = ["0% on the payments API."])));
  assert.equal(
    v.map((x) => x.text),
    ["0%"],
  );
  // Source: "Cut p99 latency by 40% on the payments API." → a bounded slice is still fine:
  assert.ok(
    verifyGrounding(
      source,
      edit((cv) => (cv.work![0]!.highlights = ["Cut p99 latency by 40%"])),
    ).passed,
  );
});

test("a number found only inside a date does not ground prose", () => {
  const v = fails(edit((cv) => (cv.work![0]!.highlights = ["Grew the team to 2020 engineers."])));
  assert.ok(
    v.some((x) => x.text === "2020"),
    JSON.stringify(v),
  );
});

test("numbers written as words are checked like digits", () => {
  const v = fails(edit((cv) => (cv.work![0]!.highlights = ["Led the move to Kubernetes with twelve engineers."])));
  assert.equal(
    v.map((x) => x.text),
    ["twelve"],
  );
});

test("fullwidth digits and names in other scripts are caught", () => {
  assert.ok(
    fails(edit((cv) => (cv.work![0]!.highlights = ["Cut p99 latency by ４５% on the payments API."]))).some(
      (x) => x.text === "45%",
    ),
  );
  assert.ok(
    fails(edit((cv) => (cv.work![0]!.highlights = ["Led the move to Kubernetes at Ørsted."]))).some(
      (x) => x.text === "ørsted",
    ),
  );
});

test("links and e-mail addresses in prose must be the source's", () => {
  const v = fails(
    edit((cv) => (cv.basics!.summary = "Backend engineer: https://evil.example/cv or bait@evil.example.")),
  );
  assert.equal(v.map((x) => x.text).sort(), ["bait@evil.example", "https://evil.example/cv"]);
  assert.ok(
    verifyGrounding(
      source,
      edit((cv) => (cv.basics!.summary = "Backend engineer: https://github.com/jane.")),
    ).passed,
  );
});

test("organisation fields beyond the employer (company, awarder, language) must be the source's", () => {
  assert.ok(
    fails(edit((cv) => ((cv.work![0] as Record<string, unknown>)["company"] = "Google"))).some(
      (x) => x.text === "Google",
    ),
  );
  assert.ok(
    fails(edit((cv) => (cv.awards = [{ title: "Leader of the year", awarder: "Gartner" }]))).some(
      (x) => x.text === "Gartner",
    ),
  );
  assert.ok(fails(edit((cv) => (cv.languages = [{ language: "Mandarin" }]))).some((x) => x.text === "Mandarin"));
  assert.ok(
    fails(edit((cv) => (cv.meta = { note: "Worked at Google as a Distinguished Engineer" }))).some(
      (x) => x.path === "meta.note",
    ),
  );
});

test("banned claims are found through invisible characters, look-alike letters, hyphens, entities and field splits", () => {
  const banned = ["security clearance"];
  for (const text of [
    "Holds secu\u200Brity clearance.",
    "Holds secu\u00ADrity clearance.",
    "Holds s\u0435curity clearance.",
    "Holds security-clearance.",
    "Holds security&#x20;clearance.",
  ]) {
    const v = fails(
      edit((cv) => (cv.work![0]!.highlights = ["Led the move to Kubernetes.", text])),
      banned,
    );
    assert.ok(
      v.some((x) => x.code === "BANNED_CLAIM"),
      text,
    );
  }
  const split = fails(
    edit((cv) => (cv.work![0]!.highlights = ["Led the move to Kubernetes. Active security", "clearance."])),
    banned,
  );
  assert.ok(split.some((x) => x.code === "BANNED_CLAIM" && x.path === "(across fields)"));
});

test.run();
