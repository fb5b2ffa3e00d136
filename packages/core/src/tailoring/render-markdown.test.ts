import { test } from "uvu";
import * as assert from "uvu/assert";
import type { Resume } from "../resume/resume.ts";
import { employerOf } from "../resume/text-leaves.ts";
import { escapeMarkdown, renderMarkdown } from "./render-markdown.ts";
import { loadResume } from "./testing/eval-set.ts";

/** Markdown that a renderer would turn into a link, an image, raw HTML or a code span. */
const ACTIVE = [
  /(?<!\\)<[a-z/!]/i, // raw HTML or an autolink
  /(?<!\\)\[[^\]]*(?<!\\)\]\s*[([]/, // [text](url) or [text][ref], brackets unescaped
  /(?<!\\)!(?<!\\)\[/, // image opener
  /(?<!\\)`/, // code span
];
const assertInert = (md: string): void => {
  for (const re of ACTIVE) assert.not.match(md, re, `${re} in:\n${md}`);
};

const injections = ["![x](https://evil/p.png)", "[docs](javascript:alert(1))", "<img src=x onerror=alert(1)>"];

test("injected images, links and HTML in any CV field render as literal text", () => {
  const nasty: Resume = {
    basics: {
      name: "![x](https://evil/p.png)",
      label: "[docs](javascript:alert(1))",
      summary: "<img src=x onerror=alert(1)>",
      location: { city: "<b>Leeds</b>" },
      profiles: [{ network: "[GitHub](javascript:alert(1))", username: "`rm -rf`" }],
    },
    work: [
      {
        name: "<script>alert(1)</script>",
        position: "[Eng]",
        startDate: "2020-01",
        location: "![p](http://x/p.png)",
        summary: "[a]: https://evil",
        highlights: injections,
      },
    ],
    skills: [{ name: "<i>Web</i>", keywords: ["`code`", "[x][y]"] }],
  };
  const md = renderMarkdown(nasty);
  assertInert(md);
  assert.match(md, /^# \\!\\\[x\\\]\(https:\/\/evil\/p\.png\)\n/);
  assert.ok(md.includes("**\\[docs\\](javascript:alert(1))**"), md);
  assert.ok(md.includes("\n\\<img src=x onerror=alert(1)\\>\n"), md);
  assert.ok(md.includes("### \\[Eng\\] — \\<script\\>alert(1)\\</script\\>"), md);
  assert.ok(md.includes("- \\!\\[x\\](https://evil/p.png)\n"), md);
  assert.ok(md.includes("- \\[docs\\](javascript:alert(1))\n"), md);
  assert.ok(md.includes("- \\<img src=x onerror=alert(1)\\>\n"), md);
  assert.ok(md.includes("\\`rm -rf\\`"), md);
});

test("escapeMarkdown: backslash escapes, never HTML entities; plain text unchanged", () => {
  // "&" reads as written; only one that would start an entity reference is escaped.
  assert.is(escapeMarkdown("R&D & QA"), "R&D & QA");
  assert.is(escapeMarkdown("A & B <b>"), "A & B \\<b\\>");
  assert.is(escapeMarkdown("&lt; and &#60;"), "\\&lt; and \\&#60;");
  assert.is(escapeMarkdown("C:\\temp [x]"), "C:\\\\temp \\[x\\]");
  assert.is(escapeMarkdown("wow! [x]"), "wow! \\[x\\]");
  assert.is(
    escapeMarkdown("Cut costs by 40% on AWS (2x faster), node.js/C#."),
    "Cut costs by 40% on AWS (2x faster), node.js/C#.",
  );
});

test("a CV's own '&' renders as '&', not '&amp;'", () => {
  const md = renderMarkdown({
    basics: { name: "Sam" },
    work: [{ name: "R&D Labs", highlights: ["Ran QA & release."] }],
  });
  assert.ok(md.includes("R&D Labs") && md.includes("- Ran QA & release.\n"), md);
  assert.not.ok(md.includes("&amp;"), md);
});

test("award, certificate and publication dates read as work dates do", () => {
  const md = renderMarkdown({
    basics: { name: "Sam" },
    work: [{ name: "Acme", startDate: "2018-01-14" }],
    awards: [{ title: "Finalist", awarder: "nwHacks", date: "2018-01-14" }],
    certificates: [{ name: "CKA", issuer: "CNCF", date: "2020-06" }],
    publications: [{ name: "Paper", publisher: "ACM", releaseDate: "2019-03-02" }],
  });
  assert.ok(md.includes("*Jan 2018 – Present*"), md);
  assert.ok(md.includes("### Finalist — nwHacks\n*Jan 2018*"), md);
  assert.ok(md.includes("### CKA — CNCF\n*Jun 2020*"), md);
  assert.ok(md.includes("### Paper — ACM\n*Mar 2019*"), md);
  assert.not.ok(/\d{4}-\d{2}/.test(md), md);
});

test("a normal eval CV still renders as readable Markdown: name, sections, employers, highlights", () => {
  const cv = loadResume("resumes/04-site-reliability-engineer.json");
  const md = renderMarkdown(cv);
  assertInert(md);
  assert.ok(md.startsWith(`# ${cv.basics?.name}\n`), md.slice(0, 80));
  assert.match(md, /\n## Experience\n\n### /);
  assert.match(md, /\n## Skills\n/);
  const work = cv.work ?? [];
  assert.ok(work.length >= 2);
  let verbatim = 0;
  for (const w of work) {
    const employer = employerOf(w);
    if (employer) assert.match(md, new RegExp(`\\n### [^\\n]*${employer.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}`));
    for (const h of w.highlights ?? []) {
      const line = `\n- ${escapeMarkdown(h.replace(/\s*\n\s*/g, " ").trim())}\n`;
      assert.ok(md.includes(line), `missing highlight ${h}`);
      if (md.includes(`\n- ${h.trim()}\n`)) verbatim++;
    }
  }
  assert.ok(verbatim >= 3, `only ${verbatim} highlights read as written`);
});

test.run();
