/**
 * Who a use case acts for, and what travels with a request. The HTTP layer
 * builds both (the verified JWT's tenant and `sub` claims; the request's
 * correlation id); the use cases (submitting jobs and events, reading one's
 * own jobs) take them without knowing where they came from.
 */

/** The authenticated producer: a tenant and a user of it (ids as contracts/identity.ts allows them). */
export interface Caller {
  readonly tenantId: string;
  readonly userId: string;
}

/** About the request rather than the job: travels with its messages, never changes what they say. */
export interface RequestContext {
  /** The request's correlation id, put on every message the request sends (and kept on the job it creates). */
  readonly correlationId?: string;
}
