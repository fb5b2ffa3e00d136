/**
 * node:util parseArgs, with one difference: a string option's value may start with a dash.
 * parseArgs reads `--ttl -5` as two options and answers "argument is ambiguous", which names no
 * rule; joined into `--ttl=-5` the value reaches the command's own check, which does.
 */
import { type ParseArgsConfig, parseArgs } from "node:util";
import { UsageError } from "./stack-info.ts";

/** `--opt -5` → `--opt=-5` for the string options of `options` (a value that looks like a number only). */
export const joinDashValues = (args: readonly string[], options: ParseArgsConfig["options"] = {}): string[] => {
  const strings = new Set(
    Object.entries(options)
      .filter(([, o]) => o.type === "string")
      .map(([name]) => `--${name}`),
  );
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string;
    const next = args[i + 1];
    // Only number-like values: `--tenant --user` stays a missing value, as the user most likely meant.
    if (strings.has(arg) && next !== undefined && /^-\d|^-\.\d/.test(next)) {
      out.push(`${arg}=${next}`);
      i++;
    } else {
      out.push(arg);
    }
  }
  return out;
};

/** parseArgs over `config.args` with dash-leading numeric values joined to their option (see above). */
export const parseCliArgs = <T extends ParseArgsConfig & { args: string[] }>(config: T) =>
  parseArgs({ ...config, args: joinDashValues(config.args, config.options) } as T);

/** A positive whole number from a flag's text; a UsageError naming the flag and the rule otherwise. */
export const positiveInteger = (flag: string, text: string, unit: string): number => {
  const n = /^\d+$/.test(text.trim()) ? Number(text) : Number.NaN;
  if (!Number.isSafeInteger(n) || n < 1) {
    throw new UsageError(`${flag}: must be a positive whole number of ${unit} (got "${text}")`);
  }
  return n;
};
