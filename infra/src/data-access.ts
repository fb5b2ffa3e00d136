/**
 * Grants on the stateful resources, written out instead of aws-cdk-lib's
 * `grant*` helpers so no statement carries a wildcard it does not need:
 * DynamoDB indexes are named from the topology (no `index/*`), and S3 access
 * is object get/put (no deletes: the lifecycle expires) plus ListBucket on the
 * bucket itself, which HeadBucket — the ingress health check — requires.
 */
import type { IndexSpec } from "@cvpipe/core/topology";
import { Aws, Validations } from "aws-cdk-lib";
import type * as dynamodb from "aws-cdk-lib/aws-dynamodb";
import * as iam from "aws-cdk-lib/aws-iam";

const READ = [
  "dynamodb:GetItem",
  "dynamodb:BatchGetItem",
  "dynamodb:Query",
  "dynamodb:Scan",
  "dynamodb:ConditionCheckItem",
  "dynamodb:DescribeTable",
];
const WRITE = ["dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem", "dynamodb:BatchWriteItem"];

export const grantTable = (
  role: iam.Role,
  table: dynamodb.Table,
  indexes: readonly IndexSpec[],
  access: "read" | "readWrite",
): void => {
  role.addToPrincipalPolicy(
    new iam.PolicyStatement({
      actions: access === "read" ? READ : [...READ, ...WRITE],
      resources: [table.tableArn, ...indexes.map((index) => `${table.tableArn}/index/${index.name}`)],
    }),
  );
};

/**
 * Object access to the payload bucket. The ARN is built from the bucket's
 * deterministic name (the same function names the bucket), not from a
 * cross-stack token, so the one unavoidable wildcard (`/*`: object keys are
 * job ids) can be acknowledged by its exact finding id.
 */
export const grantObjects = (role: iam.Role, bucketName: string): void => {
  const objects = `arn:${Aws.PARTITION}:s3:::${bucketName}/*`;
  role.addToPrincipalPolicy(
    new iam.PolicyStatement({ actions: ["s3:GetObject", "s3:PutObject"], resources: [objects] }),
  );
  role.addToPrincipalPolicy(
    new iam.PolicyStatement({ actions: ["s3:ListBucket"], resources: [`arn:${Aws.PARTITION}:s3:::${bucketName}`] }),
  );
  Validations.of(role).acknowledge({
    id: `AwsSolutions-IAM5[Resource::${nagForm(objects)}]`,
    reason:
      "Object keys are per job (claim checks and large results), so the statement names every object of this one " +
      "bucket; actions are only GetObject and PutObject.",
  });
};

/** cdk-nag's rendering of pseudo parameters in a finding id: `${AWS::Region}` → `<AWS::Region>`. */
const nagForm = (arn: string): string =>
  arn
    .replaceAll(Aws.PARTITION, "<AWS::Partition>")
    .replaceAll(Aws.ACCOUNT_ID, "<AWS::AccountId>")
    .replaceAll(Aws.REGION, "<AWS::Region>");
