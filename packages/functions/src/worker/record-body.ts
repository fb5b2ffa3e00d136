import { parseWith } from "@cvpipe/core/contracts/parse";
import type * as z from "@cvpipe/core/contracts/zod";
import { PoisonMessageError, ValidationError } from "@cvpipe/core/errors";
import type { SQSRecord } from "aws-lambda";

/**
 * The record's body parsed with a versioned message schema. A body that is not
 * JSON or fails the schema is poison (PoisonMessageError): not retryable, its message naming
 * the record and field, so the record fails until it reaches the DLQ.
 */
export const parseRecordBody = <S extends z.ZodMiniType>(record: SQSRecord, schema: S): z.output<S> => {
  let json: unknown;
  try {
    json = JSON.parse(record.body);
  } catch {
    throw new PoisonMessageError(`message ${record.messageId}: body is not JSON`);
  }
  try {
    return parseWith(schema, json, "body");
  } catch (error) {
    if (error instanceof ValidationError) {
      throw new PoisonMessageError(`message ${record.messageId}: ${error.message}`, {
        details: error.issues,
        cause: error,
      });
    }
    throw error;
  }
};
