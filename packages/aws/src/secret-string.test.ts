import { SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { readSecretString, SecretReadError } from "./secret-string.ts";

const ARN = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:cvpipe-dev-key";

/** A client whose GetSecretValue answers `answer` (or throws it). */
const answering = (answer: { SecretString?: string } | Error): SecretsManagerClient => {
  const client = new SecretsManagerClient({
    region: "eu-west-1",
    credentials: { accessKeyId: "k", secretAccessKey: "s" },
  });
  client.send = (async () => {
    if (answer instanceof Error) throw answer;
    return answer;
  }) as typeof client.send;
  return client;
};

const refusal = (promise: Promise<unknown>): Promise<unknown> =>
  promise.then(
    () => undefined,
    (error: unknown) => error,
  );

test("the stored string, as stored", async () => {
  assert.is(await readSecretString(answering({ SecretString: " s3cr3t \n" }), ARN), " s3cr3t \n");
});

test("unreadable, absent or blank: SecretReadError naming the ARN and the failure, never a value", async () => {
  const denied = Object.assign(new Error("User is not authorized: s3cr3t"), { name: "AccessDeniedException" });
  const cases: [SecretsManagerClient, RegExp][] = [
    [answering(denied), /cannot be read \(AccessDeniedException\)$/],
    [answering({}), /has no string value$/],
    [answering({ SecretString: "  " }), /has no string value$/],
  ];
  for (const [client, says] of cases) {
    const error = await refusal(readSecretString(client, ARN));
    assert.instance(error, SecretReadError);
    assert.ok((error as Error).message.startsWith(ARN), (error as Error).message);
    assert.match((error as Error).message, says);
    assert.not.match((error as Error).message, /s3cr3t/);
  }
});

test.run();
