/**
 * Physical names: the topology's name plus the stage, so several stages can
 * live in one account and operators recognise every resource by its topology
 * name. FIFO queue names must keep their `.fifo` suffix.
 */
import { stackName, stagedName, stagePrefix } from "@cvpipe/core/topology";
import { Aws } from "aws-cdk-lib";

export { stackName, stagedName };

/** Bucket names are global: account and region make them unique. */
export const stagedBucketName = (name: string, stage: string): string =>
  `${stagedName(name, stage)}-${Aws.ACCOUNT_ID}-${Aws.REGION}`;

/**
 * A function's role: named, not generated, so the data key's policy (stateful stack, deployed first) can
 * name the roles that may use it before they exist.
 */
export const functionRoleName = (id: string, stage: string): string => `${stagePrefix(stage)}-${id}-function`;
