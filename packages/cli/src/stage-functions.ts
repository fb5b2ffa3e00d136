/**
 * A deployed stage's functions as Lambda lists them: the service stack's (CDK names them
 * `cvpipe-<stage>-service-…`), and where each one logs. `cvpipe verify` and `cvpipe logs` both look here.
 */
import { type FunctionConfiguration, LambdaClient, paginateListFunctions } from "@aws-sdk/client-lambda";
import { stageFunctionPrefix } from "@cvpipe/core/topology";

export const listStageFunctions = async (stage: string): Promise<FunctionConfiguration[]> => {
  const prefix = stageFunctionPrefix(stage);
  const out: FunctionConfiguration[] = [];
  for await (const page of paginateListFunctions({ client: new LambdaClient({}) }, {})) {
    out.push(...(page.Functions ?? []));
  }
  return out.filter((f) => f.FunctionName?.startsWith(prefix));
};

/** The function's log group: its LoggingConfig's (CDK gives each one of its own), else Lambda's default. */
export const logGroupOf = (f: FunctionConfiguration | undefined): string | undefined =>
  f?.LoggingConfig?.LogGroup ?? (f?.FunctionName ? `/aws/lambda/${f.FunctionName}` : undefined);
