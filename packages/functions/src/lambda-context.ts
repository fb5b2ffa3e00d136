/**
 * The Lambda context object of one invocation, as the runtime hands it to a
 * handler: for the local stack, which invokes the handlers in process
 * (packages/local), and for unit tests (testing/lambda-context.ts).
 */
import { randomUUID } from "node:crypto";
import type { Context } from "aws-lambda";

export interface InvocationContextOptions {
  /** The function's name as Lambda knows it (`cvpipe-tailor`). */
  readonly functionName: string;
  /** The function's timeout: getRemainingTimeInMillis counts down from it. */
  readonly timeoutSeconds: number;
  readonly region: string;
  /** Lambda's is a random UUID, the default. */
  readonly requestId?: string;
}

export const invocationContext = ({
  functionName,
  timeoutSeconds,
  region,
  requestId = randomUUID(),
}: InvocationContextOptions): Context => {
  const deadline = Date.now() + timeoutSeconds * 1000;
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName,
    functionVersion: "$LATEST",
    invokedFunctionArn: `arn:aws:lambda:${region}:000000000000:function:${functionName}`,
    memoryLimitInMB: "1024",
    awsRequestId: requestId,
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: "local",
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: () => {},
    fail: () => {},
    succeed: () => {},
  };
};
