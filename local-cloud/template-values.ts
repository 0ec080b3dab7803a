/**
 * A template's values resolved against a deployed stack, for the adapters that do what moto's CloudFormation skips
 * (glue-catalog.ts, scheduler.ts): Ref (resources and pseudo parameters), Fn::GetAtt of an ARN, and Fn::Join.
 */
import type { DeployedStack } from './deploy';
import type { LocalCloud } from './moto-server';

/** The ARN of a deployed resource, from the physical id CloudFormation reports for its type. */
function arnOf(type: string, physicalId: string, cloud: LocalCloud): string | undefined {
  const { region, accountId } = cloud;
  switch (type) {
    case 'AWS::IAM::Role': return physicalId.startsWith('arn:') ? physicalId : `arn:aws:iam::${accountId}:role/${physicalId}`;
    case 'AWS::SQS::Queue': return `arn:aws:sqs:${region}:${accountId}:${physicalId.split('/').pop()}`;
    case 'AWS::Lambda::Function': return physicalId.startsWith('arn:') ? physicalId : `arn:aws:lambda:${region}:${accountId}:function:${physicalId}`;
    case 'AWS::StepFunctions::StateMachine': return physicalId;
    default: return physicalId.startsWith('arn:') ? physicalId : undefined;
  }
}

/** `value` with its intrinsic functions resolved; `who` names the adapter in errors. */
export function resolveTemplateValue(value: unknown, stack: DeployedStack, cloud: LocalCloud, who: string): unknown {
  if (Array.isArray(value)) return value.map((item) => resolveTemplateValue(item, stack, cloud, who));
  if (typeof value !== 'object' || value === null) return value;
  const entries = Object.entries(value as Record<string, unknown>);
  if (entries.length === 1 && entries[0][0] === 'Ref') {
    const name = entries[0][1] as string;
    const pseudo: Record<string, string> = { 'AWS::AccountId': cloud.accountId, 'AWS::Region': cloud.region, 'AWS::Partition': 'aws', 'AWS::URLSuffix': 'amazonaws.com' };
    const found = pseudo[name] ?? stack.resources[name]?.physicalId;
    if (found === undefined) throw new Error(`the ${who} cannot resolve Ref ${name} in ${stack.stackName}`);
    return found;
  }
  if (entries.length === 1 && entries[0][0] === 'Fn::GetAtt') {
    const [logicalId, attribute] = entries[0][1] as [string, string];
    const resource = stack.resources[logicalId];
    const arn = resource && attribute === 'Arn' ? arnOf(resource.type, resource.physicalId, cloud) : undefined;
    if (arn === undefined) throw new Error(`the ${who} cannot resolve Fn::GetAtt ${logicalId}.${attribute} in ${stack.stackName}`);
    return arn;
  }
  if (entries.length === 1 && entries[0][0] === 'Fn::Join') {
    const [separator, parts] = entries[0][1] as [string, unknown[]];
    return parts.map((part) => resolveTemplateValue(part, stack, cloud, who)).join(separator);
  }
  if (entries.length === 1 && entries[0][0].startsWith('Fn::')) {
    throw new Error(`the ${who} does not resolve ${entries[0][0]} (in ${stack.stackName}); it resolves Ref, Fn::GetAtt of an ARN and Fn::Join`);
  }
  return Object.fromEntries(entries.map(([key, item]) => [key, resolveTemplateValue(item, stack, cloud, who)]));
}
