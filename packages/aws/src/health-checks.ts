import { DescribeTableCommand, type DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { GetQueueAttributesCommand, type SQSClient } from "@aws-sdk/client-sqs";

/** Resolves when the table exists and answers; rejects with the SDK's error otherwise. */
export const tableReachable = async (db: DynamoDBClient, table: string): Promise<void> => {
  await db.send(new DescribeTableCommand({ TableName: table }));
};

export const queueReachable = async (sqs: SQSClient, queueUrl: string): Promise<void> => {
  await sqs.send(new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ["QueueArn"] }));
};
