/**
 * The embedded stack: emulators, provisioning from the topology, the HTTP
 * gateway, one SQS poller per queue and the weekly scheduler, all in one
 * process, running the same handler files the CDK app deploys.
 *
 * Threads: the emulators run in a worker thread of their own
 * (startEmulatorsThread), the rest in the caller's thread (`pnpm start` puts
 * that in a worker thread too: main.ts). On AWS the API and the workers have
 * compute of their own; here they share a thread and the machine's cores, so
 * the API comes first: while it is answering a request, each poller starts a
 * batch only when none of its own is running (SqsPoller's yieldTo). The
 * workers never stop; they take more slots again as soon as the API is idle.
 */
import { rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import {
  createDocumentClient,
  createDynamoDbClient,
  createS3Client,
  createSesClient,
  createSqsClient,
  requestTimeoutEnv,
} from "@cvpipe/aws/clients";
import { verifySenderIdentity } from "@cvpipe/aws/report/ses-mailer";
import { parseCorsOrigins } from "@cvpipe/core/contracts/cors";
import { ConfigError } from "@cvpipe/core/errors";
import { CLOCK_OFFSET_ENV, clockFromEnv, clockOffsetTo } from "@cvpipe/core/ports/clock";
import {
  type FunctionId,
  functions,
  POWERTOOLS_ENV,
  type QueueId,
  queues,
  resourceNames,
  type ScheduleId,
  SETTING,
  schedules,
} from "@cvpipe/core/topology";
import { DEFAULT_SERVICE_NAME, LAMBDA_INITIALIZATION_TYPE } from "@cvpipe/functions/logger";
import { startBedrockServer } from "./bedrock-server/bedrock-server.ts";
import { ConsoleAuth } from "./console/auth.ts";
import { CONSOLE_PATH, type ConsoleHandler, createConsole } from "./console/console.ts";
import { stackConsoleData } from "./console/data.ts";
import { ownerOnlyDataDir, startEmulatorsThread } from "./emulators.ts";
import { resourceEnv } from "./function-env.ts";
import { type ApiHandler, startGateway } from "./gateway/index.ts";
import { describeHousekeeping, runHousekeeping } from "./housekeeping.ts";
import { ensureIdSecret, ID_SECRET_FILE_ENV } from "./id-secret.ts";
import { LOCAL_AUDIENCE, LOCAL_ISSUER, type LocalKeys, loadOrCreateKeys } from "./jwt-keys.ts";
import { startOpenAiServer } from "./openai-server/openai-server.ts";
import { type Provisioned, provision } from "./provision.ts";
import { type ScheduledHandler, Scheduler } from "./scheduler.ts";
import { localKeyPair, serviceEnv } from "./service-env.ts";
import {
  describeService,
  type LocalService,
  localServices,
  localStage,
  planServices,
  type ServicePlan,
} from "./services.ts";
import type { LocalSettings } from "./settings.ts";
import { type SqsHandler, SqsPoller } from "./sqs-poller.ts";

/** How often the embedded stack sweeps expired items and objects (AWS's TTL and lifecycle stand-in). */
export const HOUSEKEEPING_INTERVAL_MS = 3_600_000;

/** The origins the local gateway answers CORS for, comma-separated; one that is no origin refuses the start. */
export const CORS_ORIGINS_ENV = "CVPIPE_CORS_ORIGINS";

const corsOriginsFromEnv = (env: NodeJS.ProcessEnv): string[] => {
  const { origins, problems } = parseCorsOrigins(env[CORS_ORIGINS_ENV]);
  if (problems.length > 0) throw new ConfigError(`${CORS_ORIGINS_ENV}: ${problems.join("; ")}`);
  return origins;
};

export interface StackOptions {
  readonly settings: LocalSettings;
  readonly log?: (line: string) => void;
  /** Long-poll wait of the pollers (AWS uses 20 s; a stop waits up to this long). */
  readonly waitTimeSeconds?: number;
  /** Tests: shorter visibility timeouts so failed records come back sooner. */
  readonly visibilityTimeoutSeconds?: Partial<Record<QueueId, number>>;
  /** Tests: shorter function timeouts. */
  readonly functionTimeoutSeconds?: Partial<Record<FunctionId, number>>;
  /** Extra function environment (BANNED_CLAIMS, REPORT_RECIPIENTS, ...); wins over the defaults. */
  readonly env?: Readonly<Record<string, string>>;
  /** Start pollers (default true). Tests of queue contents turn them off. */
  readonly pollers?: boolean;
  /** Origins the gateway answers CORS for (default: CORS_ORIGINS_ENV's; none). */
  readonly corsOrigins?: readonly string[];
  /** Run every function as if "now" had been this instant at start-up (the clock then runs at the real rate). */
  readonly clockStart?: Date;
  /** The same as a fixed shift from the real clock, in ms (`pnpm start` with CVPIPE_CLOCK_OFFSET_MS); wins over clockStart. */
  readonly clockOffsetMs?: number;
}

/** The file in the data directory where a running stack describes itself (StackInfo, 0600): the CLI and tests find the stack by it. */
export const STACK_INFO_FILE = "stack.json";

export interface StackInfo {
  readonly pid: number;
  readonly dataDir: string;
  readonly region: string;
  readonly apiUrl: string;
  /** Where each service's clients go; "" for real AWS at the SDK's default endpoint. */
  readonly endpoints: {
    readonly bedrock: string;
    readonly sqs: string;
    readonly s3: string;
    readonly dynamodb: string;
    readonly ses: string;
  };
  /**
   * The openai engine's server: the stack's Chat Completions stand-in, or the user's OPENAI_BASE_URL
   * (Ollama, vLLM, a hosted provider), which gets no stand-in.
   */
  readonly openai: { readonly source: "emulated" | "configured"; readonly baseUrl: string; readonly model: string };
  /** Per service: emulated by the stack, an endpoint the user configured, or real AWS (services.ts). */
  readonly services: Readonly<
    Record<LocalService, { readonly source: ServicePlan[LocalService]["kind"]; readonly description: string }>
  >;
  readonly queues: Provisioned["queues"];
  /**
   * Each queue's worker, as Lambda's event source mapping would run it: `running` when its poller
   * started, `paused` when the stack runs without (CVPIPE_WORKERS=off, `pollers: false`). `cvpipe queues` shows it.
   */
  readonly workers?: Readonly<Record<QueueId, "running" | "paused">>;
  /** The same, as a stack.json from before the field was named `workers` calls it. */
  readonly consumers?: Readonly<Record<QueueId, "running" | "paused">>;
  readonly bucket: string;
  /** Each bucket's and table's name: the topology's, or its stage's with CVPIPE_LOCAL_STAGE. Absent in a stack.json from before. */
  readonly buckets?: Provisioned["buckets"];
  readonly tables?: Provisioned["tables"];
  /** CVPIPE_LOCAL_STAGE, when the stack's resources carry a stage's names. */
  readonly stage?: string;
  readonly jwt: { readonly issuer: string; readonly audience: string; readonly jwks: string };
  /**
   * What the local runtime applies, for `cvpipe verify` (another process) to compare with the topology:
   * each function's timeout, each queue's poller (absent when the stack runs without pollers) and each
   * schedule. Optional: a stack.json written before this field existed has none.
   */
  readonly runtime?: StackRuntime;
}

export interface StackRuntime {
  readonly functions: Readonly<Record<FunctionId, { readonly timeoutSeconds: number }>>;
  readonly pollers: Readonly<
    Partial<
      Record<QueueId, { readonly function: FunctionId; readonly batchSize: number; readonly maxConcurrency: number }>
    >
  >;
  readonly schedules: Readonly<Record<ScheduleId, { readonly cron: string; readonly target: FunctionId }>>;
}

export interface RunningStack {
  readonly info: StackInfo;
  readonly keys: LocalKeys;
  readonly pollers: Readonly<Record<QueueId, SqsPoller | undefined>>;
  /** The weekly report's schedule (`schedulers.weeklyReport`). */
  readonly scheduler: Scheduler;
  readonly schedulers: Readonly<Record<ScheduleId, Scheduler>>;
  /** The operator console at `<apiUrl>/console` (console/console.ts). */
  readonly console: {
    /** A new one-time login link (single use, LOGIN_CODE_TTL_MS); `pnpm start` prints one. */
    loginUrl(): string;
  };
  stop(): Promise<void>;
}

export { CLOUDFORMATION_STACK_TAG, EMBEDDED_STACK_TAG } from "./resource-guard.ts";

/** Local defaults for variables that AWS deployments get from CDK context. */
export const localDefaults = (): Record<string, string> => ({
  [SETTING.bedrockModelId]: "local.cvpipe-bedrock-stand-in",
  [SETTING.reportRecipients]: "analytics-team@example.com",
  [SETTING.reportSender]: "cvpipe-reports@example.com",
  [POWERTOOLS_ENV.logLevel]: "WARN",
  [POWERTOOLS_ENV.serviceName]: DEFAULT_SERVICE_NAME,
  // As Lambda's runtime sets it: each function's first invocation logs cold_start true.
  [LAMBDA_INITIALIZATION_TYPE.env]: LAMBDA_INITIALIZATION_TYPE.value,
});

/** The model name the openai engine asks the stand-in for (any name serves; `…scenario-<name>` picks a scenario). */
export const OPENAI_STAND_IN_MODEL = "local.cvpipe-openai-stand-in";

/** The region the SDK would resolve without AWS_REGION (AWS_PROFILE's config), or undefined when none is configured. */
const profileRegion = async (): Promise<string | undefined> => {
  const client = createSqsClient();
  try {
    return await client.config.region();
  } catch {
    return undefined;
  } finally {
    client.destroy();
  }
};

export const startStack = async (options: StackOptions): Promise<RunningStack> => {
  const { settings } = options;
  const log = options.log ?? ((line: string) => console.log(line));
  // Decided before anything starts: a refused configuration (services.ts) starts nothing.
  const plan = planServices(settings, { ...process.env, ...options.env });
  const stage = localStage({ ...process.env, ...options.env });
  const corsOrigins = options.corsOrigins ?? corsOriginsFromEnv({ ...process.env, ...options.env });
  const emulated = (service: LocalService): boolean => plan[service].kind === "emulated";
  // Before anything is written: the data directory (CVs, the signing key) is owner-only, 0700/0600.
  ownerOnlyDataDir(settings.dataDir);

  const emulators = await startEmulatorsThread(settings, {
    sqs: emulated("sqs"),
    s3: emulated("s3"),
    dynamodb: emulated("dynamodb"),
    ses: emulated("ses"),
  });
  // Bedrock cannot run here: a local server speaking the Bedrock Runtime protocol (h2c) stands in.
  const bedrock = emulated("bedrock-runtime")
    ? await startBedrockServer({ port: settings.bedrockPort, host: "127.0.0.1" }).catch(async (error: unknown) => {
        await emulators.stop();
        throw error;
      })
    : undefined;
  // The openai engine's server likewise, unless the user named one (OPENAI_BASE_URL): then theirs alone.
  const userOpenAiUrl = options.env?.[SETTING.openaiBaseUrl] || process.env[SETTING.openaiBaseUrl] || undefined;
  const openai =
    userOpenAiUrl === undefined
      ? await startOpenAiServer({ port: settings.openaiPort, host: "127.0.0.1" }).catch(async (error: unknown) => {
          await bedrock?.close();
          await emulators.stop();
          throw error;
        })
      : undefined;
  const stopStandIns = async (): Promise<void> => {
    await bedrock?.close();
    await openai?.close();
  };
  const emulatorEndpoint: Record<LocalService, string | undefined> = {
    sqs: emulators.sqsEndpoint,
    s3: emulators.s3Endpoint,
    dynamodb: emulators.dynamoDbEndpoint,
    ses: emulators.sesEndpoint,
    "bedrock-runtime": bedrock?.url,
  };
  const endpointOf = (service: LocalService): string => {
    const source = plan[service];
    if (source.kind === "emulated") return emulatorEndpoint[service] ?? "";
    return source.endpoint ?? "";
  };
  const keys = await loadOrCreateKeys(settings.dataDir);
  const idSecretFile = ensureIdSecret(settings.dataDir);

  // Handlers run in this process and read process.env, as they would in Lambda. What the stack writes
  // here is put back as it was on stop, so a later start in this process sees the user's settings only.
  const saved = new Map<string, string | undefined>();
  const setEnv = (name: string, value: string | undefined): void => {
    if (!saved.has(name)) saved.set(name, process.env[name]);
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  };
  const restoreEnv = (): void => {
    for (const [name, value] of saved) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  };
  // The region: the user's AWS_REGION when set; else, when some service is the user's (real AWS, their
  // endpoint), the one their profile names, as the SDK would resolve it; else the settings' default.
  // Set for the stack's life and put back on stop.
  const region =
    process.env["AWS_REGION"] ??
    (localServices.some((service) => plan[service].kind !== "emulated") ? await profileRegion() : undefined) ??
    settings.region;
  setEnv("AWS_REGION", region);
  // Endpoints and credentials, service by service (service-env.ts).
  for (const [name, value] of Object.entries(serviceEnv(plan, endpointOf, localKeyPair(), process.env))) {
    setEnv(name, value);
  }
  for (const service of localServices)
    log(`${service}: ${describeService(service, plan[service], endpointOf(service))}`);
  // Put back on stop, like the endpoints: a later stack in this process starts a stand-in of its own.
  if (openai) {
    setEnv(SETTING.openaiBaseUrl, `${openai.url}/v1`);
    // A model name only for the stand-in: against the user's server, a missing OPENAI_MODEL is their config error.
    if (!process.env[SETTING.openaiModel]) setEnv(SETTING.openaiModel, OPENAI_STAND_IN_MODEL);
  }
  const openaiBaseUrl = userOpenAiUrl ?? `${openai?.url}/v1`;
  log(
    `openai: ${openai ? `emulated (cvpipe Chat Completions stand-in) ${openaiBaseUrl}` : `user-configured (${SETTING.openaiBaseUrl}) ${openaiBaseUrl}, no stand-in`}`,
  );
  // The ingress reads its id secret from the data directory (Secrets Manager's role on AWS).
  process.env[ID_SECRET_FILE_ENV] = idSecretFile;
  for (const [k, v] of Object.entries(localDefaults())) process.env[k] ??= v;
  if (options.clockOffsetMs !== undefined) process.env[CLOCK_OFFSET_ENV] = String(options.clockOffsetMs);
  else if (options.clockStart) process.env[CLOCK_OFFSET_ENV] = String(clockOffsetTo(options.clockStart));
  else delete process.env[CLOCK_OFFSET_ENV];

  let provisioned: Provisioned;
  try {
    provisioned = await provision(
      { sqs: createSqsClient(), dynamoDb: createDynamoDbClient(), s3: createS3Client() },
      log,
      {
        names: resourceNames(stage),
        guarded: {
          sqs: !emulated("sqs"),
          dynamodb: !emulated("dynamodb"),
          s3: !emulated("s3"),
          region,
          ...(stage === undefined ? {} : { stage }),
        },
        ...(options.visibilityTimeoutSeconds ? { visibilityTimeoutSeconds: options.visibilityTimeoutSeconds } : {}),
      },
    );
    // An SES of the user's own (moto, LocalStack) refuses an unverified sender, as SES does: the sender is
    // verified there, as the CDK stack's EmailIdentity is on AWS. Never on real SES (it would email a link).
    // Best effort, with a short wait: an SES emulator without the action (aws-ses-v2-local never answers
    // it) starts anyway, and the log line says so.
    const sender = options.env?.[SETTING.reportSender] ?? process.env[SETTING.reportSender];
    if (plan.ses.kind === "configured" && sender) {
      const ses = createSesClient({ ...process.env, [requestTimeoutEnv("SES")]: "3000" });
      try {
        await verifySenderIdentity(ses, sender);
        log(`ses: sender ${sender} verified at ${endpointOf("ses")}`);
      } catch (error) {
        log(
          `ses: sender ${sender} not verified at ${endpointOf("ses")} (${(error as Error).name}): an SES there that requires verified senders will refuse the weekly report`,
        );
      } finally {
        ses.destroy();
      }
    }
  } catch (error) {
    await stopStandIns();
    await emulators.stop();
    restoreEnv();
    const theirs = (["sqs", "dynamodb", "s3", "ses"] as const).filter((s) => plan[s].kind === "configured");
    // A deliberate refusal (ConfigError: a deployed stage's queue, a bucket name taken) says what to change already.
    if (theirs.length > 0 && error instanceof Error && !(error instanceof ConfigError)) {
      error.message = `${error.message} (provisioning on user-configured endpoints: ${theirs.map((s) => `${s} ${endpointOf(s)}`).join(", ")}; are they running?)`;
    }
    throw error;
  }
  for (const fn of Object.keys(functions) as FunctionId[]) Object.assign(process.env, resourceEnv(fn, provisioned));
  Object.assign(process.env, options.env ?? {});

  const timeout = (fn: FunctionId): number => options.functionTimeoutSeconds?.[fn] ?? functions[fn].timeoutSeconds;
  const ingress = (await import("@cvpipe/functions/ingress")).handler as unknown as ApiHandler;
  const workers: Record<QueueId, SqsHandler> = {
    tailoringJobs: (await import("@cvpipe/functions/tailor")).handler as unknown as SqsHandler,
    analyticsEvents: (await import("@cvpipe/functions/analytics")).handler as unknown as SqsHandler,
  };

  // The console answers once the stack's info exists (below); a request before that is told to wait.
  const functionsClock = clockFromEnv(process.env);
  const consoleAuth = new ConsoleAuth(keys, functionsClock);
  let consoleHandler: ConsoleHandler | undefined;
  const gateway = await startGateway({
    console: async (req, res, url) => {
      if (consoleHandler) return consoleHandler(req, res, url);
      res.writeHead(503, { "content-type": "text/plain", "retry-after": "1" });
      res.end("the stack is still starting");
    },
    port: settings.apiPort,
    keys,
    handler: ingress,
    timeoutSeconds: timeout("ingress"),
    region,
    onRequest: (line) => log(`api ${line}`),
    // Tokens are checked on the same clock as the functions run on (CVPIPE_CLOCK_OFFSET_MS).
    clock: clockFromEnv(process.env),
    corsOrigins,
  }).catch(async (error: unknown) => {
    await stopStandIns();
    await emulators.stop();
    restoreEnv();
    throw error;
  });

  const sqs = createSqsClient();
  const pollers = {} as Record<QueueId, SqsPoller | undefined>;
  for (const spec of Object.values(queues)) {
    if (options.pollers === false) {
      pollers[spec.id] = undefined;
      continue;
    }
    const poller = new SqsPoller({
      sqs,
      functionName: spec.worker,
      queueUrl: provisioned.queues[spec.id].url,
      queueArn: provisioned.queues[spec.id].arn,
      region,
      handler: workers[spec.id],
      batchSize: spec.batchSize,
      maxConcurrency: spec.maxConcurrency,
      timeoutSeconds: timeout(spec.worker),
      waitTimeSeconds: options.waitTimeSeconds ?? 5,
      log,
      // One machine, one pair of cores: while the API is answering, the workers run one batch at a time.
      yieldTo: () => gateway.inFlight() > 0,
    });
    poller.start();
    pollers[spec.id] = poller;
  }

  const targets: Record<ScheduleId, ScheduledHandler> = {
    weeklyReport: (await import("@cvpipe/functions/reporter")).handler as unknown as ScheduledHandler,
    jobSweep: (await import("@cvpipe/functions/sweeper")).handler as unknown as ScheduledHandler,
    userDeletions: (await import("@cvpipe/functions/eraser")).handler as unknown as ScheduledHandler,
  };
  const schedulers = {} as Record<ScheduleId, Scheduler>;
  for (const spec of Object.values(schedules)) {
    const scheduler = new Scheduler(spec, targets[spec.id], region, timeout(spec.target), log, functionsClock);
    scheduler.start();
    schedulers[spec.id] = scheduler;
  }
  const scheduler = schedulers.weeklyReport;

  // What DynamoDB TTL and the S3 lifecycle do on AWS, hourly (housekeeping.ts); `cvpipe housekeeping run` on demand.
  let housekeepingRun: Promise<unknown> = Promise.resolve();
  const housekeepingTimer = setInterval(() => {
    housekeepingRun = runHousekeeping(
      { db: createDocumentClient(), s3: createS3Client() },
      {
        now: clockFromEnv(process.env).now(),
        s3Now: new Date(),
        tableNames: provisioned.tables,
        bucketNames: provisioned.buckets,
      },
    ).then(
      (report) => log(describeHousekeeping(report)),
      (error: unknown) =>
        log(`housekeeping failed (it runs again in an hour): ${(error as Error).name}: ${(error as Error).message}`),
    );
  }, HOUSEKEEPING_INTERVAL_MS);
  housekeepingTimer.unref();

  const info: StackInfo = {
    pid: process.pid,
    dataDir: settings.dataDir,
    region,
    apiUrl: gateway.url,
    endpoints: {
      bedrock: endpointOf("bedrock-runtime"),
      sqs: endpointOf("sqs"),
      s3: endpointOf("s3"),
      dynamodb: endpointOf("dynamodb"),
      ses: endpointOf("ses"),
    },
    openai: {
      source: openai ? "emulated" : "configured",
      baseUrl: openaiBaseUrl,
      model: options.env?.[SETTING.openaiModel] ?? process.env[SETTING.openaiModel] ?? "",
    },
    services: Object.fromEntries(
      localServices.map((service) => [
        service,
        { source: plan[service].kind, description: describeService(service, plan[service], endpointOf(service)) },
      ]),
    ) as StackInfo["services"],
    queues: provisioned.queues,
    workers: Object.fromEntries(
      Object.values(queues).map((q) => [q.id, pollers[q.id] ? "running" : "paused"]),
    ) as Record<QueueId, "running" | "paused">,
    bucket: provisioned.bucket,
    buckets: provisioned.buckets,
    tables: provisioned.tables,
    ...(stage === undefined ? {} : { stage }),
    jwt: { issuer: LOCAL_ISSUER, audience: LOCAL_AUDIENCE, jwks: `${gateway.url}/.well-known/jwks.json` },
    runtime: {
      functions: Object.fromEntries(
        (Object.keys(functions) as FunctionId[]).map((fn) => [fn, { timeoutSeconds: timeout(fn) }]),
      ) as StackRuntime["functions"],
      pollers: Object.fromEntries(
        Object.values(queues)
          .filter((spec) => pollers[spec.id] !== undefined)
          .map((spec) => [
            spec.id,
            { function: spec.worker, batchSize: spec.batchSize, maxConcurrency: spec.maxConcurrency },
          ]),
      ),
      schedules: Object.fromEntries(
        Object.values(schedules).map((spec) => [spec.id, { cron: spec.cron, target: spec.target }]),
      ) as StackRuntime["schedules"],
    },
  };
  consoleHandler = createConsole({
    auth: consoleAuth,
    data: stackConsoleData(info, functionsClock),
    clock: functionsClock,
    log,
  });
  const infoFile = join(settings.dataDir, STACK_INFO_FILE);
  writeFileSync(infoFile, `${JSON.stringify(info, null, 2)}\n`, { mode: 0o600 });

  let stopped: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopped ??= (async () => {
      // Order: stop taking requests, let in-flight work finish, then the servers it talks to.
      await new Promise<void>((resolve) => {
        gateway.server.close(() => resolve());
        gateway.server.closeIdleConnections();
      });
      await Promise.all(Object.values(pollers).map((p) => p?.stop()));
      await Promise.all(Object.values(schedulers).map((s) => s.stop()));
      clearInterval(housekeepingTimer);
      await housekeepingRun;
      await stopStandIns();
      await emulators.stop();
      rmSync(infoFile, { force: true });
      restoreEnv();
    })();
    return stopped;
  };

  const consoleAccess = {
    loginUrl: () => `${gateway.url}${CONSOLE_PATH}/login?code=${consoleAuth.issueLoginCode()}`,
  };
  return { info, keys, pollers, scheduler, schedulers, console: consoleAccess, stop };
};
