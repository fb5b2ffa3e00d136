/** The stack's log file: batched appends, one rotation past the cap, owner-only. */
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { StackLogFile, stackLogFiles } from "./stack-log-file.ts";

const withDir = (fn: (dir: string) => void) => {
  const dir = mkdtempSync(join(tmpdir(), "stack-log-"));
  try {
    fn(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
};
const read = (file: string) => (existsSync(file) ? readFileSync(file, "utf8") : undefined);
/** A 20-byte line (19 characters and the newline). */
const line = (n: number) => `{"n":${String(n).padStart(12, "0")}}`;

test("lines wait for the batch: nothing is written until flush, then all in order", () => {
  withDir((dir) => {
    const log = new StackLogFile(dir, { flushMs: 60_000 });
    const [, current] = stackLogFiles(dir);
    log.append(line(1));
    log.append(line(2));
    assert.is(read(current), undefined);
    log.flush();
    assert.is(read(current), `${line(1)}\n${line(2)}\n`);
    log.flush();
    assert.is(read(current), `${line(1)}\n${line(2)}\n`, "an empty flush writes nothing");
  });
});

test("past the cap the file becomes stack.1.jsonl (replacing the older one) and a new one begins", () => {
  withDir((dir) => {
    const [rotated, current] = stackLogFiles(dir);
    const log = new StackLogFile(dir, { maxBytes: 50, flushMs: 60_000 });
    for (const n of [1, 2]) log.append(line(n));
    log.flush(); // 40 bytes
    log.append(line(3));
    log.flush(); // 60 > 50: rotate first
    assert.is(read(rotated), `${line(1)}\n${line(2)}\n`);
    assert.is(read(current), `${line(3)}\n`);
    for (const n of [4, 5]) {
      log.append(line(n));
      log.flush();
    }
    // 3 and 4 filled the new file to 40; 5 rotated it over the first rotation.
    assert.is(read(rotated), `${line(3)}\n${line(4)}\n`);
    assert.is(read(current), `${line(5)}\n`);
  });
});

test("a new writer on an existing file counts its size (a restart keeps the cap)", () => {
  withDir((dir) => {
    const [rotated, current] = stackLogFiles(dir);
    const first = new StackLogFile(dir, { maxBytes: 50 });
    first.append(line(1));
    first.append(line(2));
    first.flush();
    const second = new StackLogFile(dir, { maxBytes: 50 });
    second.append(line(3));
    second.flush();
    assert.is(read(rotated), `${line(1)}\n${line(2)}\n`);
    assert.is(read(current), `${line(3)}\n`);
  });
});

test("one batch larger than the cap goes into one file whole", () => {
  withDir((dir) => {
    const [rotated, current] = stackLogFiles(dir);
    const log = new StackLogFile(dir, { maxBytes: 30 });
    for (const n of [1, 2, 3]) log.append(line(n));
    log.flush();
    assert.is(read(rotated), undefined);
    assert.is(read(current), `${line(1)}\n${line(2)}\n${line(3)}\n`);
  });
});

test("owner-only: the directory 0700, the files 0600", () => {
  withDir((dir) => {
    const [rotated, current] = stackLogFiles(dir);
    const log = new StackLogFile(dir, { maxBytes: 30 });
    log.append(line(1));
    log.flush();
    log.append(line(2));
    log.flush();
    assert.is(statSync(join(dir, "logs")).mode & 0o777, 0o700);
    assert.is(statSync(current).mode & 0o777, 0o600);
    assert.is(statSync(rotated).mode & 0o777, 0o600);
  });
});

test("a write that fails is reported once and the lines dropped; the next that can succeed does", () => {
  withDir((dir) => {
    const errors: Error[] = [];
    const [, current] = stackLogFiles(dir);
    // A file where the log directory should be: mkdir fails.
    const blocked = join(dir, "blocked");
    writeFileSync(blocked, "");
    const log = new StackLogFile(blocked, { onError: (e) => errors.push(e) });
    log.append(line(1));
    log.flush();
    log.append(line(2));
    log.flush();
    assert.is(errors.length, 1);
    const ok = new StackLogFile(dir, { onError: (e) => errors.push(e) });
    ok.append(line(3));
    ok.flush();
    assert.is(read(current), `${line(3)}\n`);
  });
});

test.run();
