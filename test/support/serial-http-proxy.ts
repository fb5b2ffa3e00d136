/**
 * An HTTP proxy on 127.0.0.1 that forwards one request at a time to a target
 * and answers each caller with the target's answer, unchanged.
 *
 * Why: moto_server serves requests on threads, and its DynamoDB item writes
 * are not atomic (a condition is evaluated on the live item and the update
 * applied in place, with no lock: docs/emulator-differences.md). Two
 * concurrent conditional UpdateItems can both pass a condition only one of
 * them should, and two concurrent ADDs can lose one — which DynamoDB never
 * does. The moto backend sends DynamoDB (whose calls never wait long, unlike
 * SQS's long polls) through this proxy, so moto's DynamoDB gets its requests
 * one by one, as atomic as DynamoDB's own; everything else about it is
 * moto's.
 */
import { Agent, createServer, request, type Server } from "node:http";
import type { AddressInfo } from "node:net";

/** Longer than any DynamoDB call's SDK timeout (2 s, 20 s in the in-process tests). */
const UPSTREAM_TIMEOUT_MS = 30_000;

export interface SerialProxy {
  /** `http://127.0.0.1:<port>`. */
  readonly endpoint: string;
  /** Requests forwarded so far. */
  forwarded(): number;
  close(): Promise<void>;
}

export const startSerialProxy = async (target: string): Promise<SerialProxy> => {
  const url = new URL(target);
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  let queue: Promise<void> = Promise.resolve();
  let forwarded = 0;
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const body = Buffer.concat(chunks);
      // Each request waits for the one before it to be answered in full.
      queue = queue.then(
        () =>
          new Promise<void>((done) => {
            const out = request(
              {
                host: url.hostname,
                port: url.port,
                method: req.method,
                path: req.url,
                headers: { ...req.headers, host: url.host },
                agent,
              },
              (answer) => {
                const parts: Buffer[] = [];
                answer.on("data", (c: Buffer) => parts.push(c));
                answer.on("end", () => {
                  forwarded++;
                  res.writeHead(answer.statusCode ?? 502, answer.headers);
                  res.end(Buffer.concat(parts));
                  done();
                });
                answer.on("error", (error) => {
                  res.destroy(error);
                  done();
                });
              },
            );
            // A target that never answers must not hold every later request: 504 after UPSTREAM_TIMEOUT_MS.
            out.setTimeout(UPSTREAM_TIMEOUT_MS, () => {
              out.destroy();
              if (!res.headersSent) res.writeHead(504).end();
              else res.destroy();
              done();
            });
            out.on("error", (error) => {
              res.destroy(error);
              done();
            });
            out.end(body);
          }),
      );
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  // It lives as long as the test process and must not keep it alive: neither its listener nor a
  // caller's connection (a request cut off mid-way by a fault proxy in front of it would otherwise
  // hold the process until Node's 60 s headers timeout after the file's last test).
  server.unref();
  server.on("connection", (socket) => socket.unref());
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    forwarded: () => forwarded,
    close: () =>
      new Promise<void>((resolve) => {
        agent.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
};
