import { test } from "uvu";
import * as assert from "uvu/assert";
import { seededRandom } from "../testing/random.ts";
import { fillTemplate } from "./prompt-template.ts";

test("fillTemplate: {{name}} with optional spaces; an unknown name stays as written", () => {
  assert.is(
    fillTemplate("Job: {{job_title}} / {{ job_company }} / {{unknown}}", { job_title: "SRE", job_company: "Acme" }),
    "Job: SRE / Acme / {{unknown}}",
  );
  assert.is(
    fillTemplate("{{cv_json}}", { cv_json: "$& $1" }),
    "$& $1",
    "a value is inserted as it is, not as a replacement pattern",
  );
});

test("fillTemplate = the global replace of `{{\\s*([a-z_]+)\\s*}}` it replaced, on 20,000 seeded templates", () => {
  const next = seededRandom(13);
  const pieces = [
    "{{",
    "{",
    "}}",
    "}",
    " ",
    "\n",
    "job_title",
    "cv",
    "x_y",
    "Z",
    "1",
    "max_words",
    "$&",
    "constructor",
  ];
  const values = { job_title: "SRE", cv: "<cv>", max_words: "$1" };
  for (let n = 0; n < 20_000; n++) {
    let t = "";
    for (let i = Math.floor(next() * 12); i > 0; i--) t += pieces[Math.floor(next() * pieces.length)];
    const expected = t.replace(/\{\{\s*([a-z_]+)\s*\}\}/g, (whole, name: string) =>
      Object.hasOwn(values, name) ? values[name as keyof typeof values] : whole,
    );
    assert.is(fillTemplate(t, values), expected, JSON.stringify(t));
  }
});

test.run();
