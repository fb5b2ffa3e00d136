import { test } from "uvu";
import * as assert from "uvu/assert";
import { postingLines, Section } from "./posting-lines.ts";

test("each line with its section: headings set it, what the employer offers is left out", () => {
  const { lines, marked } = postingLines(
    [
      "We make outdoor gear.",
      "### What you'll do",
      "-   Run payroll for nine",
      "states and reconcile tax filings",
      "Requirements:",
      "- ADP Workforce Now",
      "Perks of joining the crew",
      "- Gear rental program",
    ].join("\n"),
  );
  assert.ok(marked);
  assert.equal(lines, [
    { line: "We make outdoor gear.", section: Section.Text },
    { line: "Run payroll for nine states and reconcile tax filings", section: Section.Duty },
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
      "WHAT YOU'LL DO",
      "- Haul freight",
      "**Qualifications**",
      "- Class A CDL",
      "CPR/BLS REQUIRED",
      "__Benefits:__",
      "- Paid time off",
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

test.run();
