import { readFileSync } from "node:fs";
import { createServer } from "node:net";

/**
 * Below the kernel's ephemeral range. A port the kernel hands out for `listen(0)` comes from that
 * range, which is also where every outgoing connection takes its local port: between the moment
 * such a port is released here and the moment the stack binds it, any connection made meanwhile
 * (the suite runs two files at once, each talking to its emulators) may take it, and the stack fails
 * to start with EADDRINUSE. A port below the range is never taken that way; only another listener
 * could, and the random pick and the bind check make that rare.
 */
const LOW = 10_000;
const ephemeralStart = (): number | undefined => {
  try {
    const start = Number(readFileSync("/proc/sys/net/ipv4/ip_local_port_range", "utf8").trim().split(/\s+/)[0]);
    return Number.isInteger(start) && start > LOW + 1_000 ? start : undefined;
  } catch {
    return undefined; // not Linux: the kernel's choice
  }
};
const below = ephemeralStart();

const bindable = (port: number): Promise<number | undefined> =>
  new Promise((resolve) => {
    const s = createServer();
    s.once("error", () => resolve(undefined));
    s.listen(port, "127.0.0.1", () => {
      const bound = (s.address() as { port: number }).port;
      s.close(() => resolve(bound));
    });
  });

/** A free TCP port on 127.0.0.1 (bound, read, released), outside the ephemeral range where there is one. Light to import: no stack code. */
export const freePort = async (): Promise<number> => {
  if (below !== undefined) {
    for (let attempt = 0; attempt < 50; attempt++) {
      const port = await bindable(LOW + Math.floor(Math.random() * (below - LOW)));
      if (port !== undefined) return port;
    }
  }
  const port = await bindable(0);
  if (port === undefined) throw new Error("no free port on 127.0.0.1");
  return port;
};
