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

/**
 * A conditional DynamoDB write: true when it was written, false when its
 * condition failed (the item moved on; the caller decides what that means),
 * and any other failure a retryable DependencyError naming `operation`.
 */
export const conditionalWrite = async (write: () => Promise<unknown>, operation: string): Promise<boolean> => {
  try {
    await write();
    return true;
  } catch (error) {
    if (isConditionalCheckFailed(error)) return false;
    throw dependencyFailure(operation, error);
  }
};
