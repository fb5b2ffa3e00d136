/**
 * Issue 14 §5: the verifier's catch rate on an adversarial set of
 * invented-claim edits of the eval CVs (testing/adversarial-edits.ts, seeded),
 * per class and per kind, printed; and its false positives on the untouched
 * CVs and on the local engine's real tailored outputs. Targets: every
 * structural edit caught, at least 90% of the free-text ones, no false positive.
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { tailorLocally } from "./local-engine.ts";
import { adversarialEdits, type EditClass } from "./testing/adversarial-edits.ts";
import { evalPairs, loadPosting, loadResume, resumeFiles } from "./testing/eval-set.ts";
import { verifyGrounding } from "./verify-grounding/index.ts";

const edits = resumeFiles().flatMap((file) => adversarialEdits(file, loadResume(file)));

test("the adversarial set: every structural edit caught, ≥ 90% of the free-text ones", () => {
  assert.ok(edits.length >= 50, `only ${edits.length} edits`);
  const tally = new Map<string, { caught: number; total: number }>();
  const count = (key: string, caught: boolean): void => {
    const t = tally.get(key) ?? { caught: 0, total: 0 };
    t.total++;
    if (caught) t.caught++;
    tally.set(key, t);
  };
  const missed: string[] = [];
  for (const edit of edits) {
    const caught = !verifyGrounding(loadResume(edit.cv), edit.resume, []).passed;
    count(edit.class, caught);
    count(`${edit.class} / ${edit.kind}`, caught);
    if (!caught) missed.push(`${edit.cv}: ${edit.kind}`);
  }
  const share = (key: string): number => {
    const t = tally.get(key)!;
    return t.caught / t.total;
  };
  const lines = [...tally.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(
      ([key, t]) =>
        `  ${key.padEnd(48)} ${String(t.caught).padStart(3)}/${String(t.total).padEnd(3)} ${(100 * (t.caught / t.total)).toFixed(1)}%`,
    );
  console.log(`adversarial set: ${edits.length} edits of ${resumeFiles().length} eval CVs\n${lines.join("\n")}`);
  if (missed.length > 0) console.log(`missed:\n  ${missed.join("\n  ")}`);
  const classes: EditClass[] = ["structural", "free-text"];
  for (const c of classes) assert.ok(tally.has(c), `no ${c} edits`);
  assert.is(share("structural"), 1, `structural: ${missed.join("; ")}`);
  assert.ok(share("free-text") >= 0.9, `free-text ${share("free-text")}`);
});

test("no false positive: each eval CV against itself, and the local engine's output for every pair", () => {
  let checked = 0;
  for (const file of resumeFiles()) {
    const cv = loadResume(file);
    assert.equal(verifyGrounding(cv, cv, []).violations, [], `${file} against itself`);
    checked++;
  }
  for (const pair of evalPairs()) {
    const cv = loadResume(pair.resume);
    const tailored = tailorLocally({ cv, posting: loadPosting(pair.jobJson), options: {} });
    assert.equal(verifyGrounding(cv, tailored, []).violations, [], `${pair.resume} × ${pair.jobJson}`);
    checked++;
  }
  console.log(`false positives: 0 of ${checked} untouched CVs and local-engine outputs`);
});

test("the set is deterministic: the same edits on every run", () => {
  const again = resumeFiles().flatMap((file) => adversarialEdits(file, loadResume(file)));
  assert.equal(JSON.stringify(again), JSON.stringify(edits));
});

test.run();
