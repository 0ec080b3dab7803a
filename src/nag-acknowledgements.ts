import { CfnResource, Validations } from 'aws-cdk-lib';

/**
 * A finding of a cdk-nag rule that the construct accepts on one of its own resources, and why.
 * Internal: the construct records these on the resource itself, so a user's own scan sees them.
 */
export interface NagAcknowledgement {
  /** The rule, e.g. `AwsSolutions-IAM5`. */
  readonly ruleId: string;
  /**
   * The one finding of a rule that reports several per resource, e.g. `Resource::*` for AwsSolutions-IAM5.
   * Without it the whole rule is acknowledged on the resource, so rules with findings must set it.
   */
  readonly appliesTo?: string;
  /** Why the finding is accepted, for the reviewer of a scan. */
  readonly reason: string;
}

/** The CloudFormation metadata key cdk-nag 2 reads its suppressions from (and cdk-nag 3 can write). */
const CDK_NAG_V2_METADATA_KEY = 'cdk_nag';

/** The id cdk-nag 3 gives a finding: the rule id, with the finding in brackets for rules that report several. */
export function nagFindingId(acknowledgement: NagAcknowledgement): string {
  return acknowledgement.appliesTo === undefined ? acknowledgement.ruleId : `${acknowledgement.ruleId}[${acknowledgement.appliesTo}]`;
}

/**
 * Records `acknowledgement` on `resource` alone (not on its children or siblings), in the two forms cdk-nag reads,
 * without a dependency on cdk-nag:
 *
 * - cdk-nag 3 reads construct metadata of type `Validations.ACKNOWLEDGED_RULES_METADATA_KEY`, `{ <finding id>: <reason> }`,
 *   on the resource and its scopes: what `Validations.of(resource).acknowledge()` writes. That method is not used
 *   because it rejects ids with more than one `::`, which an IAM5 finding on an ARN has (`Resource::arn:<AWS::Partition>:s3:::…`).
 * - cdk-nag 2 reads the resource's CloudFormation metadata `cdk_nag: { rules_to_suppress: [{ id, reason, applies_to }] }`;
 *   entries already there are kept.
 */
export function acknowledgeNagFinding(resource: CfnResource, acknowledgement: NagAcknowledgement): void {
  resource.node.addMetadata(Validations.ACKNOWLEDGED_RULES_METADATA_KEY, { [nagFindingId(acknowledgement)]: acknowledgement.reason });

  const existing = resource.getMetadata(CDK_NAG_V2_METADATA_KEY) ?? {};
  const rule = {
    id: acknowledgement.ruleId,
    reason: acknowledgement.reason,
    ...(acknowledgement.appliesTo === undefined ? {} : { applies_to: [acknowledgement.appliesTo] }),
  };
  resource.addMetadata(CDK_NAG_V2_METADATA_KEY, { ...existing, rules_to_suppress: [...(existing.rules_to_suppress ?? []), rule] });
}

/**
 * A resolved CloudFormation value as one string, the way cdk-nag names a finding on it: `Ref` and `Fn::GetAtt`
 * become `<LogicalId>` and `<LogicalId.Attribute>`, `Fn::Join` is joined, `${…}` of `Fn::Sub` becomes `<…>`.
 */
export function nagFlatten(value: unknown): string {
  if (value === undefined) return '';
  if (typeof value === 'string') return value.replace(/\$\{/g, '<').replace(/\}/g, '>');
  const intrinsic = value as Record<string, any>;
  if (intrinsic['Fn::Join']) {
    const [separator, parts] = intrinsic['Fn::Join'];
    return (parts as unknown[]).map(nagFlatten).join(separator);
  }
  if (intrinsic['Fn::Sub']) return nagFlatten(intrinsic['Fn::Sub']);
  if (intrinsic['Fn::GetAtt']) return `<${intrinsic['Fn::GetAtt'].map(nagFlatten).join('.')}>`;
  if (intrinsic['Fn::ImportValue']) return nagFlatten(intrinsic['Fn::ImportValue']);
  if (intrinsic.Ref) return `<${nagFlatten(intrinsic.Ref)}>`;
  return JSON.stringify(value);
}
