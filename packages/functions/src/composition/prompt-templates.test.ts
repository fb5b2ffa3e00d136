import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DEFAULT_SYSTEM_PROMPT, DEFAULT_USER_PROMPT } from "@cvpipe/core/tailoring/default-prompts";
import { redactPii } from "@cvpipe/core/tailoring/pii";
import { fillTemplate, PROMPT_PLACEHOLDERS, PROMPT_TAGS } from "@cvpipe/core/tailoring/prompt-template";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { loadPromptTemplates } from "./prompt-templates.ts";

test("templates: repo defaults, overridden file by file from PROMPT_TEMPLATES_PATH", () => {
  assert.equal(loadPromptTemplates(), { system: DEFAULT_SYSTEM_PROMPT, user: DEFAULT_USER_PROMPT });
  const dir = mkdtempSync(join(tmpdir(), "prompts-"));
  writeFileSync(join(dir, "user.md"), "Job: {{job_title}} / {{unknown}}");
  const t = loadPromptTemplates(dir);
  assert.is(t.system, DEFAULT_SYSTEM_PROMPT);
  assert.is(fillTemplate(t.user, { job_title: "SRE" }), "Job: SRE / {{unknown}}");
});

test("the default templates name only known placeholders, and wrap the posting and the CV in PROMPT_TAGS", () => {
  const named = [...`${DEFAULT_SYSTEM_PROMPT}${DEFAULT_USER_PROMPT}`.matchAll(/\{\{(\w+)\}\}/g)].map((m) => m[1]);
  assert.equal([...new Set(named)].sort(), [...PROMPT_PLACEHOLDERS].sort());
  for (const tag of Object.values(PROMPT_TAGS)) {
    assert.match(DEFAULT_USER_PROMPT, new RegExp(`<${tag}>[^<]*\\{\\{\\w+\\}\\}[^<]*</${tag}>`), tag);
  }
});

test("PII redaction is reversible and leaves dates alone", () => {
  const cv = {
    basics: { name: "Ana Lima", email: "ana@example.org", phone: "+55 11 91234 5678", url: "https://ana.dev" },
    work: [
      {
        name: "Acme",
        startDate: "2016-09-19",
        summary: "Ana Lima led it; mail ana@example.org or see https://ana.dev/x",
      },
    ],
  };
  const r = redactPii(cv);
  const wire = JSON.stringify(r.resume);
  assert.not.match(wire, /Ana|Lima|ana@|91234|ana\.dev/);
  assert.is(r.resume.work?.[0]?.startDate, "2016-09-19");
  assert.is(r.resume.basics?.email, "[EMAIL_1]");
  assert.equal(r.restore(r.resume), cv);
});

test.run();
