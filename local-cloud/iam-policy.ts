/**
 * IAM's decision on one request, made from a role's policies as IAM makes it, for what moto cannot decide: moto checks
 * non-S3 actions against resource `*` and cannot see a request's condition keys, so a role scoped to one state machine or
 * to one event source would be refused there. The adapters that act as an AWS service (scheduler.ts, events.ts) ask
 * here first, then call moto with the admin's keys.
 *
 * What it evaluates: the role's inline and attached managed policies; Allow and Deny; Action and Resource (with `*` and
 * `?` wildcards), NotAction and NotResource; conditions StringEquals, StringLike, ArnEquals and ArnLike (and their
 * IfExists forms), a list of values meaning any of them. Not evaluated: permission boundaries, SCPs, session policies,
 * resource-based policies, other condition operators (a statement with one never applies, so such a role is refused).
 */
import {
  GetPolicyCommand, GetPolicyVersionCommand, GetRolePolicyCommand, IAMClient, ListAttachedRolePoliciesCommand, ListRolePoliciesCommand,
} from '@aws-sdk/client-iam';
import type { LocalCloud } from './moto-server';

export interface PolicyStatement {
  readonly Effect: 'Allow' | 'Deny';
  readonly Action?: string | string[];
  readonly NotAction?: string | string[];
  readonly Resource?: string | string[];
  readonly NotResource?: string | string[];
  readonly Condition?: Record<string, Record<string, string | string[]>>;
}

export interface IamRequest {
  readonly action: string;
  readonly resource: string;
  /** The request's condition keys, e.g. `{ "events:source": "cdk-synthetic-data" }`. */
  readonly context?: Readonly<Record<string, string>>;
}

export type Decision = 'allowed' | 'denied' | 'implicitly denied';

const list = (value: string | string[] | undefined): string[] => (value === undefined ? [] : Array.isArray(value) ? value : [value]);
const wildcard = (pattern: string, value: string, ignoreCase = false) =>
  new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`, ignoreCase ? 'i' : '').test(value);

const OPERATORS: Record<string, (expected: string, actual: string) => boolean> = {
  StringEquals: (e, a) => e === a,
  StringLike: (e, a) => wildcard(e, a),
  ArnEquals: (e, a) => e === a,
  ArnLike: (e, a) => wildcard(e, a),
};

function conditionsHold(condition: PolicyStatement['Condition'], context: Readonly<Record<string, string>>): boolean {
  return Object.entries(condition ?? {}).every(([operator, keys]) => {
    const ifExists = operator.endsWith('IfExists');
    const test = OPERATORS[ifExists ? operator.slice(0, -'IfExists'.length) : operator];
    if (!test) return false;
    return Object.entries(keys).every(([key, expected]) => {
      const actual = context[key];
      if (actual === undefined) return ifExists;
      return list(expected).some((e) => test(e, actual));
    });
  });
}

function applies(statement: PolicyStatement, request: IamRequest): boolean {
  const actionMatches = statement.NotAction !== undefined
    ? !list(statement.NotAction).some((a) => wildcard(a, request.action, true))
    : list(statement.Action).some((a) => wildcard(a, request.action, true));
  const resourceMatches = statement.NotResource !== undefined
    ? !list(statement.NotResource).some((r) => wildcard(r, request.resource))
    : list(statement.Resource).some((r) => wildcard(r, request.resource));
  return actionMatches && resourceMatches && conditionsHold(statement.Condition, request.context ?? {});
}

/** An explicit Deny wins; else an Allow that applies; else the implicit deny. */
export function decide(statements: readonly PolicyStatement[], request: IamRequest): Decision {
  const applying = statements.filter((s) => applies(s, request));
  if (applying.some((s) => s.Effect === 'Deny')) return 'denied';
  return applying.some((s) => s.Effect === 'Allow') ? 'allowed' : 'implicitly denied';
}

const documentOf = (text: string | undefined) => {
  const raw = text ?? '{}';
  const parsed = JSON.parse(raw.startsWith('%') || raw.includes('%22') ? decodeURIComponent(raw) : raw) as { Statement?: PolicyStatement | PolicyStatement[] };
  return parsed.Statement === undefined ? [] : Array.isArray(parsed.Statement) ? parsed.Statement : [parsed.Statement];
};

/** Every statement of the role's inline and attached managed policies, as the local IAM stores them. */
export async function roleStatements(cloud: LocalCloud, roleArn: string): Promise<PolicyStatement[]> {
  const roleName = roleArn.split('/').pop() ?? '';
  const iam = new IAMClient(cloud.clientConfig());
  try {
    const statements: PolicyStatement[] = [];
    for (const policyName of (await iam.send(new ListRolePoliciesCommand({ RoleName: roleName }))).PolicyNames ?? []) {
      statements.push(...documentOf((await iam.send(new GetRolePolicyCommand({ RoleName: roleName, PolicyName: policyName }))).PolicyDocument));
    }
    for (const attached of (await iam.send(new ListAttachedRolePoliciesCommand({ RoleName: roleName }))).AttachedPolicies ?? []) {
      const policy = (await iam.send(new GetPolicyCommand({ PolicyArn: attached.PolicyArn }))).Policy;
      const version = await iam.send(new GetPolicyVersionCommand({ PolicyArn: attached.PolicyArn, VersionId: policy?.DefaultVersionId }));
      statements.push(...documentOf(version.PolicyVersion?.Document));
    }
    return statements;
  } finally {
    iam.destroy();
  }
}

/** Refused by the role's policies: named as IAM names it. */
export class AccessDeniedError extends Error {
  constructor(readonly roleArn: string, readonly request: IamRequest, readonly decision: Decision) {
    super(`User: ${roleArn} is not authorized to perform: ${request.action} on resource: ${request.resource}`
      + `${request.context && Object.keys(request.context).length ? ` with ${JSON.stringify(request.context)}` : ''} (${decision})`);
    this.name = 'AccessDeniedException';
  }
}

/** Throws AccessDeniedError unless the role's policies allow every request. */
export async function requireAllowed(cloud: LocalCloud, roleArn: string, requests: readonly IamRequest[]): Promise<void> {
  const statements = await roleStatements(cloud, roleArn);
  for (const request of requests) {
    const decision = decide(statements, request);
    if (decision !== 'allowed') throw new AccessDeniedError(roleArn, request, decision);
  }
}
