/**
 * The openai engine on AWS: the tailor gets OPENAI_BASE_URL, OPENAI_MODEL and
 * the name of the secret holding the key — never the key — and may read that
 * secret, nothing else may; bad context fails synth by key name.
 */
import { ConfigError } from "@cvpipe/core/errors";
import { SETTING } from "@cvpipe/core/topology";
import { Template } from "aws-cdk-lib/assertions";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { buildTestApp } from "./build-app.ts";
import { asList, identityStatements, resourcesOf } from "./template-query.ts";

const KEY_ARN = "arn:aws:secretsmanager:us-east-1:123456789012:secret:cvpipe/openai-key-AbCdEf";

const environments = (template: Template): Record<string, Record<string, unknown>> =>
  Object.fromEntries(
    Object.entries(resourcesOf(template, "AWS::Lambda::Function")).map(([id, f]) => [
      id.replace(/Function.*/, ""),
      (f.Properties?.["Environment"] as { Variables: Record<string, unknown> } | undefined)?.Variables ?? {},
    ]),
  );

test("with openai context: the tailor's settings name the secret, not the key, and only the tailor may read it", () => {
  const { service } = buildTestApp({
    openaiBaseUrl: "https://llm.internal.example.com/v1",
    openaiModel: "llama3.1:70b",
    openaiApiKeySecretArn: KEY_ARN,
  });
  const svc = Template.fromStack(service);
  const env = environments(svc);
  assert.is(env["Tailor"]?.[SETTING.openaiBaseUrl], "https://llm.internal.example.com/v1");
  assert.is(env["Tailor"]?.[SETTING.openaiModel], "llama3.1:70b");
  assert.is(env["Tailor"]?.[SETTING.openaiApiKeySecretArn], KEY_ARN);
  for (const [fn, variables] of Object.entries(env)) {
    assert.is(variables[SETTING.openaiApiKey], undefined, `${fn}: no key in plain environment`);
    if (fn !== "Tailor") assert.is(variables[SETTING.openaiBaseUrl], undefined, fn);
  }
  const readers = identityStatements(svc).filter(
    ({ statement }) =>
      asList(statement.Action).includes("secretsmanager:GetSecretValue") &&
      JSON.stringify(statement.Resource).includes("openai-key"),
  );
  assert.equal(
    readers.map((r) => r.owner.replace(/Role.*/, "")),
    ["TailorFunction"],
  );
  assert.equal(readers[0]!.statement.Resource, KEY_ARN);
});

test("without it: no openai settings anywhere (the engine is simply not configured)", () => {
  const { service } = buildTestApp();
  for (const [fn, variables] of Object.entries(environments(Template.fromStack(service)))) {
    for (const name of [SETTING.openaiBaseUrl, SETTING.openaiModel, SETTING.openaiApiKeySecretArn]) {
      assert.is(variables[name], undefined, `${fn}: ${name}`);
    }
  }
});

test("bad openai context fails synth naming the key", () => {
  const cases: [Record<string, unknown>, RegExp][] = [
    [
      { openaiBaseUrl: "llm.example.com/v1", openaiModel: "m" },
      /openaiBaseUrl: "llm.example.com\/v1" must be an http\(s\):\/\/ URL/,
    ],
    [{ openaiBaseUrl: "https://llm.example.com/v1" }, /openaiModel: is required with the other/],
    [{ openaiModel: "m" }, /openaiBaseUrl: is required with the other/],
    [
      { openaiBaseUrl: "https://h/v1", openaiModel: "m", openaiApiKeySecretArn: "my-key" },
      /openaiApiKeySecretArn: "my-key" is not a Secrets Manager secret ARN/,
    ],
    [{ defaultEngine: "openai" }, /openaiBaseUrl: is required with defaultEngine openai/],
  ];
  for (const [context, message] of cases) {
    try {
      buildTestApp(context);
      assert.unreachable(JSON.stringify(context));
    } catch (error) {
      assert.instance(error, ConfigError, JSON.stringify(context));
      assert.match((error as Error).message, message, JSON.stringify(context));
    }
  }
});

test.run();
