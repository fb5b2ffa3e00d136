/** Builds both stacks of one stage on an App; used by the CDK entry and by the tests. */
import { type App, Tags, Validations } from "aws-cdk-lib";
import type * as secretsmanager from "aws-cdk-lib/aws-secretsmanager";
import { AwsSolutionsChecks } from "cdk-nag";
import { readConfig } from "./config.ts";
import { stackName } from "./physical-names.ts";
import { ServiceStack } from "./service-stack.ts";
import { StatefulStack } from "./stateful-stack.ts";

export interface CvpipeStacks {
  readonly stateful: StatefulStack;
  readonly service: ServiceStack;
}

export const buildCvpipe = (app: App): CvpipeStacks => {
  const config = readConfig(app.node);
  // Environment-agnostic on purpose: the same templates whoever synthesises them, offline; `cdk deploy`
  // targets the account and region of the caller's credentials (AWS_PROFILE / AWS_REGION).
  const stateful = new StatefulStack(app, "Stateful", {
    stackName: stackName(config.stage, "stateful"),
    description: `cvpipe ${config.stage}: tables, buckets, data key and id secret (retained)`,
    terminationProtection: true,
    config,
  });
  const service = new ServiceStack(app, "Service", {
    stackName: stackName(config.stage, "service"),
    description: `cvpipe ${config.stage}: API, functions, queues, schedule, alarms`,
    config,
    tables: stateful.tables,
    buckets: stateful.buckets,
    dataKey: stateful.dataKey,
    // aws-cdk-lib's own d.ts do not satisfy exactOptionalPropertyTypes (Secret vs ISecret).
    idSecret: stateful.idSecret as secretsmanager.ISecret,
  });
  // cfn-lint's resource schema has no Tags on AWS::CloudWatch::Dashboard yet, although aws-cdk-lib renders them.
  const tagOptions = { excludeResourceTypes: ["AWS::CloudWatch::Dashboard"] };
  Tags.of(app).add("project", "cvpipe", tagOptions);
  Tags.of(app).add("stage", config.stage, tagOptions);
  // Synth fails on any finding that is not acknowledged in code, with its reason, next to the resource.
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  return { stateful, service };
};
