import { Logger } from "@aws-lambda-powertools/logger";
import { injectLambdaContext } from "@aws-lambda-powertools/logger/middleware";
import { POWERTOOLS_ENV } from "@cvpipe/core/topology";
import type middy from "@middy/core";

/** Powertools' service name where the environment names none (the embedded stack sets this one too). */
export const DEFAULT_SERVICE_NAME = "cvpipe";

/**
 * What Lambda's runtime sets for an on-demand function, and the embedded stack sets for its
 * functions: Powertools reports `cold_start` only where it is set (true on the first invocation).
 */
export const LAMBDA_INITIALIZATION_TYPE = { env: "AWS_LAMBDA_INITIALIZATION_TYPE", value: "on-demand" } as const;

/** The service name of logs and metrics: `POWERTOOLS_SERVICE_NAME` (the CDK app sets it per function), else the default. */
export const serviceNameOf = (env: NodeJS.ProcessEnv = process.env): string =>
  env[POWERTOOLS_ENV.serviceName] || DEFAULT_SERVICE_NAME;

/**
 * One structured JSON logger per function (Powertools). The service name is
 * the environment's (serviceNameOf: the environment wins, DEFAULT_SERVICE_NAME
 * is only the fallback); the level is `POWERTOOLS_LOG_LEVEL`'s.
 */
export const createLogger = (fn: string, env: NodeJS.ProcessEnv = process.env): Logger =>
  new Logger({ serviceName: serviceNameOf(env), persistentKeys: { fn } });

/** The log key that ties a request's, a job's or an event's lines together (see contracts/message-envelope.ts). */
export const CORRELATION_ID_KEY = "correlationId";

/** The log key of the SQS message a worker is processing (fifo-worker.ts adds it to each record's lines). */
export const MESSAGE_ID_KEY = "messageId";

/** The log key of the job a line is about (the ingress's "job accepted", every tailor line of the job). */
export const JOB_ID_KEY = "jobId";

/**
 * Every handler runs this middleware: Powertools adds the Lambda context to each
 * line the logger writes during the invocation (request id, cold start,
 * function name, memory) and clears per-invocation keys after it. It never logs
 * the invocation event, whatever POWERTOOLS_LOGGER_LOG_EVENT says: events carry
 * CVs and postings (the API body, the queue messages).
 */
export const withLambdaContext = <E, R>(handler: middy.MiddyfiedHandler<E, R>, logger: Logger) =>
  handler.use(injectLambdaContext(logger, { resetKeys: true, logEvent: false }));
