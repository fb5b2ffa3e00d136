/**
 * Issue 9 item 1 on AWS: the ingress's id secret is a Secrets Manager secret
 * that CloudFormation generates in the stateful stack (retained: a new secret
 * would change every job id derived from an Idempotency-Key), and only the
 * ingress may read it — by ARN, from ID_SECRET_ARN.
 */
import { SETTING } from "@cvpipe/core/topology";
import { Template } from "aws-cdk-lib/assertions";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { buildTestApp } from "./build-app.ts";
import { asList, identityStatements, resourcesOf } from "./template-query.ts";

const { stateful, service } = buildTestApp({ stage: "qa" });
const data = Template.fromStack(stateful);
const svc = Template.fromStack(service);

test("one generated secret in the stateful stack, retained, never written into the template", () => {
  const secrets = resourcesOf(data, "AWS::SecretsManager::Secret");
  assert.is(Object.keys(secrets).length, 1);
  const [secret] = Object.values(secrets);
  assert.is(secret!.DeletionPolicy, "Retain");
  assert.is(secret!.UpdateReplacePolicy, "Retain");
  const generate = secret!.Properties?.["GenerateSecretString"] as {
    PasswordLength: number;
    ExcludePunctuation: boolean;
  };
  assert.ok(generate.PasswordLength >= 32, "at least the length the ingress accepts");
  assert.is(generate.ExcludePunctuation, true);
  assert.is(secret!.Properties?.["SecretString"], undefined, "no value in the template");
  assert.equal(Object.keys(resourcesOf(svc, "AWS::SecretsManager::Secret")), []);
});

test("the ingress gets ID_SECRET_ARN and may read that secret; no other function may", () => {
  const [secretId] = Object.keys(resourcesOf(data, "AWS::SecretsManager::Secret"));
  const functions = resourcesOf(svc, "AWS::Lambda::Function");
  const withArn = Object.entries(functions).filter(([, f]) => {
    const environment = f.Properties?.["Environment"] as { Variables: Record<string, unknown> } | undefined;
    return environment?.Variables[SETTING.idSecretArn] !== undefined;
  });
  assert.equal(
    withArn.map(([id]) => id.replace(/Function.*/, "")),
    ["Ingress"],
  );
  const readers = identityStatements(svc).filter(({ statement }) =>
    asList(statement.Action).includes("secretsmanager:GetSecretValue"),
  );
  assert.is(readers.length, 1);
  assert.match(readers[0]!.owner, /^IngressFunctionRole/);
  // A cross-stack reference to the stateful stack's secret (its ARN, no wildcard).
  const resource = JSON.stringify(readers[0]!.statement.Resource);
  assert.not.match(resource, /\*/);
  assert.match(resource, new RegExp(`cvpipe-qa-stateful.*${secretId}`), resource);
});

test.run();
