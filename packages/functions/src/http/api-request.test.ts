import { api } from "@cvpipe/core/topology";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { type ApiEvent, preferredWaitSeconds } from "./api-request.ts";

const withPrefer = (prefer?: string) =>
  ({ headers: prefer === undefined ? {} : { Prefer: prefer } }) as unknown as ApiEvent;

test("Prefer: wait=N is read as RFC 7240 writes it; anything else is no preference", () => {
  const cases: Array<[string | undefined, number | undefined]> = [
    [undefined, undefined],
    ["wait=10", 10],
    ["WAIT = 3", 3],
    ['wait="7"', 7],
    ["respond-async, wait=5", 5],
    ["handling=lenient; x=1, wait=2;foo", 2],
    ["wait=0", 0],
    [`wait=${api.maxPreferWaitSeconds + 100}`, api.maxPreferWaitSeconds],
    ["wait=soon", undefined],
    ["wait=-1", undefined],
    ["wait=1.5", undefined],
    ["wait", undefined],
    ["handling=strict", undefined],
  ];
  for (const [prefer, expected] of cases) assert.is(preferredWaitSeconds(withPrefer(prefer)), expected, String(prefer));
});

test.run();
