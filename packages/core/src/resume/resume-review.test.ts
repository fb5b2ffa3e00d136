/**
 * What the schema lets through and cvpipe does not (calendar dates, an end before its start), what it
 * warns of (keys a typo away from the schema's), and the dates' messages in words: each rule at its path.
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { nearestKey, typoDistance } from "../contracts/nearest-key.ts";
import { resumeFiles } from "../tailoring/testing/eval-set.ts";
import { sharedFixture } from "../testing/fixtures.ts";
import { calendarProblem, endsBefore } from "./calendar-date.ts";
import { MAX_CV_WARNINGS, reviewResume } from "./resume-review.ts";
import { RESUME_TREE } from "./resume-schema-tree.ts";
import { resumeIssues } from "./validate-resume.ts";

const cv = (work: Record<string, unknown>[], extra: Record<string, unknown> = {}) => ({
  basics: { name: "Dana Okafor" },
  work,
  ...extra,
});

test("the tree is the schema's: keys, nested lists of objects, date fields", () => {
  assert.ok(RESUME_TREE.keys.includes("basics") && RESUME_TREE.keys.includes("meta"));
  const work = RESUME_TREE.children.get("work");
  assert.is(work?.kind, "list");
  assert.equal(work?.kind === "list" && work.items.kind === "object" ? work.items.dates : [], ["startDate", "endDate"]);
  const basics = RESUME_TREE.children.get("basics");
  assert.ok(basics?.kind === "object" && basics.children.get("location")?.kind === "object");
  assert.ok(basics?.kind === "object" && basics.children.get("profiles")?.kind === "list");
});

test("calendar: months 01-12, days of the month (leap years), at the field's path", () => {
  assert.is(calendarProblem("2020-13"), "there is no month 13 (months are 01-12)");
  assert.is(calendarProblem("2020-00"), "there is no month 00 (months are 01-12)");
  assert.is(calendarProblem("2021-02-29"), "there is no day 29 in February 2021 (it has 28 days)");
  assert.is(calendarProblem("2020-02-29"), undefined);
  assert.is(calendarProblem("1900-02-29")?.startsWith("there is no day 29"), true);
  assert.is(calendarProblem("2000-02-29"), undefined);
  assert.is(calendarProblem("2020-04-31")?.includes("April 2020 (it has 30 days)"), true);
  assert.is(calendarProblem("2020-05-00")?.startsWith("there is no day 00"), true);
  for (const ok of ["2020", "2020-01", "2020-12-31", "Present", "", "2020-1"])
    assert.is(calendarProblem(ok), undefined);

  const review = reviewResume(
    {
      ...cv([
        { name: "A", startDate: "2020-13" },
        { name: "B", startDate: "2019-01", endDate: "2020-02-30" },
      ]),
      education: [{ institution: "U", startDate: "2010-00" }],
      awards: [{ title: "X", date: "2019-06-31" }],
      publications: [{ name: "P", releaseDate: "2018-11-31" }],
    },
    "body.cv",
  );
  assert.equal(
    review.issues.map((i) => [i.path, i.rule]),
    [
      ["body.cv.work[0].startDate", "calendar"],
      ["body.cv.work[1].endDate", "calendar"],
      ["body.cv.education[0].startDate", "calendar"],
      ["body.cv.awards[0].date", "calendar"],
      ["body.cv.publications[0].releaseDate", "calendar"],
    ],
  );
  assert.is(review.issues[0]!.message, '"2020-13" is not a calendar date: there is no month 13 (months are 01-12)');
  assert.equal(
    resumeIssues({ work: [{ startDate: "2020-13", endDate: "2020-02-30" }] }),
    [],
    "the schema lets them through",
  );
});

test("order: an end before its start is refused at endDate; precisions compare at the coarser one", () => {
  assert.is(endsBefore("2019", "2020-05"), true);
  assert.is(endsBefore("2020", "2020-05"), false, "the year 2020 holds May 2020");
  assert.is(endsBefore("2020-05", "2020-05-20"), false);
  assert.is(endsBefore("2020-04-30", "2020-05"), true);
  assert.is(endsBefore("2020-05-01", "2020-05-01"), false);
  const review = reviewResume(
    {
      ...cv([
        { name: "A", startDate: "2021-03", endDate: "2020-11" },
        { name: "B", startDate: "2020-05", endDate: "2020" },
        { name: "C", startDate: "2020-13", endDate: "2019" },
      ]),
      projects: [{ name: "P", startDate: "2022-01-10", endDate: "2022-01-09" }],
      volunteer: [{ organization: "V", startDate: "2015", endDate: "2014-12" }],
    },
    "body.cv",
  );
  assert.equal(
    review.issues.map((i) => [i.path, i.rule]),
    [
      ["body.cv.work[0].endDate", "order"],
      ["body.cv.work[2].startDate", "calendar"],
      ["body.cv.volunteer[0].endDate", "order"],
      ["body.cv.projects[0].endDate", "order"],
    ],
    "a start that is no date is not ordered against",
  );
  assert.is(review.issues[0]!.message, '"2020-11" is before startDate "2021-03": an entry cannot end before it starts');
});

test('"Present", null and written dates: messages that say what to send, not the pattern', () => {
  const issues = resumeIssues(
    cv([
      { name: "A", startDate: "2020-01", endDate: "Present" },
      { name: "B", startDate: "2020-01", endDate: null },
      { name: "C", startDate: "March 2020" },
      { name: "D", startDate: 2020 },
      { name: "E", startDate: "x".repeat(5000) },
    ]),
    "body.cv",
  );
  assert.equal(
    issues.map((i) => [i.path, i.rule]),
    [
      ["body.cv.work[0].endDate", "pattern"],
      ["body.cv.work[1].endDate", "type"],
      ["body.cv.work[2].startDate", "pattern"],
      ["body.cv.work[3].startDate", "type"],
      ["body.cv.work[4].startDate", "pattern"],
    ],
  );
  const [present, nul, written, number, long] = issues.map((i) => i.message);
  assert.is(
    present,
    '"Present" is not a date: leave endDate out for a current role; otherwise use YYYY, YYYY-MM or YYYY-MM-DD, e.g. 2021, 2021-03 or 2021-03-15',
  );
  assert.ok(nul?.startsWith("null is not a date: leave endDate out for a current role"), nul);
  assert.ok(written?.endsWith("(did you mean 2020-03?)"), written);
  assert.is(number, "must be a date as a string: YYYY, YYYY-MM or YYYY-MM-DD, e.g. 2021, 2021-03 or 2021-03-15");
  assert.ok(long!.length < 100 && !long!.includes("xxxxxxxx"), "a long value is not repeated");
  for (const m of issues) assert.not.ok(m.message.includes("must match pattern"), m.message);
});

test("typo distance: case-folded, neighbours swapped cost one, short names allow one edit", () => {
  assert.is(typoDistance("positon", "position", 2), 1);
  assert.is(typoDistance("bascis", "basics", 2), 1);
  assert.is(typoDistance("abcdef", "uvwxyz", 2), 3, "gives up past the limit");
  assert.is(nearestKey("StartDate", ["startDate", "endDate"]), "startDate");
  assert.is(nearestKey("start_date", ["startDate", "endDate"]), "startDate");
  assert.is(nearestKey("uri", ["url"]), "url");
  assert.is(nearestKey("id", ["url", "name"]), undefined);
  assert.is(nearestKey("tags", ["name", "url", "date"]), undefined, "two edits from a four-letter name is not a typo");
  assert.is(nearestKey("x-github", ["name", "url", "position"]), undefined);
});

test("unknown fields a typo away from the schema's are warnings at their paths; extensions are not", () => {
  const review = reviewResume(
    {
      bascis: { name: "lost" },
      basics: {
        name: "D",
        nmae: "x",
        location: { citty: "Lagos" },
        profiles: [{ netwrok: "GitHub" }],
        "x-pronouns": "she",
      },
      work: [{ name: "A", positon: "Engineer", StartDate: "2020-01", tags: ["a"], "x-internal": 1, highlights: ["h"] }],
      skills: [{ name: "Go", keyword: ["go"] }],
      meta: { version: "v1", lastModifed: "2020" },
      "x-custom": { positon: "inside an extension: not walked" },
      $schema: "https://example.org/schema.json",
    },
    "body.cv",
  );
  assert.equal(review.issues, []);
  assert.equal(
    review.warnings.map((w) => w.path),
    [
      "body.cv.bascis",
      "body.cv.basics.nmae",
      "body.cv.basics.location.citty",
      "body.cv.basics.profiles[0].netwrok",
      "body.cv.work[0].positon",
      "body.cv.work[0].StartDate",
      "body.cv.skills[0].keyword",
      "body.cv.meta.lastModifed",
    ],
  );
  assert.ok(review.warnings.every((w) => w.rule === "unknown"));
  assert.is(review.warnings[4]!.message, "unknown field 'positon' — did you mean 'position'? Its value is not read.");
  assert.is(review.warnings[0]!.message, "unknown field 'bascis' — did you mean 'basics'? Its value is not read.");
});

test("warnings are capped, deterministic, and linear: 20,000 extension keys and 40,000 typos in well under a second", () => {
  const extensions = Object.fromEntries(Array.from({ length: 20_000 }, (_, i) => [`field${i}`, i]));
  const typos = Array.from({ length: 20_000 }, () => ({ positon: "x", nmae: "y" }));
  const value = { work: [{ ...extensions, startDate: "2020-01" }, ...typos] };
  const t0 = performance.now();
  const review = reviewResume(value, "cv");
  const ms = performance.now() - t0;
  assert.is(review.warnings.length, MAX_CV_WARNINGS);
  assert.equal(reviewResume(value, "cv"), review);
  assert.ok(ms < 1000, `${ms.toFixed(0)} ms`);
  console.log(`review of ${value.work.length} entries: ${ms.toFixed(0)} ms`);
});

test("the 12 eval CVs: none refused by the new rules; their warnings listed", () => {
  const files = resumeFiles();
  assert.is(files.length, 12);
  for (const file of files) {
    const value = sharedFixture(`eval/${file}`);
    const review = reviewResume(value, "cv");
    assert.equal(review.issues, [], file);
    assert.equal(resumeIssues(value), [], file);
    if (review.warnings.length > 0) console.log(`${file}: ${review.warnings.map((w) => w.path).join(", ")}`);
  }
});

test.run();
