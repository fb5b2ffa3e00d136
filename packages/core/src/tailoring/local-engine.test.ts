import { test } from "uvu";
import * as assert from "uvu/assert";
import type { Resume } from "../resume/resume.ts";
import { resumeIssues } from "../resume/validate-resume.ts";
import { fixture } from "../testing/fixtures.ts";
import { LocalEngine } from "./local-engine.ts";
import { loadPosting, loadResume } from "./testing/eval-set.ts";

const cv: Resume = {
  basics: {
    name: "Jane Doe",
    email: "jane@example.org",
    summary: "I enjoy gardening. I build Kubernetes platforms on AWS. I mentor engineers.",
    profiles: [{ network: "GitHub", url: "https://github.com/jane" }],
  },
  work: [
    {
      name: "Acme",
      position: "Platform Engineer",
      startDate: "2020-01",
      highlights: [
        "Organised the office book club.",
        "Ran Kubernetes clusters on AWS for 40 teams.",
        "Wrote Terraform modules for AWS networking.",
        "Gave a talk about pottery.",
      ],
    },
  ],
  skills: [
    { name: "Hobbies", keywords: ["Pottery", "Chess"] },
    { name: "Cloud", keywords: ["Excel", "Terraform", "AWS", "Kubernetes"] },
  ],
};
const posting = {
  title: "Platform Engineer",
  description: "Run Kubernetes on AWS. Terraform for infrastructure as code. Kubernetes operators a plus.",
};

test("puts relevant highlights and skills first and trims to the budgets", async () => {
  const { resume } = await new LocalEngine().tailor({
    cv,
    posting,
    options: { maxHighlightsPerEntry: 2, maxSkills: 3 },
  });
  assert.equal(resume.work?.[0]?.highlights, [
    "Ran Kubernetes clusters on AWS for 40 teams.",
    "Wrote Terraform modules for AWS networking.",
  ]);
  assert.equal(resume.skills, [{ name: "Cloud", keywords: ["Kubernetes", "Terraform", "AWS"] }]);
  assert.equal(resumeIssues(resume), []);
});

test("summary: the CV's own sentences by relevance, then skills it lists that the posting asks for", async () => {
  const { resume } = await new LocalEngine().tailor({ cv, posting, options: {} });
  assert.ok(resume.basics?.summary?.startsWith("I build Kubernetes platforms on AWS."), resume.basics?.summary);
  assert.match(resume.basics?.summary ?? "", /Relevant skills: Kubernetes, Terraform, AWS\.$/);
});

test("summary without a source summary: label, latest role, matched skills", async () => {
  const noSummary = structuredClone(cv);
  delete noSummary.basics!.summary;
  noSummary.basics!.label = "Platform Engineer";
  const { resume } = await new LocalEngine().tailor({ cv: noSummary, posting, options: {} });
  assert.is(
    resume.basics?.summary,
    "Platform Engineer. Most recently Platform Engineer at Acme. Relevant skills: Kubernetes, Terraform, AWS.",
  );
});

test("never touches identity fields, never rewrites text, is deterministic", async () => {
  const source = loadResume("resumes/04-site-reliability-engineer.json");
  const request = { cv: source, posting: loadPosting("jobs-json/03-site-reliability-engineer-18f.json"), options: {} };
  const a = (await new LocalEngine().tailor(request)).resume;
  const b = (await new LocalEngine().tailor(request)).resume;
  assert.equal(a, b);
  const { summary: _a, ...identityA } = a.basics ?? {};
  const { summary: _s, ...identityS } = source.basics ?? {};
  assert.equal(identityA, identityS);
  const sourceHighlights = new Set((source.work ?? []).flatMap((w) => w.highlights ?? []));
  for (const h of (a.work ?? []).flatMap((w) => w.highlights ?? [])) assert.ok(sourceHighlights.has(h), h);
  assert.equal(
    (a.work ?? []).map((w) => [w.name, w.position, w.startDate, w.endDate]),
    (source.work ?? []).map((w) => [w.name, w.position, w.startDate, w.endDate]),
  );
});

test("maxWords drops the least relevant highlights first", async () => {
  const source = loadResume("resumes/12-healthcare-solutions-architect.json");
  const request = { cv: source, posting: loadPosting("jobs-json/12-technical-architect-18f.json") };
  const roomy = (await new LocalEngine().tailor({ ...request, options: { maxWords: 5000 } })).resume;
  const tight = (await new LocalEngine().tailor({ ...request, options: { maxWords: 300 } })).resume;
  const count = (r: Resume): number => (r.work ?? []).reduce((n, w) => n + (w.highlights ?? []).length, 0);
  assert.ok(count(tight) < count(roomy), `${count(tight)} < ${count(roomy)}`);
  assert.equal(resumeIssues(tight), []);
});

test("role words in the ad (engineer) do not outrank the skills it asks for", async () => {
  // The repository's sample request: a backend job that says "engineer" often and asks for Lambda, SQS, DynamoDB.
  const sample = fixture("http/post-job.valid.json");
  const { resume } = await new LocalEngine().tailor({ cv: sample.cv, posting: sample.job, options: {} });
  assert.match(resume.work?.[0]?.highlights?.[0] ?? "", /AWS Lambda, SQS and DynamoDB/);
});

test.run();
