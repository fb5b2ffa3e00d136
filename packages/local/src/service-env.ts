/**
 * The environment the stack's functions and clients run with, service by service (services.ts
 * decides each one's source):
 * - emulated: the emulator's endpoint and keys generated per start (clients.ts's
 *   CVPIPE_LOCAL_CREDENTIALS_<SERVICE>), which the emulators accept and nothing keeps;
 * - the user's endpoint: their AWS_ENDPOINT_URL_<SERVICE> as they set it, with their own
 *   credentials when they have some, else fixed local keys;
 * - real AWS: nothing set at all, so the SDK takes AWS's endpoint and the user's credential chain.
 * The global AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY are the per-start keys only when no service
 * uses the user's credentials; otherwise they stay the user's.
 */
import { randomBytes } from "node:crypto";
import { endpointEnv, localCredentialsEnv } from "@cvpipe/aws/clients";
import { hasUserCredentials, type LocalService, localServices, type ServicePlan, sdkServiceId } from "./services.ts";

type Env = Readonly<Record<string, string | undefined>>;

/** Per-start keys for the emulators: they accept any, and none is kept anywhere. */
export const localKeyPair = (): { id: string; secret: string } => ({
  id: `LOCAL${randomBytes(8).toString("hex").toUpperCase()}`,
  secret: randomBytes(20).toString("base64url"),
});

/**
 * Keys for a user-configured endpoint when the user has none of their own: fixed, like the CLI's
 * (`local`), so stores that partition by key (DynamoDB Local) show the stack and the CLI the same data.
 */
export const CONFIGURED_ENDPOINT_KEYS = "local:local";

/**
 * The variables to set (a string) or unset (undefined) for the plan. `endpointOf` is each emulated
 * service's address; `env` is the user's environment, read for their credentials only.
 */
export const serviceEnv = (
  plan: ServicePlan,
  endpointOf: (service: LocalService) => string,
  keys: { readonly id: string; readonly secret: string },
  env: Env,
): Record<string, string | undefined> => {
  const userHasCredentials = hasUserCredentials(env);
  const usesUserCredentials = (service: LocalService): boolean =>
    plan[service].kind === "aws" || (plan[service].kind === "configured" && userHasCredentials);
  const out: Record<string, string | undefined> = {};
  if (!localServices.some(usesUserCredentials)) {
    out["AWS_ACCESS_KEY_ID"] = keys.id;
    out["AWS_SECRET_ACCESS_KEY"] = keys.secret;
  }
  for (const service of localServices) {
    const id = sdkServiceId[service];
    if (plan[service].kind === "emulated") {
      out[endpointEnv(id)] = endpointOf(service);
      out[localCredentialsEnv(id)] = `${keys.id}:${keys.secret}`;
    } else {
      // The user's endpoint variable (or none: the SDK's AWS endpoint) is left as the user set it.
      out[localCredentialsEnv(id)] = usesUserCredentials(service) ? undefined : CONFIGURED_ENDPOINT_KEYS;
    }
  }
  return out;
};
