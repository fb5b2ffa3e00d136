import type { CreateTableCommandInput, KeySchemaElement } from "@aws-sdk/client-dynamodb";
import type { KeySpec, TableSpec } from "@cvpipe/core/topology";

const key = (k: KeySpec, type: "HASH" | "RANGE"): KeySchemaElement => ({ AttributeName: k.name, KeyType: type });

/** CreateTable input straight from the topology: keys, GSIs (all attributes projected), on-demand billing. */
export const createTableInput = (spec: TableSpec): CreateTableCommandInput => {
  const definitions = new Map<string, "S" | "N">();
  for (const k of [spec.partitionKey, spec.sortKey, ...spec.indexes.flatMap((i) => [i.partitionKey, i.sortKey])]) {
    if (k) definitions.set(k.name, k.type);
  }
  return {
    TableName: spec.name,
    BillingMode: "PAY_PER_REQUEST",
    AttributeDefinitions: [...definitions].map(([AttributeName, AttributeType]) => ({ AttributeName, AttributeType })),
    KeySchema: [key(spec.partitionKey, "HASH"), ...(spec.sortKey ? [key(spec.sortKey, "RANGE")] : [])],
    ...(spec.indexes.length > 0
      ? {
          GlobalSecondaryIndexes: spec.indexes.map((i) => ({
            IndexName: i.name,
            KeySchema: [key(i.partitionKey, "HASH"), key(i.sortKey, "RANGE")],
            Projection: { ProjectionType: "ALL" },
          })),
        }
      : {}),
  };
};
