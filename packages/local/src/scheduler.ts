/**
 * A local stand-in for an EventBridge schedule rule: fires the target with a
 * Scheduled Event (the shape EventBridge sends) at each cron time, and on demand.
 * Like EventBridge, it does not replay fire times missed while it was down.
 */
import { randomUUID } from "node:crypto";
import { type Clock, systemClock } from "@cvpipe/core/ports/clock";
import { nextFireTime, parseCron } from "@cvpipe/core/schedule/eventbridge-cron";
import type { ScheduleSpec } from "@cvpipe/core/topology";
import type { Context, ScheduledEvent } from "aws-lambda";
import { lambdaContext, withTimeout } from "./lambda-context.ts";

export type ScheduledHandler = (event: ScheduledEvent, context: Context) => Promise<unknown>;

export const scheduledEvent = (spec: ScheduleSpec, region: string, time: Date): ScheduledEvent => ({
  version: "0",
  id: randomUUID(),
  "detail-type": "Scheduled Event",
  source: "aws.events",
  account: "000000000000",
  time: time.toISOString().replace(/\.\d{3}Z$/, "Z"),
  region,
  resources: [`arn:aws:events:${region}:000000000000:rule/cvpipe-${spec.id}`],
  detail: {},
});

export class Scheduler {
  readonly #spec: ScheduleSpec;
  readonly #handler: ScheduledHandler;
  readonly #region: string;
  readonly #timeoutSeconds: number;
  readonly #log: (line: string) => void;
  readonly #clock: Clock;
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<unknown> = Promise.resolve();

  constructor(
    spec: ScheduleSpec,
    handler: ScheduledHandler,
    region: string,
    timeoutSeconds: number,
    log: (line: string) => void,
    /** The functions' clock (CVPIPE_CLOCK_OFFSET_MS): the rule matches their "now", as EventBridge matches AWS's. */
    clock: Clock = systemClock,
  ) {
    this.#clock = clock;
    this.#spec = spec;
    this.#handler = handler;
    this.#region = region;
    this.#timeoutSeconds = timeoutSeconds;
    this.#log = log;
  }

  /** When the schedule fires next. */
  next(now = this.#clock.now()): Date | undefined {
    return nextFireTime(parseCron(this.#spec.cron), now);
  }

  start(): void {
    const at = this.next();
    if (!at) return;
    // setTimeout caps at ~24.8 days; re-arm in steps so long waits stay exact.
    const delay = Math.min(at.getTime() - this.#clock.now().getTime(), 2 ** 31 - 1);
    this.#timer = setTimeout(() => {
      if (this.#clock.now().getTime() >= at.getTime()) {
        this.trigger(at).catch((error: unknown) =>
          this.#log(`schedule ${this.#spec.id}: ${this.#spec.target} failed: ${(error as Error).message}`),
        );
      }
      this.start();
    }, delay);
    this.#timer.unref();
  }

  /** Fires the target now (the manual trigger), as if the rule had matched `time`. */
  async trigger(time = this.#clock.now()): Promise<unknown> {
    const event = scheduledEvent(this.#spec, this.#region, time);
    this.#log(`schedule ${this.#spec.id}: firing ${this.#spec.target} (${event.time})`);
    const run = withTimeout(
      this.#handler(event, lambdaContext(this.#spec.target, this.#timeoutSeconds, this.#region)),
      this.#timeoutSeconds * 1000,
    );
    this.#running = run.catch(() => undefined);
    return run;
  }

  async stop(): Promise<void> {
    clearTimeout(this.#timer);
    await this.#running;
  }
}
