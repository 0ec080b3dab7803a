/**
 * EventBridge in the local cloud. moto checks PutEvents against resource `*` and cannot see its condition keys
 * (`events:source`, `events:detail-type`), so it would refuse a role that may publish only its own events on one bus.
 * Events are therefore published as a role through `publishAsRole()`: the role's policies decide (iam-policy.ts), then
 * moto's EventBridge gets them with the admin's keys. Two callers:
 *
 * - the `events:putEvents` Task of a state machine, as the state machine's role (`putEventsOfTask()`);
 * - a function's own PutEvents, as its execution role: `startEventsGate()` is a loopback endpoint the sandboxed function
 *   is pointed at (`AWS_ENDPOINT_URL_EVENTBRIDGE`), which passes PutEvents on in the same way.
 *
 * And a consumer: `catchEvents()` makes a rule whose target is an SQS queue (moto delivers PutEvents to SQS targets, not
 * to Lambda or Step Functions), from which the events that arrived are read.
 */
import { randomBytes } from 'node:crypto';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  DeleteRuleCommand, EventBridgeClient, PutEventsCommand, PutRuleCommand, PutTargetsCommand, RemoveTargetsCommand,
  type PutEventsRequestEntry,
} from '@aws-sdk/client-eventbridge';
import {
  CreateQueueCommand, DeleteMessageBatchCommand, DeleteQueueCommand, GetQueueAttributesCommand, ReceiveMessageCommand,
  SetQueueAttributesCommand, SQSClient,
} from '@aws-sdk/client-sqs';
import { AccessDeniedError, requireAllowed } from './iam-policy';
import type { LocalCloud } from './moto-server';

/** An event as EventBridge delivers it to a target. */
export interface DeliveredEvent {
  readonly 'id': string;
  readonly 'source': string;
  readonly 'detail-type': string;
  readonly 'time': string;
  readonly 'resources': readonly string[];
  readonly 'detail': Record<string, unknown>;
}

/** The Parameters of an `arn:aws:states:::events:putEvents` Task, once its paths are resolved. */
interface PutEventsParameters {
  readonly Entries?: ReadonlyArray<{ EventBusName?: string; Source?: string; DetailType?: string; Detail?: unknown; Resources?: string[] }>;
}

/** A bus's ARN, from the name or ARN an entry gives (none: the default bus). */
export function eventBusArn(cloud: LocalCloud, nameOrArn: string | undefined): string {
  return nameOrArn?.startsWith('arn:') ? nameOrArn : `arn:aws:events:${cloud.region}:${cloud.accountId}:event-bus/${nameOrArn ?? 'default'}`;
}

/**
 * What Step Functions' optimized EventBridge integration does: PutEvents of the Task's entries (a Detail object sent as
 * JSON), as the state machine's role `roleArn`. Fails as the integration fails when the role may not, or an entry is refused.
 */
export async function putEventsOfTask(cloud: LocalCloud, roleArn: string, parameters: unknown): Promise<unknown> {
  const entries: PutEventsRequestEntry[] = ((parameters as PutEventsParameters).Entries ?? []).map((entry) => ({
    EventBusName: entry.EventBusName,
    Source: entry.Source,
    DetailType: entry.DetailType,
    Detail: typeof entry.Detail === 'string' ? entry.Detail : JSON.stringify(entry.Detail ?? {}),
    Resources: entry.Resources,
  }));
  const answer = await publishAsRole(cloud, roleArn, entries);
  if (answer.FailedEntryCount) {
    const failed = answer.Entries?.find((e) => e.ErrorCode);
    throw Object.assign(new Error(`EventBridge refused an entry: ${failed?.ErrorCode} ${failed?.ErrorMessage ?? ''}`), { name: 'EventBridge.EventBridgeException' });
  }
  return answer;
}

/** PutEvents of `entries` as the role `roleArn` would make it: refused (AccessDeniedError) unless its policies allow each. */
export async function publishAsRole(cloud: LocalCloud, roleArn: string, entries: readonly PutEventsRequestEntry[]) {
  await requireAllowed(cloud, roleArn, entries.map((entry) => ({
    action: 'events:PutEvents',
    resource: eventBusArn(cloud, entry.EventBusName),
    context: { 'events:source': entry.Source ?? '', 'events:detail-type': entry.DetailType ?? '' },
  })));
  const events = new EventBridgeClient({ ...cloud.clientConfig(), maxAttempts: 1 });
  try {
    const answer = await events.send(new PutEventsCommand({ Entries: [...entries] }));
    return { Entries: answer.Entries, FailedEntryCount: answer.FailedEntryCount ?? 0 };
  } finally {
    events.destroy();
  }
}

/** A loopback EventBridge endpoint for one function's invocation: PutEvents as its role (see the file comment). */
export interface EventsGate {
  readonly endpoint: string;
  close(): Promise<void>;
}

export async function startEventsGate(cloud: LocalCloud, roleArn: string): Promise<EventsGate> {
  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const reply = (status: number, body: unknown) => {
        response.writeHead(status, { 'content-type': 'application/x-amz-json-1.1' });
        response.end(JSON.stringify(body));
      };
      const target = String(request.headers['x-amz-target'] ?? '');
      if (target !== 'AWSEvents.PutEvents') {
        reply(400, { __type: 'UnknownOperationException', message: `the local EventBridge gate passes on PutEvents only, not ${target || 'this request'}` });
        return;
      }
      const { Entries = [] } = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as { Entries?: PutEventsRequestEntry[] };
      publishAsRole(cloud, roleArn, Entries).then((answer) => reply(200, answer), (error: unknown) => {
        if (error instanceof AccessDeniedError) reply(400, { __type: 'AccessDeniedException', message: error.message });
        else reply(500, { __type: 'InternalException', message: (error as Error).message });
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

/** A consumer of events: a rule with an event pattern on a bus, whose target is a new SQS queue. */
export interface EventCatcher {
  readonly ruleName: string;
  readonly queueUrl: string;
  /** The events that arrived so far (waits up to `waitSeconds` for the first). */
  received(waitSeconds?: number): Promise<DeliveredEvent[]>;
  dispose(): Promise<void>;
}

export async function catchEvents(
  cloud: LocalCloud, options: { eventPattern: Record<string, unknown>; eventBusName?: string; name?: string },
): Promise<EventCatcher> {
  const name = options.name ?? `catch-${randomBytes(4).toString('hex')}`;
  const sqs = new SQSClient(cloud.clientConfig());
  const events = new EventBridgeClient(cloud.clientConfig());
  const queueUrl = (await sqs.send(new CreateQueueCommand({ QueueName: name }))).QueueUrl!;
  const queueArn = (await sqs.send(new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['QueueArn'] }))).Attributes!.QueueArn!;
  const rule = await events.send(new PutRuleCommand({
    Name: name, EventBusName: options.eventBusName, EventPattern: JSON.stringify(options.eventPattern), State: 'ENABLED',
  }));
  // What a queue policy would say on AWS; moto delivers without it.
  await sqs.send(new SetQueueAttributesCommand({
    QueueUrl: queueUrl,
    Attributes: {
      Policy: JSON.stringify({
        Version: '2012-10-17',
        Statement: [{
          Effect: 'Allow',
          Principal: { Service: 'events.amazonaws.com' },
          Action: 'sqs:SendMessage',
          Resource: queueArn,
          Condition: { ArnEquals: { 'aws:SourceArn': rule.RuleArn } },
        }],
      }),
    },
  }));
  await events.send(new PutTargetsCommand({ Rule: name, EventBusName: options.eventBusName, Targets: [{ Id: 'queue', Arn: queueArn }] }));
  const arrived: DeliveredEvent[] = [];
  return {
    ruleName: name,
    queueUrl,
    async received(waitSeconds = 0) {
      for (;;) {
        const answer = await sqs.send(new ReceiveMessageCommand({
          QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: arrived.length === 0 ? waitSeconds : 0,
        }));
        const messages = answer.Messages ?? [];
        if (messages.length === 0) return [...arrived];
        arrived.push(...messages.map((m) => JSON.parse(m.Body ?? '{}') as DeliveredEvent));
        await sqs.send(new DeleteMessageBatchCommand({
          QueueUrl: queueUrl, Entries: messages.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle! })),
        }));
      }
    },
    async dispose() {
      try {
        await events.send(new RemoveTargetsCommand({ Rule: name, EventBusName: options.eventBusName, Ids: ['queue'] }));
        await events.send(new DeleteRuleCommand({ Name: name, EventBusName: options.eventBusName }));
        await sqs.send(new DeleteQueueCommand({ QueueUrl: queueUrl }));
      } finally {
        sqs.destroy();
        events.destroy();
      }
    },
  };
}
