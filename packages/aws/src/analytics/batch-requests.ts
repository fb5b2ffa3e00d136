/**
 * BatchGetItem and BatchWriteItem over any number of items: chunks of 100
 * keys / 25 writes, and what DynamoDB leaves unprocessed (throttling, the
 * 16 MB answer limit) asked again with backoff. A chunk still unprocessed
 * after the last attempt is a retryable DependencyError naming the operation.
 */
import {
  BatchGetCommand,
  type BatchGetCommandOutput,
  BatchWriteCommand,
  type DynamoDBDocumentClient,
} from "@aws-sdk/lib-dynamodb";
import { dependencyFailure } from "../aws-errors.ts";

const GET_CHUNK = 100;
const WRITE_CHUNK = 25;
const ATTEMPTS = 6;
const backoff = (attempt: number): Promise<void> => new Promise((r) => setTimeout(r, 25 * 2 ** attempt));

const chunks = <T>(items: readonly T[], size: number): T[][] => {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
};

export interface BatchGetOptions {
  /** Attributes to read (names, for ExpressionAttributeNames); every attribute when absent. */
  readonly attributes?: readonly string[];
}

/** The items found under `keys` (strongly consistent reads), in no particular order; absent keys are left out. */
export const batchGet = async (
  db: DynamoDBDocumentClient,
  table: string,
  keys: readonly Record<string, unknown>[],
  options: BatchGetOptions,
  operation: string,
): Promise<Record<string, unknown>[]> => {
  const projection = options.attributes
    ? {
        ProjectionExpression: options.attributes.map((_, i) => `#a${i}`).join(", "),
        ExpressionAttributeNames: Object.fromEntries(options.attributes.map((a, i) => [`#a${i}`, a])),
      }
    : {};
  const found: Record<string, unknown>[] = [];
  await Promise.all(
    chunks(keys, GET_CHUNK).map(async (chunk) => {
      let todo: Record<string, unknown>[] = chunk;
      for (let attempt = 0; todo.length > 0; attempt++) {
        if (attempt >= ATTEMPTS) throw dependencyFailure(operation, new Error(`${todo.length} keys left unprocessed`));
        if (attempt > 0) await backoff(attempt);
        let out: BatchGetCommandOutput;
        try {
          out = await db.send(
            new BatchGetCommand({ RequestItems: { [table]: { Keys: todo, ConsistentRead: true, ...projection } } }),
          );
        } catch (error) {
          throw dependencyFailure(operation, error);
        }
        found.push(...(out.Responses?.[table] ?? []));
        todo = out.UnprocessedKeys?.[table]?.Keys ?? [];
      }
    }),
  );
  return found;
};

/** Puts every item (unconditionally: BatchWriteItem has no conditions); resolves once all are durable. */
export const batchWrite = async (
  db: DynamoDBDocumentClient,
  table: string,
  items: readonly Record<string, unknown>[],
  operation: string,
): Promise<void> => {
  await Promise.all(
    chunks(items, WRITE_CHUNK).map(async (chunk) => {
      let todo: { PutRequest: { Item: Record<string, unknown> } }[] = chunk.map((Item) => ({ PutRequest: { Item } }));
      for (let attempt = 0; todo.length > 0; attempt++) {
        if (attempt >= ATTEMPTS)
          throw dependencyFailure(operation, new Error(`${todo.length} writes left unprocessed`));
        if (attempt > 0) await backoff(attempt);
        let unprocessed: typeof todo;
        try {
          const out = await db.send(new BatchWriteCommand({ RequestItems: { [table]: todo } }));
          unprocessed = (out.UnprocessedItems?.[table] ?? []) as typeof todo;
        } catch (error) {
          throw dependencyFailure(operation, error);
        }
        todo = unprocessed;
      }
    }),
  );
};
