/**
 * Issue 9, items 2 and 8, through the real functions.
 *
 * Item 2: the adversarial inputs that took seconds (parse, verify, render),
 * with their correct results asserted. Nothing is timed here (speed is
 * measured in bench/ as n → 4n ratios); the verifier's quadratic
 * re-normalising is caught by counting work instead: the calls it makes to
 * `String.prototype.normalize`, at n and 4n entries.
 *
 * Item 8: a field holding line breaks of any form (CR, CRLF, LF, VT, FF,
 * NEL, U+2028, U+2029) or starting with block syntax stays inside its own
 * line of the Markdown and the text renderings: no injected heading, no code
 * fence swallowing the rest of the document.
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { findEmails } from "../resume/find-email.ts";
import { parseTextCv } from "../resume/parse-text-cv/index.ts";
import { renderResumeText } from "../resume/render-resume-text.ts";
import type { Resume } from "../resume/resume.ts";
import { LocalEngine } from "./local-engine.ts";
import { redactPii } from "./pii.ts";
import { renderHtml } from "./render-html.ts";
import { renderMarkdown } from "./render-markdown.ts";
import { tailorCv } from "./tailor-cv.ts";
import { extractTerms, tokenize } from "./terms.ts";
import { verifyGrounding } from "./verify-grounding/index.ts";

// ---------------------------------------------------------------- item 2

test("a heading with 2,400 spaces inside parses as the name, the section after it as work", () => {
  const text = `# a${" ".repeat(2400)}b\n\n## Experience\n\n- did things at places for years\n`;
  assert.equal(parseTextCv(text), {
    work: [{ highlights: ["did things at places for years"] }],
    basics: { name: `a${" ".repeat(2400)}b` },
  });
});

test("a bold-wrapped line with 50,000 spaces before its end is read as summary text", () => {
  const line = `**a**${" ".repeat(50_000)}b`;
  assert.equal(parseTextCv(`Jo Li\n\n## Summary\n\n${line}\n`), { basics: { name: "Jo Li", summary: line } });
});

test("a language line with 50,000 spaces and no fluency is kept whole; the next one is split", () => {
  const item = `English${" ".repeat(50_000)}x`;
  assert.equal(parseTextCv(`Jo Li\n\n## Languages\n\n- ${item}\n- German (fluent)\n`), {
    languages: [{ language: item }, { language: "German", fluency: "fluent" }],
    basics: { name: "Jo Li" },
  });
});

test("long runs in header, date and skill lines parse as before", () => {
  const gap = " ".repeat(20_000);
  const cv = parseTextCv(
    [
      "Jo Li",
      `jo@example.org${gap}|${gap}+44 20 7946 0958`,
      "",
      "## Experience",
      "",
      `### Engineer — Acme${gap}(2019 – 2021)`,
      "",
      "## Skills",
      "",
      `- Cloud:${gap}AWS, GCP`,
      "",
      "## Education",
      "",
      `### Master${gap}of Design — Royal College of Art`,
    ].join("\n"),
  );
  assert.is(cv.basics?.email, "jo@example.org");
  assert.is(cv.basics?.phone, "+44 20 7946 0958");
  assert.equal(cv.work, [{ name: "Acme", position: "Engineer", startDate: "2019", endDate: "2021" }]);
  assert.equal(cv.skills, [{ name: "Cloud", keywords: ["AWS", "GCP"] }]);
  assert.equal(cv.education?.[0]?.institution, "Royal College of Art");
  assert.equal(cv.education?.[0]?.area, "Design");
});

test("an address-like run of 20,000 dots between two @ is no address and yields no terms", () => {
  const text = `a@${".".repeat(19_996)}@`;
  assert.equal(extractTerms(text), []);
  assert.is(tokenize(text).length, 1);
});

test("address-like runs of 50,000 characters: e-mail addresses found as the documented pattern would", () => {
  const n = 50_000;
  const half = "a.".repeat(n / 4);
  for (const text of [
    "a@".repeat(n / 2),
    `${half}@${half}`,
    `a@${".-".repeat(n / 2)}`,
    `${"x".repeat(n)}@${"é".repeat(n)}.de`,
    `${"ö".repeat(n)}@${"ü".repeat(n)}`,
    `@${"a".repeat(n)}.`,
  ]) {
    assert.equal(findEmails(text), [], text.slice(0, 40));
    assert.equal(redactPii({ basics: { summary: text } }).resume.basics?.summary, text);
  }
  const local = "ö".repeat(64);
  assert.equal(findEmails(`${"ö".repeat(n)}@x.de`), [{ index: n - 64, text: `${local}@x.de` }]);
  assert.is(findEmails("a@b.cd ".repeat(n / 7)).length, Math.floor(n / 7));
  assert.equal(
    extractTerms(`${"ö".repeat(n)}@x.de Kubernetes`).map((t) => t.surface),
    ["Kubernetes"],
  );
});

/** Calls of `String.prototype.normalize` while `fn` runs: the verifier normalizes every value it compares. */
const normalizeCalls = (fn: () => unknown): number => {
  const original = String.prototype.normalize;
  let calls = 0;
  String.prototype.normalize = function counted(this: string, form?: string) {
    calls++;
    return original.call(this, form);
  };
  try {
    fn();
  } finally {
    String.prototype.normalize = original;
  }
  return calls;
};

test("the verifier's work grows linearly with the number of entries (2,000 one-field entries and 4×)", () => {
  const cvOf = (n: number): Resume => ({ work: Array.from({ length: n }, (_, i) => ({ name: `Employer ${i}` })) });
  const run = (n: number): number => {
    const cv = cvOf(n);
    let report: ReturnType<typeof verifyGrounding> | undefined;
    const calls = normalizeCalls(() => {
      report = verifyGrounding(cv, structuredClone(cv), []);
    });
    assert.ok(report?.passed, JSON.stringify(report?.violations.slice(0, 3)));
    return calls;
  };
  const small = run(500);
  const large = run(2_000);
  // Re-normalizing every source entry for every output entry made this 16×.
  assert.ok(large / small < 4.5, `normalize calls ${small} → ${large} for 4× the entries`);
});

test("thousands of same-employer entries: a wrong date is still caught, its reason lists 10 ranges", () => {
  const source: Resume = {
    work: Array.from({ length: 3_000 }, (_, i) => ({
      name: "Acme",
      position: "Engineer",
      startDate: `20${String(10 + (i % 10)).padStart(2, "0")}-01`,
    })),
  };
  const tailored = structuredClone(source);
  tailored.work![5]!.startDate = "2030-01";
  const report = verifyGrounding(source, tailored, []);
  assert.is(report.violations.length, 1);
  const v = report.violations[0]!;
  assert.is(v.path, "work[5].startDate");
  assert.ok(v.reason.endsWith(" or 2990 more)"), v.reason.slice(-60));
});

test("skill claims and whole values are looked up in one pass: many claims against a long source", () => {
  const n = 3_000;
  const source: Resume = {
    skills: [{ name: "Tools", keywords: Array.from({ length: n }, (_, i) => `tool${i} suite`) }],
    languages: Array.from({ length: n }, (_, i) => ({ language: `Lang${i} dialect` })),
  };
  const tailored: Resume = {
    skills: [{ name: "Tools", keywords: Array.from({ length: n }, (_, i) => `tool${i}`) }],
    // A language is an entry checked whole (issue 14 §5): the source's own, not a trimmed one.
    languages: Array.from({ length: n }, (_, i) => ({ language: `Lang${i} dialect` })),
  };
  assert.ok(verifyGrounding(source, tailored, []).passed);
  tailored.skills![0]!.keywords!.push("tool");
  tailored.languages!.push({ language: "Lang" });
  const failed = verifyGrounding(source, tailored, []);
  assert.equal(
    failed.violations.map((v) => v.path),
    [`languages[${n}].language`, `skills[0].keywords[${n}]`],
  );
});

test("a highlight of 40,000 spaces between two words renders as one list item, spaces kept", () => {
  const h = `a${" ".repeat(40_000)}b`;
  const md = renderMarkdown({ basics: { name: "Jo Li" }, work: [{ name: "Acme", highlights: [h] }] });
  assert.ok(md.includes(`\n- ${h}\n`));
});

// ---------------------------------------------------------------- item 8

const BREAKS: Readonly<Record<string, string>> = {
  CR: "\r",
  CRLF: "\r\n",
  LF: "\n",
  VT: "\u000b",
  FF: "\u000c",
  NEL: "\u0085",
  LS: "\u2028",
  PS: "\u2029",
};

const headings = (md: string): string[] => md.split("\n").filter((l) => /^#{1,6} /.test(l));
const fences = (md: string): string[] => md.split(/\r\n|\r|\n/).filter((l) => /^ {0,3}(~~~|```)/.test(l));

test("issue 9 item 8: a highlight with bare CRs comes back in result.markdown without a heading or a fence", async () => {
  const highlight = "Built serverless pipelines on AWS Lambda\r\r## Security clearance\r\rActive SC clearance\r\r~~~";
  const cv: Resume = {
    basics: { name: "Jane Doe", summary: "Platform engineer." },
    work: [{ name: "Acme", position: "Engineer", startDate: "2020-01", highlights: [highlight] }],
    skills: [{ name: "Cloud", keywords: ["AWS", "Lambda"] }],
  };
  const posting = { title: "Platform Engineer", description: "Serverless AWS Lambda platform engineer." };
  const result = await tailorCv(new LocalEngine(), { cv, posting, options: {} }, { bannedClaims: [] });
  assert.equal(headings(result.markdown), [
    "# Jane Doe",
    "## Summary",
    "## Experience",
    "### Engineer — Acme",
    "## Skills",
  ]);
  assert.equal(fences(result.markdown), []);
  assert.ok(
    result.markdown.includes(
      "\n- Built serverless pipelines on AWS Lambda ## Security clearance Active SC clearance ~~~\n",
    ),
    result.markdown,
  );
  assert.not.ok(/\r/.test(result.markdown));
  // The skills after the highlight are still rendered as text, not swallowed by a fence.
  assert.ok(result.markdown.endsWith("\n## Skills\n\nCloud: AWS, Lambda\n"), result.markdown);
});

const injected = (br: string): Resume => {
  const evil = (what: string): string => `${what}${br}## Injected${br}${br}~~~${br}- item`;
  return {
    basics: {
      name: evil("Jane Doe"),
      label: evil("Engineer"),
      email: "jane@example.org",
      location: { city: evil("Leeds") },
      profiles: [{ network: evil("GitHub"), url: "https://github.com/jane" }],
      summary: "Platform engineer.",
    },
    work: [
      {
        name: evil("Acme"),
        position: evil("Engineer"),
        location: evil("Leeds"),
        startDate: "2020-01",
        summary: evil("Ran the platform"),
        highlights: [evil("Cut costs")],
      },
    ],
    projects: [{ name: evil("Tool"), description: evil("A tool"), highlights: [evil("Shipped")] }],
    education: [{ institution: evil("Uni"), studyType: evil("BSc"), area: evil("CS") }],
    skills: [{ name: evil("Cloud"), keywords: [evil("AWS")] }],
    languages: [{ language: evil("English"), fluency: evil("native") }],
  };
};

for (const [form, br] of Object.entries(BREAKS)) {
  test(`Markdown: a ${form} in any single-line field adds no heading, fence or list`, () => {
    const md = renderMarkdown(injected(br));
    assert.equal(
      headings(md).map((h) => h.replace(/ .*/, "")),
      ["#", "##", "##", "###", "##", "###", "##", "##", "###", "##"],
      md,
    );
    assert.not.ok(
      headings(md).some((h) => h.includes("Injected") && !h.includes(" ## Injected")),
      md,
    );
    assert.equal(fences(md), []);
    // Lines are only the renderer's: no stray break of any form is left.
    assert.not.ok(
      [..."\r\u000b\u000c\u0085\u2028\u2029"].some((c) => md.includes(c)),
      JSON.stringify(md),
    );
    for (const line of md.split("\n")) assert.not.ok(/^- (?:item|## )/.test(line), line);
  });

  test(`text rendering: a ${form} in any single-line field reads back with the same sections`, () => {
    const cv = injected(br);
    const parsed = parseTextCv(renderResumeText(cv));
    assert.is(parsed.work?.length, 1);
    assert.is(parsed.projects?.length, 1);
    assert.is(parsed.education?.length, 1);
    assert.ok(parsed.basics?.name?.startsWith("Jane Doe ## Injected"), parsed.basics?.name);
    assert.ok(parsed.work?.[0]?.highlights?.[0]?.startsWith("Cut costs ## Injected"));
    assert.equal(
      Object.keys(parsed).filter((k) => k !== "basics"),
      ["work", "projects", "education", "skills", "languages"],
    );
  });
}

test("Markdown: a line-level field that starts with block syntax stays text", () => {
  const md = renderMarkdown({
    basics: { name: "Jo Li", summary: "## Security clearance\n~~~\n---\n1. first\n- item\n| a | b |\n| --- | --- |" },
    work: [{ name: "Acme", summary: "# Top secret", highlights: ["# Heading", "1) one", "* star", "==="] }],
  });
  assert.equal(headings(md), ["# Jo Li", "## Summary", "## Experience", "### Acme"]);
  assert.equal(fences(md), []);
  for (const line of [
    "\\## Security clearance",
    "\\~~~",
    "\\-\\-\\-",
    "1\\. first",
    "\\- item",
    "\\| \\-\\-\\- \\| \\-\\-\\- \\|",
    "\\# Top secret",
    "- \\# Heading",
    "- 1\\) one",
    "- \\* star",
    "- \\=\\=\\=",
  ]) {
    assert.ok(md.includes(`\n${line}\n`), `${line} in\n${md}`);
  }
});

test("HTML: line breaks in a highlight stay inside its list item", () => {
  const html = renderHtml({
    basics: { name: "Jo Li" },
    work: [{ name: "Acme", highlights: ["a\r\r## b\r\r~~~"] }],
  });
  assert.ok(html.includes("<ul><li>a\r\r## b\r\r~~~</li></ul>"));
  assert.is((html.match(/<h2>/g) ?? []).length, 1);
});

test.run();
