/**
 * One Lambda function of the topology: its own role and log group (so grants
 * stay per function and no managed policy is attached), Node 24 on arm64,
 * ESM bundle with source maps, X-Ray tracing, and the errors, throttles and
 * duration alarms every function gets.
 *
 * Powertools' service name is `cvpipe-<stage>-<function>`: it is the `service`
 * field of every log line and the `service` dimension of every metric, so
 * stages sharing an account keep their metrics apart; all of them are in the
 * namespace DEFAULT_METRIC_NAMESPACE.
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { DEFAULT_METRIC_NAMESPACE } from "@cvpipe/core/ports/metrics";
import { type FunctionSpec, POWERTOOLS_ENV, stagePrefix } from "@cvpipe/core/topology";
import { Duration, RemovalPolicy, Validations } from "aws-cdk-lib";
import * as cloudwatch from "aws-cdk-lib/aws-cloudwatch";
import * as iam from "aws-cdk-lib/aws-iam";
import * as lambda from "aws-cdk-lib/aws-lambda";
import * as nodejs from "aws-cdk-lib/aws-lambda-nodejs";
import * as logs from "aws-cdk-lib/aws-logs";
import { Construct } from "constructs";
import type { AlarmTopic } from "./alarms.ts";
import type { Config } from "./config.ts";
import { infraRoot, repoRoot } from "./paths.ts";
import { functionRoleName } from "./physical-names.ts";

export interface PipelineFunctionProps {
  readonly spec: FunctionSpec;
  readonly config: Config;
  readonly alarms: AlarmTopic;
}

/** The service of a function's log lines and the `service` dimension of its metrics. */
export const powertoolsServiceName = (stage: string, fn: string): string => `${stagePrefix(stage)}-${fn}`;

/** Alarm when a single invocation uses more than this share of its timeout. */
export const DURATION_ALARM_RATIO = 0.8;

/** Lambda needs `Resource: *` for these X-Ray actions: they have no resource-level permissions. */
export const XRAY_ACTIONS = ["xray:PutTraceSegments", "xray:PutTelemetryRecords"] as const;

/**
 * How every function's code is bundled (esbuild, run by NodejsFunction). Exported so that
 * `pnpm bench` (bench/scenarios/bundles.ts) builds exactly what is deployed.
 */
export const FUNCTION_BUNDLING = {
  format: nodejs.OutputFormat.ESM,
  target: "node24",
  mainFields: ["module", "main"],
  // Bundle the AWS SDK too: Lambda runs exactly the versions the tests ran.
  externalModules: [],
  minify: true,
  sourceMap: true,
  sourcesContent: false,
  // ESM output still meets CommonJS dependencies that call require().
  banner:
    "import { createRequire as __cvpipeCreateRequire } from 'node:module'; const require = __cvpipeCreateRequire(import.meta.url);",
} as const satisfies nodejs.BundlingOptions;

/** The environment every function runs with besides its own (`NODE_OPTIONS` applies at import too). */
export const FUNCTION_NODE_OPTIONS = "--enable-source-maps";

export class PipelineFunction extends Construct {
  readonly fn: lambda.Function;
  readonly role: iam.Role;
  readonly logGroup: logs.LogGroup;
  readonly spec: FunctionSpec;

  constructor(scope: Construct, id: string, props: PipelineFunctionProps) {
    super(scope, id);
    const { spec, config, alarms } = props;
    this.spec = spec;

    this.logGroup = new logs.LogGroup(this, "Logs", {
      retention: config.logRetention,
      // The service stack is disposable; logs of a torn-down stage are not worth orphaning.
      removalPolicy: RemovalPolicy.DESTROY,
    });
    this.role = new iam.Role(this, "Role", {
      roleName: functionRoleName(spec.id, config.stage),
      assumedBy: new iam.ServicePrincipal("lambda.amazonaws.com"),
      description: `cvpipe ${config.stage} ${spec.id} function`,
    });
    this.logGroup.grantWrite(this.role);

    const common = {
      description: spec.description,
      runtime: lambda.Runtime.NODEJS_24_X,
      architecture: lambda.Architecture.ARM_64,
      timeout: Duration.seconds(spec.timeoutSeconds),
      memorySize: spec.memoryMb,
      tracing: lambda.Tracing.ACTIVE,
      logGroup: this.logGroup,
      role: this.role,
      environment: {
        NODE_OPTIONS: FUNCTION_NODE_OPTIONS,
        [POWERTOOLS_ENV.serviceName]: powertoolsServiceName(config.stage, spec.id),
        [POWERTOOLS_ENV.metricsNamespace]: DEFAULT_METRIC_NAMESPACE,
      },
    } satisfies lambda.FunctionOptions & { runtime: lambda.Runtime };

    this.fn = config.skipBundling
      ? new lambda.Function(this, "Function", {
          ...common,
          code: lambda.Code.fromAsset(join(infraRoot, "stub")),
          handler: "index.handler",
        })
      : new nodejs.NodejsFunction(this, "Function", {
          ...common,
          entry: existingEntry(spec),
          handler: "handler",
          projectRoot: repoRoot,
          depsLockFilePath: join(repoRoot, "pnpm-lock.yaml"),
          bundling: {
            ...FUNCTION_BUNDLING,
            forceDockerBundling: false,
            // aws-cdk-lib runs esbuild through `pnpm exec` from the repository root, where esbuild is not a
            // dependency; infra's own bin directory makes it resolvable.
            environment: { PATH: `${join(infraRoot, "node_modules", ".bin")}:${process.env["PATH"] ?? ""}` },
          },
        });

    Validations.of(this.role).acknowledge({
      id: "AwsSolutions-IAM5[Resource::*]",
      reason: `Only ${XRAY_ACTIONS.join(" and ")} (active tracing): X-Ray has no resource-level permissions.`,
    });

    alarms.alarm(this, "ErrorsAlarm", `${spec.id}-errors`, {
      alarmDescription: `${spec.id} function invocations failed (unhandled error or timeout).`,
      metric: this.fn.metricErrors({ period: Duration.minutes(5), statistic: cloudwatch.Stats.SUM }),
      threshold: 0,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 1,
    });
    alarms.alarm(this, "ThrottlesAlarm", `${spec.id}-throttles`, {
      alarmDescription: `${spec.id} function invocations were throttled (account or reserved concurrency).`,
      metric: this.fn.metricThrottles({ period: Duration.minutes(5), statistic: cloudwatch.Stats.SUM }),
      threshold: 0,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 1,
    });
    alarms.alarm(this, "DurationAlarm", `${spec.id}-duration-near-timeout`, {
      alarmDescription: `${spec.id} ran longer than ${DURATION_ALARM_RATIO * 100}% of its ${spec.timeoutSeconds}s timeout.`,
      metric: this.fn.metricDuration({ period: Duration.minutes(5), statistic: cloudwatch.Stats.MAXIMUM }),
      threshold: spec.timeoutSeconds * 1000 * DURATION_ALARM_RATIO,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 1,
    });
  }
}

const existingEntry = (spec: FunctionSpec): string => {
  const entry = join(repoRoot, spec.entry);
  if (!existsSync(entry)) {
    throw new Error(
      `Function ${spec.id}: entry ${spec.entry} does not exist. Write it, or synthesise with -c skipBundling=true.`,
    );
  }
  return entry;
};
