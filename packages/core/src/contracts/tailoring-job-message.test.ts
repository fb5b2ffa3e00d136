import { test } from "uvu";
import * as assert from "uvu/assert";
import { TailoringInput, TailoringJobMessage } from "./tailoring-job-message.ts";

const posting = { title: "Backend Engineer", description: "Build event-driven services on AWS with TypeScript." };
const message = (inline: unknown) => ({
  schema: "tailoring-job.v1",
  jobId: "j1",
  tenantId: "acme",
  userId: "alice",
  submittedAt: "2026-11-18T09:59:00.000Z",
  input: { inline },
});

test("the posting is read as `posting`; a message written before the rename (`job`) reads the same", () => {
  const current = TailoringJobMessage.parse(message({ cv: "x", posting }));
  const old = TailoringJobMessage.parse(message({ cv: "x", job: posting }));
  assert.equal(current.input, { inline: { cv: "x", posting, options: {} } });
  assert.equal(old.input, current.input, "no `job` left on the parsed input");
  // A claim-check object stored before the rename.
  assert.equal(TailoringInput.parse({ cv: "x", job: posting }), { cv: "x", posting, options: {} });
});

test("a message with neither is refused at the posting; an unknown key is still refused", () => {
  const missing = TailoringInput.safeParse({ cv: "x" });
  assert.equal(missing.success ? [] : missing.error.issues.map((i) => i.path.join(".")), ["posting"]);
  assert.ok(!TailoringJobMessage.safeParse(message({ cv: "x" })).success);
  assert.ok(!TailoringInput.safeParse({ cv: "x", posting, extra: 1 }).success);
});

test("a message with both fields is refused at `job`, not read as one of them", () => {
  const both = TailoringInput.safeParse({ cv: "x", posting, job: { description: "another posting" } });
  assert.not.ok(both.success, "one of two postings was dropped without a word");
  const issues = both.error?.issues ?? [];
  assert.ok(
    issues.some((i) => i.code === "unrecognized_keys" && i.keys.includes("job")),
    JSON.stringify(issues),
  );
});

test.run();
