/**
 * The emulators in a worker thread of their own (startEmulatorsThread), so
 * that what they do — parsing and answering every AWS call, SQLite and
 * LevelDB writes — runs on another core than the gateway, the pollers and the
 * handlers, which in one thread left a 2-core machine half idle. The thread
 * belongs to the stack's process: it ends with it (a kill leaves nothing
 * behind), and its memory is the process's.
 *
 * Protocol: workerData is { settings, choice }; the thread answers
 * { ready: endpoints } or { failed: { message, code } }, and on "stop" stops
 * the emulators and answers { stopped: true }.
 */
import { parentPort, workerData } from "node:worker_threads";
import { type EmulatorChoice, startEmulators } from "./emulators.ts";
import type { LocalSettings } from "./settings.ts";

const { settings, choice } = workerData as { settings: LocalSettings; choice: EmulatorChoice };
const port = parentPort!;

try {
  const emulators = await startEmulators(settings, choice);
  port.on("message", async (message: unknown) => {
    if (message !== "stop") return;
    await emulators.stop();
    port.postMessage({ stopped: true });
    port.close();
  });
  const { stop: _stop, ...endpoints } = emulators;
  port.postMessage({ ready: endpoints });
} catch (error) {
  const e = error as Error & { code?: string };
  port.postMessage({ failed: { message: e.message, ...(e.code === undefined ? {} : { code: e.code }) } });
  port.close();
}
