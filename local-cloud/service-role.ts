/**
 * Credentials of a role that an AWS service (Step Functions, EventBridge Scheduler) assumes, as that service gets them, so
 * that what it does in the local cloud is evaluated against the role's own policies. As for a function's role
 * (lambda-sandbox.ts): the trust policy is checked here, and the session is made with sts:AssumeRoleWithWebIdentity signed
 * by the admin, which moto backs with the same role session.
 */
import { GetRoleCommand, IAMClient } from '@aws-sdk/client-iam';
import { AssumeRoleWithWebIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import type { AwsCredentials, LocalCloud } from './moto-server';

const asList = (value: unknown): unknown[] => (Array.isArray(value) ? value : value === undefined ? [] : [value]);

/** Whether a trust policy lets `service` (e.g. `states.amazonaws.com`) assume the role. */
export function trustsService(assumeRolePolicyDocument: string, service: string): boolean {
  const document = assumeRolePolicyDocument.startsWith('%') || assumeRolePolicyDocument.includes('%22')
    ? decodeURIComponent(assumeRolePolicyDocument) : assumeRolePolicyDocument;
  const statements = asList((JSON.parse(document) as { Statement?: unknown }).Statement) as Array<Record<string, unknown>>;
  return statements.some((s) => s.Effect === 'Allow'
    && asList(s.Action).some((a) => a === 'sts:AssumeRole' || a === 'sts:*' || a === '*')
    && asList((s.Principal as { Service?: unknown } | undefined)?.Service).includes(service));
}

/** `refusal` says how the service refuses a role that does not trust it (default: a message naming the service). */
export async function assumeServiceRole(
  cloud: LocalCloud, roleArn: string, service: string, sessionName: string, refusal?: string,
): Promise<AwsCredentials> {
  const iam = new IAMClient(cloud.clientConfig());
  const sts = new STSClient({
    ...cloud.clientConfig(),
    httpAuthSchemeProvider: (params) => [{
      schemeId: 'aws.auth#sigv4',
      signingProperties: { name: 'sts', region: params.region },
      propertiesExtractor: (config, context) => ({ signingProperties: { config, context } }),
    }],
  });
  try {
    const role = (await iam.send(new GetRoleCommand({ RoleName: roleArn.split('/').pop() ?? '' }))).Role;
    if (!role?.AssumeRolePolicyDocument || !trustsService(role.AssumeRolePolicyDocument, service)) {
      throw new Error(refusal ?? `${service} cannot assume ${roleArn}: its trust policy does not allow ${service} sts:AssumeRole`);
    }
    const { Credentials: c } = await sts.send(new AssumeRoleWithWebIdentityCommand({
      RoleArn: roleArn,
      RoleSessionName: sessionName.replace(/[^\w+=,.@-]/g, '-').slice(0, 64),
      WebIdentityToken: `local-cloud-${service}`,
      DurationSeconds: 3600,
    }));
    if (!c?.AccessKeyId || !c.SecretAccessKey) throw new Error(`no credentials for ${roleArn}`);
    return { accessKeyId: c.AccessKeyId, secretAccessKey: c.SecretAccessKey, sessionToken: c.SessionToken };
  } finally {
    iam.destroy();
    sts.destroy();
  }
}
