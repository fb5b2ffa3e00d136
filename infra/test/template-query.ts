/** Small lookups over a synthesised template, for the assertion tests. */
import type { Template } from "aws-cdk-lib/assertions";

export interface CfnResource {
  readonly Type: string;
  readonly Properties?: Record<string, unknown>;
  readonly DeletionPolicy?: string;
  readonly UpdateReplacePolicy?: string;
}

export type Resources = Record<string, CfnResource>;

export const resourcesOf = (template: Template, type: string): Resources => template.findResources(type) as Resources;

/** The logical id a `{Ref}` or `{Fn::GetAtt: [id, attr]}` points at. */
export const referencedId = (value: unknown): string | undefined => {
  if (typeof value !== "object" || value === null) return undefined;
  const v = value as { Ref?: unknown; "Fn::GetAtt"?: unknown };
  if (typeof v.Ref === "string") return v.Ref;
  if (Array.isArray(v["Fn::GetAtt"]) && typeof v["Fn::GetAtt"][0] === "string") return v["Fn::GetAtt"][0];
  return undefined;
};

export const byProperty = (resources: Resources, name: string, value: unknown): [string, CfnResource] => {
  const found = Object.entries(resources).filter(([, r]) => r.Properties?.[name] === value);
  if (found.length !== 1) throw new Error(`expected one resource with ${name}=${String(value)}, found ${found.length}`);
  return found[0]!;
};

export interface Statement {
  readonly Effect: string;
  readonly Action: string | string[];
  readonly Resource: unknown;
  readonly Condition?: unknown;
}

/** Every statement of every identity policy (AWS::IAM::Policy and inline role policies) in the template. */
export const identityStatements = (template: Template): Array<{ owner: string; statement: Statement }> => {
  const out: Array<{ owner: string; statement: Statement }> = [];
  const collect = (owner: string, doc: unknown): void => {
    const statements = (doc as { Statement?: Statement[] } | undefined)?.Statement ?? [];
    for (const statement of statements) out.push({ owner, statement });
  };
  for (const [id, policy] of Object.entries(resourcesOf(template, "AWS::IAM::Policy"))) {
    collect(id, policy.Properties?.["PolicyDocument"]);
  }
  for (const [id, role] of Object.entries(resourcesOf(template, "AWS::IAM::Role"))) {
    for (const p of (role.Properties?.["Policies"] as Array<{ PolicyDocument: unknown }> | undefined) ?? []) {
      collect(id, p.PolicyDocument);
    }
  }
  return out;
};

export const asList = <T>(value: T | T[]): T[] => (Array.isArray(value) ? value : [value]);

/** A property that must be present. */
export const prop = <T>(resource: CfnResource, name: string): T => {
  const value = resource.Properties?.[name];
  if (value === undefined) throw new Error(`${resource.Type} has no ${name}`);
  return value as T;
};
