/** The progress line: drawn on stderr only when stdout is a terminal and --json is not given. */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { progress } from "./progress.ts";

const run = (isTTY: boolean | undefined, json = false) => {
  const written: string[] = [];
  let ms = 1_000_000;
  const bar = progress("redriving", {
    json,
    stdout: isTTY === undefined ? {} : { isTTY },
    stderr: { write: (text: string) => written.push(text) },
    now: () => ms,
  });
  ms += 3_000;
  bar.update(6, 12, "(6 moved)");
  bar.update(7);
  bar.end();
  return written;
};

test("stdout a terminal: the line is drawn on stderr (bar, count, note, elapsed seconds) and cleared at the end", () => {
  assert.equal(run(true), [
    `\r\x1b[2Kredriving [############............] 6/12 (6 moved) 3s`,
    "\r\x1b[2Kredriving 7 3s",
    "\r\x1b[2K",
  ]);
});

test("stdout piped or captured (isTTY false or absent): nothing is written", () => {
  assert.equal(run(false), []);
  assert.equal(run(undefined), []);
});

test("--json: nothing is written even on a terminal", () => {
  assert.equal(run(true, true), []);
});

test("end without an update writes nothing (no line to clear)", () => {
  const written: string[] = [];
  progress("housekeeping", { stdout: { isTTY: true }, stderr: { write: (t: string) => written.push(t) } }).end();
  assert.equal(written, []);
});

test.run();
