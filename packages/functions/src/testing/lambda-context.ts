import type { Context } from "aws-lambda";
import { invocationContext } from "../lambda-context.ts";

/** A Lambda context for calling a handler in a unit test: the one invocationContext, with a test's defaults. */
export const lambdaContext = (requestId = "req-1", functionName = "cvpipe-test-fn"): Context =>
  invocationContext({ functionName, requestId, timeoutSeconds: 60, region: "us-east-1" });
