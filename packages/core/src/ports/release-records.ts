/**
 * Makes queue records visible again at once (SQS ChangeMessageVisibility 0):
 * a FIFO worker releases poison records with it instead of letting them wait
 * out the visibility timeout (the aws package's VisibilityReleaser).
 */
export type ReleaseRecords = (queueArn: string, receiptHandles: readonly string[]) => Promise<void>;
