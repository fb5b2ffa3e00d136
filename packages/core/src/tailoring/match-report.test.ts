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

test.run();
