/**
 * What the generator may do, and the cdk-nag findings its design accepts: the execution role's least-privilege
 * statements, and each acknowledgement on the one resource it is found on (see "Security scan (cdk-nag)" in the README).
 */
import { CfnResource, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as logs from 'aws-cdk-lib/aws-logs';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { acknowledgeNagFinding, nagFlatten } from './nag-acknowledgements';

/** The execution role the construct creates when prop role is not given: trusted by Lambda only, with no managed policies. */
export function createExecutionRole(scope: Construct): iam.Role {
  return new iam.Role(scope, 'ExecutionRole', {
    assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
    description: 'Execution role of a cdk-synthetic-data generator: writes its own logs and puts data objects under one key prefix',
  });
}

/**
 * Gives `role` what the function needs and nothing more: writing its own logs, and putting objects under the key
 * prefix. The result says whether the object statement was added (an imported immutable role takes none).
 */
export function grantLeastPrivilege(role: iam.IRole, to: {
  readonly logGroup: logs.ILogGroup;
  readonly bucket: s3.IBucket;
  readonly keyPrefix: string;
}): iam.AddToPrincipalPolicyResult {
  to.logGroup.grantWrite(role);
  // Only writes under the prefix: no read, list or delete, and nothing elsewhere in the bucket.
  // AbortMultipartUpload lets a failed large upload clean up its parts.
  const objectWrites = role.addToPrincipalPolicy(new iam.PolicyStatement({
    actions: ['s3:PutObject', 's3:AbortMultipartUpload'],
    resources: [to.bucket.arnForObjects(`${to.keyPrefix}*`)],
  }));
  const key = to.bucket.encryptionKey;
  if (key) {
    // SSE-KMS: a put needs a data key, and completing a multipart upload decrypts it.
    role.addToPrincipalPolicy(new iam.PolicyStatement({
      actions: ['kms:GenerateDataKey', 'kms:Decrypt'],
      resources: [key.keyArn],
    }));
  }
  return objectWrites;
}

/**
 * The created failure queue as an on-failure destination. Unlike lambda-destinations' SqsDestination, it gives the role
 * only `sqs:SendMessage` on the queue, all Lambda needs to deliver a failure record (not GetQueueAttributes or GetQueueUrl).
 */
export class SendOnlyQueueDestination implements lambda.IDestination {
  constructor(private readonly queue: sqs.IQueue) {}

  public bind(_scope: Construct, fn: lambda.IFunction): lambda.DestinationConfig {
    fn.addToRolePolicy(new iam.PolicyStatement({ actions: ['sqs:SendMessage'], resources: [this.queue.queueArn] }));
    return { destination: this.queue.queueArn };
  }
}

/**
 * The policy resource that holds the statements added to `role`: the default policy of an `iam.Role`, or the policy
 * of a mutable role imported with `Role.fromRoleArn`. (The dependable that `addToPrincipalPolicy` returns is only
 * filled in at synthesis.) Undefined for any other role, so nothing is acknowledged where it cannot be found.
 */
function rolePolicyResource(role: iam.IRole): CfnResource | undefined {
  const policy = role.node.tryFindChild('DefaultPolicy') ?? role.node.tryFindChild('Policy');
  const resource = policy instanceof iam.Policy ? policy.node.defaultChild : undefined;
  return resource && CfnResource.isCfnResource(resource) ? resource : undefined;
}

/** The findings of the function and of its role's policy. */
export function acknowledgeFunctionFindings(given: {
  readonly function: lambda.Function;
  readonly role: iam.IRole;
  readonly bucket: s3.IBucket;
  readonly keyPrefix: string;
  readonly objectWrites: iam.AddToPrincipalPolicyResult;
  readonly tracing: boolean;
}): void {
  const fn = given.function.node.defaultChild as CfnResource;
  acknowledgeNagFinding(fn, {
    ruleId: 'Serverless-LambdaDLQ',
    reason: 'Failed asynchronous invocations go to an on-failure destination (EventInvokeConfig), which records the '
      + 'error and the request context with the event, where a dead-letter queue gets the event alone: failures are kept in one place.',
  });
  if (!given.tracing) {
    acknowledgeNagFinding(fn, {
      ruleId: 'Serverless-LambdaTracing',
      reason: 'X-Ray tracing was turned off with the construct\'s prop tracing: false (it is on by default).',
    });
  }

  // The role's policy that holds the construct's statements (and the X-Ray statement lambda.Function adds to the same role).
  // An imported immutable role gets no statements, and so no findings.
  const policy = given.objectWrites.statementAdded ? rolePolicyResource(given.role) : undefined;
  if (!policy) return;
  acknowledgeNagFinding(policy, {
    ruleId: 'AwsSolutions-IAM5',
    appliesTo: `Resource::${nagFlatten(Stack.of(given.function).resolve(given.bucket.arnForObjects(`${given.keyPrefix}*`)))}`,
    reason: 'The function writes a new object per invocation, named after its request id, under its key prefix (prop keyPrefix): '
      + 'the names are not known in advance, so s3:PutObject and s3:AbortMultipartUpload are allowed on the prefix, and nowhere else.',
  });
  if (given.tracing) {
    acknowledgeNagFinding(policy, {
      ruleId: 'AwsSolutions-IAM5',
      appliesTo: 'Resource::*',
      reason: 'X-Ray tracing needs xray:PutTraceSegments and xray:PutTelemetryRecords, which have no resource-level '
        + 'permissions: X-Ray allows them only on "*". The construct adds no other statement with a "*" resource.',
    });
  }
}

/** The findings of the failure queue the construct creates. */
export function acknowledgeFailureQueueFindings(queue: sqs.Queue): void {
  const reason = 'This queue is the failure destination of the function\'s asynchronous invocations: each message is '
    + 'the record of a failed invocation, kept 14 days for people to read. No consumer processes it, so no message can '
    + 'fail processing and need a dead-letter queue of its own.';
  acknowledgeNagFinding(queue.node.defaultChild as CfnResource, { ruleId: 'AwsSolutions-SQS3', reason });
  acknowledgeNagFinding(queue.node.defaultChild as CfnResource, { ruleId: 'Serverless-SQSRedrivePolicy', reason });
}
