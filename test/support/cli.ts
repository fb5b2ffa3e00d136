/** The `cvpipe` CLI run as an operator runs it: a separate process, its stdout, stderr and exit code. */
import { execFile } from "node:child_process";
import { join } from "node:path";
import { promisify } from "node:util";
import { repoRoot } from "./settings.ts";

const exec = promisify(execFile);

export interface CliRun {
  readonly code: number;
  readonly out: string;
  readonly err: string;
}

/** `node packages/cli/src/cvpipe.ts …args` with `env` over this process's environment. */
export const runCli = (args: readonly string[], env: Record<string, string | undefined> = {}): Promise<CliRun> =>
  exec(process.execPath, [join(repoRoot, "packages/cli/src/cvpipe.ts"), ...args], {
    env: { ...process.env, ...env },
    maxBuffer: 16 * 1024 * 1024,
  }).then(
    (r) => ({ code: 0, out: r.stdout, err: r.stderr }),
    (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, out: e.stdout, err: e.stderr }),
  );
