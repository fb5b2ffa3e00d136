/**
 * `<dataDir>/logs/stack.jsonl`: the embedded stack's structured log, one JSON object a line — the
 * functions' Powertools lines as they wrote them and the stack's own lines (stackLogRecord) — for
 * `cvpipe logs` (another process) to filter. Written by `pnpm start`'s main thread (main.ts), where
 * both arrive; size-capped with one rotation (stack.1.jsonl), owner-only like the rest of the data dir.
 *
 * Lines are batched and each batch is one synchronous append: the stack thread never writes, the main
 * thread writes a few times a second, and a process.exit (which skips pending asynchronous writes)
 * loses nothing once flush() has run in an exit handler.
 */
import { appendFileSync, mkdirSync, renameSync, statSync } from "node:fs";
import { join } from "node:path";

export const STACK_LOG_DIR = "logs";
export const STACK_LOG_FILE = "stack.jsonl";
export const STACK_LOG_ROTATED = "stack.1.jsonl";
/** Past this the file is renamed to STACK_LOG_ROTATED (replacing the one before) and a new one begun. */
export const STACK_LOG_MAX_BYTES = 20 * 1024 * 1024;
/** How long a line waits for its batch, at most. */
export const STACK_LOG_FLUSH_MS = 250;

/** The log's files under `dataDir`, oldest first: the rotated one, then the current one. */
export const stackLogFiles = (dataDir: string): readonly [rotated: string, current: string] => [
  join(dataDir, STACK_LOG_DIR, STACK_LOG_ROTATED),
  join(dataDir, STACK_LOG_DIR, STACK_LOG_FILE),
];

export interface StackLogFileOptions {
  readonly maxBytes?: number;
  readonly flushMs?: number;
  /** Told once when a write fails (disk full, directory removed): lines are dropped, the stack runs on. */
  readonly onError?: (error: Error) => void;
}

export class StackLogFile {
  readonly #rotated: string;
  readonly #current: string;
  readonly #maxBytes: number;
  readonly #flushMs: number;
  readonly #onError: (error: Error) => void;
  #pending: string[] = [];
  #size: number | undefined;
  #timer: NodeJS.Timeout | undefined;
  #failed = false;

  constructor(dataDir: string, options: StackLogFileOptions = {}) {
    [this.#rotated, this.#current] = stackLogFiles(dataDir);
    this.#maxBytes = options.maxBytes ?? STACK_LOG_MAX_BYTES;
    this.#flushMs = options.flushMs ?? STACK_LOG_FLUSH_MS;
    this.#onError = options.onError ?? (() => {});
  }

  /** Queues one line (a JSON object's text, no newline) for the next batch. */
  append(line: string): void {
    this.#pending.push(line);
    if (this.#timer === undefined) {
      this.#timer = setTimeout(() => this.flush(), this.#flushMs);
      // A pending batch never keeps the process alive; an exit handler flushes it (main.ts).
      this.#timer.unref();
    }
  }

  /** Writes the pending lines now, rotating first when they would take the file past the cap. */
  flush(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    if (this.#pending.length === 0) return;
    const text = `${this.#pending.join("\n")}\n`;
    this.#pending = [];
    const bytes = Buffer.byteLength(text);
    try {
      if (this.#size === undefined) {
        mkdirSync(join(this.#current, ".."), { recursive: true, mode: 0o700 });
        this.#size = sizeOf(this.#current);
      }
      // A batch bigger than the cap on its own still goes into one file: no line is split or lost.
      if (this.#size > 0 && this.#size + bytes > this.#maxBytes) {
        renameSync(this.#current, this.#rotated);
        this.#size = 0;
      }
      appendFileSync(this.#current, text, { mode: 0o600 });
      this.#size += bytes;
      this.#failed = false;
    } catch (error) {
      // Next time, look at the file again (it may have been removed or rotated by hand).
      this.#size = undefined;
      if (!this.#failed) this.#onError(error as Error);
      this.#failed = true;
    }
  }
}

const sizeOf = (file: string): number => {
  try {
    return statSync(file).size;
  } catch (error) {
    if ((error as { code?: string }).code === "ENOENT") return 0;
    throw error;
  }
};
