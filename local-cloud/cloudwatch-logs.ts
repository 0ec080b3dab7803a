/**
 * CloudWatch Logs as Lambda feeds it: an invocation's log lines go to a stream of the function's log
 * group named `YYYY/MM/DD/[$LATEST]<32 hex>`; and reading a group back, as a proof check.
 */
import { randomBytes } from 'node:crypto';
import {
  CloudWatchLogsClient, CreateLogStreamCommand, FilterLogEventsCommand, PutLogEventsCommand, type FilteredLogEvent,
} from '@aws-sdk/client-cloudwatch-logs';
import type { AwsCredentials, LocalCloud } from './moto-server';

export interface LogEvent {
  /** Milliseconds since the epoch. */
  readonly timestamp: number;
  readonly message: string;
}

/** A Lambda-style log stream name: `2025/01/31/[$LATEST]0123456789abcdef0123456789abcdef`. */
export function lambdaLogStreamName(date = new Date(), version = '$LATEST'): string {
  const day = date.toISOString().slice(0, 10).replace(/-/g, '/');
  return `${day}/[${version}]${randomBytes(16).toString('hex')}`;
}

/** CloudWatch Logs limits on one PutLogEvents call. */
const MAX_BATCH_EVENTS = 10_000;
const MAX_BATCH_BYTES = 1_048_576;
const EVENT_OVERHEAD_BYTES = 26;
const MAX_EVENT_BYTES = 256 * 1024 - EVENT_OVERHEAD_BYTES;

export interface ShipLogsOptions {
  readonly logGroupName: string;
  readonly logStreamName: string;
  readonly events: readonly LogEvent[];
  /** Default: the admin's (moto checks logs actions against resource `*`, see README). */
  readonly credentials?: AwsCredentials;
}

/** Creates the stream and puts the events in batches (chronological, within CloudWatch's size limits). Returns how many were put. */
export async function shipLogEvents(cloud: LocalCloud, options: ShipLogsOptions): Promise<number> {
  const logs = new CloudWatchLogsClient(cloud.clientConfig(options.credentials));
  try {
    await logs.send(new CreateLogStreamCommand({ logGroupName: options.logGroupName, logStreamName: options.logStreamName }));
    const events = options.events
      .filter((e) => e.message.length > 0)
      .map((e) => ({
        timestamp: e.timestamp,
        message: Buffer.byteLength(e.message) > MAX_EVENT_BYTES ? e.message.slice(0, MAX_EVENT_BYTES / 4) : e.message,
      }))
      .sort((a, b) => a.timestamp - b.timestamp);
    let batch: Array<{ timestamp: number; message: string }> = [];
    let bytes = 0;
    const flush = async () => {
      if (batch.length === 0) return;
      await logs.send(new PutLogEventsCommand({ logGroupName: options.logGroupName, logStreamName: options.logStreamName, logEvents: batch }));
      batch = [];
      bytes = 0;
    };
    for (const event of events) {
      const size = Buffer.byteLength(event.message) + EVENT_OVERHEAD_BYTES;
      if (batch.length >= MAX_BATCH_EVENTS || bytes + size > MAX_BATCH_BYTES) await flush();
      batch.push(event);
      bytes += size;
    }
    await flush();
    return events.length;
  } finally {
    logs.destroy();
  }
}

/** All events of a log group (optionally of some streams), oldest first. */
export async function readLogEvents(
  cloud: LocalCloud, logGroupName: string, options: { logStreamNames?: string[] } = {},
): Promise<FilteredLogEvent[]> {
  const logs = new CloudWatchLogsClient(cloud.clientConfig());
  try {
    const events: FilteredLogEvent[] = [];
    let nextToken: string | undefined;
    do {
      const page = await logs.send(new FilterLogEventsCommand({ logGroupName, logStreamNames: options.logStreamNames, nextToken }));
      events.push(...page.events ?? []);
      nextToken = page.nextToken;
    } while (nextToken);
    return events.sort((a, b) => (a.timestamp ?? 0) - (b.timestamp ?? 0));
  } finally {
    logs.destroy();
  }
}
