/**
 * Real time for waiting and measuring: the functions' clock (`Clock`) may be fixed or shifted, a
 * wait's seconds and a cache's age are not. The use cases take it; the composition roots pass
 * `realTimer`, tests one whose time moves when they say.
 */
export interface Timer {
  /** Milliseconds from an arbitrary origin, never going back. */
  elapsedMs(): number;
  sleep(ms: number): Promise<void>;
}

export const realTimer: Timer = {
  elapsedMs: () => performance.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};
