/**
 * The console's guards and escaping, on its real request handler over a fake
 * data source (no stack): login codes are single-use and expire (an injected
 * clock), a request without a session is told how to log in, a non-loopback
 * Host is refused, a POST without the session's CSRF token is refused, and a
 * DLQ message's attacker-controlled text is rendered escaped.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { createServer, request, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { DlqMessage } from "@cvpipe/aws/dlq";
import { describeDead } from "@cvpipe/aws/dlq-triage";
import { api } from "@cvpipe/core/topology";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { loadOrCreateKeys, mintToken } from "../jwt-keys.ts";
import { ConsoleAuth, LOGIN_CODE_TTL_MS, SESSION_TTL_MS } from "./auth.ts";
import { createConsole } from "./console.ts";
import type { ConsoleData, RedriveOutcome } from "./data.ts";
import { escapeHtml, html } from "./html.ts";

const START = new Date("2026-11-18T10:00:00Z");
let nowMs = START.getTime();
const clock = { now: () => new Date(nowMs) };
const dir = mkdtempSync(join(tmpdir(), "cvpipe-console-"));
const keys = await loadOrCreateKeys(dir);
const auth = new ConsoleAuth(keys, clock);

const PAYLOAD = `<script>alert("pwned")</script><img src=x onerror=alert(1)>`;
const hostile: DlqMessage = {
  messageId: "m-1",
  groupId: `g"><script>alert(2)</script>`,
  receiveCount: 3,
  sentAt: START.toISOString(),
  body: JSON.stringify({ schema: "tailoring-job.v1", jobId: PAYLOAD, tenantId: PAYLOAD }),
  json: { schema: "tailoring-job.v1", jobId: PAYLOAD, tenantId: PAYLOAD },
};
const redrives: { queue: string; criteria: unknown; dryRun: boolean }[] = [];
const data: ConsoleData = {
  dlqNames: { tailoringJobs: "tailoring-jobs-dlq-qa.fifo", analyticsEvents: "analytics-events-dlq-qa.fifo" },
  queues: async () => [],
  dlq: async (queue) => [await describeDead(queue, { get: async () => undefined }, hostile)],
  redrive: async (queue, criteria, dryRun): Promise<RedriveOutcome> => {
    redrives.push({ queue, criteria, dryRun });
    return { dryRun, moved: [], kept: [], leftInDlq: 1 };
  },
  job: async () => undefined,
  reportPreview: async () => ({ subject: "s", html: "<p>h</p>", text: "t" }),
  sentEmails: async () => undefined,
};
const handler = createConsole({ auth, data, clock });
let server: Server;
let port = 0;

interface Answer {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: string;
}
/** A raw request: fetch would not let a test set the Host header. */
const send = (method: string, path: string, headers: Record<string, string> = {}, body?: string): Promise<Answer> =>
  new Promise((resolve, reject) => {
    const req = request(
      { host: "127.0.0.1", port, method, path, headers: { host: `127.0.0.1:${port}`, ...headers } },
      (res) => {
        let text = "";
        res.setEncoding("utf8");
        res.on("data", (c: string) => (text += c));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text }));
      },
    );
    req.on("error", reject);
    req.end(body);
  });

const cookieFrom = (a: Answer): string => String(a.headers["set-cookie"] ?? "").split(";")[0] ?? "";
const loggedIn = async (): Promise<string> =>
  cookieFrom(await send("GET", `/console/login?code=${auth.issueLoginCode()}`));

test.before(async () => {
  server = createServer((req, res) => void handler(req, res, new URL(req.url ?? "/", "http://127.0.0.1")));
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  port = (server.address() as AddressInfo).port;
});
test.after(async () => {
  await new Promise<void>((r) => server.close(() => r()));
  rmSync(dir, { recursive: true, force: true });
});

test("html escapes every interpolated value but keeps fragments built by html", () => {
  assert.is(escapeHtml(`<a href="x">'&'</a>`), "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;");
  const inner = html`<b>${"<i>"}</b>`;
  assert.is(
    html`<p title="${'"x'}">${inner}${["<", 1]}</p>`.toString(),
    `<p title="&quot;x"><b>&lt;i&gt;</b>&lt;1</p>`,
  );
});

test("a login code works once: a second use is refused, and the session works", async () => {
  const code = auth.issueLoginCode();
  const first = await send("GET", `/console/login?code=${code}`);
  assert.is(first.status, 303);
  assert.is(first.headers.location, "/console");
  const cookie = String(first.headers["set-cookie"]);
  assert.match(cookie, /HttpOnly/);
  assert.match(cookie, /SameSite=Strict/);
  assert.match(cookie, /Path=\/console/);
  const page = await send("GET", "/console/dlq/tailoring", { cookie: cookieFrom(first) });
  assert.is(page.status, 200);
  // The DLQ by its own name (a stage's), not the topology's.
  assert.match(page.body, /<title>DLQ tailoring-jobs-dlq-qa\.fifo/);
  const second = await send("GET", `/console/login?code=${code}`);
  assert.is(second.status, 401);
  assert.match(second.body, /already used or has expired/);
  assert.is(second.headers["set-cookie"], undefined);
});

test("a login code expires after its ttl; a session after its own", async () => {
  const code = auth.issueLoginCode();
  nowMs += LOGIN_CODE_TTL_MS;
  assert.is(auth.redeem(code), undefined, "expired exactly at its ttl");
  const fresh = auth.issueLoginCode();
  nowMs += LOGIN_CODE_TTL_MS - 1;
  const session = auth.redeem(fresh);
  assert.ok(session, "valid until the last millisecond");
  assert.ok(auth.session(session.token));
  nowMs += SESSION_TTL_MS;
  assert.is(auth.session(session.token), undefined, "the session ended");
  assert.is(auth.redeem("never-issued"), undefined);
});

test("without a session: a browser gets the login page (401), a client a JSON 401", async () => {
  const browser = await send("GET", "/console", { accept: "text/html" });
  assert.is(browser.status, 401);
  assert.match(browser.body, /You are not logged in/);
  assert.match(browser.body, /one-time link <code>pnpm start<\/code> printed/);
  const client = await send("GET", "/console/api/queues");
  assert.is(client.status, 401);
  assert.match(JSON.parse(client.body).message, /one-time link/);
  const forged = await send("GET", "/console", { cookie: "cvpipe_console=made-up" });
  assert.is(forged.status, 401);
});

test("a bearer token is accepted only with the admin role", async () => {
  const mint = (roles: string[]) =>
    mintToken(keys, { tenantId: "ops", userId: "op", now: clock.now(), extraClaims: { [api.roleClaim]: roles } });
  const admin = await send("GET", "/console/api/queues", { authorization: `Bearer ${await mint([api.adminRole])}` });
  assert.is(admin.status, 200);
  const producer = await send("GET", "/console/api/queues", { authorization: `Bearer ${await mint([])}` });
  assert.is(producer.status, 401);
});

test("a Host header that is not loopback is refused (DNS rebinding), logged in or not", async () => {
  const cookie = await loggedIn();
  for (const host of ["evil.example", "evil.example:3000", "127.0.0.1.evil.example", "localhost.evil.example:80"]) {
    const r = await send("GET", "/console", { host, cookie });
    assert.is(r.status, 403, host);
  }
  assert.is((await send("GET", "/console", { host: `localhost:${port}`, cookie })).status, 200);
});

test("a redrive POST without the session's CSRF token is refused and moves nothing; with it, it runs", async () => {
  const cookie = await loggedIn();
  const form = { cookie, "content-type": "application/x-www-form-urlencoded" };
  const missing = await send("POST", "/console/dlq/tailoring/redrive", form, "action=redrive");
  assert.is(missing.status, 403);
  assert.match(missing.body, /CSRF token is missing/);
  const wrong = await send("POST", "/console/dlq/tailoring/redrive", form, "action=redrive&csrf=guess");
  assert.is(wrong.status, 403);
  assert.is(redrives.length, 0, "nothing was redriven");
  const page = await send("GET", "/console/dlq/tailoring", { cookie });
  const csrf = /name="csrf" value="([^"]+)"/.exec(page.body)?.[1];
  assert.ok(csrf, "the DLQ page's form carries the token");
  const crossSite = await send(
    "POST",
    "/console/dlq/tailoring/redrive",
    { ...form, origin: "https://evil.example" },
    `action=redrive&csrf=${csrf}`,
  );
  assert.is(crossSite.status, 403, "a cross-origin form is refused even with the token");
  const ok = await send("POST", "/console/dlq/tailoring/redrive", form, `action=dry-run&csrf=${csrf}&job=j-1`);
  assert.is(ok.status, 200);
  assert.equal(redrives, [{ queue: "tailoringJobs", criteria: { job: "j-1" }, dryRun: true }]);
  assert.is((await send("GET", "/console/dlq/tailoring/redrive", { cookie })).status, 404, "never by GET");
});

test("a DLQ message's text is rendered escaped: the payload cannot inject markup", async () => {
  const r = await send("GET", "/console/dlq/tailoring", { cookie: await loggedIn() });
  assert.is(r.status, 200);
  assert.not.match(r.body, /<script>alert/);
  assert.not.match(r.body, /<img src=x/);
  assert.match(r.body, /&lt;script&gt;alert\(&quot;pwned&quot;\)&lt;\/script&gt;/);
  assert.match(r.body, /g&quot;&gt;&lt;script&gt;alert\(2\)/);
});

test("every page carries the CSP, nosniff and no-store; assets are files", async () => {
  const r = await send("GET", "/console/login");
  assert.match(String(r.headers["content-security-policy"]), /default-src 'none'/);
  assert.match(String(r.headers["content-security-policy"]), /script-src 'self'/);
  assert.match(String(r.headers["content-security-policy"]), /frame-ancestors 'none'/);
  assert.is(r.headers["x-content-type-options"], "nosniff");
  assert.is(r.headers["cache-control"], "no-store");
  assert.not.match(r.body, /<script>/, "no inline script");
  const js = await send("GET", "/console/assets/console.js");
  assert.is(js.status, 200);
  assert.match(String(js.headers["content-type"]), /javascript/);
  const email = await send("GET", "/console/report/email.html?week=2026-W47", { cookie: await loggedIn() });
  assert.match(String(email.headers["content-security-policy"]), /^sandbox;/);
});

test.run();
