import { Readable } from "node:stream";
import { rejects } from "@cvpipe/core/testing/rejects";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { readBoundedBody } from "./request-body.ts";

const body = (...chunks: string[]) => Readable.from(chunks.map((c) => Buffer.from(c)));

test("a body at the limit is read whole, across chunks", async () => {
  const read = await readBoundedBody(body("abc", "def"), 6);
  assert.ok(Buffer.isBuffer(read));
  assert.is(read.toString("utf8"), "abcdef");
  assert.is((await readBoundedBody(body(), 6)).toString(), "");
});

test("a byte over the limit is too-large, the stream still read to its end", async () => {
  const stream = body("abc", "defg", "more");
  assert.is(await readBoundedBody(stream, 6), "too-large");
  assert.ok(stream.readableEnded);
});

test("a stream error rejects", async () => {
  const failing = new Readable({
    read() {
      this.destroy(new Error("reset"));
    },
  });
  assert.match(String(await rejects(() => readBoundedBody(failing, 6))), /reset/);
});

test.run();
