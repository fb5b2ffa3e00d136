/** Listening and closing, one way for every local server (emulators, gateway, the model stand-ins). */
import type { Server as HttpServer } from "node:http";
import type { AddressInfo, Server } from "node:net";
import { HOST } from "./settings.ts";

/** Listens on `host` (loopback unless a caller chose one) and `port` (0: any free one); the port bound. */
export const listen = (server: Server, port = 0, host: string = HOST): Promise<number> =>
  new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => resolve((server.address() as AddressInfo).port));
  });

/** Stops accepting and ends every connection, idle or not: resolves once the server is closed. */
export const closeServer = (server: HttpServer): Promise<void> =>
  new Promise((resolve) => {
    server.close(() => resolve());
    // Optional: dynalite's and the SES emulator's servers are typed as http.Server but built by their packages.
    server.closeAllConnections?.();
  });
