/**
 * Every alarm the CDK app creates has a row in RUNBOOK.md's alarm table (what
 * it means, the first command, the fix), and every row there names an alarm
 * that exists: an alarm added without a runbook row, or a row left behind by
 * a removed alarm, fails here.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { Template } from "aws-cdk-lib/assertions";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { repoRoot } from "../src/paths.ts";
import { buildTestApp } from "./build-app.ts";
import { resourcesOf } from "./template-query.ts";

const STAGE = "rbstage";
/** The heading of RUNBOOK.md's alarm table; its rows run until the next heading. */
const ALARM_TABLE_HEADING = "### Every alarm: what it means, the first command, the fix";

const { stateful, service } = buildTestApp({ stage: STAGE });

/** Every AlarmName in both templates, with the stage written as the runbook writes it. */
const alarmNames = [stateful, service]
  .flatMap((stack) => Object.values(resourcesOf(Template.fromStack(stack), "AWS::CloudWatch::Alarm")))
  .map((alarm) => {
    const name = alarm.Properties?.["AlarmName"];
    if (typeof name !== "string") throw new Error(`an alarm without a literal AlarmName: ${JSON.stringify(name)}`);
    return name.replace(`cvpipe-${STAGE}-`, "cvpipe-<stage>-");
  })
  .sort();

const runbook = readFileSync(join(repoRoot, "RUNBOOK.md"), "utf8").split("\n");

/** The alarm names in the first cell of each row of the alarm table. */
const rowNames = (): string[] => {
  const start = runbook.indexOf(ALARM_TABLE_HEADING);
  assert.ok(start >= 0, `RUNBOOK.md has no heading "${ALARM_TABLE_HEADING}"`);
  const names: string[] = [];
  for (const line of runbook.slice(start + 1)) {
    if (line.startsWith("#")) break;
    if (!line.startsWith("|")) continue;
    const firstCell = line.split("|")[1] ?? "";
    for (const m of firstCell.matchAll(/`(cvpipe-<stage>-[A-Za-z0-9-]+)`/g)) names.push(m[1]!);
  }
  return names;
};

test("the app creates alarms, all named cvpipe-<stage>-…", () => {
  assert.ok(alarmNames.length > 0);
  for (const name of alarmNames) assert.match(name, /^cvpipe-<stage>-[A-Za-z0-9-]+$/);
});

test("every alarm of the app has a row in RUNBOOK.md's alarm table", () => {
  const rows = new Set(rowNames());
  const missing = alarmNames.filter((name) => !rows.has(name));
  assert.equal(missing, [], `RUNBOOK.md has no alarm row for: ${missing.join(", ")}`);
});

test("every row of the alarm table names an alarm the app creates, once", () => {
  const names = rowNames();
  const unknown = names.filter((name) => !alarmNames.includes(name));
  assert.equal(unknown, [], `RUNBOOK.md's alarm table names alarms the app does not create: ${unknown.join(", ")}`);
  const repeated = names.filter((name, i) => names.indexOf(name) !== i);
  assert.equal(repeated, [], `rows named twice: ${repeated.join(", ")}`);
});

test.run();
