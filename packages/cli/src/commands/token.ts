import { existsSync } from "node:fs";
import { join } from "node:path";
import { IDENTITY_RULE, IDENTITY_VALUE } from "@cvpipe/core/contracts/identity";
import { clockFromEnv } from "@cvpipe/core/ports/clock";
import { type ApiScope, api } from "@cvpipe/core/topology";
import { mintToken, readKeys } from "@cvpipe/local/jwt-keys";
import { settingsFromEnv } from "@cvpipe/local/settings";
import { parseCliArgs, positiveInteger } from "../args.ts";
import { StackNotFoundError, UsageError } from "../stack-info.ts";

const known = Object.keys(api.scopes) as ApiScope[];

export const tokenHelp = `cvpipe token --tenant T --user U [--scope S ...] [--role R ...] [--ttl SECONDS]
  Mints a JWT for the embedded stack, signed with the key generated on its first start.
  Claims: tenantId = T, sub = U, scope = the --scope values (repeat the flag for several).
  Default scopes: a producer's, ${api.producerScopes.join(" ")}.
  Scopes: ${known.map((s) => `${s} (${api.scopes[s]})`).join(";\n          ")}.
  A route refuses a token without one of its scopes: 403 {"message":"Forbidden"}.
  --role puts R in the "${api.roleClaim}" claim: "${api.analystRole}" (with --scope cvpipe/feedback.read) reads the tenant's feedback.
  --ttl: lifetime in seconds, a positive whole number; default 3600.
  The key is read from CVPIPE_DATA_DIR (default .cvpipe/): the data directory the stack was started with.`;

export const token = async (args: string[]): Promise<void> => {
  const { values } = parseCliArgs({
    args,
    options: {
      tenant: { type: "string" },
      user: { type: "string" },
      scope: { type: "string", multiple: true },
      role: { type: "string", multiple: true },
      ttl: { type: "string", default: "3600" },
      json: { type: "boolean", default: false },
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
  const ttlSeconds = positiveInteger("--ttl", values.ttl, "seconds");
  const dataDir = settingsFromEnv().dataDir;
  // The key is written at the stack's first start under its data directory. Without it nothing is
  // printed on stdout, so `TOKEN=$(pnpm --silent cvpipe token …)` is empty: the reason must reach stderr.
  if (!existsSync(join(dataDir, "keys", "jwt-signing-key.json"))) {
    throw new StackNotFoundError("no signing key (keys/jwt-signing-key.json): no stack has started");
  }
  const keys = readKeys(dataDir);
  const now = clockFromEnv(process.env).now();
  const minted = await mintToken(keys, {
    tenantId: values.tenant,
    userId: values.user,
    ttlSeconds,
    scopes: [...new Set(scopes)],
    ...(values.role?.length ? { extraClaims: { [api.roleClaim]: [...new Set(values.role)] } } : {}),
    now,
  });
  // Bare by default: the README's TOKEN=$(pnpm --silent cvpipe token …) takes stdout as it is.
  console.log(
    values.json
      ? JSON.stringify(
          {
            token: minted,
            tenantId: values.tenant,
            userId: values.user,
            scopes: [...new Set(scopes)],
            expiresAt: new Date(Math.floor(now.getTime() / 1000) * 1000 + ttlSeconds * 1000).toISOString(),
          },
          null,
          2,
        )
      : minted,
  );
};
