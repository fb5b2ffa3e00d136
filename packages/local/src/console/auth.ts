/**
 * Who may use the console: a browser holding a session (from a one-time login
 * code `pnpm start` prints, or from pasting an admin token into the login
 * page), or a client sending the stack's JWT with the admin role. Sessions and
 * codes live in memory only: a restart logs everyone out, and nothing of them
 * is ever written to disk.
 */
import { randomBytes, timingSafeEqual } from "node:crypto";
import type { Clock } from "@cvpipe/core/ports/clock";
import { api } from "@cvpipe/core/topology";
import { type LocalKeys, verifyToken } from "../jwt-keys.ts";

/** How long a printed login code can be used (once). */
export const LOGIN_CODE_TTL_MS = 10 * 60_000;
/** How long a session lasts from its login. */
export const SESSION_TTL_MS = 12 * 3_600_000;
/** Codes not yet used, kept at most: a flood of new links cannot grow memory. */
const MAX_PENDING_CODES = 32;

export interface ConsoleSession {
  readonly token: string;
  /** The per-session token every state-changing form carries (CSRF). */
  readonly csrf: string;
  readonly expiresAt: number;
}

const random = (): string => randomBytes(32).toString("base64url");

/** Equal strings in time independent of where they differ. */
const sameSecret = (a: string, b: string): boolean => {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
};

/** The roles of a token's role claim: a string (space-separated) or a list. */
const rolesOf = (claim: unknown): string[] =>
  typeof claim === "string"
    ? claim.split(" ").filter(Boolean)
    : Array.isArray(claim)
      ? claim.filter((r): r is string => typeof r === "string")
      : [];

export class ConsoleAuth {
  readonly #clock: Clock;
  readonly #keys: LocalKeys;
  /** code → when it stops working (ms). */
  readonly #codes = new Map<string, number>();
  readonly #sessions = new Map<string, ConsoleSession>();

  constructor(keys: LocalKeys, clock: Clock) {
    this.#keys = keys;
    this.#clock = clock;
  }

  #now(): number {
    return this.#clock.now().getTime();
  }

  /** A new single-use login code, valid for LOGIN_CODE_TTL_MS. */
  issueLoginCode(): string {
    const now = this.#now();
    for (const [code, until] of this.#codes) if (until <= now) this.#codes.delete(code);
    if (this.#codes.size >= MAX_PENDING_CODES) this.#codes.delete(this.#codes.keys().next().value!);
    const code = random();
    this.#codes.set(code, now + LOGIN_CODE_TTL_MS);
    return code;
  }

  #newSession(): ConsoleSession {
    const now = this.#now();
    for (const [token, s] of this.#sessions) if (s.expiresAt <= now) this.#sessions.delete(token);
    const session = { token: random(), csrf: random(), expiresAt: now + SESSION_TTL_MS };
    this.#sessions.set(session.token, session);
    return session;
  }

  /** A session for a code that was issued, not used yet and not expired; the code is spent either way. */
  redeem(code: string): ConsoleSession | undefined {
    const until = this.#codes.get(code);
    if (until === undefined) return undefined;
    this.#codes.delete(code);
    if (until <= this.#now()) return undefined;
    return this.#newSession();
  }

  /** Whether a token is the stack's, valid now, and carries the admin role. */
  async isAdminToken(token: string): Promise<boolean> {
    const checked = await verifyToken(this.#keys, token, this.#clock.now());
    return checked.ok && rolesOf(checked.payload[api.roleClaim]).includes(api.adminRole);
  }

  /** A session for a pasted admin token (the login page's form: a new link without restarting). */
  async loginWithToken(token: string): Promise<ConsoleSession | undefined> {
    return (await this.isAdminToken(token)) ? this.#newSession() : undefined;
  }

  /** The live session a cookie names, if any. */
  session(token: string | undefined): ConsoleSession | undefined {
    if (!token) return undefined;
    const session = this.#sessions.get(token);
    if (!session) return undefined;
    if (session.expiresAt <= this.#now()) {
      this.#sessions.delete(token);
      return undefined;
    }
    return session;
  }

  /** Whether a form's CSRF token is its session's. */
  csrfMatches(session: ConsoleSession, sent: string | undefined): boolean {
    return sent !== undefined && sameSecret(session.csrf, sent);
  }

  logout(token: string): void {
    this.#sessions.delete(token);
  }
}
