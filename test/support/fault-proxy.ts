/**
 * A TCP fault proxy for tests: listens on 127.0.0.1 (a random port) in front of
 * one target host:port and lets the test decide, at run time, what the network
 * between a client and that server does.
 *
 * Modes (`proxy.set(mode)`; every switch applies to the connections already
 * open as well as to new ones):
 * - `"pass"`: bytes flow both ways unchanged.
 * - `{ delayMs }`: every chunk, either way, arrives `delayMs` later (order kept).
 * - `"drop"`: new connections are accepted and reset at once; open ones are
 *   reset when the mode is set (a crashed server: ECONNRESET, "socket hang up").
 * - `"blackhole"`: new connections are accepted and read, and nothing ever comes
 *   back; open ones go silent the same way (their bytes are discarded, the
 *   server's answers too). A blackholed connection stays silent for good, even
 *   after the mode changes back: what was discarded cannot be replayed, as with
 *   a server host that died without a word and was replaced at the same address.
 *   Only a client-side timeout gets a caller out.
 * - `"lose-replies"`: what clients send reaches the target, nothing it answers
 *   comes back (a partition in one direction): every request takes effect and
 *   its caller cannot know. Open connections turn so too. When the mode changes
 *   back they carry answers again; those thrown away meanwhile stay lost (a
 *   caller waiting for one waits until its own timeout).
 * - `"pause"`: nothing moves either way, and nothing is lost: bytes wait in the
 *   proxy, open connections' too, and all of them go on, in order, the moment
 *   the mode changes (a stall the network recovers from, TCP retransmitting).
 * - `"refuse"`: the port stops listening (ECONNREFUSED) and open connections are
 *   reset — the process is down; any other mode listens again on the same port.
 *
 * Counts connections by what happened to them and bytes by direction (`stats()`).
 */
import { createServer, type Server, Socket } from "node:net";

export type FaultMode =
  | "pass"
  | "drop"
  | "blackhole"
  | "lose-replies"
  | "pause"
  | "refuse"
  | { readonly delayMs: number };

export interface FaultProxyStats {
  /** Connections accepted (in any mode but refuse). */
  readonly accepted: number;
  /** Connections forwarded to the target (pass or delay when accepted). */
  readonly forwarded: number;
  /** Connections reset by drop: at accept, or open ones when drop was set. */
  readonly dropped: number;
  /** Connections made silent by blackhole: at accept, or open ones when blackhole was set. */
  readonly blackholed: number;
  /** Connections whose answers lose-replies threw away: at accept, or open ones when it was set. */
  readonly repliesLost: number;
  /** Connections held by pause: at accept, or open ones when it was set. */
  readonly paused: number;
  /** Connections reset because refuse was set while they were open. */
  readonly reset: number;
  /** Connections open now (blackholed ones included). */
  readonly open: number;
  /** Bytes forwarded client → target. */
  readonly bytesToTarget: number;
  /** Bytes forwarded target → client. */
  readonly bytesToClient: number;
  /** Bytes read and thrown away (blackholed connections, either side; answers under lose-replies). */
  readonly bytesDiscarded: number;
}

export interface FaultProxy {
  /** A label for messages (the service it stands in front of). */
  readonly name: string;
  readonly port: number;
  /** `http://127.0.0.1:<port>`: what a client should use as its endpoint. */
  readonly url: string;
  readonly target: { readonly host: string; readonly port: number };
  /** The mode now. */
  readonly mode: FaultMode;
  /** Switches mode (resolves once the listener is closed or listening again, for refuse). */
  set(mode: FaultMode): Promise<void>;
  stats(): FaultProxyStats;
  /** Closes the listener and every connection. */
  close(): Promise<void>;
}

export interface FaultProxyOptions {
  readonly name?: string;
  readonly mode?: FaultMode;
}

const HOST = "127.0.0.1";

/** The other side of a `host:port` string or URL (`http://127.0.0.1:4566`). */
const parseTarget = (target: string | { host?: string; port: number }): { host: string; port: number } => {
  if (typeof target !== "string") return { host: target.host ?? HOST, port: target.port };
  const url = new URL(target.includes("://") ? target : `tcp://${target}`);
  const port = Number(url.port || (url.protocol === "https:" ? 443 : 80));
  return { host: url.hostname.replace(/^\[|\]$/g, ""), port };
};

/** Ordered delivery after a delay: one timer per direction, chunks released in arrival order. */
class DelayLine {
  readonly #queue: { at: number; chunk: Buffer }[] = [];
  readonly #write: (chunk: Buffer) => void;
  #timer: NodeJS.Timeout | undefined;
  #onEmpty: (() => void)[] = [];
  #held = false;

  constructor(write: (chunk: Buffer) => void) {
    this.#write = write;
  }

  push(chunk: Buffer, delayMs: number): void {
    if (delayMs <= 0 && this.#queue.length === 0 && !this.#held) {
      this.#write(chunk);
      return;
    }
    const last = this.#queue.at(-1)?.at ?? 0;
    this.#queue.push({
      at: this.#held ? Number.POSITIVE_INFINITY : Math.max(performance.now() + delayMs, last),
      chunk,
    });
    this.#arm();
  }

  /** Keeps everything pushed from now on until `release`. */
  hold(): void {
    this.#held = true;
  }

  /** Everything held goes out now, in order (what was queued before the hold keeps its own time). */
  release(): void {
    if (!this.#held) return;
    this.#held = false;
    const now = performance.now();
    for (const item of this.#queue) if (item.at === Number.POSITIVE_INFINITY) item.at = now;
    this.#arm();
  }

  /** Runs `then` once everything queued has been written (at once when nothing is). */
  whenEmpty(then: () => void): void {
    if (this.#queue.length === 0 && !this.#held) then();
    else this.#onEmpty.push(then);
  }

  clear(): void {
    this.#queue.length = 0;
    clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#onEmpty = [];
  }

  #arm(): void {
    if (this.#timer) return;
    const next = this.#queue[0];
    if (!next || next.at === Number.POSITIVE_INFINITY) return;
    this.#timer = setTimeout(
      () => {
        this.#timer = undefined;
        const now = performance.now();
        while (this.#queue[0] && this.#queue[0].at <= now) this.#write(this.#queue.shift()!.chunk);
        if (this.#queue.length > 0) this.#arm();
        else if (!this.#held) for (const then of this.#onEmpty.splice(0)) then();
      },
      Math.max(0, next.at - performance.now()),
    );
  }
}

interface Connection {
  readonly client: Socket;
  upstream: Socket | undefined;
  state: "forwarding" | "one-way" | "blackholed";
  toTarget: DelayLine;
  toClient: DelayLine;
}

const reset = (socket: Socket | undefined): void => {
  if (!socket || socket.destroyed) return;
  // RST rather than FIN where the socket can (a crash, not a polite close).
  if (typeof socket.resetAndDestroy === "function" && !socket.connecting) socket.resetAndDestroy();
  else socket.destroy();
};

/**
 * Starts a proxy in front of `target` (`"127.0.0.1:8000"`, `"http://127.0.0.1:8000"` or `{ port }`).
 *
 * @example
 * const proxy = await startFaultProxy(emulators.dynamoDbEndpoint!, { name: "dynamodb" });
 * process.env.AWS_ENDPOINT_URL_DYNAMODB = proxy.url;
 * await proxy.set("blackhole"); // ... the dependency is unreachable ...
 * await proxy.set("pass");
 */
export const startFaultProxy = async (
  target: string | { host?: string; port: number },
  options: FaultProxyOptions = {},
): Promise<FaultProxy> => {
  const to = parseTarget(target);
  const name = options.name ?? `${to.host}:${to.port}`;
  let mode: FaultMode = options.mode ?? "pass";
  const connections = new Set<Connection>();
  const counts = {
    accepted: 0,
    forwarded: 0,
    dropped: 0,
    blackholed: 0,
    repliesLost: 0,
    paused: 0,
    reset: 0,
    bytesToTarget: 0,
    bytesToClient: 0,
    bytesDiscarded: 0,
  };
  const delayOf = (): number => (typeof mode === "object" ? mode.delayMs : 0);

  /** From now on the target's answers on this connection are thrown away; requests still go through. */
  const loseReplies = (c: Connection): void => {
    if (c.state !== "forwarding") return;
    c.state = "one-way";
    counts.repliesLost++;
    c.toClient.clear();
  };

  const pause = (c: Connection): void => {
    if (c.state === "blackholed") return;
    counts.paused++;
    c.toTarget.hold();
    c.toClient.hold();
  };

  const silence = (c: Connection): void => {
    if (c.state === "blackholed") return;
    c.state = "blackholed";
    counts.blackholed++;
    c.toTarget.clear();
    c.toClient.clear();
    // The server's side goes away quietly; the client hears nothing, ever.
    const up = c.upstream;
    c.upstream = undefined;
    if (up) {
      up.removeAllListeners();
      up.on("error", () => {});
      up.destroy();
    }
    c.client.resume();
  };

  const kill = (c: Connection): void => {
    connections.delete(c);
    c.toTarget.clear();
    c.toClient.clear();
    reset(c.client);
    reset(c.upstream);
  };

  const onConnection = (client: Socket): void => {
    client.on("error", () => {});
    if (mode === "refuse") {
      // Accepted in the instant before the listener closed: as good as refused.
      reset(client);
      return;
    }
    counts.accepted++;
    if (mode === "drop") {
      counts.dropped++;
      reset(client);
      return;
    }
    const c: Connection = {
      client,
      upstream: undefined,
      state: "forwarding",
      toTarget: new DelayLine((chunk) => {
        if (c.state === "blackholed" || !c.upstream) return;
        counts.bytesToTarget += chunk.length;
        c.upstream.write(chunk);
      }),
      toClient: new DelayLine((chunk) => {
        if (c.state !== "forwarding") return;
        counts.bytesToClient += chunk.length;
        client.write(chunk);
      }),
    };
    connections.add(c);
    client.on("close", () => {
      connections.delete(c);
      c.toTarget.clear();
      c.toClient.clear();
      reset(c.upstream);
    });
    client.on("data", (chunk: Buffer) => {
      if (c.state === "blackholed") counts.bytesDiscarded += chunk.length;
      else c.toTarget.push(chunk, delayOf());
    });
    if (mode === "blackhole") {
      silence(c);
      return;
    }
    counts.forwarded++;
    // The client's bytes wait (in the socket) until the target has accepted the connection.
    client.pause();
    const upstream = new Socket({ allowHalfOpen: true });
    c.upstream = upstream;
    upstream.on("error", () => {
      if (c.state === "forwarding") reset(client);
    });
    upstream.on("data", (chunk: Buffer) => {
      if (c.state !== "forwarding") counts.bytesDiscarded += chunk.length;
      else c.toClient.push(chunk, delayOf());
    });
    upstream.on("end", () => {
      if (c.state === "forwarding") c.toClient.whenEmpty(() => client.end());
    });
    upstream.on("close", () => {
      if (c.state === "forwarding") c.toClient.whenEmpty(() => client.end());
    });
    client.on("end", () => {
      if (c.state !== "blackholed") c.toTarget.whenEmpty(() => c.upstream?.end());
    });
    upstream.connect(to.port, to.host, () => {
      if (c.state !== "blackholed") client.resume();
    });
    if (mode === "lose-replies") loseReplies(c);
    if (mode === "pause") pause(c);
  };

  // Half-open allowed: a client that has sent its last byte still gets the rest of the answer.
  const server: Server = createServer({ allowHalfOpen: true }, onConnection);
  const listen = (port: number): Promise<number> =>
    new Promise((resolve, reject) => {
      server.once("error", reject);
      server.listen(port, HOST, () => {
        server.off("error", reject);
        resolve((server.address() as { port: number }).port);
      });
    });
  const port = await listen(0);
  let listening = true;

  const set = async (next: FaultMode): Promise<void> => {
    const previous = mode;
    mode = next;
    if (next === "refuse") {
      for (const c of [...connections]) {
        counts.reset++;
        kill(c);
      }
      if (listening) {
        listening = false;
        await new Promise<void>((resolve) => server.close(() => resolve()));
      }
      return;
    }
    if (previous === "refuse" && !listening) {
      await listen(port);
      listening = true;
    }
    if (previous === "lose-replies" && next !== "lose-replies" && next !== "blackhole") {
      for (const c of connections) if (c.state === "one-way") c.state = "forwarding";
    }
    if (next === "drop") {
      for (const c of [...connections]) {
        counts.dropped++;
        kill(c);
      }
    } else if (next === "blackhole") {
      for (const c of connections) silence(c);
    } else if (next === "lose-replies") {
      for (const c of connections) loseReplies(c);
    } else if (next === "pause") {
      for (const c of connections) pause(c);
    }
    if (previous === "pause" && next !== "pause") {
      for (const c of connections) {
        c.toTarget.release();
        c.toClient.release();
      }
    }
  };

  return {
    name,
    port,
    url: `http://${HOST}:${port}`,
    target: to,
    get mode() {
      return mode;
    },
    set,
    stats: () => ({ ...counts, open: connections.size }),
    close: async () => {
      for (const c of [...connections]) kill(c);
      if (listening) {
        listening = false;
        await new Promise<void>((resolve) => server.close(() => resolve()));
      }
    },
  };
};

/** A mode as a word for messages: `delay 300 ms`, `blackhole`. */
export const describeMode = (mode: FaultMode): string => (typeof mode === "object" ? `delay ${mode.delayMs} ms` : mode);
