/**
 * cdk-nag 3 (AwsSolutions) runs as a validation plugin during synth: these
 * tests prove it is wired (an unacknowledged finding fails synth), that the
 * app has no unacknowledged finding in any configuration variant, and that
 * every acknowledgement is one we meant, with a reason.
 */
import { Validations } from "aws-cdk-lib";
import { Annotations, Match, Template } from "aws-cdk-lib/assertions";
import * as sqs from "aws-cdk-lib/aws-sqs";
import { AwsSolutionsChecks } from "cdk-nag";
import type { IConstruct } from "constructs";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { buildTestApp } from "./build-app.ts";
import { asList, identityStatements } from "./template-query.ts";

const assertClean = (overrides: Record<string, unknown> = {}) => {
  const built = buildTestApp(overrides);
  built.app.synth(); // throws ValidationFailed on any unacknowledged finding
  const report = new AwsSolutionsChecks().validateScope(built.app);
  assert.equal(
    report.violations.map((v) => `${v.ruleName} ${v.violatingResources.map((r) => r.constructPath).join(",")}`),
    [],
  );
  for (const stack of [built.stateful, built.service]) {
    assert.equal(Annotations.fromStack(stack).findError("*", Match.anyValue()), [], `${stack.stackName} errors`);
    assert.equal(Annotations.fromStack(stack).findWarning("*", Match.anyValue()), [], `${stack.stackName} warnings`);
  }
  return built;
};

test("the default configuration has no unacknowledged cdk-nag finding, error or warning", () => {
  assertClean();
});

test("a cross-region inference profile is granted through the profile only, and stays nag-clean", () => {
  const modelId = "us.anthropic.claude-3-5-haiku-20241022-v1:0";
  const { service } = assertClean({ bedrockModelId: modelId });
  const invoke = identityStatements(Template.fromStack(service))
    .map((s) => s.statement)
    .filter((s) => asList(s.Action).includes("bedrock:InvokeModel"));
  assert.is(invoke.length, 2);
  const model = invoke.find((s) => JSON.stringify(s.Resource).includes("foundation-model"))!;
  assert.ok(
    JSON.stringify(model.Resource).includes(":bedrock:*::foundation-model/anthropic.claude-3-5-haiku-20241022-v1:0"),
  );
  assert.ok(JSON.stringify(model.Condition).includes("bedrock:InferenceProfileArn"));
});

test("guardrail, domain identity and local engine variants stay nag-clean", () => {
  const { service } = assertClean({
    bedrockGuardrailArn: "arn:aws:bedrock:eu-west-1:123456789012:guardrail/abc123def456",
    sesIdentity: "example.com",
    defaultEngine: "local",
  });
  const statements = identityStatements(Template.fromStack(service)).map((s) => s.statement);
  const guardrail = statements.find((s) => asList(s.Action).includes("bedrock:ApplyGuardrail"));
  assert.is(guardrail?.Resource, "arn:aws:bedrock:eu-west-1:123456789012:guardrail/abc123def456");
  Template.fromStack(service).hasResourceProperties("AWS::SES::EmailIdentity", { EmailIdentity: "example.com" });
});

test("an unacknowledged finding fails synth (the plugin is really registered)", () => {
  const { app, service } = buildTestApp();
  new sqs.Queue(service, "Careless", { encryption: sqs.QueueEncryption.UNENCRYPTED });
  const printed: unknown[] = [];
  const consoleError = console.error;
  console.error = (...args: unknown[]) => printed.push(...args); // the report is expected here; keep it out of the log
  try {
    assert.throws(() => app.synth(), /Validation failed/);
  } finally {
    console.error = consoleError;
  }
  assert.match(printed.join("\n"), /AwsSolutions-SQS4/);
});

test("acknowledgements: exactly the intended ones, each with a specific reason", () => {
  const { app } = buildTestApp();
  const found: string[] = [];
  const walk = (c: IConstruct): void => {
    for (const entry of c.node.metadata) {
      if (entry.type !== Validations.ACKNOWLEDGED_RULES_METADATA_KEY) continue;
      for (const [id, reason] of Object.entries(entry.data as Record<string, string>)) {
        assert.ok(reason.length >= 80, `${c.node.path} ${id}: reason too short`);
        found.push(`${c.node.path} ${id.replace(/^Annotation::/, "")}`);
      }
    }
    for (const child of c.node.children) walk(child);
  };
  walk(app);
  const xray = "AwsSolutions-IAM5[Resource::*]";
  const objectsOf = (bucket: string) =>
    `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:s3:::${bucket}-dev-<AWS::AccountId>-<AWS::Region>/*]`;
  const objects = objectsOf("cvpipe-payloads");
  assert.equal(found.sort(), [
    "Service/Alarms/Topic AwsSolutions-SNS2",
    `Service/AnalyticsFunction/Role ${xray}`,
    `Service/EraserFunction/Role ${xray}`,
    `Service/EraserFunction/Role ${objectsOf("cvpipe-cvs")}`,
    `Service/EraserFunction/Role ${objects}`,
    "Service/Ingress/Api/GET--v1--health AwsSolutions-APIG4",
    "Service/Ingress/Api/GET--v1--openapi.json AwsSolutions-APIG4",
    "Service/Ingress/Api/HEAD--v1--health AwsSolutions-APIG4",
    `Service/IngressFunction/Role ${xray}`,
    `Service/IngressFunction/Role ${objectsOf("cvpipe-cvs")}`,
    `Service/IngressFunction/Role ${objects}`,
    `Service/ReporterFunction/Role ${xray}`,
    `Service/SweeperFunction/Role ${xray}`,
    `Service/TailorFunction/Role ${xray}`,
    `Service/TailorFunction/Role ${objects}`,
    "Stateful/AccessLogs AwsSolutions-S1",
    "Stateful/IdSecret AwsSolutions-SMG4",
  ]);
});

test.run();
