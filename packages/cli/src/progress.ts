/**
 * A progress line for long work (redrive, jobs submit --wait, housekeeping), drawn on stderr and only
 * when stdout is a terminal: piped or captured output (and --json) stays exactly the command's answer.
 */

export interface Progress {
  /** Redraws the line: `done` of `total` as a bar when the total is known, else a count; `note` after it. */
  update(done?: number, total?: number, note?: string): void;
  /** Clears the line. */
  end(): void;
}

export interface ProgressOptions {
  readonly json?: boolean;
  /** Where the command's answer goes; the line is drawn only when it is a terminal. Default process.stdout. */
  readonly stdout?: { readonly isTTY?: boolean };
  /** Where the line is drawn. Default process.stderr. */
  readonly stderr?: { write(text: string): unknown };
  /** Milliseconds now, for the elapsed seconds. Default Date.now (tests give a fixed one). */
  readonly now?: () => number;
}

const WIDTH = 24;

const silent: Progress = { update: () => {}, end: () => {} };

export const progress = (label: string, options: ProgressOptions = {}): Progress => {
  const { stdout = process.stdout, stderr = process.stderr, now = Date.now } = options;
  if (options.json || stdout.isTTY !== true) return silent;
  const started = now();
  let drawn = false;
  return {
    update(done, total, note) {
      const seconds = Math.round((now() - started) / 1000);
      const bar =
        done === undefined
          ? ""
          : total !== undefined && total > 0
            ? ` [${"#".repeat(Math.min(WIDTH, Math.round((done / total) * WIDTH))).padEnd(WIDTH, ".")}] ${done}/${total}`
            : ` ${done}`;
      stderr.write(`\r\x1b[2K${label}${bar}${note ? ` ${note}` : ""} ${seconds}s`);
      drawn = true;
    },
    end() {
      if (drawn) stderr.write("\r\x1b[2K");
    },
  };
};
