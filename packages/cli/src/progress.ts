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

const WIDTH = 24;

const silent: Progress = { update: () => {}, end: () => {} };

export const progress = (label: string, options: { json?: boolean } = {}): Progress => {
  if (options.json || process.stdout.isTTY !== true) return silent;
  const started = Date.now();
  let drawn = false;
  return {
    update(done, total, note) {
      const seconds = Math.round((Date.now() - started) / 1000);
      const bar =
        done === undefined
          ? ""
          : total !== undefined && total > 0
            ? ` [${"#".repeat(Math.min(WIDTH, Math.round((done / total) * WIDTH))).padEnd(WIDTH, ".")}] ${done}/${total}`
            : ` ${done}`;
      process.stderr.write(`\r\x1b[2K${label}${bar}${note ? ` ${note}` : ""} ${seconds}s`);
      drawn = true;
    },
    end() {
      if (drawn) process.stderr.write("\r\x1b[2K");
    },
  };
};
