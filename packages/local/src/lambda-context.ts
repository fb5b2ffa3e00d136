import { randomUUID } from "node:crypto";
import type { Context } from "aws-lambda";

/** A Lambda context object for an in-process invocation with the function's timeout. */
export const lambdaContext = (functionName: string, timeoutSeconds: number, region: string): Context => {
  const deadline = Date.now() + timeoutSeconds * 1000;
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName: `cvpipe-${functionName}`,
    functionVersion: "$LATEST",
    invokedFunctionArn: `arn:aws:lambda:${region}:000000000000:function:cvpipe-${functionName}`,
    memoryLimitInMB: "1024",
    awsRequestId: randomUUID(),
    logGroupName: `/aws/lambda/cvpipe-${functionName}`,
    logStreamName: "local",
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: () => {},
    fail: () => {},
    succeed: () => {},
  };
};

/** Resolves with the promise's value, or "timeout" once `ms` have passed (the promise keeps running, as a timed-out Lambda's would be frozen). */
export const withTimeout = async <T>(promise: Promise<T>, ms: number): Promise<T | "timeout"> => {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<"timeout">((resolve) => {
    timer = setTimeout(() => resolve("timeout"), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
};
