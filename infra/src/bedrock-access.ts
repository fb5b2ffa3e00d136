/**
 * `bedrock:InvokeModel` (which Converse uses) scoped to the configured model.
 * A foundation model id grants that model in this region. A cross-region
 * inference profile id (`us.…`, `eu.…`, `global.…`) grants the profile here
 * and the underlying model in whichever region the profile routes to, but
 * only when invoked through that profile.
 */
import { Arn, ArnFormat, Aws, Stack, Validations } from "aws-cdk-lib";
import * as iam from "aws-cdk-lib/aws-iam";
import type { Construct } from "constructs";

const PROFILE_PREFIX = /^(us|us-gov|eu|apac|jp|au|ca|global)\.(.+)$/;

export const grantInvokeModel = (
  role: iam.Role,
  modelId: string,
  guardrailArn: string | undefined,
  scope: Construct,
): void => {
  const stack = Stack.of(scope);
  const profile = PROFILE_PREFIX.exec(modelId);
  if (!profile) {
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ["bedrock:InvokeModel"],
        resources: [foundationModelArn(stack, modelId, stack.region)],
      }),
    );
  } else {
    const profileArn = stack.formatArn({
      service: "bedrock",
      resource: "inference-profile",
      resourceName: modelId,
      arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
    });
    const anyRegionModel = foundationModelArn(stack, profile[2]!, "*");
    role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ["bedrock:InvokeModel"], resources: [profileArn] }));
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ["bedrock:InvokeModel"],
        resources: [anyRegionModel],
        conditions: { StringEquals: { "bedrock:InferenceProfileArn": profileArn } },
      }),
    );
    Validations.of(role).acknowledge({
      id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:bedrock:*::foundation-model/${profile[2]}]`,
      reason:
        "A cross-region inference profile routes to the model in any of its regions; the statement is " +
        "limited to this one model and, by condition, to calls made through this profile.",
    });
  }
  if (guardrailArn) {
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({ actions: ["bedrock:ApplyGuardrail"], resources: [guardrailArn] }),
    );
  }
};

const foundationModelArn = (stack: Stack, modelId: string, region: string): string =>
  region === "*"
    ? `arn:${Aws.PARTITION}:bedrock:*::foundation-model/${modelId}`
    : Arn.format(
        {
          service: "bedrock",
          account: "",
          region,
          resource: "foundation-model",
          resourceName: modelId,
          arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
        },
        stack,
      );
