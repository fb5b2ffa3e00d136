/** Every item a Query matches, page after page (the reads a user's deletion makes: a few small attributes each). */
import { type DynamoDBDocumentClient, QueryCommand, type QueryCommandInput } from "@aws-sdk/lib-dynamodb";
import { dependencyFailure } from "./aws-errors.ts";

export const queryAll = async (
  db: DynamoDBDocumentClient,
  input: Omit<QueryCommandInput, "ExclusiveStartKey">,
  what: string,
): Promise<Record<string, unknown>[]> => {
  const items: Record<string, unknown>[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    try {
      const out = await db.send(new QueryCommand({ ...input, ...(start ? { ExclusiveStartKey: start } : {}) }));
      items.push(...(out.Items ?? []));
      start = out.LastEvaluatedKey;
    } catch (error) {
      throw dependencyFailure(`DynamoDB Query (${what})`, error);
    }
  } while (start);
  return items;
};
