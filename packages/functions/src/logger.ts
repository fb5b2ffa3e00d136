import { Logger } from "@aws-lambda-powertools/logger";
import { injectLambdaContext } from "@aws-lambda-powertools/logger/middleware";
import type middy from "@middy/core";

/**
 * One structured JSON logger per function (Powertools). The service name is
 * the environment's (`POWERTOOLS_SERVICE_NAME`, which the CDK app sets) with
 * "cvpipe" only as the fallback; the level is `POWERTOOLS_LOG_LEVEL`'s.
 */
export const createLogger = (fn: string, env: NodeJS.ProcessEnv = process.env): Logger =>
  new Logger({ serviceName: env["POWERTOOLS_SERVICE_NAME"] || "cvpipe", persistentKeys: { fn } });

/**
 * Every handler's first middleware: Powertools adds the Lambda context to each
 * line the logger writes during the invocation (request id, cold start,
 * function name, memory) and clears per-invocation keys after it.
 */
export const withLambdaContext = <E, R>(handler: middy.MiddyfiedHandler<E, R>, logger: Logger) =>
  handler.use(injectLambdaContext(logger, { resetKeys: true }));
