/**
 * Issue 14 §5: the verifier's known gaps, each reproduced through `tailorCv`
 * with an engine that returns the edited CV (as a model would), then refused.
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { VerificationError } from "../errors.ts";
import type { TailoringEngine } from "../ports/tailoring-engine.ts";
import type { Resume } from "../resume/resume.ts";
import { tailorCv } from "./tailor-cv.ts";
import { GROWTH_SKILLS_CV } from "./testing/seniority-names.ts";
import type { Violation } from "./types.ts";
import { verifyGrounding } from "./verify-grounding/index.ts";

const source: Resume = {
  $schema: "https://raw.githubusercontent.com/jsonresume/resume-schema/v1.0.0/schema.json",
  basics: {
    name: "Jane Doe",
    label: "Senior Backend Engineer",
    email: "jane@example.org",
    summary:
      "Backend engineer with 8 years of Node.js and AWS. Assisted the architecture group at Northwind Logistics.",
  },
  work: [
    {
      name: "Northwind Logistics",
      position: "Senior Engineer",
      startDate: "2020-01",
      highlights: ["Assisted the migration of billing to AWS Lambda.", "Cut p99 latency by 40% on the payments API."],
    },
    {
      name: "Initech",
      position: "Software Engineer",
      startDate: "2016-03",
      endDate: "2019-12",
      highlights: ["Led the rewrite of the reporting service in Node.js."],
    },
  ],
  education: [{ institution: "University of Leeds", studyType: "BSc", area: "Computer Science", startDate: "2012" }],
  certificates: [{ name: "AWS Solutions Architect", issuer: "Amazon", date: "2021-05" }],
  awards: [{ title: "Engineer of the Year", awarder: "Initech", date: "2018" }],
  languages: [
    { language: "English", fluency: "Native" },
    { language: "Spanish", fluency: "Intermediate" },
  ],
  skills: [{ name: "Backend", keywords: ["Node.js", "PostgreSQL", "AWS Lambda"] }],
  meta: { canonical: "https://example.org/jane.json", version: "v1.0.0" },
};

const edit = (change: (cv: Resume) => void): Resume => {
  const cv = structuredClone(source);
  change(cv);
  return cv;
};

const engineReturning = (resume: Resume): TailoringEngine => ({
  name: "bedrock",
  async tailor() {
    return { resume: structuredClone(resume) };
  },
});

const BANNED = ["security clearance", "PhD"];

/** What `tailorCv` refuses the edit with (it must refuse it). */
const refused = async (resume: Resume, banned: readonly string[] = BANNED): Promise<Violation[]> => {
  try {
    await tailorCv(
      engineReturning(resume),
      { cv: source, posting: { description: "Backend engineer" }, options: {} },
      {
        bannedClaims: banned,
      },
    );
  } catch (error) {
    assert.instance(error, VerificationError);
    return (error as VerificationError).details as Violation[];
  }
  assert.unreachable("tailorCv accepted the edit");
  return [];
};

const at = (violations: readonly Violation[], path: string): Violation | undefined =>
  violations.find((v) => v.path === path);

test("the untouched source passes, with the banned list and every section present", async () => {
  const result = await tailorCv(
    engineReturning(source),
    { cv: source, posting: { description: "x" }, options: {} },
    { bannedClaims: BANNED },
  );
  assert.equal(result.verification.violations, []);
});

test("seniority rewording in a highlight: Led for Assisted (Led is under another employer only)", async () => {
  const v = await refused(edit((cv) => (cv.work![0]!.highlights![0] = "Led the migration of billing to AWS Lambda.")));
  assert.ok(at(v, "work[0].highlights[0]"), JSON.stringify(v));
});

test("seniority rewording in the label: Staff for Senior", async () => {
  const v = await refused(edit((cv) => (cv.basics!.label = "Staff Backend Engineer")));
  assert.ok(at(v, "basics.label"), JSON.stringify(v));
});

test("a highlight moved under another employer", async () => {
  const v = await refused(
    edit((cv) => {
      const moved = cv.work![0]!.highlights!.pop()!;
      cv.work![1]!.highlights!.push(moved);
    }),
  );
  assert.ok(at(v, "work[1].highlights[1]"), JSON.stringify(v));
});

test("a capitalised invented name at the start of a sentence", async () => {
  const v = await refused(edit((cv) => (cv.basics!.summary = "Globex hired me to run AWS Lambda.")));
  assert.ok(
    v.some((x) => x.path === "basics.summary" && /globex/i.test(x.text)),
    JSON.stringify(v),
  );
});

test("a lower-case brand in prose", async () => {
  const v = await refused(
    edit((cv) => (cv.basics!.summary = "Backend engineer with 8 years of node.js and kubernetes.")),
  );
  assert.ok(
    v.some((x) => x.path === "basics.summary" && /kubernetes/i.test(x.text)),
    JSON.stringify(v),
  );
});

test("a lower-case summary of invented credentials and titles", async () => {
  const v = await refused(
    edit(
      (cv) =>
        (cv.basics!.summary =
          "backend engineer with an active clearance, a phd from oxford, fluent in japanese and the chief architect and founder of the architecture group."),
    ),
    [],
  );
  const words = v.filter((x) => x.path === "basics.summary").map((x) => x.text.toLowerCase());
  for (const w of ["clearance", "phd", "oxford", "fluent", "japanese", "chief", "founder"]) {
    assert.ok(
      words.some((t) => t.includes(w)),
      `${w}: ${words.join(" | ")}`,
    );
  }
});

test("an invented certificate built from words of the CV", async () => {
  const v = await refused(
    edit((cv) => cv.certificates!.push({ name: "AWS Lambda", issuer: "Northwind Logistics", date: "2021-05" })),
  );
  assert.ok(at(v, "certificates[1]") ?? at(v, "certificates[1].name"), JSON.stringify(v));
});

test("an invented award and language entry built from words of the CV", async () => {
  const award = await refused(
    edit((cv) => cv.awards!.push({ title: "Engineer of the Year", awarder: "Northwind Logistics" })),
  );
  assert.ok(
    award.some((x) => x.path.startsWith("awards[1]")),
    JSON.stringify(award),
  );
  const language = await refused(edit((cv) => (cv.languages![1]!.fluency = "Native")));
  assert.ok(
    language.some((x) => x.path.startsWith("languages[1]")),
    JSON.stringify(language),
  );
});

test("a trimmed entry of any section is still its source entry", () => {
  const tailored = edit((cv) => {
    delete cv.certificates![0]!.date;
    delete cv.awards![0]!.awarder;
    cv.languages = [cv.languages![1]!];
    cv.work![0]!.highlights = [cv.work![0]!.highlights![1]!];
    cv.work!.reverse();
  });
  assert.equal(verifyGrounding(source, tailored, BANNED).violations, []);
});

test("banned claims through marks, format and tag characters and intra-word separators", async () => {
  for (const sep of ["\u034F", "\u180E", "\uFE0F", "\u{E0020}", "-", "\u00A0", "\u2009"]) {
    const text = `Holds an active secu${sep}rity clearance.`;
    const v = await refused(edit((cv) => cv.work![0]!.highlights!.push(text)));
    assert.ok(
      v.some((x) => x.code === "BANNED_CLAIM" && x.path === "work[0].highlights[2]"),
      `U+${sep.codePointAt(0)!.toString(16)}: ${JSON.stringify(v)}`,
    );
    const phd = await refused(edit((cv) => cv.work![0]!.highlights!.push(`Holds a P${sep}hD.`)));
    assert.ok(
      phd.some((x) => x.code === "BANNED_CLAIM"),
      `PhD with U+${sep.codePointAt(0)!.toString(16)}`,
    );
  }
  // Whole words still: "PhD" is not banned inside "graphDB".
  assert.equal(
    verifyGrounding(source, source, ["hd"]).violations.filter((x) => x.code === "BANNED_CLAIM"),
    [],
  );
});

test("meta.canonical and $schema changed to foreign URLs", async () => {
  const canonical = await refused(edit((cv) => (cv.meta!.canonical = "https://evil.example/jane.json")));
  assert.ok(at(canonical, "meta.canonical"), JSON.stringify(canonical));
  const schema = await refused(edit((cv) => (cv.$schema = "https://evil.example/schema.json")));
  assert.ok(at(schema, "$schema"), JSON.stringify(schema));
  // Omitted is fine: a tailored CV need not carry the source's bookkeeping.
  assert.equal(
    verifyGrounding(
      source,
      edit((cv) => {
        delete cv.meta;
        delete cv.$schema;
      }),
    ).violations,
    [],
  );
});

test("a CV's skill name holding a seniority word passes only as an item of a list of skills in the summary", () => {
  const source = GROWTH_SKILLS_CV;
  // A seniority claim the CV does not make is still refused.
  const claimed = structuredClone(source);
  claimed.basics!.summary = "Led the product team at Acme. Product-Led Growth.";
  const refused = verifyGrounding(source, claimed, []);
  assert.not.ok(refused.passed);
  assert.ok(
    refused.violations.some((v) => v.path === "basics.summary" && v.text === "led"),
    JSON.stringify(refused.violations),
  );
  // A skill that is only a seniority word ("Lead") does not let the word through.
  const lead = structuredClone(source);
  lead.skills![0]!.keywords!.push("Lead");
  const promoted = structuredClone(lead);
  promoted.basics!.summary = "Lead product manager for B2B SaaS onboarding.";
  const stillRefused = verifyGrounding(lead, promoted, []);
  assert.ok(
    stillRefused.violations.some((v) => v.path === "basics.summary" && v.text === "lead"),
    JSON.stringify(stillRefused.violations),
  );
  // The same name written with a non-breaking hyphen (U+2011) is the same name.
  const nbsp = structuredClone(source);
  nbsp.basics!.summary = `${source.basics!.summary} Relevant skills: Product\u2011Led Growth.`;
  assert.equal(verifyGrounding(source, nbsp, []).violations, []);
  // The reviews' bypasses: a listed name used in a sentence, as a title, or in a list that is no list of skills.
  const named = structuredClone(source);
  named.skills![0]!.keywords!.push("Team Lead", "Senior Care");
  for (const [key, text] of [
    ["summary", "Product manager, Team Lead."],
    ["summary", "Team Lead."],
    ["summary", "Product manager at Acme; Team Lead; onboarding."],
    ["summary", "Roles：Team Lead，onboarding."],
    ["summary", "Team lead on onboarding at Acme."],
    ["summary", "Senior Care-Giver for onboarding."],
    ["label", "Product Manager, Team Lead"],
  ] as const) {
    const claim = structuredClone(named);
    claim.basics![key] = text;
    const v = verifyGrounding(named, claim, []);
    assert.ok(
      v.violations.some((x) => x.path === `basics.${key}` && /lead|senior/.test(x.text)),
      `${text}: ${JSON.stringify(v.violations)}`,
    );
  }
});

test.run();
