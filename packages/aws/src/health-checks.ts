import { DescribeTableCommand, type DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { HeadBucketCommand, type S3Client } from "@aws-sdk/client-s3";
import { GetQueueAttributesCommand, type SQSClient } from "@aws-sdk/client-sqs";

/** Resolves when the table exists and answers; rejects with the SDK's error otherwise. */
export const tableReachable = async (db: DynamoDBClient, table: string): Promise<void> => {
  await db.send(new DescribeTableCommand({ TableName: table }));
};

export const bucketReachable = async (s3: S3Client, bucket: string): Promise<void> => {
  await s3.send(new HeadBucketCommand({ Bucket: bucket }));
};

export const queueReachable = async (sqs: SQSClient, queueUrl: string): Promise<void> => {
  await sqs.send(new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ["QueueArn"] }));
};
