/**
 * `GET /v1/health`: every dependency checked, each named. The API is
 * unavailable when one it needs to take work is down (its table, queues,
 * bucket); degraded when only one the workers need is (SES for the weekly
 * report, Bedrock when a model is configured), since jobs and events are then
 * still taken and wait in their queues. The workers have no route of their
 * own, so this is where an operator sees them.
 */
import type { DependencyCheck } from "@cvpipe/core/ports/dependency-check";
import type { Timer } from "@cvpipe/core/ports/timer";
import type { HealthCheck } from "../http/response-schemas.ts";

/** A check the route runs; `required`: the API cannot take work without its dependency. */
export interface HealthProbe extends DependencyCheck {
  readonly required: boolean;
}

export interface HealthVerdict {
  readonly status: "ok" | "degraded" | "unavailable";
  readonly checks: readonly HealthCheck[];
  /** The failing required checks' names (what makes it unavailable). */
  readonly requiredDown: readonly string[];
}

/** How long a finished round's answer is reused. */
export const HEALTH_MAX_AGE_MS = 1_000;

export interface HealthOptions {
  /** Real time, for a round's age (the composition root passes `realTimer`; tests their own). */
  readonly timer: Pick<Timer, "elapsedMs">;
  readonly maxAgeMs?: number;
}

interface Round {
  readonly checks: Promise<HealthCheck[]>;
  /** When it finished, by `now`; undefined while it runs. */
  finishedAt?: number;
}

/** The last round per list of probes (one per cold start; tests may hold several). */
const rounds = new WeakMap<readonly HealthProbe[], Round>();

/**
 * Runs every probe at once. The route needs no token, so a flood of health requests must not become a
 * flood of dependency calls: calls that arrive while a round runs share it, and a finished round's
 * answer is reused for HEALTH_MAX_AGE_MS (on AWS, where an instance serves one request at a time, the
 * reuse is what bounds it: at most one round a second per instance).
 */
export const checkHealth = async (probes: readonly HealthProbe[], options: HealthOptions): Promise<HealthVerdict> => {
  const now = () => options.timer.elapsedMs();
  const maxAgeMs = options.maxAgeMs ?? HEALTH_MAX_AGE_MS;
  let round = rounds.get(probes);
  if (!round || (round.finishedAt !== undefined && now() - round.finishedAt >= maxAgeMs)) {
    const started: Round = {
      checks: runProbes(probes).finally(() => {
        started.finishedAt = now();
      }),
    };
    round = started;
    rounds.set(probes, round);
  }
  const checks = await round.checks;
  const down = checks.filter((c) => !c.ok);
  const requiredDown = down.filter((c) => c.required).map((c) => c.name);
  const status = requiredDown.length > 0 ? "unavailable" : down.length > 0 ? "degraded" : "ok";
  return { status, checks, requiredDown };
};

/** An error's name as the answer shows it: a plain identifier (what the SDK and Node give), else "Error". */
const ERROR_NAME = /^[A-Za-z][A-Za-z0-9_]{0,63}$/;
const errorName = (error: unknown): string => {
  const name = error instanceof Error ? error.name : "";
  return ERROR_NAME.test(name) ? name : "Error";
};

const runProbes = (probes: readonly HealthProbe[]): Promise<HealthCheck[]> =>
  Promise.all(
    probes.map(async (p) => {
      const about = { name: p.name, dependency: p.dependency, required: p.required };
      try {
        await p.run();
        return { ...about, ok: true };
      } catch (error) {
        // The error's name (TimeoutError, ECONNREFUSED, …), never its message.
        return { ...about, ok: false, error: errorName(error) };
      }
    }),
  );
