import { invocationContext } from "@cvpipe/functions/lambda-context";
import type { Context } from "aws-lambda";

/** The context of an in-process invocation of the stack's function `name` (Lambda knows it as `cvpipe-<name>`). */
export const lambdaContext = (name: string, timeoutSeconds: number, region: string): Context =>
  invocationContext({ functionName: `cvpipe-${name}`, timeoutSeconds, region });

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
