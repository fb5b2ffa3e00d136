/**
 * Environment configuration, parsed once per cold start (one module per function, config/<function>.ts,
 * so that a function bundles its own schema only). A missing or
 * malformed variable fails the cold start with its own name; nothing falls
 * back to a placeholder that would hide it. Resource variables are named by
 * the topology's helpers (the same ones infra/ and local/ fill them with).
 */
import { ENGINE_NAMES } from "@cvpipe/core/contracts/job-constants";
import * as z from "@cvpipe/core/contracts/zod";
import { ConfigError } from "@cvpipe/core/errors";
import {
  type BucketId,
  bucketNameEnv,
  type EnvName,
  type FunctionId,
  functionResources,
  type QueueId,
  queueUrlEnv,
  type TableId,
  tableNameEnv,
} from "@cvpipe/core/topology";

export const trimmed = () => z.string().check(z.trim());
export const required = z.string().check(z.trim(), z.minLength(1, "is required"));
/** An optional setting that, when set, is not blank. */
export const optionalNonBlank = () => z.optional(z.string().check(z.trim(), z.minLength(1)));
/** An integer from the environment's string, within bounds, with its default. */
export const intSetting = (fallback: number, ...bounds: z.core.$ZodCheck<number>[]) =>
  z._default(z.coerce.number().check(z.int(), ...bounds), fallback);
export const positiveInt = (fallback: number) => intSetting(fallback, z.positive());
export const defaultEngine = () => z._default(z.enum(ENGINE_NAMES), "local");
/**
 * A setting holding a JSON array of strings: `fallback` when unset or blank; otherwise a list that
 * `accepts` takes, or an issue saying what it must be (`rule`).
 */
export const jsonListSetting = (
  fallback: readonly string[],
  accepts: (list: readonly unknown[]) => boolean,
  rule: string,
) =>
  z.pipe(
    z.optional(z.string()),
    z.transform((raw, ctx) => {
      if (raw === undefined || raw.trim() === "") return [...fallback];
      try {
        const parsed: unknown = JSON.parse(raw);
        if (Array.isArray(parsed) && parsed.every((x) => typeof x === "string") && accepts(parsed))
          return parsed as string[];
      } catch {
        // reported below
      }
      ctx.issues.push({ code: "custom", message: rule, input: raw });
      return z.NEVER;
    }),
  );
export { ConfigError };

type ResourcesOf<F extends FunctionId> = (typeof functionResources)[F];
/** The resource variables of function F: its queues' URLs, its tables' and buckets' names. */
export type ResourceEnv<F extends FunctionId> =
  | `${EnvName<ResourcesOf<F>["queues"][number]>}_QUEUE_URL`
  | `${EnvName<ResourcesOf<F>["tables"][number]>}_TABLE`
  | `${EnvName<ResourcesOf<F>["buckets"][number]>}_BUCKET`;

/**
 * Each resource the topology gives a function (`functionResources`, from which infra/ sets its
 * environment and grants and local/ its environment), as a required variable: a function's
 * configuration can neither miss one nor ask for one it is not given.
 */
export const resourceSettings = <F extends FunctionId>(fn: F): Record<ResourceEnv<F>, typeof required> => {
  const uses: { queues: readonly QueueId[]; tables: readonly TableId[]; buckets: readonly BucketId[] } =
    functionResources[fn];
  return Object.fromEntries([
    ...uses.queues.map((q) => [queueUrlEnv(q), required]),
    ...uses.tables.map((t) => [tableNameEnv(t), required]),
    ...uses.buckets.map((b) => [bucketNameEnv(b), required]),
  ]) as Record<ResourceEnv<F>, typeof required>;
};

/** Parsed at cold start; a ConfigError lists every bad variable by name. */
export const parseConfig = <S extends z.ZodMiniType>(fn: string, schema: S, env: NodeJS.ProcessEnv): z.output<S> => {
  const result = schema.safeParse(env);
  if (!result.success) {
    const issues = result.error.issues.map((i) => `${i.path.join(".") || "(env)"} ${i.message}`);
    throw new ConfigError(`Invalid ${fn} configuration: ${issues.join("; ")}`);
  }
  return result.data;
};
