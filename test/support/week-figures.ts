/** A week's aggregates as the report reads them, straight from the stack's aggregates table (read at `at`). */
import { DynamoAggregateStore } from "@cvpipe/aws/analytics/dynamo-aggregate-store";
import { createDocumentClient } from "@cvpipe/aws/clients";
import { mergeAggregates } from "@cvpipe/core/analytics/aggregate";
import type { IsoWeek } from "@cvpipe/core/analytics/iso-week";
import { tables } from "@cvpipe/core/topology";

export const weekFigures = async (week: IsoWeek, at: Date) =>
  mergeAggregates(
    week,
    await new DynamoAggregateStore(createDocumentClient(), {
      tableName: tables.aggregates.name,
      clock: { now: () => at },
    }).readWeek(week),
  );
