/**
 * Tenant encryption (issue 13 §8): one rotating customer managed key
 * encrypts every table and both data buckets (per object, no bucket key); the
 * functions that hold objects write them SSE-KMS with it (DATA_KEY_ARN) and
 * may use it through S3 only under a tenant encryption context; every
 * function may use it through DynamoDB for its own tables only; and the key
 * policy denies object use to every principal but those functions' roles.
 */
import { type FunctionId, functionResources, SETTING, type TableSpec, topology } from "@cvpipe/core/topology";
import { Template } from "aws-cdk-lib/assertions";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { functionRoleName, stagedName } from "../src/physical-names.ts";
import { buildTestApp } from "./build-app.ts";
import { asList, identityStatements, prop, resourcesOf, type Statement } from "./template-query.ts";

const STAGE = "qa";
const { stateful, service } = buildTestApp({ stage: STAGE });
const data = Template.fromStack(stateful);
const svc = Template.fromStack(service);

const keys = resourcesOf(data, "AWS::KMS::Key");
const [keyId, key] = Object.entries(keys)[0]!;
const keyArn = { "Fn::GetAtt": [keyId, "Arn"] };
const functionIds = Object.keys(functionResources) as FunctionId[];
const objectFunctions = functionIds.filter((id) => functionResources[id].buckets.length > 0);
const json = (value: unknown): string => JSON.stringify(value) ?? "";

test("one customer managed key, rotating, retained, with an alias naming the stage", () => {
  assert.is(Object.keys(keys).length, 1);
  assert.is(key.Properties?.["EnableKeyRotation"], true);
  assert.is(key.DeletionPolicy, "Retain");
  data.hasResourceProperties("AWS::KMS::Alias", { AliasName: `alias/cvpipe-${STAGE}-data`, TargetKeyId: keyArn });
});

test("every table is encrypted with the key", () => {
  const tables = Object.values(resourcesOf(data, "AWS::DynamoDB::Table"));
  assert.is(tables.length, Object.keys(topology.tables).length);
  for (const table of tables) {
    assert.equal(table.Properties?.["SSESpecification"], { SSEEnabled: true, SSEType: "KMS", KMSMasterKeyId: keyArn });
  }
});

test("both data buckets default to SSE-KMS with the key and no bucket key; the access log bucket stays SSE-S3", () => {
  const buckets = Object.values(resourcesOf(data, "AWS::S3::Bucket"));
  for (const spec of Object.values(topology.buckets)) {
    const bucket = buckets.find((b) => json(b.Properties?.["BucketName"]).includes(stagedName(spec.name, STAGE)));
    assert.ok(bucket, spec.id);
    assert.equal(bucket.Properties?.["BucketEncryption"], {
      ServerSideEncryptionConfiguration: [
        { BucketKeyEnabled: false, ServerSideEncryptionByDefault: { SSEAlgorithm: "aws:kms", KMSMasterKeyID: keyArn } },
      ],
    });
  }
  const kmsBuckets = buckets.filter((b) => json(b.Properties?.["BucketEncryption"]).includes("aws:kms"));
  assert.is(kmsBuckets.length, Object.keys(topology.buckets).length, "log delivery cannot write SSE-KMS");
});

test("key policy: the account administers it; use through S3 is denied to all but the object functions' roles", () => {
  const statements = prop<{ Statement: Array<Statement & { Principal: unknown }> }>(key, "KeyPolicy").Statement;
  assert.is(statements.length, 2);
  const [admin, deny] = statements;
  assert.is(admin!.Effect, "Allow");
  assert.is(admin!.Action, "kms:*");
  assert.match(json(admin!.Principal), ":root");
  assert.is(deny!.Effect, "Deny");
  assert.equal(deny!.Principal, { AWS: "*" });
  for (const action of ["kms:Decrypt", "kms:GenerateDataKey", "kms:Encrypt"]) {
    assert.ok(asList(deny!.Action).includes(action), action);
  }
  const condition = deny!.Condition as {
    StringEquals: Record<string, unknown>;
    ArnNotEquals: { "aws:PrincipalArn": unknown[] };
  };
  assert.match(json(condition.StringEquals["kms:ViaService"]), '"s3."');
  const allowed = condition.ArnNotEquals["aws:PrincipalArn"].map(json);
  assert.is(allowed.length, objectFunctions.length);
  for (const id of objectFunctions) {
    assert.ok(
      allowed.some((arn) => arn.includes(`:role/${functionRoleName(id, STAGE)}"`)),
      `${id} may use the key through S3`,
    );
  }
});

test("each function's role carries the name the key policy names it by", () => {
  const roles = Object.values(resourcesOf(svc, "AWS::IAM::Role")).map((r) => r.Properties?.["RoleName"]);
  for (const id of functionIds) assert.ok(roles.includes(functionRoleName(id, STAGE)), id);
});

/** The data key statements of one function's role, by the service they go through. */
const keyStatements = (id: FunctionId) => {
  const roleId = Object.entries(resourcesOf(svc, "AWS::IAM::Role")).find(
    ([, r]) => r.Properties?.["RoleName"] === functionRoleName(id, STAGE),
  )![0];
  const policyIds = Object.entries(resourcesOf(svc, "AWS::IAM::Policy"))
    .filter(([, p]) => json(p.Properties?.["Roles"]).includes(`"${roleId}"`))
    .map(([pid]) => pid);
  const kms = identityStatements(svc)
    .filter((s) => policyIds.includes(s.owner) && asList(s.statement.Action).some((a) => a.startsWith("kms:")))
    .map((s) => s.statement);
  const via = (service: string) => kms.filter((s) => json(s.Condition).includes(`"${service}.`));
  assert.is(via("s3").length + via("dynamodb").length, kms.length, `${id}: every key statement names its service`);
  for (const s of kms) assert.match(json(s.Resource), "DataKey", `${id}: the data key, not *`);
  return { s3: via("s3"), dynamodb: via("dynamodb") };
};

test("object functions: exactly Decrypt and GenerateDataKey through S3, only under a tenant encryption context", () => {
  for (const id of functionIds) {
    const { s3 } = keyStatements(id);
    if (!objectFunctions.includes(id)) {
      assert.is(s3.length, 0, `${id} holds no objects: no key use through S3`);
      continue;
    }
    assert.is(s3.length, 1, id);
    assert.equal(asList(s3[0]!.Action).sort(), ["kms:Decrypt", "kms:GenerateDataKey"]);
    assert.equal((s3[0]!.Condition as Record<string, unknown>)["ForAnyValue:StringEquals"], {
      "kms:EncryptionContextKeys": ["tenantId"],
    });
  }
});

test("table use: through DynamoDB, for the function's own tables; data keys only where it writes", () => {
  for (const id of functionIds) {
    const { dynamodb } = keyStatements(id);
    const own = functionResources[id].tables.map((t) => stagedName((topology.tables[t] as TableSpec).name, STAGE));
    const crypto = dynamodb.filter((s) => asList(s.Action).includes("kms:Decrypt"));
    const named = crypto.flatMap(
      (s) =>
        (s.Condition as { StringEquals: Record<string, string[]> }).StringEquals[
          "kms:EncryptionContext:aws:dynamodb:tableName"
        ] ?? [],
    );
    assert.equal(named.sort(), [...own].sort(), `${id}: its tables and no other`);
    for (const s of crypto) {
      const actions = asList(s.Action).sort();
      const readOnly = actions.length === 1;
      assert.equal(actions, readOnly ? ["kms:Decrypt"] : ["kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey"], id);
    }
    const describe = dynamodb.filter((s) => !asList(s.Action).includes("kms:Decrypt"));
    assert.equal(
      describe.map((s) => s.Action),
      ["kms:DescribeKey"],
      id,
    );
  }
  // The reporter only reads the aggregates: no data keys for that table.
  const reporter = keyStatements("reporter").dynamodb.find((s) => json(s.Condition).includes("aggregates"))!;
  assert.equal(asList(reporter.Action), ["kms:Decrypt"]);
});

test("DATA_KEY_ARN is set on exactly the functions that write objects, to the key's ARN", () => {
  const functions = resourcesOf(svc, "AWS::Lambda::Function");
  for (const id of functionIds) {
    const fn = Object.entries(functions).find(([logicalId]) =>
      logicalId.startsWith(`${id[0]!.toUpperCase()}${id.slice(1)}Function`),
    )![1];
    const env = prop<{ Variables: Record<string, unknown> }>(fn, "Environment").Variables;
    if (objectFunctions.includes(id)) assert.match(json(env[SETTING.dataKeyArn]), "DataKey", id);
    else assert.is(env[SETTING.dataKeyArn], undefined, id);
  }
});

test.run();
