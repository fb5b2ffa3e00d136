/**
 * The TCP fault proxy (support/fault-proxy.ts) against a tiny echo server and
 * an HTTP server: each mode does to new and open connections what it says,
 * switching at run time, and the counters add up.
 */
import { once } from "node:events";
import { Agent, createServer as createHttpServer, get, type Server as HttpServer } from "node:http";
import { createConnection, createServer, type Server, type Socket } from "node:net";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { type FaultProxy, startFaultProxy } from "./support/fault-proxy.ts";

let echo: Server;
let echoPort: number;
/** Bytes the echo server received, in all. */
let echoed = 0;
let http: HttpServer;
let httpPort: number;
let httpRequests = 0;

const listen = async (server: Server | HttpServer): Promise<number> => {
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  return (server.address() as { port: number }).port;
};

test.before(async () => {
  echo = createServer((socket) => {
    socket.on("error", () => {});
    socket.on("data", (chunk) => {
      echoed += chunk.length;
      socket.write(chunk);
    });
  });
  echoPort = await listen(echo);
  http = createHttpServer((req, res) => {
    httpRequests++;
    req.resume();
    req.on("end", () => res.end(`hello ${req.url}`));
  });
  httpPort = await listen(http);
});
test.after(async () => {
  echo.close();
  http.closeAllConnections();
  http.close();
});

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Resolves when the socket has closed, however (events.once would reject on the reset's error). */
const closed = (socket: Socket): Promise<void> => new Promise((resolve) => socket.once("close", () => resolve()));

const connect = async (port: number): Promise<Socket> => {
  const socket = createConnection({ port, host: "127.0.0.1" });
  // Resets are what several modes are for; each test looks at `close` or at what `exchange` saw.
  socket.on("error", () => {});
  await once(socket, "connect");
  return socket;
};

/** Writes `text` and collects what comes back until `bytes` arrived, the socket ends, or `waitMs` passes. */
const exchange = (
  socket: Socket,
  text: string,
  bytes: number,
  waitMs = 2_000,
): Promise<{ data: string; ended: boolean; error?: string }> =>
  new Promise((resolve) => {
    let data = "";
    const done = (ended: boolean, error?: string) => {
      clearTimeout(timer);
      socket.removeAllListeners("data");
      resolve({ data, ended, ...(error ? { error } : {}) });
    };
    const timer = setTimeout(() => done(false), waitMs);
    socket.on("data", (chunk: Buffer) => {
      data += chunk.toString();
      if (data.length >= bytes) done(false);
    });
    socket.once("end", () => done(true));
    socket.once("error", (e: NodeJS.ErrnoException) => done(true, e.code ?? e.message));
    socket.once("close", () => done(true));
    socket.write(text);
  });

const httpGet = (port: number, path: string, agent?: Agent, timeoutMs = 2_000): Promise<string> =>
  new Promise((resolve, reject) => {
    const req = get({ host: "127.0.0.1", port, path, ...(agent ? { agent } : {}) }, (res) => {
      let body = "";
      res.on("data", (c) => {
        body += c;
      });
      res.on("end", () => resolve(`${res.statusCode} ${body}`));
    });
    req.setTimeout(timeoutMs, () => req.destroy(Object.assign(new Error("timed out"), { code: "TIMEOUT" })));
    req.on("error", reject);
  });

const withProxy = async (port: number, run: (proxy: FaultProxy) => Promise<void>): Promise<void> => {
  const proxy = await startFaultProxy({ port }, { name: "under test" });
  try {
    await run(proxy);
  } finally {
    await proxy.close();
  }
};

test("pass: bytes flow both ways unchanged and are counted", () =>
  withProxy(echoPort, async (proxy) => {
    assert.match(proxy.url, /^http:\/\/127\.0\.0\.1:\d+$/);
    assert.is.not(proxy.port, echoPort);
    const socket = await connect(proxy.port);
    const reply = await exchange(socket, "ping over the proxy", 19);
    assert.is(reply.data, "ping over the proxy");
    socket.destroy();
    const s = proxy.stats();
    assert.is(s.accepted, 1);
    assert.is(s.forwarded, 1);
    assert.is(s.bytesToTarget, 19);
    assert.is(s.bytesToClient, 19);
    assert.is(s.bytesDiscarded, 0);
  }));

test("pass: HTTP requests through the proxy, keep-alive connections reused", () =>
  withProxy(httpPort, async (proxy) => {
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    try {
      assert.is(await httpGet(proxy.port, "/a", agent), "200 hello /a");
      assert.is(await httpGet(proxy.port, "/b", agent), "200 hello /b");
      assert.is(proxy.stats().accepted, 1, "one connection for both requests");
    } finally {
      agent.destroy();
    }
  }));

test("delay: chunks arrive in order and whole; the mode applies to an open connection", () =>
  withProxy(echoPort, async (proxy) => {
    const socket = await connect(proxy.port);
    await proxy.set({ delayMs: 30 });
    assert.equal(proxy.mode, { delayMs: 30 });
    let got = "";
    socket.on("data", (c) => {
      got += c;
    });
    const parts = Array.from({ length: 40 }, (_, i) => `<${i}>`);
    for (const [i, part] of parts.entries()) {
      socket.write(part);
      // Shorten the delay half-way: later chunks must still not overtake earlier ones.
      if (i === 20) await proxy.set({ delayMs: 1 });
      await new Promise((r) => setImmediate(r));
    }
    const expected = parts.join("");
    for (let i = 0; i < 200 && got.length < expected.length; i++) await new Promise((r) => setTimeout(r, 20));
    assert.is(got, expected);
    socket.destroy();
  }));

test("delay: a reply held back longer than the client waits does not arrive in time", () =>
  withProxy(echoPort, async (proxy) => {
    await proxy.set({ delayMs: 30_000 });
    const socket = await connect(proxy.port);
    const reply = await exchange(socket, "slow", 4, 300);
    assert.is(reply.data, "");
    assert.is(reply.ended, false);
    socket.destroy();
  }));

test("drop: new connections are accepted and reset; open ones are reset when it is set; pass heals", () =>
  withProxy(echoPort, async (proxy) => {
    const open = await connect(proxy.port);
    assert.is((await exchange(open, "before", 6)).data, "before");
    const gone = closed(open);
    await proxy.set("drop");
    await gone;
    assert.ok(open.destroyed, "the open connection was reset");

    const fresh = createConnection({ port: proxy.port, host: "127.0.0.1" });
    fresh.on("error", () => {});
    await closed(fresh);
    const before = echoed;
    assert.is(proxy.stats().dropped, 2);

    await proxy.set("pass");
    const healed = await connect(proxy.port);
    assert.is((await exchange(healed, "after", 5)).data, "after");
    healed.destroy();
    assert.is(echoed, before + 5, "nothing sent while dropping reached the server");
  }));

test("drop: an HTTP request fails with a reset, not a hang", () =>
  withProxy(httpPort, async (proxy) => {
    await proxy.set("drop");
    const error = await httpGet(proxy.port, "/x").then(
      () => "answered",
      (e: NodeJS.ErrnoException) => e.code ?? e.message,
    );
    assert.ok(["ECONNRESET", "EPIPE"].includes(error), error);
  }));

test("blackhole: connections are accepted and read, nothing comes back, nothing reaches the server", () =>
  withProxy(echoPort, async (proxy) => {
    await proxy.set("blackhole");
    const before = echoed;
    const socket = await connect(proxy.port);
    const reply = await exchange(socket, "anyone there?", 13, 300);
    assert.is(reply.data, "");
    assert.is(reply.ended, false, "the connection stays open");
    assert.is(echoed, before, "the server never saw it");
    const s = proxy.stats();
    assert.is(s.blackholed, 1);
    assert.is(s.bytesDiscarded, 13);
    assert.is(s.open, 1);
    socket.destroy();
  }));

test("blackhole: an open connection goes silent and stays so after pass; new connections work", () =>
  withProxy(echoPort, async (proxy) => {
    const open = await connect(proxy.port);
    assert.is((await exchange(open, "one", 3)).data, "one");
    await proxy.set("blackhole");
    assert.is((await exchange(open, "two", 3, 300)).data, "", "silent while blackholed");
    await proxy.set("pass");
    assert.is((await exchange(open, "three", 5, 300)).data, "", "still silent: its bytes were lost");
    const fresh = await connect(proxy.port);
    assert.is((await exchange(fresh, "four", 4)).data, "four");
    open.destroy();
    fresh.destroy();
  }));

test("blackhole: a keep-alive HTTP client hangs until its own timeout", () =>
  withProxy(httpPort, async (proxy) => {
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    try {
      assert.is(await httpGet(proxy.port, "/warm", agent), "200 hello /warm");
      const before = httpRequests;
      await proxy.set("blackhole");
      const error = await httpGet(proxy.port, "/hung", agent, 300).then(
        () => "answered",
        (e: NodeJS.ErrnoException) => e.code ?? e.message,
      );
      assert.is(error, "TIMEOUT");
      assert.is(httpRequests, before, "the request never reached the server");
    } finally {
      agent.destroy();
    }
  }));

test("lose-replies: requests reach the server, its answers are lost; open connections too, until it ends", () =>
  withProxy(echoPort, async (proxy) => {
    const open = await connect(proxy.port);
    assert.is((await exchange(open, "one", 3)).data, "one");
    await proxy.set("lose-replies");
    const before = echoed;
    assert.is((await exchange(open, "two", 3, 300)).data, "", "no answer on the open connection");
    const fresh = await connect(proxy.port);
    const reply = await exchange(fresh, "three", 5, 300);
    assert.is(reply.data, "");
    assert.is(reply.ended, false);
    assert.is(echoed, before + 8, "both requests reached the server");
    await proxy.set("pass");
    assert.is((await exchange(open, "four", 4)).data, "four", "answers flow again; the lost ones stay lost");
    const healed = await connect(proxy.port);
    assert.is((await exchange(healed, "five", 4)).data, "five");
    const s = proxy.stats();
    assert.is(s.repliesLost, 2);
    assert.is(s.bytesDiscarded, 3 + 5, "the echoes thrown away");
    for (const socket of [open, fresh, healed]) socket.destroy();
  }));

test("lose-replies: an HTTP request takes effect, and its caller times out", () =>
  withProxy(httpPort, async (proxy) => {
    await proxy.set("lose-replies");
    const before = httpRequests;
    const error = await httpGet(proxy.port, "/effect", undefined, 300).then(
      () => "answered",
      (e: NodeJS.ErrnoException) => e.code ?? e.message,
    );
    assert.is(error, "TIMEOUT");
    assert.is(httpRequests, before + 1, "the server handled it");
  }));

test("pause: nothing moves and nothing is lost; everything held goes on, in order, when it ends", () =>
  withProxy(echoPort, async (proxy) => {
    const open = await connect(proxy.port);
    assert.is((await exchange(open, "a", 1)).data, "a");
    await proxy.set("pause");
    const before = echoed;
    const fresh = await connect(proxy.port);
    let openGot = "";
    let freshGot = "";
    open.on("data", (c) => {
      openGot += c;
    });
    fresh.on("data", (c) => {
      freshGot += c;
    });
    open.write("b");
    open.write("c");
    fresh.write("d");
    await sleep(300);
    assert.is(openGot + freshGot, "", "nothing answered while paused");
    assert.is(echoed, before, "nothing reached the server");
    await proxy.set("pass");
    for (let i = 0; i < 100 && (openGot.length < 2 || freshGot.length < 1); i++) await sleep(20);
    assert.is(openGot, "bc");
    assert.is(freshGot, "d");
    assert.is(proxy.stats().paused, 2);
    assert.is(proxy.stats().bytesDiscarded, 0);
    open.destroy();
    fresh.destroy();
  }));

test("refuse: the port stops listening (ECONNREFUSED) and open connections are reset; pass listens again", () =>
  withProxy(echoPort, async (proxy) => {
    const open = await connect(proxy.port);
    const gone = closed(open);
    await proxy.set("refuse");
    await gone;
    const refused = createConnection({ port: proxy.port, host: "127.0.0.1" });
    const [error] = (await once(refused, "error")) as [NodeJS.ErrnoException];
    assert.is(error.code, "ECONNREFUSED");
    assert.is(proxy.stats().reset, 1);

    await proxy.set("pass");
    const again = await connect(proxy.port);
    assert.is((await exchange(again, "back", 4)).data, "back");
    again.destroy();
  }));

test("a target that is down: the client's connection is reset", async () => {
  const gone = createServer();
  const port = await listen(gone);
  gone.close();
  await withProxy(port, async (proxy) => {
    const socket = await connect(proxy.port);
    const reply = await exchange(socket, "x", 1);
    assert.is(reply.ended, true);
    assert.is(reply.data, "");
  });
});

test.run();
