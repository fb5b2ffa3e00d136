import { test } from "uvu";
import * as assert from "uvu/assert";
import { Posting } from "../contracts/posting.ts";
import { matchReport } from "./match-report.ts";
import { postingView } from "./posting-view.ts";
import { evalPairs, loadJob, loadPosting } from "./testing/eval-set.ts";

test("the text form is its own view: unchanged", () => {
  const text = { description: "We need Go, Kubernetes and AWS experience.", title: "SRE", company: "Acme" };
  assert.equal(postingView(Posting.parse(text)), text);
});

test("a JSON Resume posting: every part under its heading, skills' keywords the requirements, details apart", () => {
  const view = postingView(
    Posting.parse({
      title: "Backend Engineer",
      company: "Acme",
      type: "Full-time",
      date: "2026-11",
      description: "Build the platform.",
      location: { city: "Berlin", countryCode: "DE" },
      remote: "Hybrid",
      salary: "90000",
      experience: "Senior",
      responsibilities: ["Run the queues", " "],
      qualifications: ["Five years of Go"],
      niceToHave: ["Terraform"],
      skills: [
        { name: "Core", level: "Master", keywords: ["Go", "Kafka", "go"] },
        { name: "PostgreSQL" },
        { keywords: ["gRPC"] },
      ],
      meta: { source: "never text" },
      $schema: "http://json-schema.org/draft-04/schema#",
    }),
  );
  assert.equal(view, {
    title: "Backend Engineer",
    company: "Acme",
    description: [
      "Build the platform.",
      "Responsibilities:\n- Run the queues",
      "Qualifications:\n- Five years of Go",
      "Nice to have:\n- Terraform",
      "Skills:\n- Core (Master): Go, Kafka, go\n- PostgreSQL\n- gRPC",
      "Experience: Senior",
    ].join("\n\n"),
    requirements: ["Go", "Kafka", "PostgreSQL", "gRPC"],
    details: ["Type: Full-time", "Location: Berlin, DE", "Remote: Hybrid", "Salary: 90000", "Posted: 2026-11"],
  });
});

test("every eval posting: its description, each responsibility, qualification and keyword in the text; deterministic", () => {
  const files = [...new Set(evalPairs().map((p) => p.jobJson))].sort();
  assert.is(files.length, 12);
  for (const file of files) {
    const job = loadJob(file) as Record<string, unknown>;
    const view = loadPosting(file);
    const lists = ["responsibilities", "qualifications", "niceToHave"].flatMap((k) => (job[k] ?? []) as string[]);
    const keywords = ((job["skills"] ?? []) as Array<{ keywords: string[] }>).flatMap((s) => s.keywords);
    for (const part of [String(job["description"]), ...lists, ...keywords])
      assert.ok(view.description.includes(part), `${file}: ${part}`);
    assert.ok(keywords.length > 0 && (view.requirements ?? []).length > 0, file);
    assert.equal(view, loadPosting(file));
  }
});

test("the match report lists the posting's requirements first, in its order; a phrase is met when the CV names all its terms", () => {
  const posting = postingView(
    Posting.parse({
      title: "Backend Engineer",
      description: "You will write services and tests for our write-heavy email platform, all day, with care.",
      skills: [{ name: "Stack", keywords: ["Kafka", "message queues", "Redis", "email deliverability"] }],
    }),
  );
  const cv = {
    work: [
      { name: "Co", position: "Engineer", highlights: ["Built queues for message storage on Redis; wrote tests."] },
    ],
  };
  const report = matchReport(cv, posting);
  assert.equal(report.matchedKeywords.slice(0, 2), ["message queues", "Redis"]);
  // "email" is in the posting's text but not the CV: the phrase is not met.
  assert.equal(report.missingKeywords.slice(0, 2), ["Kafka", "email deliverability"]);
  assert.is(report.missingKeywords.filter((k) => k === "Kafka").length, 1, "once");
  // Without explicit requirements the phrases come from the text, its skills section included.
  const without = matchReport(cv, { ...posting, requirements: [] });
  assert.ok(without.matchedKeywords.includes("message queues"), without.matchedKeywords.join("|"));
  assert.not.ok(without.requirements.some((r) => r.explicit));
  assert.ok(report.score < 100 && report.score > 0);
});

test.run();
