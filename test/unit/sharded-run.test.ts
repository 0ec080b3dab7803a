/**
 * Sharded runs without a cloud: the plan every side derives (fast-check), the events the function accepts from its
 * state machine, and the state machine the construct synthesizes, with its role compared exactly.
 */
import { App, CfnElement, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import { IConstruct } from 'constructs';
import * as fc from 'fast-check';
import { Column, Schema, SyntheticDataGenerator, SyntheticDataGeneratorProps } from '../../src';
import { ENV } from '../../src/contract/environment';
import {
  MAX_RUN_ROWS, MAX_SHARDS, partKey, planShards, runIdOfExecution, validateRunEvent, validateRunRows, type ShardDescriptor,
} from '../../src/contract/runs';
import { parseSchemaDocument } from '../../src/contract/schema-document';
import { exactRolePermissions } from '../support/template';

describe('the plan of a run', () => {
  test('parts are contiguous from row 0, cover every row once, and differ in size by at most one row', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: MAX_SHARDS }), fc.integer({ min: 0, max: MAX_RUN_ROWS }), (shards, extra) => {
      const rows = Math.min(MAX_RUN_ROWS, shards + extra);
      const plan = planShards(rows, shards);
      expect(plan).toHaveLength(shards);
      let next = 0;
      const misplaced = plan.filter((part, i) => {
        const wrong = part.index !== i || part.firstRow !== next || part.rows < 1;
        next += part.rows;
        return wrong;
      });
      expect(misplaced).toEqual([]);
      expect(next).toBe(rows);
      const sizes = plan.map((p) => p.rows);
      expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
    }), { numRuns: 300 });
  });

  test('the records of the largest run fit in the 256 KiB a Step Functions state may output', () => {
    // the map's output: every part's record as the WritePart ResultSelector keeps it, with the largest numbers a run can have
    const records = planShards(MAX_RUN_ROWS, MAX_SHARDS).map((p) => ({ ...p, bytes: 99_999_999_999_999, sha256: 'f'.repeat(64) }));
    const state = { runId: 'r'.repeat(80), seed: 4_294_967_295, rows: MAX_RUN_ROWS, parts: records };
    expect(Buffer.byteLength(JSON.stringify(state))).toBeLessThan(256 * 1024);
  });

  test('part keys are zero-padded so that they sort in row order', () => {
    expect(partKey('synthetic-data/', 'sales', 'nightly-1', 7, '.csv')).toBe('synthetic-data/sales/nightly-1/part-00007.csv');
    expect(partKey('synthetic-data/', 'sales', 'nightly-1', 7, '.parquet')).toBe('synthetic-data/sales/nightly-1/part-00007.parquet');
    const keys = planShards(10_000, MAX_SHARDS).map((p) => partKey('p/', 'd', 'r', p.index, '.csv.gz'));
    expect([...keys].sort()).toEqual(keys);
  });

  test('rows are refused when a part would exceed maxRows, when parts would be empty, or when a sequence would leave exact integers', () => {
    expect(() => validateRunRows('prop rows', 1_000_000_001, 100, 10_000_000))
      .toThrow('100 parts (shards) would have up to 10000001 rows each, above maxRows (10000000) per invocation; use at least 101 shards, or raise maxRows');
    expect(() => validateRunRows('prop rows', 3, 8, 100)).toThrow('fewer rows than the 8 parts (shards); every part needs at least one row');
    // exact over one invocation's 10^8 rows (the schema's own check), not over a run of 10^9
    const start = Number.MAX_SAFE_INTEGER - 200_000_000;
    const schema = parseSchemaDocument(JSON.stringify({ columns: [{ name: 'n', type: 'sequence', start, step: 1 }] }));
    expect(() => validateRunRows('prop rows', 1_000_000_000, 1000, 100_000_000, schema))
      .toThrow(`sequence column "n" would reach ${BigInt(start) + 999_999_999n} at the last row, beyond the exact integer range`);
    const fromOne = parseSchemaDocument(JSON.stringify({ columns: [{ name: 'n', type: 'sequence' }] }));
    expect(validateRunRows('prop rows', 1_000_000_000, 100, 10_000_000, fromOne)).toBe(1_000_000_000);
  });
});

describe('the events of the state machine', () => {
  const plan = planShards(25, 3); // 9, 8, 8 rows
  const settings = 'c'.repeat(64); // the fingerprint planRun handed out (the handler compares it with its own)
  const record = (part: ShardDescriptor) => ({ ...part, bytes: 100, sha256: 'a'.repeat(64) });

  test('the run id is the input\'s, or else the execution\'s name', () => {
    expect(runIdOfExecution({ runId: 'nightly-2026-11-27' }, 'abc')).toBe('nightly-2026-11-27');
    expect(runIdOfExecution({}, '0f8e6f1c-5a4b-4c1e-9d1f-2b3c4d5e6f70')).toBe('0f8e6f1c-5a4b-4c1e-9d1f-2b3c4d5e6f70');
    expect(runIdOfExecution(null, 'named')).toBe('named');
  });

  test('an input with other fields, a run id that cannot be a folder, or a name that cannot be one is refused, saying what to do', () => {
    expect(() => runIdOfExecution({ runId: 'a', seed: 3 }, 'x')).toThrow(/"seed": only "runId" is accepted: rows and seed of a sharded run are the construct's props/);
    expect(() => runIdOfExecution({ runId: '../up' }, 'x')).toThrow(/the execution input's runId is "..\/up": expected a run id of 1 to 80 letters/);
    expect(() => runIdOfExecution({}, 'naïve run')).toThrow(/the execution name is "naïve run": it cannot name the run .* give a run id in the input/);
    expect(() => runIdOfExecution([1], 'x')).toThrow(/the execution input is \[1\]: expected a JSON object/);
  });

  test('a part must be exactly the plan\'s part of that index', () => {
    expect(validateRunEvent({ action: 'writePart', runId: 'r', settings, part: plan[1] }, plan)).toEqual({ action: 'writePart', runId: 'r', settings, part: plan[1] });
    expect(() => validateRunEvent({ action: 'writePart', runId: 'r', settings, part: { ...plan[1], firstRow: 8 } }, plan))
      .toThrow('event.part is rows 8 to 15, but part 1 of this run\'s plan is rows 9 to 16');
    expect(() => validateRunEvent({ action: 'writePart', runId: 'r', settings, part: { index: 3, firstRow: 25, rows: 1 } }, plan))
      .toThrow('event.part.index is 3: the run has 3 parts, numbered from 0');
  });

  test('the manifest needs every part\'s record, in order, with a size and a SHA-256', () => {
    const parts = plan.map(record);
    expect(validateRunEvent({ action: 'writeManifest', runId: 'r', settings, parts }, plan)).toEqual({ action: 'writeManifest', runId: 'r', settings, parts });
    expect(() => validateRunEvent({ action: 'writeManifest', runId: 'r', settings, parts: parts.slice(1) }, plan))
      .toThrow('the run has 3 parts; every part must be written before the manifest');
    expect(() => validateRunEvent({ action: 'writeManifest', runId: 'r', settings, parts: [parts[1], parts[0], parts[2]] }, plan))
      .toThrow('event.parts[0].index is 1: expected 0: the records must be in the order of the parts');
    expect(() => validateRunEvent({ action: 'writeManifest', runId: 'r', settings, parts: [{ ...parts[0], sha256: 'ABC' }, parts[1], parts[2]] }, plan))
      .toThrow('event.parts[0].sha256 is "ABC": expected 64 lowercase hex digits');
  });

  test('a step after the plan must carry the fingerprint of the settings planned with', () => {
    expect(() => validateRunEvent({ action: 'writePart', runId: 'r', part: plan[0] }, plan))
      .toThrow(/event.settings is undefined: expected the fingerprint of the settings the run was planned with/);
  });

  test('a function deployed without shards refuses the steps of a run; an unknown action is named', () => {
    expect(() => validateRunEvent({ action: 'planRun', input: {} }, undefined)).toThrow(/deployed without shards: set the construct's prop shards/);
    expect(() => validateRunEvent({ action: 'writeParts' }, plan)).toThrow(/event.action is "writeParts": expected one of "planRun", "writePart", "writeManifest"/);
  });
});

describe('the construct with shards', () => {
  const schema = () => Schema.fromColumns([Column.uuid('id'), Column.sequence('n')]);
  function synth(props: Partial<SyntheticDataGeneratorProps> = {}) {
    const stack = new Stack(new App(), 'TestStack', { env: { account: '123456789012', region: 'us-east-1' } });
    const generator = new SyntheticDataGenerator(stack, 'Generator', { schema: schema(), rows: 8_000_000, shards: 8, ...props });
    return { stack, generator, template: Template.fromStack(stack) };
  }
  const logicalId = (stack: Stack, construct: IConstruct) => stack.getLogicalId(construct.node.defaultChild as CfnElement);
  /** The definition with the function's ARN and the partition resolved to placeholders. */
  const definitionOf = (template: Template) => {
    const [machine] = Object.values(template.findResources('AWS::StepFunctions::StateMachine'));
    const parts = machine.Properties.DefinitionString['Fn::Join'][1] as unknown[];
    return JSON.parse(parts.map((p) => (typeof p === 'string' ? p : (p as { Ref?: string }).Ref ? 'aws' : 'FUNCTION_ARN')).join(''));
  };

  test('without shards there is no state machine', () => {
    const stack = new Stack(new App(), 'Plain');
    const generator = new SyntheticDataGenerator(stack, 'Generator', { schema: schema() });
    Template.fromStack(stack).resourceCountIs('AWS::StepFunctions::StateMachine', 0);
    expect(generator.stateMachine).toBeUndefined();
    expect(() => generator.grantStartRun(new iam.User(stack, 'U'))).toThrow(/grantStartRun needs the state machine of sharded runs: set prop shards/);
  });

  test('a standard state machine: PlanRun → WriteParts (Distributed Map over the plan) → WriteManifest, all invoking the function', () => {
    const { template, generator } = synth();
    expect(generator.stateMachine).toBeDefined();
    const definition = definitionOf(template);
    expect(definition.StartAt).toBe('PlanRun');
    expect(definition.States.PlanRun).toMatchObject({
      Type: 'Task',
      Next: 'WriteParts',
      Resource: 'arn:aws:states:::lambda:invoke',
      OutputPath: '$.Payload',
      Parameters: { FunctionName: 'FUNCTION_ARN', Payload: { 'action': 'planRun', 'input.$': '$', 'executionName.$': '$$.Execution.Name' } },
    });
    expect(definition.States.WriteParts).toMatchObject({
      Type: 'Map',
      ItemsPath: '$.parts',
      ResultPath: '$.parts',
      MaxConcurrency: 8,
      Next: 'WriteManifest',
      ItemSelector: { 'runId.$': '$.runId', 'part.$': '$$.Map.Item.Value' },
      ItemProcessor: { ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' }, StartAt: 'WritePart' },
    });
    expect(definition.States.WriteParts.ItemProcessor.States.WritePart.ResultSelector).toEqual({
      'index.$': '$.Payload.index',
      'firstRow.$': '$.Payload.firstRow',
      'rows.$': '$.Payload.rows',
      'bytes.$': '$.Payload.bytes',
      'sha256.$': '$.Payload.sha256',
      // the part's conformance summary, which the manifest adds up
      'conformance.$': '$.Payload.conformance',
    });
    expect(definition.States.WriteManifest).toMatchObject({
      End: true, Parameters: { Payload: { 'action': 'writeManifest', 'runId.$': '$.runId', 'settings.$': '$.settings', 'parts.$': '$.parts' } },
    });
    template.hasResourceProperties('AWS::StepFunctions::StateMachine', {
      StateMachineType: 'STANDARD', TracingConfiguration: { Enabled: true }, LoggingConfiguration: { Level: 'ALL', IncludeExecutionData: true },
    });
  });

  test('retries: bad input never, Lambda throttling with backoff, any other failure twice more', () => {
    const retriers = (state: any) => state.Retry.map((r: any) => [r.ErrorEquals.join('|'), r.MaxAttempts]);
    const definition = definitionOf(synth().template);
    const lambdaErrors = 'Lambda.ClientExecutionTimeoutException|Lambda.ServiceException|Lambda.AWSLambdaException|Lambda.SdkClientException';
    const steps = [[lambdaErrors, 6], ['InvalidInputError', 0], ['Lambda.TooManyRequestsException', 8], ['States.ALL', 2]];
    expect(retriers(definition.States.PlanRun)).toEqual(steps);
    expect(retriers(definition.States.WriteManifest)).toEqual(steps);
    // a part that ran out of time would again: the fix is a longer timeout or more shards
    const part = [...steps];
    part[1] = ['InvalidInputError|DeadlineError', 0];
    expect(retriers(definition.States.WriteParts.ItemProcessor.States.WritePart)).toEqual(part);
  });

  test('the function learns the number of parts; rows stay the run\'s', () => {
    const { template } = synth();
    template.hasResourceProperties('AWS::Lambda::Function', { Environment: { Variables: { [ENV.SHARDS]: '8', [ENV.ROWS]: '8000000' } } });
  });

  test('the state machine\'s role may invoke the function, deliver its logs, trace, and run its own map: nothing else', () => {
    const { stack, generator } = synth();
    const role = generator.stateMachine!.node.findChild('Role') as iam.IRole;
    const fnArn = { 'Fn::GetAtt': [logicalId(stack, generator.function), 'Arn'] };
    const machine = logicalId(stack, generator.stateMachine!);
    const executions = (suffix: string) => ({
      'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':states:us-east-1:123456789012:execution:',
        { 'Fn::Select': [6, { 'Fn::Split': [':', { Ref: machine }] }] }, suffix]],
    });
    expect(exactRolePermissions(stack, role)).toEqual([
      { actions: ['lambda:InvokeFunction'], resources: [fnArn, { 'Fn::Join': ['', [fnArn, ':*']] }] },
      {
        actions: ['logs:CreateLogDelivery', 'logs:DeleteLogDelivery', 'logs:DescribeLogGroups', 'logs:DescribeResourcePolicies',
          'logs:GetLogDelivery', 'logs:ListLogDeliveries', 'logs:PutResourcePolicy', 'logs:UpdateLogDelivery'],
        resources: ['*'],
      },
      { actions: ['xray:GetSamplingRules', 'xray:GetSamplingTargets', 'xray:PutTelemetryRecords', 'xray:PutTraceSegments'], resources: ['*'] },
      { actions: ['states:StartExecution'], resources: [{ Ref: machine }] },
      { actions: ['states:DescribeExecution', 'states:StopExecution'], resources: [executions(':*')] },
      { actions: ['states:RedriveExecution'], resources: [executions('/WriteParts:*')] },
    ]);
    // and it is trusted by Step Functions only
    const roles = Template.fromStack(stack).findResources('AWS::IAM::Role');
    expect(roles[logicalId(stack, role)].Properties.AssumeRolePolicyDocument.Statement)
      .toEqual([{ Action: 'sts:AssumeRole', Effect: 'Allow', Principal: { Service: 'states.amazonaws.com' } }]);
  });

  test('the function\'s role stays scoped to the key prefix: parts, manifest and _SUCCESS are written under it', () => {
    const { stack, generator } = synth();
    const s3 = exactRolePermissions(stack, generator.role).filter((p) => p.actions.some((a) => a.startsWith('s3:')));
    expect(s3).toEqual([{
      actions: ['s3:AbortMultipartUpload', 's3:PutObject'],
      resources: [{ 'Fn::Join': ['', [{ 'Fn::GetAtt': [logicalId(stack, generator.bucket), 'Arn'] }, '/synthetic-data/*']] }],
    }]);
  });

  test('concurrency defaults to the parts up to 100, and can be set', () => {
    expect(definitionOf(synth({ rows: 100_000_000, shards: 400, maxRows: 1_000_000 }).template).States.WriteParts.MaxConcurrency).toBe(100);
    expect(definitionOf(synth({ shardConcurrency: 3 }).template).States.WriteParts.MaxConcurrency).toBe(3);
  });

  test('grantStartRun allows states:StartExecution on the state machine and states:DescribeExecution on its executions', () => {
    const stack = new Stack(new App(), 'TestStack');
    const generator = new SyntheticDataGenerator(stack, 'Generator', { schema: schema(), rows: 80, shards: 8 });
    const user = new iam.User(stack, 'Scheduler');
    generator.grantStartRun(user);
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: [
          { Action: 'states:StartExecution', Effect: 'Allow', Resource: { Ref: logicalId(stack, generator.stateMachine!) } },
          { Action: 'states:DescribeExecution', Effect: 'Allow', Resource: Match.objectLike({ 'Fn::Join': Match.anyValue() }) },
        ],
      },
      Users: [{ Ref: logicalId(stack, user) }],
    });
  });

  test.each([
    ['more parts than allowed', { shards: 1001 }, /prop shards is 1001: expected a whole number of parts from 1 to 1000/],
    ['parts larger than maxRows', { rows: 8_000_001, shards: 8 }, /prop rows is 8000001: 8 parts \(shards\) would have up to 1000001 rows each, above maxRows \(1000000\)/],
    ['concurrency without shards', { shards: undefined, rows: 1000, shardConcurrency: 4 }, /prop shardConcurrency is set without prop shards/],
    ['concurrency out of bounds', { shardConcurrency: 0 }, /prop shardConcurrency is 0: expected a whole number from 1 to 10000/],
  ])('%s fails synth, saying what to change', (_name, props, message) => {
    expect(() => synth(props as Partial<SyntheticDataGeneratorProps>)).toThrow(message);
  });
});
