import { parseArgs } from "node:util";
import { IDENTITY_RULE, IDENTITY_VALUE } from "@cvpipe/core/contracts/identity";
import { clockFromEnv } from "@cvpipe/core/ports/clock";
import { type ApiScope, api } from "@cvpipe/core/topology";
import { mintToken, readKeys } from "@cvpipe/local/jwt-keys";
import { settingsFromEnv } from "@cvpipe/local/settings";
import { UsageError } from "../stack-info.ts";

const known = Object.keys(api.scopes) as ApiScope[];

export const tokenHelp = `cvpipe token --tenant T --user U [--scope S ...] [--role R ...] [--ttl SECONDS]
  Mints a JWT for the embedded stack, signed with the key generated on its first start.
  Claims: tenantId = T, sub = U, scope = the --scope values (repeat the flag for several).
  Default scopes: a producer's, ${api.producerScopes.join(" ")}.
  Scopes: ${known.map((s) => `${s} (${api.scopes[s]})`).join(";\n          ")}.
  A route refuses a token without one of its scopes: 403 {"message":"Forbidden"}.
  --role puts R in the "${api.roleClaim}" claim: "${api.analystRole}" (with --scope cvpipe/feedback.read) reads the tenant's feedback.
  Default lifetime 3600 s.`;

export const token = async (args: string[]): Promise<void> => {
  const { values } = parseArgs({
    args,
    options: {
      tenant: { type: "string" },
      user: { type: "string" },
      scope: { type: "string", multiple: true },
      role: { type: "string", multiple: true },
      ttl: { type: "string", default: "3600" },
    },
    strict: true,
  });
  if (!values.tenant) throw new UsageError("--tenant is required");
  if (!values.user) throw new UsageError("--user is required");
  for (const [flag, value] of [
    ["--tenant", values.tenant],
    ["--user", values.user],
  ] as const) {
    if (!IDENTITY_VALUE.test(value)) {
      throw new UsageError(`${flag} must be ${IDENTITY_RULE} (the API refuses others)`);
    }
  }
  const scopes = values.scope ?? [...api.producerScopes];
  for (const scope of scopes) {
    if (!(known as string[]).includes(scope)) {
      throw new UsageError(`--scope "${scope}" is not one of ${known.join(", ")}`);
    }
  }
  const ttlSeconds = Number(values.ttl);
  if (!Number.isInteger(ttlSeconds) || ttlSeconds < 1) throw new UsageError("--ttl must be a whole number of seconds");
  const keys = readKeys(settingsFromEnv().dataDir);
  console.log(
    await mintToken(keys, {
      tenantId: values.tenant,
      userId: values.user,
      ttlSeconds,
      scopes: [...new Set(scopes)],
      ...(values.role?.length ? { extraClaims: { [api.roleClaim]: [...new Set(values.role)] } } : {}),
      now: clockFromEnv(process.env).now(),
    }),
  );
};
