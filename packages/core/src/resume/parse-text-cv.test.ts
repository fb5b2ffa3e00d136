import { test } from "uvu";
import * as assert from "uvu/assert";
import { loadResume, resumeFiles } from "../tailoring/testing/eval-set.ts";
import { parseTextCv } from "./parse-text-cv/index.ts";
import { type RenderTextOptions, renderResumeText } from "./render-resume-text.ts";
import type { Resume } from "./resume.ts";
import { resumeIssues } from "./validate-resume.ts";

const employer = (w: Record<string, unknown>): string | undefined => (w["name"] ?? w["company"]) as string | undefined;
const norm = (s: string | undefined): string => (s ?? "").replace(/\s+/g, " ").trim().toLowerCase();
/** The precision the text keeps: `2022-06-27` is written "Jun 2022". */
const month = (d: string | undefined): string => (d ?? "").slice(0, 7);
const skillSet = (cv: Resume): string[] =>
  (cv.skills ?? []).flatMap((s) => ((s.keywords ?? []).length > 0 ? (s.keywords ?? []) : [s.name ?? ""])).map(norm);

const STYLES: RenderTextOptions[] = [
  { headings: "markdown", dates: "month" },
  { headings: "plain", dates: "iso" },
  { headings: "markdown", dates: "slash" },
  { headings: "plain", dates: "month" },
];

interface Tally {
  hit: number;
  total: number;
}
const rate = (t: Tally): number => (t.total === 0 ? 1 : t.hit / t.total);
const tallies = {
  employers: { hit: 0, total: 0 },
  positions: { hit: 0, total: 0 },
  startDates: { hit: 0, total: 0 },
  highlightCounts: { hit: 0, total: 0 },
  skills: { hit: 0, total: 0 },
};
const count = (t: Tally, ok: boolean): void => {
  t.total++;
  if (ok) t.hit++;
};

test("the 12 eval CVs survive render → parse (validates; employers, positions, dates, highlights, skills)", () => {
  resumeFiles().forEach((file, index) => {
    const source = loadResume(file);
    const text = renderResumeText(source, STYLES[index % STYLES.length]);
    const parsed = parseTextCv(text);
    assert.equal(resumeIssues(parsed), [], `${file} parses into a valid JSON Resume`);
    const work = source.work ?? [];
    const got = parsed.work ?? [];
    work.forEach((w, i) => {
      const p = got[i] ?? {};
      count(tallies.employers, norm(employer(w)) === norm(employer(p)));
      count(tallies.positions, norm(w.position) === norm(p.position));
      count(tallies.startDates, month(w.startDate) === month(p.startDate));
      count(tallies.highlightCounts, (w.highlights ?? []).length === (p.highlights ?? []).length);
    });
    const parsedSkills = new Set(skillSet(parsed));
    for (const s of skillSet(source)) count(tallies.skills, parsedSkills.has(s));
    assert.is(parsed.basics?.name, source.basics?.name, `${file} name`);
    assert.is(parsed.basics?.email, source.basics?.email, `${file} email`);
  });
  const report = Object.fromEntries(
    Object.entries(tallies).map(([k, t]) => [k, `${t.hit}/${t.total} (${(100 * rate(t)).toFixed(1)}%)`]),
  );
  console.log("parser recovery:", report);
  for (const [k, t] of Object.entries(tallies)) assert.ok(rate(t) >= 0.95, `${k} recovery ${rate(t)} < 0.95`);
});

test("reads a hand-written plain-text CV", () => {
  const cv = parseTextCv(`Jane Doe
Senior Backend Engineer
jane@example.org | +44 20 7946 0958 | https://jane.dev | London, England
linkedin.com/in/janedoe

PROFESSIONAL SUMMARY
Backend engineer who likes queues.

WORK HISTORY

Acme Corp
Staff Engineer
Jan 2020 – Present

• Cut p99 latency by 40% on the payments API.
• Led the move to Kubernetes.

Software Engineer at Initech (2016 to 2019)
- Built billing in Node.js

Education
BSc in Computer Science — University of Leeds
2012 - 2015

Skills
Languages: TypeScript, Go, SQL
Tools: Docker | Terraform | GitHub Actions
`);
  assert.equal(resumeIssues(cv), []);
  assert.is(cv.basics?.name, "Jane Doe");
  assert.is(cv.basics?.label, "Senior Backend Engineer");
  assert.is(cv.basics?.email, "jane@example.org");
  assert.is(cv.basics?.phone, "+44 20 7946 0958");
  assert.is(cv.basics?.url, "https://jane.dev");
  assert.equal(cv.basics?.location, { city: "London", region: "England" });
  assert.is(cv.basics?.profiles?.[0]?.network, "LinkedIn");
  assert.is(cv.basics?.summary, "Backend engineer who likes queues.");
  assert.equal(cv.work?.[0], {
    name: "Acme Corp",
    position: "Staff Engineer",
    startDate: "2020-01",
    highlights: ["Cut p99 latency by 40% on the payments API.", "Led the move to Kubernetes."],
  });
  assert.equal(cv.work?.[1], {
    name: "Initech",
    position: "Software Engineer",
    startDate: "2016",
    endDate: "2019",
    highlights: ["Built billing in Node.js"],
  });
  assert.equal(cv.education?.[0], {
    institution: "University of Leeds",
    studyType: "BSc",
    area: "Computer Science",
    startDate: "2012",
    endDate: "2015",
  });
  assert.equal(cv.skills, [
    { name: "Languages", keywords: ["TypeScript", "Go", "SQL"] },
    { name: "Tools", keywords: ["Docker", "Terraform", "GitHub Actions"] },
  ]);
});

test("reads Markdown with ISO-ish dates and setext headings", () => {
  const cv = parseTextCv(`# Ada Lovelace

Experience
----------

## Analyst — Analytical Engines Ltd
2019-03 - 2021-06 · Remote

Wrote the first program.

* Designed the note G algorithm
`);
  assert.equal(resumeIssues(cv), []);
  assert.is(cv.basics?.name, "Ada Lovelace");
  assert.equal(cv.work, [
    {
      name: "Analytical Engines Ltd",
      position: "Analyst",
      location: "Remote",
      startDate: "2019-03",
      endDate: "2021-06",
      summary: "Wrote the first program.",
      highlights: ["Designed the note G algorithm"],
    },
  ]);
});

test("a contact line's e-mail address is read whole, and kept only when the schema's (ASCII) format accepts it", () => {
  const header = (contact: string) => parseTextCv(`Jo Li\n${contact} | +44 20 7946 0958\n\n## Summary\n\nHello.\n`);
  // The ASCII-only finder read "brien@acme.com" and "a@empresa.es" here.
  assert.is(header("mary.o'brien@acme.com").basics?.email, "mary.o'brien@acme.com");
  for (const contact of ["josé.garcía@empresa.es", "jörg@münchen.de", "talent@acme.c0m"]) {
    const cv = header(contact);
    assert.is(cv.basics?.email, undefined, contact);
    assert.equal(resumeIssues(cv), [], contact);
  }
  assert.is(header("jörg@münchen.de / joerg@muenchen.de").basics?.email, "joerg@muenchen.de");
});

test.run();
