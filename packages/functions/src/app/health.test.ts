import { DependencyCheckError } from "@cvpipe/aws/health-checks";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { checkHealth, type HealthProbe } from "./health.ts";

const probe = (name: string, dependency: HealthProbe["dependency"], required: boolean, fails = false) => {
  let runs = 0;
  return {
    probe: {
      name,
      dependency,
      required,
      run: async () => {
        runs++;
        await new Promise((r) => setTimeout(r, 5));
        if (fails) throw new DependencyCheckError(dependency, "ECONNREFUSED", "secret detail 10.0.0.7");
      },
    } satisfies HealthProbe,
    runs: () => runs,
  };
};

/** A timer that never moves: each test's probes are a list of their own, so no round is reused across tests. */
const still = { timer: { elapsedMs: () => 0 } };

test("every probe answering: ok, each check named with its dependency", async () => {
  const v = await checkHealth(
    [probe("DynamoDB jobs table", "DynamoDB", true).probe, probe("SES endpoint", "SES", false).probe],
    still,
  );
  assert.is(v.status, "ok");
  assert.equal(v.checks, [
    { name: "DynamoDB jobs table", dependency: "DynamoDB", required: true, ok: true },
    { name: "SES endpoint", dependency: "SES", required: false, ok: true },
  ]);
});

test("a dependency only the workers need is down: degraded, and the check names it by error name only", async () => {
  const v = await checkHealth(
    [probe("SQS tailoring queue", "SQS", true).probe, probe("Bedrock runtime", "Bedrock", false, true).probe],
    still,
  );
  assert.is(v.status, "degraded");
  assert.equal(v.requiredDown, []);
  const bedrock = v.checks.find((c) => c.name === "Bedrock runtime");
  assert.equal(bedrock, {
    name: "Bedrock runtime",
    dependency: "Bedrock",
    required: false,
    ok: false,
    error: "ECONNREFUSED",
  });
  assert.not.match(JSON.stringify(v), /secret detail/);
});

test("a dependency the API needs is down: unavailable, naming it (and not the ones that answer)", async () => {
  const v = await checkHealth(
    [
      probe("S3 payloads bucket", "S3", true, true).probe,
      probe("SQS analytics queue", "SQS", true).probe,
      probe("SES endpoint", "SES", false, true).probe,
    ],
    still,
  );
  assert.is(v.status, "unavailable");
  assert.equal(v.requiredDown, ["S3 payloads bucket"]);
});

test("calls while a round runs share it; a finished round is reused for maxAgeMs, then checked again", async () => {
  const a = probe("DynamoDB jobs table", "DynamoDB", true);
  const probes = [a.probe];
  let clock = 0;
  const options = { timer: { elapsedMs: () => clock }, maxAgeMs: 1_000 };
  const answers = await Promise.all(Array.from({ length: 50 }, () => checkHealth(probes, options)));
  assert.is(a.runs(), 1, "one round for 50 concurrent calls");
  assert.ok(answers.every((v) => v.status === "ok"));
  clock += 999;
  await checkHealth(probes, options);
  assert.is(a.runs(), 1, "reused within maxAgeMs");
  clock += 1;
  await checkHealth(probes, options);
  assert.is(a.runs(), 2, "checked again once it is maxAgeMs old");
});

test("an error name that is not a plain identifier is shown as Error", async () => {
  const odd = {
    name: "SES endpoint",
    dependency: "SES",
    required: false,
    run: async () => {
      throw Object.assign(new Error("x"), { name: "Internal host db-7 10.0.0.7 password=hunter2" });
    },
  } satisfies HealthProbe;
  const v = await checkHealth([odd], still);
  assert.is(v.checks[0]?.error, "Error");
});

test.run();
