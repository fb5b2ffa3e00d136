/** The health route's port: one named, bounded check of one dependency (adapters: aws/health-checks.ts). */

/** The dependencies a check can be about, as the health answer names them. */
export const DEPENDENCIES = ["DynamoDB", "SQS", "S3", "SES", "Bedrock"] as const;
export type Dependency = (typeof DEPENDENCIES)[number];

/**
 * One named check of one dependency, as the health route lists them. `run` resolves when the
 * dependency answers and rejects otherwise, with an error whose `name` says what happened.
 */
export interface DependencyCheck {
  readonly name: string;
  readonly dependency: Dependency;
  run(): Promise<void>;
}
