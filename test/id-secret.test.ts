/**
 * The ingress's id secret is read at cold start: from a file (the local
 * stack's data directory) or from Secrets Manager (AWS; here moto, skipped
 * where moto_server is not installed). Errors name the source, never the value.
 */
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CreateSecretCommand, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { createSecretsManagerClient } from "@cvpipe/aws/clients";
import { derivedId } from "@cvpipe/core/contracts/canonical-json";
import { IngressConfig } from "@cvpipe/functions/config/ingress";
import { ConfigError, parseConfig } from "@cvpipe/functions/config/settings";
import { IdSecretError, loadIdSecret } from "@cvpipe/functions/id-secret";
import { ensureIdSecret } from "@cvpipe/local/id-secret";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { hasMotoServer, type Moto, startMoto } from "./support/moto.ts";

const dir = mkdtempSync(join(tmpdir(), "cvpipe-id-secret-"));
const moto: Moto | undefined = hasMotoServer() ? await startMoto() : undefined;
const withMoto = moto ? test : test.skip;
test.after(async () => {
  rmSync(dir, { recursive: true, force: true });
  await moto?.close();
});

const baseEnv = {
  TAILORING_JOBS_QUEUE_URL: "q1",
  ANALYTICS_EVENTS_QUEUE_URL: "q2",
  JOBS_TABLE: "jobs",
  PAYLOADS_BUCKET: "bucket",
  CVS_TABLE: "cvs",
  CVS_BUCKET: "cvs-bucket",
  FEEDBACK_TABLE: "feedback",
  DELETIONS_TABLE: "deletions",
};

test("the local stack generates the secret once, owner-only, and keeps it across starts", async () => {
  const dataDir = join(dir, "data");
  const file = ensureIdSecret(dataDir);
  assert.is(statSync(file).mode & 0o777, 0o600);
  assert.is(statSync(join(dataDir, "keys")).mode & 0o777, 0o700);
  const first = await loadIdSecret({ ID_SECRET_FILE: file });
  assert.is(ensureIdSecret(dataDir), file);
  const again = await loadIdSecret({ ID_SECRET_FILE: file });
  assert.is(derivedId(again, "job", "acme", "alice", "k"), derivedId(first, "job", "acme", "alice", "k"));
});

test("an unreadable or short secret file fails the cold start by name, without the content", async () => {
  const short = join(dir, "short");
  writeFileSync(short, "tooshort-but-secret");
  const refused = await loadIdSecret({ ID_SECRET_FILE: short }).catch((e: unknown) => e);
  assert.instance(refused, IdSecretError);
  assert.match((refused as Error).message, /ID_SECRET_FILE .*short.* at least 32/);
  assert.not.match((refused as Error).message, /tooshort-but-secret/);
  const missing = await loadIdSecret({ ID_SECRET_FILE: join(dir, "absent") }).catch((e: unknown) => e);
  assert.instance(missing, IdSecretError);
});

test("the ingress configuration needs exactly one source", () => {
  assert.throws(
    () => parseConfig("ingress", IngressConfig, baseEnv),
    (e: unknown) => e instanceof ConfigError && /ID_SECRET_ARN/.test((e as Error).message),
  );
  assert.throws(
    () => parseConfig("ingress", IngressConfig, { ...baseEnv, ID_SECRET_ARN: "arn", ID_SECRET_FILE: "/f" }),
    /exactly one/,
  );
  const local = parseConfig("ingress", IngressConfig, { ...baseEnv, ID_SECRET_FILE: "/f" });
  assert.is(local.MAX_RESPONSE_BYTES, 5_000_000);
  assert.is(local.RESULT_LINK_TTL_SECONDS, 900);
});

withMoto("on AWS: the generated secret is read from Secrets Manager by its ARN", async () => {
  const client = new SecretsManagerClient(moto!.clientConfig);
  const value = randomBytes(48).toString("base64url");
  const created = await client.send(new CreateSecretCommand({ Name: "cvpipe-qa-id-secret", SecretString: value }));
  // The ingress's own client, configured from the environment as on AWS (here pointing at moto).
  const secret = await loadIdSecret({ ID_SECRET_ARN: created.ARN }, () => createSecretsManagerClient({ ...moto!.env }));
  assert.is(derivedId(secret, "job", "acme", "alice", "first-try").length, 36);
  const unknown = `${created.ARN!.slice(0, -6)}nopeXX`;
  const refused = await loadIdSecret({ ID_SECRET_ARN: unknown }, () => client).catch((e: unknown) => e);
  assert.instance(refused, IdSecretError);
  assert.match((refused as Error).message, /ResourceNotFoundException/);
  assert.not.match((refused as Error).message, value);
});

test.run();
