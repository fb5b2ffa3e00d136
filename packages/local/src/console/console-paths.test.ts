/** Found by the adversarial review of issue 15: a malformed %-escape in a job path is a 400, not a 500. */
import { mkdtempSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { api } from "@cvpipe/core/topology";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { loadOrCreateKeys, mintToken } from "../jwt-keys.ts";
import { ConsoleAuth } from "./auth.ts";
import { createConsole } from "./console.ts";
import type { ConsoleData } from "./data.ts";

const NOW = new Date("2026-11-20T10:00:00Z");
const clock = { now: () => NOW };
const keys = await loadOrCreateKeys(mkdtempSync(join(tmpdir(), "rev15-")));
const lines: string[] = [];
const data = { job: async () => undefined } as unknown as ConsoleData;
const handler = createConsole({ auth: new ConsoleAuth(keys, clock), data, clock, log: (l) => lines.push(l) });

test("GET /console/jobs/%E0%A4%A answers 4xx, not 500 URIError", async () => {
  const server = createServer((req, res) => void handler(req, res, new URL(req.url!, "http://127.0.0.1")));
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const port = (server.address() as AddressInfo).port;
  const token = await mintToken(keys, {
    tenantId: "ops",
    userId: "me",
    ttlSeconds: 60,
    scopes: [],
    extraClaims: { [api.roleClaim]: [api.adminRole] },
    now: NOW,
  });
  const res = await fetch(`http://127.0.0.1:${port}/console/jobs/%E0%A4%A`, {
    headers: { authorization: `Bearer ${token}` },
  });
  const body = await res.text();
  server.close();
  assert.ok(
    res.status < 500,
    `status ${res.status}: ${body.match(/class="error">([^<]*)/)?.[1]}; logged: ${lines.join(" | ")}`,
  );
});
test.run();
