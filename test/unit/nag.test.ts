/**
 * cdk-nag's AwsSolutions and Serverless packs on each documented configuration of the construct: no finding may be
 * left unacknowledged, and the acknowledged ones must be exactly the committed list in test/support/nag-acknowledgements.json,
 * so a new finding fails this test, and so does a finding that goes away (its acknowledgement would be dead).
 *
 * cdk-nag 3 packs are policy-validation plugins, not aspects, and they report acknowledged findings nowhere: each pack
 * here has its rule method wrapped to record every finding, and `validateScope` gives the unacknowledged ones.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { App, CfnParameter, CfnResource, Duration, Stack, TimeZone, Validations } from 'aws-cdk-lib';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as destinations from 'aws-cdk-lib/aws-lambda-destinations';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { ScheduleExpression } from 'aws-cdk-lib/aws-scheduler';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { AwsSolutionsChecks, IApplyRule, NagMessageLevel, NagPack, NagRuleCompliance, ServerlessChecks } from 'cdk-nag';
import { IConstruct } from 'constructs';
import { retailTables } from '../../examples/retail-app';
import { Column, OutputFormat, ParquetCompression, Schema, SyntheticDataGenerator, SyntheticDataGeneratorProps, TextCompression } from '../../src';
import { acknowledgeNagFinding } from '../../src/nag-acknowledgements';

/** One acknowledged finding, as the committed list has it. */
interface Acknowledged {
  readonly variant: string;
  readonly pack: string;
  /** Construct path of the CloudFormation resource the finding is on. */
  readonly resource: string;
  readonly ruleId: string;
  /** The finding, for rules that report several per resource (IAM5: `Resource::<ARN>`). */
  readonly appliesTo?: string;
  readonly reason: string;
}

interface Finding {
  readonly resource: string;
  /** `RuleId` or `RuleId[finding]`, as cdk-nag 3 names it. */
  readonly id: string;
  readonly level: 'error' | 'warning';
}

const ALLOW_LIST_FILE = path.join(__dirname, '..', 'support', 'nag-acknowledgements.json');
const ALLOW_LIST: Acknowledged[] = JSON.parse(fs.readFileSync(ALLOW_LIST_FILE, 'utf8'));

/**
 * Records each finding of each rule `pack` applies, acknowledged or not, by wrapping its protected `applyRule`
 * (the one method every rule of a pack goes through).
 */
function recordFindings(pack: NagPack): Finding[] {
  const findings: Finding[] = [];
  const target = pack as unknown as { applyRule(params: IApplyRule): void };
  const applyRule = target.applyRule.bind(pack);
  target.applyRule = (params: IApplyRule) => {
    const ruleId = `${pack.readPackName}-${params.ruleSuffixOverride ?? params.rule.name}`;
    let result;
    try {
      result = params.rule(params.node);
    } catch {
      result = NagRuleCompliance.NON_COMPLIANT; // cdk-nag counts a rule that throws as a finding of the rule
    }
    const ids = result === NagRuleCompliance.NON_COMPLIANT ? [ruleId] : Array.isArray(result) ? result.map((f) => `${ruleId}[${f}]`) : [];
    const level = params.level === NagMessageLevel.ERROR ? 'error' : 'warning';
    for (const id of ids) findings.push({ resource: params.node.node.path, id, level });
    applyRule(params);
  };
  return findings;
}

/** Every acknowledgement recorded in the tree: construct path, finding id and reason. */
function acknowledgementsInTree(root: IConstruct): Array<{ resource: string; id: string; reason: string }> {
  return root.node.findAll().flatMap((c) => c.node.metadata
    .filter((m) => m.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
    .flatMap((m) => Object.entries(m.data as Record<string, string>).map(([id, reason]) => ({ resource: c.node.path, id, reason }))));
}

const splitFindingId = (id: string) => {
  const [, ruleId, appliesTo] = /^([^[]+)(?:\[(.*)\])?$/s.exec(id)!;
  return { ruleId, appliesTo };
};

interface Scan {
  /** Unacknowledged findings, per pack: what a user's scan would fail on. */
  readonly unacknowledged: Array<{ pack: string; resource: string; id: string; severity: string }>;
  /** Acknowledged findings, with the acknowledgement's reason, in the committed list's form. */
  readonly acknowledged: Acknowledged[];
  /** Acknowledgements in the tree that no finding needs. */
  readonly dead: Array<{ resource: string; id: string }>;
  /** Per pack: findings at each level, and how many were acknowledged. */
  readonly figures: Record<string, { errors: number; warnings: number; acknowledged: number }>;
}

/** Runs both packs on `app`, as `variant`. */
function scan(variant: string, app: App): Scan {
  const acknowledgements = acknowledgementsInTree(app);
  // cdk-nag honours an acknowledgement on the resource or on any of its scopes
  const covers = (a: { resource: string; id: string }, f: Finding) => a.id === f.id && (f.resource === a.resource || f.resource.startsWith(`${a.resource}/`));
  const unacknowledged: Scan['unacknowledged'] = [];
  const acknowledged: Acknowledged[] = [];
  const allClosed: Finding[] = [];
  const figures: Scan['figures'] = {};
  for (const Pack of [AwsSolutionsChecks, ServerlessChecks]) {
    const pack = new Pack(app, { verbose: true });
    const findings = recordFindings(pack);
    const report = pack.validateScope(app);
    for (const violation of report.violations) {
      for (const r of violation.violatingResources) {
        unacknowledged.push({ pack: pack.readPackName, resource: r.constructPath!, id: violation.ruleName, severity: violation.severity ?? '' });
      }
    }
    const isOpen = (f: Finding) => unacknowledged.some((u) => u.pack === pack.readPackName && u.resource === f.resource && u.id === f.id);
    const closed = findings.filter((f) => !isOpen(f));
    allClosed.push(...closed);
    for (const f of closed) {
      const reason = acknowledgements.find((a) => covers(a, f))?.reason ?? '(no acknowledgement found)';
      acknowledged.push({ variant, pack: pack.readPackName, resource: f.resource, ...splitFindingId(f.id), reason });
    }
    figures[pack.readPackName] = {
      errors: findings.filter((f) => f.level === 'error' && isOpen(f)).length,
      warnings: findings.filter((f) => f.level === 'warning' && isOpen(f)).length,
      acknowledged: closed.length,
    };
  }
  const dead = acknowledgements.filter((a) => !allClosed.some((f) => covers(a, f))).map(({ resource, id }) => ({ resource, id }));
  return { unacknowledged, acknowledged, dead, figures };
}

const schema = () => Schema.fromColumns([Column.uuid('id'), Column.integer('quantity', { min: 1, max: 20 })]);

/** A fresh app with one generator in stack TestStack; `props` may build what it passes in that stack. */
function appWith(props: (stack: Stack) => Partial<SyntheticDataGeneratorProps> = () => ({}), customize?: (g: SyntheticDataGenerator) => void): App {
  const app = new App();
  const stack = new Stack(app, 'TestStack', { env: { account: '123456789012', region: 'us-east-1' } });
  const generator = new SyntheticDataGenerator(stack, 'Generator', { schema: schema(), ...props(stack) });
  customize?.(generator);
  return app;
}

const importedBucket = (stack: Stack) => s3.Bucket.fromBucketName(stack, 'Landing', 'my-landing-bucket');
/** Everything that makes runs operate themselves: a schedule, a run on deploy, completion events and alarms. */
const operations = (stack: Stack): Partial<SyntheticDataGeneratorProps> => ({
  schedule: ScheduleExpression.cron({ minute: '0', hour: '2', timeZone: TimeZone.EUROPE_PARIS }),
  runOnDeploy: true,
  completionEvents: true,
  alarmAction: new actions.SnsAction(sns.Topic.fromTopicArn(stack, 'Alerts', 'arn:aws:sns:us-east-1:123456789012:alerts')),
});
const givenRole = (stack: Stack) => new iam.Role(stack, 'MyRole', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });

/** The documented configurations: own or imported bucket, own or given role, tracing on or off, and the other things one may pass. */
const VARIANTS: Record<string, (stack: Stack) => Partial<SyntheticDataGeneratorProps>> = {
  'default': () => ({}),
  'imported bucket': (stack) => ({ bucket: importedBucket(stack) }),
  'given role': (stack) => ({ role: givenRole(stack) }),
  'imported role': (stack) => ({ role: iam.Role.fromRoleArn(stack, 'ImportedRole', 'arn:aws:iam::123456789012:role/generator') }),
  // nothing is added to an immutable role, so there is no policy and no IAM finding to acknowledge
  'imported immutable role': (stack) => ({
    role: iam.Role.fromRoleArn(stack, 'ImportedRole', 'arn:aws:iam::123456789012:role/generator', { mutable: false }),
  }),
  'tracing off': () => ({ tracing: false }),
  'key prefix from a parameter': (stack) => ({ keyPrefix: new CfnParameter(stack, 'Prefix').valueAsString }),
  'imported bucket, given role, tracing off': (stack) => ({ bucket: importedBucket(stack), role: givenRole(stack), tracing: false }),
  'given access-log bucket': (stack) => ({ accessLogsBucket: s3.Bucket.fromBucketName(stack, 'CentralLogs', 'my-access-logs') }),
  'sharded': () => ({ rows: 8_000_000, shards: 8 }),
  'sharded, tracing off': () => ({ rows: 8_000_000, shards: 8, tracing: false }),
  'given failure destination': (stack) => ({
    failureDestination: new destinations.EventBridgeDestination(events.EventBus.fromEventBusName(stack, 'DefaultBus', 'default')),
  }),
  // Each format has a catalog table of its own kind; the function's role is the same in all.
  'Parquet': () => ({ outputFormat: OutputFormat.parquet() }),
  'Parquet, snappy, sharded': () => ({ outputFormat: OutputFormat.parquet({ compression: ParquetCompression.SNAPPY }), rows: 8_000_000, shards: 8 }),
  'JSON Lines, zstd': () => ({ outputFormat: OutputFormat.jsonLines({ compression: TextCompression.ZSTD }) }),
  'CSV, gzip, existing database': () => ({ outputFormat: OutputFormat.csv({ compression: TextCompression.GZIP }), catalogDatabaseName: 'lake' }),
  'no catalog table': () => ({ catalogTable: false }),
  // A dataset of related tables: a catalog table per table, the same function and role.
  'related tables': () => ({ schema: undefined, tables: retailTables(), datasetName: 'retail' }),
  'related tables, Parquet, sharded': () => ({ schema: undefined, tables: retailTables(), datasetName: 'retail', outputFormat: OutputFormat.parquet(), shards: 8 }),
  'schedule, run on deploy, events and alarms': (stack) => operations(stack),
  'sharded, with schedule, run on deploy, events and alarms': (stack) => ({ rows: 8_000_000, shards: 8, ...operations(stack) }),
  'sharded, tracing off, events on a given bus, hourly schedule': (stack) => ({
    rows: 8_000_000,
    shards: 8,
    tracing: false,
    eventBus: events.EventBus.fromEventBusName(stack, 'Bus', 'data-events'),
    schedule: ScheduleExpression.rate(Duration.hours(1)),
  }),
};

const byKey = (a: Acknowledged) => `${a.variant}|${a.pack}|${a.resource}|${a.ruleId}|${a.appliesTo ?? ''}`;
const sorted = (list: Acknowledged[]) => [...list].sort((a, b) => byKey(a).localeCompare(byKey(b)));

describe.each(Object.keys(VARIANTS))('cdk-nag AwsSolutions and Serverless: %s', (variant) => {
  const result = scan(variant, appWith(VARIANTS[variant]));

  test('no finding is left unacknowledged', () => {
    expect(result.unacknowledged).toEqual([]);
  });

  test('the acknowledged findings are exactly the committed list, each with its reason', () => {
    expect(sorted(result.acknowledged)).toEqual(sorted(ALLOW_LIST.filter((a) => a.variant === variant)));
  });

  test('every acknowledgement in the construct answers a finding', () => {
    expect(result.dead).toEqual([]);
  });
});

describe('the acknowledgements', () => {
  test('each is narrow: one finding id on one CloudFormation resource, with a reason a reviewer can check', () => {
    const app = appWith(VARIANTS['imported bucket, given role, tracing off']);
    for (const variantApp of [appWith(), app]) {
      for (const a of acknowledgementsInTree(variantApp)) {
        expect(CfnResource.isCfnResource(variantApp.node.findAll().find((c) => c.node.path === a.resource))).toBe(true);
        expect(a.id).not.toMatch(/^AwsSolutions-IAM5$/); // IAM5 reports one finding per wildcard: name it
        expect(a.reason.length).toBeGreaterThan(60);
      }
    }
    for (const a of ALLOW_LIST) {
      if (a.ruleId === 'AwsSolutions-IAM5') expect(a.appliesTo).toMatch(/^Resource::/);
    }
  });

  test.each(Object.keys(VARIANTS))('cdk-nag 2 sees the same ones, in the cdk_nag CloudFormation metadata of each resource: %s', (variant) => {
    const app = appWith(VARIANTS[variant]);
    const inTree = acknowledgementsInTree(app);
    expect(inTree.length).toBeGreaterThan(0);
    const inMetadata = app.node.findAll().filter(CfnResource.isCfnResource).flatMap((resource) => {
      const v2 = (resource.getMetadata('cdk_nag')?.rules_to_suppress ?? []) as Array<{ id: string; reason: string; applies_to?: string[] }>;
      return v2.flatMap((r) => (r.applies_to ?? [undefined]).map((finding) => ({
        resource: resource.node.path, id: finding === undefined ? r.id : `${r.id}[${finding}]`, reason: r.reason,
      })));
    });
    expect(inMetadata).toEqual(inTree);
  });

  test('metadata already on a resource is kept', () => {
    const stack = new Stack(new App(), 'TestStack');
    const resource = new CfnResource(stack, 'Thing', { type: 'AWS::SQS::Queue' });
    resource.addMetadata('owner', 'team-a');
    resource.addMetadata('cdk_nag', { rules_to_suppress: [{ id: 'AwsSolutions-SQS4', reason: 'set by the owner of this queue' }] });
    acknowledgeNagFinding(resource, { ruleId: 'AwsSolutions-IAM5', appliesTo: 'Resource::*', reason: 'the reason of the construct' });
    expect(resource.getMetadata('owner')).toBe('team-a');
    expect(resource.getMetadata('cdk_nag')).toEqual({
      rules_to_suppress: [
        { id: 'AwsSolutions-SQS4', reason: 'set by the owner of this queue' },
        { id: 'AwsSolutions-IAM5', reason: 'the reason of the construct', applies_to: ['Resource::*'] },
      ],
    });
    expect(acknowledgementsInTree(stack)).toEqual([
      { resource: 'TestStack/Thing', id: 'AwsSolutions-IAM5[Resource::*]', reason: 'the reason of the construct' },
    ]);
  });
});

describe('the check fails when the findings change', () => {
  test('a new finding is reported unacknowledged', () => {
    const result = scan('default', appWith(() => ({}), (g) => {
      g.role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: [g.bucket.arnForObjects('*')] }));
    }));
    expect(result.unacknowledged).toEqual([{
      pack: 'AwsSolutions',
      resource: 'TestStack/Generator/ExecutionRole/DefaultPolicy/Resource',
      id: 'AwsSolutions-IAM5[Resource::<GeneratorBucket756D1C27.Arn>/*]',
      severity: 'error',
    }]);
  });

  test('a finding that goes away leaves its acknowledgement dead and the list different', () => {
    const result = scan('default', appWith(() => ({}), (g) => {
      const dlq = new sqs.Queue(g, 'ExtraDlq', { enforceSSL: true });
      (g.function.node.defaultChild as lambda.CfnFunction).deadLetterConfig = { targetArn: dlq.queueArn };
    }));
    expect(result.dead).toEqual([{ resource: 'TestStack/Generator/Function/Resource', id: 'Serverless-LambdaDLQ' }]);
    expect(sorted(result.acknowledged)).not.toEqual(sorted(ALLOW_LIST.filter((a) => a.variant === 'default')));
  });
});
