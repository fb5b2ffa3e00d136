/**
 * The embedded stack's log file (`<dataDir>/logs/stack.jsonl` and its one rotation, written by
 * `pnpm start`: packages/local/src/stack-log-file.ts), read whole or followed as it grows.
 */
import { closeSync, existsSync, openSync, readFileSync, readSync, statSync } from "node:fs";
import { stackLogFiles } from "@cvpipe/local/stack-log-file";
import { type LogRecord, parseLogRecord } from "@cvpipe/local/stack-log-lines";

export interface RawRecord {
  /** The line as written (what --json prints). */
  readonly line: string;
  readonly record: LogRecord;
}

const records = (text: string): RawRecord[] =>
  text.split("\n").flatMap((line) => {
    const record = parseLogRecord(line);
    return record ? [{ line, record }] : [];
  });

/** Every record of the log, oldest first; undefined when the stack has never written one here. */
export const readStackLog = (dataDir: string): RawRecord[] | undefined => {
  const files = stackLogFiles(dataDir);
  if (!files.some((f) => existsSync(f))) return undefined;
  return files.filter((f) => existsSync(f)).flatMap((f) => records(readFileSync(f, "utf8")));
};

const readFrom = (file: string, offset: number): { text: string; end: number } => {
  const fd = openSync(file, "r");
  try {
    const size = statSync(file).size;
    const buffer = Buffer.alloc(Math.max(0, size - offset));
    const read = buffer.length > 0 ? readSync(fd, buffer, 0, buffer.length, offset) : 0;
    return { text: buffer.subarray(0, read).toString("utf8"), end: offset + read };
  } finally {
    closeSync(fd);
  }
};

/**
 * Calls `onRecord` for each record appended to the log after this call, checking every `intervalMs`,
 * until the returned stop is called. A rotation (the file renamed to stack.1.jsonl, a new one begun)
 * is noticed by the file's inode: the rest of the old file is read from its new name, then the new one.
 */
export const followStackLog = (dataDir: string, onRecord: (raw: RawRecord) => void, intervalMs = 500): (() => void) => {
  const [rotated, current] = stackLogFiles(dataDir);
  const stat = () => (existsSync(current) ? statSync(current) : undefined);
  let inode = stat()?.ino;
  let offset = stat()?.size ?? 0;
  // A line is handed on only once its newline is written: a batch may be read half-written.
  let carry = "";
  const take = (text: string): void => {
    const parts = (carry + text).split("\n");
    carry = parts.pop() ?? "";
    for (const raw of records(parts.join("\n"))) onRecord(raw);
  };
  const timer = setInterval(() => {
    const now = stat();
    if (now === undefined) return;
    if (inode !== undefined && now.ino !== inode && existsSync(rotated) && statSync(rotated).ino === inode) {
      take(readFrom(rotated, offset).text);
      offset = 0;
    } else if (now.ino !== inode || now.size < offset) {
      offset = 0;
      carry = "";
    }
    inode = now.ino;
    const { text, end } = readFrom(current, offset);
    offset = end;
    take(text);
  }, intervalMs);
  return () => clearInterval(timer);
};
