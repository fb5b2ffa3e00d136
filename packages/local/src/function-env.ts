import { bucketNameEnv, type FunctionId, functionResources, queueUrlEnv, tableNameEnv } from "@cvpipe/core/topology";
import type { Provisioned } from "./provision.ts";

/**
 * The environment a function gets, derived from the topology exactly as the
 * CDK app derives it: one variable per resource the function uses.
 */
export const resourceEnv = (fn: FunctionId, provisioned: Provisioned): Record<string, string> => {
  const uses = functionResources[fn];
  const env: Record<string, string> = {};
  for (const q of uses.queues) env[queueUrlEnv(q)] = provisioned.queues[q].url;
  for (const t of uses.tables) env[tableNameEnv(t)] = provisioned.tables[t];
  for (const b of uses.buckets) env[bucketNameEnv(b)] = provisioned.buckets[b];
  return env;
};
