import { DependencyError } from "@cvpipe/core/errors";

/** The SDK error name DynamoDB returns when a condition expression fails. */
export const isConditionalCheckFailed = (error: unknown): boolean =>
  error instanceof Error && error.name === "ConditionalCheckFailedException";

/** Wraps an unexpected SDK failure as retryable, naming the operation. */
export const dependencyFailure = (operation: string, error: unknown): DependencyError =>
  new DependencyError(
    `${operation} failed: ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`,
    error,
  );
