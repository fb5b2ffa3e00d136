import { test } from "uvu";
import * as assert from "uvu/assert";
import { LocalEngine } from "./local-engine.ts";
import { matchReport } from "./match-report.ts";
import { evalPairs, loadPosting, loadResume, resumeFiles } from "./testing/eval-set.ts";

const rankings = async (tailored: boolean) => {
  const rows: { resume: string; strong: number; weak: number }[] = [];
  for (const resume of resumeFiles()) {
    const cv = loadResume(resume);
    const pairs = evalPairs().filter((p) => p.resume === resume);
    const score = async (jobJson: string): Promise<number> => {
      const posting = loadPosting(jobJson);
      const subject = tailored ? (await new LocalEngine().tailor({ cv, posting, options: {} })).resume : cv;
      return matchReport(subject, posting).score;
    };
    const strong = pairs.find((p) => p.expected !== "weak")!;
    const weak = pairs.find((p) => p.expected === "weak")!;
    rows.push({ resume, strong: await score(strong.jobJson), weak: await score(weak.jobJson) });
  }
  return rows;
};

test("ranks each CV's strong job above its weak job for at least 10 of the 12 CVs (source CV)", async () => {
  const rows = await rankings(false);
  const wins = rows.filter((r) => r.strong > r.weak).length;
  console.log(`match score strong > weak (source CV): ${wins}/12`, rows.map((r) => `${r.strong}>${r.weak}`).join(" "));
  assert.is(rows.length, 12);
  assert.ok(wins >= 10, `${wins}/12`);
});

test("and on the tailored CV the pipeline reports on", async () => {
  const rows = await rankings(true);
  const wins = rows.filter((r) => r.strong > r.weak).length;
  console.log(
    `match score strong > weak (tailored CV): ${wins}/12`,
    rows.map((r) => `${r.strong}>${r.weak}`).join(" "),
  );
  assert.ok(wins >= 10, `${wins}/12`);
});

test("reports matched and missing keywords and per-section relevance", () => {
  const cv = {
    basics: { summary: "Backend engineer." },
    work: [{ name: "Acme", position: "Engineer", highlights: ["Built Node.js services on AWS with PostgreSQL."] }],
    skills: [{ name: "Languages", keywords: ["TypeScript"] }],
  };
  const report = matchReport(cv, {
    title: "Backend Engineer",
    description: "We need Node.js, AWS, Kubernetes and TypeScript experience. Kubernetes is a must.",
  });
  assert.ok(report.matchedKeywords.includes("Node.js"));
  assert.ok(report.matchedKeywords.includes("AWS"));
  assert.ok(report.matchedKeywords.includes("TypeScript"));
  assert.ok(report.missingKeywords.includes("Kubernetes"));
  assert.ok(report.score > 0 && report.score < 100, String(report.score));
  assert.ok((report.sections["work"] ?? 0) > (report.sections["skills"] ?? 0));
  assert.ok((report.sections["skills"] ?? 0) > 0);
  // "React.js" in a CV meets "React" in a job.
  assert.equal(
    matchReport(
      { skills: [{ keywords: ["React.js"] }] },
      { description: "Senior React developer wanted for our team" },
    ).matchedKeywords.includes("React"),
    true,
  );
});

test("says per requirement where the CV meets it, and when only by a synonym", () => {
  const cv = {
    basics: { label: "Backend Engineer" },
    work: [
      {
        name: "Acme",
        position: "Senior Backend Engineer",
        startDate: "2015-01",
        endDate: "2019-12",
        highlights: ["Wrote JavaScript services that cut latency by 40%.", "Ran A/B testing for the checkout."],
      },
      { name: "Beta", position: "Backend Engineer", startDate: "2020-01", highlights: ["Kept the lights on."] },
    ],
    skills: [{ name: "Data", keywords: ["PostgreSQL"] }],
    education: [{ institution: "Uni", studyType: "Bachelor of Science", area: "Computer Science" }],
  };
  const posting = {
    title: "Senior Backend Engineer",
    description:
      "Requirements:\n- 7+ years of experience\n- BS or MS in Computer Science\n- Strong communication skills",
    requirements: ["ES6", "Postgres", "A/B tests", "Kubernetes"],
  };
  const report = matchReport(cv, posting);
  const by = (name: string) => report.requirements.find((r) => r.requirement === name)!;
  assert.is(by("ES6").match, "synonym");
  assert.equal(by("ES6").cvTerms, ["javascript"]);
  assert.equal(by("ES6").foundIn, [{ section: "work", index: 0, label: "Senior Backend Engineer, Acme" }]);
  assert.is(by("Postgres").match, "synonym");
  assert.equal(by("Postgres").foundIn[0]?.section, "skills");
  assert.is(by("A/B tests").match, "synonym");
  assert.is(by("Kubernetes").match, "missing");
  assert.equal(by("Kubernetes").foundIn, []);
  // The explicit requirement missing first, before what the text names; soft skills after hard ones.
  assert.is(report.missingKeywords[0], "Kubernetes");
  const derivedMissing = report.requirements.filter((r) => r.match === "missing" && !r.explicit);
  const groups = derivedMissing.map((r) => r.group);
  assert.equal(
    groups,
    [...groups].sort((a, b) => ["hard", "other", "soft"].indexOf(a) - ["hard", "other", "soft"].indexOf(b)),
  );
  assert.equal(report.checks.jobTitle, {
    posting: "Senior Backend Engineer",
    cv: "Senior Backend Engineer",
    matched: true,
  });
  assert.equal(report.checks.degree, { required: "bachelor", cv: "bachelor", met: true });
  // 2015-01 to the latest date the CV names (2020-01, the open position's start): 5 years, not read off a clock.
  assert.equal(report.checks.yearsOfExperience, { required: 7, cv: 5, met: false });
  assert.equal(report.checks.measurableResults, { highlights: 3, withNumbers: 1 });
});

test("an exact spelling is exact, and counts are per posting and per CV", () => {
  const report = matchReport(
    { skills: [{ name: "Ops", keywords: ["Terraform", "Terraform Cloud"] }] },
    { description: "Experience with Terraform. Terraform everywhere.", requirements: ["Terraform"] },
  );
  const r = report.requirements[0]!;
  assert.equal([r.match, r.postingCount, r.cvCount], ["exact", 2, 2]);
});

test.run();
