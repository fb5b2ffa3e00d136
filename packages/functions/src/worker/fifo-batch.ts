import type { SQSRecord } from "aws-lambda";

/** Marks a record that was not attempted because an earlier record of its group failed. */
export class SkippedAfterGroupFailure extends Error {
  constructor(groupId: string, failedMessageId: string) {
    super(`not processed: message ${failedMessageId} of group ${groupId} failed earlier in this batch`);
    this.name = "SkippedAfterGroupFailure";
  }
}

export type RecordProcessor = (record: SQSRecord) => Promise<void>;

/**
 * Processes a FIFO batch in order. When a record fails, every later record of
 * the same message group is failed too, without being attempted, so the group's
 * order survives redelivery; other groups carry on (Powertools'
 * `skipGroupOnError`). The result is one settled entry per record, the shape
 * `@middy/sqs-partial-batch-failure` turns into `batchItemFailures`.
 */
export const processFifoBatch = async (
  records: readonly SQSRecord[],
  processRecord: RecordProcessor,
  /** false for failures that must not hold the group (poison: it can never succeed, so there is no order to keep). */
  blocksGroup: (error: unknown) => boolean = () => true,
): Promise<PromiseSettledResult<void>[]> => {
  const failedGroups = new Map<string, string>();
  const results: PromiseSettledResult<void>[] = [];
  for (const record of records) {
    const group = record.attributes.MessageGroupId ?? "";
    const failedBy = failedGroups.get(group);
    if (failedBy !== undefined) {
      results.push({ status: "rejected", reason: new SkippedAfterGroupFailure(group, failedBy) });
      continue;
    }
    try {
      await processRecord(record);
      results.push({ status: "fulfilled", value: undefined });
    } catch (reason) {
      if (blocksGroup(reason)) failedGroups.set(group, record.messageId);
      results.push({ status: "rejected", reason });
    }
  }
  return results;
};
