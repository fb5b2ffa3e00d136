/**
 * `cvpipe verify`: the deployment checklist as a command, against the embedded stack or a stage.
 */
import { parseArgs } from "node:util";
import { clockFromEnv } from "@cvpipe/core/ports/clock";
import { api } from "@cvpipe/core/topology";
import { mintToken, readKeys } from "@cvpipe/local/jwt-keys";
import { settingsFromEnv } from "@cvpipe/local/settings";
import { API_URL_ENV, STAGE_ENV, TOKEN_ENV } from "../cli-env.ts";
import { readStackInfo, resolveTarget, UsageError } from "../stack-info.ts";
import { type CheckOutcome, queueChecks, runChecks, tableChecks } from "../verify/checklist.ts";
import { localChecks } from "../verify/local-checks.ts";
import { requestChecks } from "../verify/request-checks.ts";
import { stageChecks } from "../verify/stage-checks.ts";

export const verifyHelp = `cvpipe verify [--stage S] [--token JWT] [--api-url URL] [--timeout SECONDS] [--json]
  The deploy-and-verify checklist, each check with pass (✓), fail (✗, with what to do) or skip (–, with why):
  functions' timeout, memory and tracing; API routes; tables ACTIVE with their GSIs and TTL; queues' redrive
  policies; log retention; alarms OK; a valid request 2xx, an invalid one 400 VALIDATION_ERROR, one without a
  token 401; a job (engine local) SUCCEEDED within --timeout (default 60 s). Expected values: the topology.
  Embedded stack (default): a token is minted with the stack's key. Stage (--stage or CVPIPE_STAGE, usual AWS
  credentials and region): --api-url or CVPIPE_API_URL (the ApiUrl output), --token or CVPIPE_TOKEN (a JWT with
  the producer scopes); without a token the request and job checks are skipped. Exit code 1 on any failure.`;

const MARK = { pass: "✓", fail: "✗", skip: "–" } as const;

export const verifyCommand = async (args: string[]): Promise<void> => {
  const { values } = parseArgs({
    args,
    options: {
      stage: { type: "string" },
      token: { type: "string" },
      "api-url": { type: "string" },
      timeout: { type: "string", default: "60" },
      json: { type: "boolean", default: false },
    },
    strict: true,
  });
  const timeoutSeconds = Number(values.timeout);
  if (!Number.isFinite(timeoutSeconds) || timeoutSeconds <= 0)
    throw new UsageError("--timeout must be a number of seconds > 0");
  if (values.stage) process.env[STAGE_ENV] = values.stage;
  const stage = process.env[STAGE_ENV];
  const target = await resolveTarget();
  const jobTimeoutMs = timeoutSeconds * 1000;
  // The embedded DynamoDB (dynalite) cannot turn TTL on: the stack's housekeeping stands in for it.
  const info = stage ? undefined : readStackInfo();
  const ttlUnavailable =
    info?.services?.dynamodb?.source === "emulated"
      ? `the embedded DynamoDB (dynalite) has no UpdateTimeToLive: the stack's hourly housekeeping deletes expired items and every read filters on expiry`
      : undefined;
  const checks = [...tableChecks(target, ttlUnavailable), ...queueChecks(target)];
  if (stage) {
    const url = values["api-url"] ?? process.env[API_URL_ENV];
    if (!url)
      throw new UsageError(`on a stage, --api-url or ${API_URL_ENV} is needed (the service stack's ApiUrl output)`);
    const token = values.token ?? process.env[TOKEN_ENV];
    checks.push(...stageChecks(stage));
    checks.push(
      ...requestChecks({
        url: url.replace(/\/$/, ""),
        token,
        noTokenReason: `no token: pass --token JWT or set ${TOKEN_ENV} (a JWT from your identity provider with the producer scopes)`,
        jobTimeoutMs,
      }),
    );
  } else if (info) {
    // A short-lived producer token for this run's requests, on the clock the stack checks tokens on.
    const token = await mintToken(readKeys(settingsFromEnv().dataDir), {
      tenantId: "verify",
      userId: "verify",
      scopes: [...api.producerScopes],
      ttlSeconds: Math.ceil(timeoutSeconds) + 300,
      now: clockFromEnv(process.env).now(),
    });
    checks.push(...localChecks(info, target));
    checks.push(...requestChecks({ url: info.apiUrl, token, noTokenReason: "", jobTimeoutMs }));
  }
  const outcomes = await runChecks(checks);
  const failed = outcomes.filter((o) => o.status === "fail").length;
  if (values.json) {
    console.log(JSON.stringify({ target: target.name, failed, checks: outcomes }, null, 2));
  } else {
    printChecklist(target.name, outcomes);
  }
  if (failed > 0) process.exitCode = 1;
};

const printChecklist = (name: string, outcomes: readonly CheckOutcome[]): void => {
  console.log(`cvpipe verify: ${name === "local" ? "the embedded stack" : `stage ${name}`}`);
  for (const o of outcomes) {
    console.log(`${MARK[o.status]} ${o.title}: ${o.detail}`);
    if (o.status === "fail" && o.todo) console.log(`    what to do: ${o.todo}`);
  }
  const count = (s: CheckOutcome["status"]) => outcomes.filter((o) => o.status === s).length;
  console.log(`\n${count("pass")} passed, ${count("fail")} failed, ${count("skip")} skipped`);
};
