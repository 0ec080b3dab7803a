/**
 * Building a stack with one SyntheticDataGenerator for the construct's template tests, and reading back
 * what a test compares against: logical ids, the default role's least privilege, the one resource of a type.
 */
import { App, CfnElement, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { IConstruct } from 'constructs';
import { Column, Schema, SyntheticDataGenerator, SyntheticDataGeneratorProps } from '../../src';

export const smallSchema = () => Schema.fromColumns([Column.uuid('id'), Column.integer('quantity', { min: 1, max: 20 })]);

/** A stack with one generator; `customize` runs before the stack is synthesized. */
export function synth(props: Partial<SyntheticDataGeneratorProps> = {}, customize?: (stack: Stack, generator: SyntheticDataGenerator) => void) {
  const app = new App();
  const stack = new Stack(app, 'TestStack', { env: { account: '123456789012', region: 'us-east-1' } });
  const generator = new SyntheticDataGenerator(stack, 'Generator', { schema: smallSchema(), ...props });
  customize?.(stack, generator);
  return { stack, generator, template: Template.fromStack(stack) };
}

export const logicalId = (stack: Stack, construct: IConstruct) => stack.getLogicalId(construct.node.defaultChild as CfnElement);

/** What the default generator's role may do, and nothing else (without X-Ray when tracing is off). */
export function leastPrivilege(stack: Stack, generator: SyntheticDataGenerator, { tracing = true } = {}) {
  return [
    {
      actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
      resources: [{ 'Fn::GetAtt': [logicalId(stack, generator.logGroup), 'Arn'] }],
    },
    {
      actions: ['s3:AbortMultipartUpload', 's3:PutObject'],
      resources: [{ 'Fn::Join': ['', [{ 'Fn::GetAtt': [logicalId(stack, generator.bucket), 'Arn'] }, '/synthetic-data/*']] }],
    },
    // X-Ray has no resource-level permissions for these two actions: "*" is the only resource it accepts.
    ...(tracing ? [{ actions: ['xray:PutTelemetryRecords', 'xray:PutTraceSegments'], resources: ['*'] }] : []),
    // Lambda delivers the record of a failed asynchronous invocation with SendMessage alone.
    { actions: ['sqs:SendMessage'], resources: [{ 'Fn::GetAtt': [logicalId(stack, generator.failureQueue!), 'Arn'] }] },
  ];
}

export function only<T>(resources: Record<string, T>): T {
  const all = Object.values(resources);
  expect(all).toHaveLength(1);
  return all[0];
}

export function build(props: Partial<SyntheticDataGeneratorProps>) {
  return () => synth(props);
}

