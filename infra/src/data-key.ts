/**
 * The data key: one customer managed KMS key for the tables and both
 * buckets, and who may use it.
 *
 * Key policy (stateful stack): the account root may do everything — without
 * it the key could become unmanageable, and it is what lets IAM policies
 * grant use at all — and nobody but the functions that read or write the
 * buckets may use the key through S3: a Deny for every other principal,
 * named by role ARN. The roles live in the service stack, deployed after this
 * one, so they are named by their deterministic names (physical-names.ts),
 * matched on `aws:PrincipalArn` (a key policy's Principal must exist when the
 * policy is put; a condition need not). Table use through DynamoDB is not
 * denied to others: CloudFormation (creating and updating the tables) and
 * DynamoDB's backups use the key through DynamoDB as well.
 *
 * Identity policies (service stack, from the topology's functionResources):
 * a function that touches a bucket may Decrypt (GetObject, presigned GETs it
 * signs) and GenerateDataKey (PutObject) through S3 only, and only under an
 * encryption context holding the tenant id — a write without it is refused.
 * A function that touches tables may use the key through DynamoDB only, for
 * its own tables (DynamoDB's encryption context names the table).
 */
import { type FunctionId, functionResources, stagePrefix, TENANT_ENCRYPTION_CONTEXT_KEY } from "@cvpipe/core/topology";
import { Aws, Duration, RemovalPolicy } from "aws-cdk-lib";
import * as iam from "aws-cdk-lib/aws-iam";
import * as kms from "aws-cdk-lib/aws-kms";
import type { Construct } from "constructs";
import { functionRoleName } from "./physical-names.ts";

/** What S3 asks KMS for on a reader's and a writer's behalf (single-part PutObject, GetObject). */
export const OBJECT_KEY_ACTIONS = ["kms:Decrypt", "kms:GenerateDataKey"] as const;
/** What DynamoDB asks KMS for on a caller's behalf, under the table's encryption context; a reader needs no data keys. */
export const TABLE_KEY_ACTIONS = {
  read: ["kms:Decrypt"],
  readWrite: ["kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey"],
} as const;
/** Every use of key material through S3, denied to all but the object functions. */
const OBJECT_USE_DENIED = [
  "kms:Decrypt",
  "kms:Encrypt",
  "kms:GenerateDataKey",
  "kms:GenerateDataKeyWithoutPlaintext",
  "kms:ReEncryptFrom",
  "kms:ReEncryptTo",
];

const viaService = (service: "s3" | "dynamodb"): string => `${service}.${Aws.REGION}.amazonaws.com`;

/** Functions whose functionResources name a bucket: the only principals that may use the key through S3. */
export const objectFunctions = (): FunctionId[] =>
  (Object.keys(functionResources) as FunctionId[]).filter((id) => functionResources[id].buckets.length > 0);

export const functionRoleArn = (id: FunctionId, stage: string): string =>
  `arn:${Aws.PARTITION}:iam::${Aws.ACCOUNT_ID}:role/${functionRoleName(id, stage)}`;

export const createDataKey = (scope: Construct, stage: string): kms.Key => {
  const policy = new iam.PolicyDocument({
    statements: [
      new iam.PolicyStatement({
        sid: "AccountAdministersKeyAndDelegatesToIam",
        principals: [new iam.AccountRootPrincipal()],
        actions: ["kms:*"],
        resources: ["*"],
      }),
      new iam.PolicyStatement({
        sid: "ObjectsOnlyForTheFunctionsThatHoldThem",
        effect: iam.Effect.DENY,
        principals: [new iam.AnyPrincipal()],
        actions: OBJECT_USE_DENIED,
        resources: ["*"],
        conditions: {
          StringEquals: { "kms:ViaService": viaService("s3") },
          ArnNotEquals: { "aws:PrincipalArn": objectFunctions().map((id) => functionRoleArn(id, stage)) },
        },
      }),
    ],
  });
  return new kms.Key(scope, "DataKey", {
    description: `cvpipe ${stage}: tables, payload and CV buckets (objects carry their tenant as encryption context)`,
    alias: `alias/${stagePrefix(stage)}-data`,
    enableKeyRotation: true,
    policy,
    // Every table and object is unreadable without it: never deleted with the stack.
    removalPolicy: RemovalPolicy.RETAIN,
    pendingWindow: Duration.days(30),
  });
};

/** Object use of the data key: through S3, for objects written with a tenant in their encryption context. */
export const grantObjectKey = (role: iam.Role, key: kms.IKey): void => {
  role.addToPrincipalPolicy(
    new iam.PolicyStatement({
      actions: [...OBJECT_KEY_ACTIONS],
      resources: [key.keyArn],
      conditions: {
        StringEquals: { "kms:ViaService": viaService("s3") },
        "ForAnyValue:StringEquals": { "kms:EncryptionContextKeys": [TENANT_ENCRYPTION_CONTEXT_KEY] },
      },
    }),
  );
};

/**
 * Table use of the data key: through DynamoDB, for the named tables only (DynamoDB's encryption context
 * names the table on every cryptographic call). DescribeKey carries no context, and no key material: it is
 * granted through DynamoDB alone, as aws-cdk-lib's table grants do.
 */
export const grantTableKey = (
  role: iam.Role,
  key: kms.IKey,
  tables: ReadonlyArray<{ readonly name: string; readonly access: "read" | "readWrite" }>,
): void => {
  for (const access of ["read", "readWrite"] as const) {
    const names = tables.filter((t) => t.access === access).map((t) => t.name);
    if (names.length === 0) continue;
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: [...TABLE_KEY_ACTIONS[access]],
        resources: [key.keyArn],
        conditions: {
          StringEquals: {
            "kms:ViaService": viaService("dynamodb"),
            "kms:EncryptionContext:aws:dynamodb:tableName": names,
          },
        },
      }),
    );
  }
  if (tables.length > 0) {
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ["kms:DescribeKey"],
        resources: [key.keyArn],
        conditions: { StringEquals: { "kms:ViaService": viaService("dynamodb") } },
      }),
    );
  }
};
