import { test } from "uvu";
import * as assert from "uvu/assert";
import { postingLines, Section } from "./posting-lines.ts";

test("each line with its section: headings set it, what the employer offers is left out", () => {
  const { lines, marked } = postingLines(
    [
      "We make outdoor gear.",
      "### What you'll do",
      "-   Run bi-weekly payroll for 3,200 employees in nine",
      "states and reconcile tax filings",
      "Requirements:",
      "- ADP Workforce Now",
      "",
      "Perks of joining the crew",
      "- Gear rental program",
    ].join("\n"),
  );
  assert.ok(marked);
  assert.equal(lines, [
    { line: "We make outdoor gear.", section: Section.Text },
    {
      line: "Run bi-weekly payroll for 3,200 employees in nine states and reconcile tax filings",
      section: Section.Duty,
    },
    { line: "ADP Workforce Now", section: Section.Requirement },
  ]);
});

test("without a heading of duties or requirements nothing is marked; a list that lost its bullets stays lines", () => {
  const { lines, marked } = postingLines("About us\nKubernetes operations\nTerraform modules");
  assert.not.ok(marked);
  assert.equal(
    lines.map((l) => l.line),
    ["Kubernetes operations", "Terraform modules"],
  );
});

test("addresses, paths and acronyms that restate the words before them are taken out of a line", () => {
  const { lines } = postingLines(
    "source: the31337/jobs/kiddom/lead-android-engineer.md see https://example.com/jobs\nBuild user interfaces (UIs) in HTML/CSS (Jenkins)",
  );
  assert.not.ok(lines[0]!.line.includes("kiddom") || lines[0]!.line.includes("example.com"), lines[0]!.line);
  assert.is(lines[1]!.line.replace(/\s+/g, " "), "Build user interfaces in HTML/CSS (Jenkins)");
});

test("a question heading of the employer's pitch ('Why Ironbridge?') is what it offers", () => {
  const { lines } = postingLines(
    "Requirements:\n- Journeyman license\n\nWhy Ironbridge?\n- Paid CEU classes\n- Tool allowance",
  );
  assert.equal(
    lines.map((l) => l.line),
    ["Journeyman license"],
  );
});

test("headings in bold or in capitals, as pasted ads set them", () => {
  const { lines, marked } = postingLines(
    [
      "We run trucks.",
      "",
      "WHAT YOU'LL DO",
      "- Haul freight",
      "**Qualifications**",
      "- Class A CDL",
      "CPR/BLS REQUIRED",
      "__Benefits:__",
      "- Paid time off",
      "",
      "WHY JOIN US?",
      "- Home weekly",
    ].join("\n"),
  );
  assert.ok(marked);
  assert.equal(lines, [
    { line: "We run trucks.", section: Section.Text },
    { line: "Haul freight", section: Section.Duty },
    { line: "Class A CDL", section: Section.Requirement },
    { line: "CPR/BLS REQUIRED", section: Section.Requirement },
  ]);
});

test("the review's cases: a list without bullets, headings that end open, benefits words in a duty, slashed tool lists", () => {
  const list = postingLines(
    "Requirements:\nSkills in Python and Tableau\nYour own reliable vehicle\nKey account management experience\nHow to use Salesforce CRM",
  );
  assert.equal(
    list.lines.map((l) => [l.line, l.section]),
    [
      ["Skills in Python and Tableau", Section.Requirement],
      ["Your own reliable vehicle", Section.Requirement],
      ["Key account management experience", Section.Requirement],
      ["How to use Salesforce CRM", Section.Requirement],
    ],
  );
  const open = postingLines("What we look for\nPython\nKubernetes");
  assert.equal(
    open.lines.map((l) => [l.line, l.section]),
    [
      ["Python", Section.Requirement],
      ["Kubernetes", Section.Requirement],
    ],
  );
  const duty = postingLines("Responsibilities:\n- Payroll\nBenefits administration\n- COBRA and FMLA");
  assert.ok(
    duty.lines.some((l) => l.line === "COBRA and FMLA"),
    JSON.stringify(duty.lines),
  );
  const after = postingLines(
    "Benefits:\n- Dental\n\nYou must know Rust and FreeRTOS.\n\nAcme is an equal opportunity employer and welcomes applications from everyone, including veterans.",
  );
  assert.not.ok(
    after.lines.some((l) => l.line.includes("veterans")),
    JSON.stringify(after.lines),
  );
  const tools = postingLines("Requirements:\nNode.js services\ngit\nnpm and webpack\nkubectl");
  assert.equal(
    tools.lines.map((l) => l.line),
    ["Node.js services", "git", "npm and webpack", "kubectl"],
  );
  const law = postingLines("Requirements:\n- Working knowledge of FLSA, FMLA, ADA and EEO regulations");
  assert.is(law.lines.length, 1);
  assert.ok(
    after.lines.some((l) => l.line.includes("Rust")),
    JSON.stringify(after.lines),
  );
  const slashed = postingLines(
    "Requirements:\n- react/redux/next.js, ec2/s3/lambda and k8s/docker/helm\n- Valid Class A\nClean driving record",
  );
  assert.ok(
    slashed.lines[0]!.line.includes("react/redux/next.js") && slashed.lines[0]!.line.includes("k8s/docker/helm"),
  );
  assert.is(slashed.lines.length, 3, JSON.stringify(slashed.lines));
});

test("joining wrapped lines is linear: twice the text, about twice the work", () => {
  // Counted, not timed: the lines joined are looked at once each (the review found each join re-read the paragraph).
  const lines = postingLines("python services for the payments platform and its team\n".repeat(4000)).lines;
  assert.is(lines.length, 1);
  assert.is(lines[0]!.line.split(" ").length, 9 * 4000);
});

test("the second review's cases: one-line ads with the statement, headings right after a list, bold inside a line, 'Why you'", () => {
  const oneLine = postingLines(
    "Build dashboards in Tableau and write SQL. Requirements: 3+ years of SQL and Python. Acme is an equal opportunity employer.",
  );
  assert.equal(
    oneLine.lines.map((l) => l.line),
    ["Build dashboards in Tableau and write SQL. Requirements: 3+ years of SQL and Python."],
  );
  const web = postingLines("What we offer\n- Flexible hours\nWhat you bring\n- 3+ years of Go\n- Terraform");
  assert.equal(
    web.lines.map((l) => [l.line, l.section]),
    [
      ["3+ years of Go", Section.Requirement],
      ["Terraform", Section.Requirement],
    ],
  );
  const bold = postingLines("**Must have:** 3+ years of **Kubernetes**\n**Bonus:** experience with **Rust**");
  assert.is(bold.lines.length, 2, JSON.stringify(bold.lines));
  const why = postingLines("## Why you're a great fit\n- Terraform\n\nWhy you?\n- payment reconciliation");
  assert.ok(
    why.lines.some((l) => l.line === "Terraform") && why.lines.some((l) => l.line === "payment reconciliation"),
    JSON.stringify(why.lines),
  );
  const narrow = postingLines("Requirements:\nStrong knowledge of distributed\nsystems and event-driven\narchitecture");
  assert.equal(
    narrow.lines.map((l) => l.line),
    ["Strong knowledge of distributed systems and event-driven architecture"],
  );
});

test("'Why join us' in any case heads the employer's pitch, bare or with a colon", () => {
  for (const heading of ["Why join us", "Why work with us?", "Why join us:"]) {
    const { lines } = postingLines(`Requirements:\n- Journeyman license\n\n${heading}\n- Paid CEU classes`);
    assert.equal(
      lines.map((l) => l.line),
      ["Journeyman license"],
      heading,
    );
  }
});

test.run();
