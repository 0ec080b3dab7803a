/**
 * Reading a synthesized template as the tests compare it: a role's exact permissions, and the template with its asset
 * hashes set aside.
 */
import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';

/** One Allow statement of a role's policies, with actions sorted: what the role may do, on what. */
export interface Permission {
  readonly actions: string[];
  readonly resources: unknown[];
  /** The statement's Condition block, only where it has one. */
  readonly conditions?: unknown;
}

const asList = <T>(value: T | T[] | undefined): T[] => (value === undefined ? [] : Array.isArray(value) ? value : [value]);

/**
 * Every permission the synthesized template gives `role`: the statements of all AWS::IAM::Policy
 * resources attached to it and of its inline policies, in template order. Comparing this with
 * `toEqual` fails on any extra action, resource, or statement, which is what least privilege needs.
 * A Condition is kept (as `conditions`), so it is compared too; Deny, NotAction and NotResource statements would change the
 * meaning, so they make this throw rather than be ignored.
 */
export function exactRolePermissions(stack: Stack, role: iam.IRole): Permission[] {
  const template = Template.fromStack(stack);
  const roleLogicalId = stack.getLogicalId(role.node.defaultChild as iam.CfnRole);
  const statements: any[] = [];
  for (const policy of Object.values(template.findResources('AWS::IAM::Policy'))) {
    const attached = asList(policy.Properties.Roles).some((r: any) => r?.Ref === roleLogicalId);
    if (attached) statements.push(...policy.Properties.PolicyDocument.Statement);
  }
  const roleResource = template.findResources('AWS::IAM::Role')[roleLogicalId];
  for (const inline of roleResource?.Properties?.Policies ?? []) statements.push(...inline.PolicyDocument.Statement);
  return statements.map((statement) => {
    if (statement.Effect !== 'Allow' || statement.NotAction || statement.NotResource) {
      throw new Error(`unexpected statement shape: ${JSON.stringify(statement)}`);
    }
    return {
      actions: asList<string>(statement.Action).sort(),
      resources: asList(statement.Resource),
      ...statement.Condition ? { conditions: statement.Condition } : {},
    };
  });
}

/** The template as JSON with asset hashes replaced, so a rebuilt handler bundle does not churn snapshots. */
export function templateWithoutAssetHashes(template: unknown): unknown {
  return JSON.parse(JSON.stringify(template).replace(/[0-9a-f]{64}/g, '<asset-hash>'));
}
