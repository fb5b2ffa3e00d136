/**
 * Everything that holds data beyond one deployment: the DynamoDB tables and
 * the payload bucket, one per topology entry. Retained on stack deletion and
 * kept apart from the service stack so that stack can be destroyed and
 * redeployed freely.
 */
import { type TableId, type TableSpec, topology } from "@cvpipe/core/topology";
import { CfnOutput, Duration, RemovalPolicy, Stack, type StackProps, Validations } from "aws-cdk-lib";
import * as dynamodb from "aws-cdk-lib/aws-dynamodb";
import * as s3 from "aws-cdk-lib/aws-s3";
import type { Construct } from "constructs";
import type { Config } from "./config.ts";
import { outputId } from "./outputs.ts";
import { stagedBucketName, stagedName } from "./physical-names.ts";

export type PayloadBucketId = keyof typeof topology.buckets;

export interface StatefulStackProps extends StackProps {
  readonly config: Config;
}

const attribute = (key: { name: string; type: "S" | "N" }): dynamodb.Attribute => ({
  name: key.name,
  type: key.type === "S" ? dynamodb.AttributeType.STRING : dynamodb.AttributeType.NUMBER,
});

export class StatefulStack extends Stack {
  readonly tables: Record<TableId, dynamodb.Table>;
  readonly buckets: Record<PayloadBucketId, s3.Bucket>;

  constructor(scope: Construct, id: string, props: StatefulStackProps) {
    super(scope, id, props);
    const { stage } = props.config;

    const entries = Object.values(topology.tables) as TableSpec[];
    this.tables = Object.fromEntries(entries.map((spec) => [spec.id, this.table(spec, stage)])) as Record<
      TableId,
      dynamodb.Table
    >;

    const accessLogs = new s3.Bucket(this, "AccessLogs", {
      encryption: s3.BucketEncryption.S3_MANAGED, // log delivery cannot write to SSE-KMS buckets
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      lifecycleRules: [{ expiration: Duration.days(90) }],
      removalPolicy: RemovalPolicy.RETAIN,
    });
    Validations.of(accessLogs).acknowledge({
      id: "AwsSolutions-S1",
      reason: "This is the server access log destination itself; logging it would log its own log deliveries.",
    });

    const payloads = topology.buckets.payloads;
    const bucket = new s3.Bucket(this, "PayloadsBucket", {
      bucketName: stagedBucketName(payloads.name, stage),
      encryption: s3.BucketEncryption.S3_MANAGED,
      versioned: true,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      // aws-cdk-lib's own d.ts do not satisfy exactOptionalPropertyTypes (Bucket vs IBucket).
      serverAccessLogsBucket: accessLogs as s3.IBucket,
      serverAccessLogsPrefix: `${payloads.name}/`,
      lifecycleRules: [
        {
          id: "expire-payloads",
          expiration: Duration.days(payloads.expireAfterDays),
          // Claim-checked requests hold CVs: an overwritten or expired version must not linger.
          noncurrentVersionExpiration: Duration.days(1),
          abortIncompleteMultipartUploadAfter: Duration.days(1),
        },
        { id: "remove-expired-delete-markers", expiredObjectDeleteMarker: true },
      ],
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.buckets = { payloads: bucket };

    for (const spec of entries) {
      new CfnOutput(this, outputId(spec.id, "TableName"), {
        value: this.tables[spec.id].tableName,
        description: `DynamoDB table "${spec.id}"`,
      });
    }
    new CfnOutput(this, outputId(payloads.id, "BucketName"), {
      value: bucket.bucketName,
      description: 'S3 bucket "payloads" (claim checks and large results)',
    });
  }

  private table(spec: TableSpec, stage: string): dynamodb.Table {
    const table = new dynamodb.Table(this, outputId(spec.id, "Table"), {
      tableName: stagedName(spec.name, stage),
      partitionKey: attribute(spec.partitionKey),
      ...(spec.sortKey ? { sortKey: attribute(spec.sortKey) } : {}),
      ...(spec.ttlAttribute ? { timeToLiveAttribute: spec.ttlAttribute } : {}),
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      encryption: dynamodb.TableEncryption.AWS_MANAGED,
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    for (const index of spec.indexes) {
      table.addGlobalSecondaryIndex({
        indexName: index.name,
        partitionKey: attribute(index.partitionKey),
        sortKey: attribute(index.sortKey),
        projectionType: dynamodb.ProjectionType.ALL,
      });
    }
    return table;
  }
}
