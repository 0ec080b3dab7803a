/**
 * A single object's events on EventBridge (prop completionEvents; a sharded run's are published by its state machine):
 * "Synthetic Dataset Ready" once the object is stored, "Synthetic Data Run Failed" when the invocation fails. The shapes are
 * the contract of src/contract/events.ts. The function's role may publish only this source and these detail types.
 */
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { ENV } from '../src/contract/environment';
import {
  DETAIL_TYPES, EVENT_SOURCE, EVENT_VERSION, type DatasetReadyDetail, type EventDetailBase, type RunFailedDetail,
} from '../src/contract/events';
import type { OutputFormatDocument } from '../src/contract/output-format';
import { datasetFolder } from '../src/contract/settings';

let client: EventBridgeClient | undefined;

/** Where the events go, or undefined when the generator publishes none. */
export function eventBusOf(env: NodeJS.ProcessEnv = process.env): string | undefined {
  return env[ENV.EVENT_BUS] || undefined;
}

/** The fields every event of a single object has. */
export function singleObjectDetail(
  env: NodeJS.ProcessEnv,
  facts: { bucket: string; keyPrefix: string; datasetName: string; output: OutputFormatDocument; runId: string; requestId: string },
): EventDetailBase {
  const catalog = env[ENV.CATALOG] ? JSON.parse(env[ENV.CATALOG]!) as { database: string; table?: string; tables?: string[] } : undefined;
  return {
    version: EVENT_VERSION,
    generator: env.AWS_LAMBDA_FUNCTION_NAME ?? '',
    dataset: facts.datasetName,
    runId: facts.runId,
    bucket: facts.bucket,
    prefix: datasetFolder(facts.keyPrefix, facts.datasetName),
    format: facts.output.format,
    compression: facts.output.compression,
    ...catalog ? { catalog } : {},
    requestId: facts.requestId,
  };
}

/** Publishes one event; EventBridge's refusal of the entry is an error, as a refused request is. */
export async function publishEvent(bus: string, detailType: string, detail: DatasetReadyDetail | RunFailedDetail): Promise<void> {
  client ??= new EventBridgeClient({});
  const answer = await client.send(new PutEventsCommand({
    Entries: [{ EventBusName: bus, Source: EVENT_SOURCE, DetailType: detailType, Detail: JSON.stringify(detail) }],
  }));
  if (answer.FailedEntryCount) {
    const entry = answer.Entries?.[0];
    throw new Error(`EventBridge refused the "${detailType}" event on ${bus}: ${entry?.ErrorCode ?? 'no error code'} ${entry?.ErrorMessage ?? ''}`.trim());
  }
}

export { DETAIL_TYPES };

/** What a single object's events are about. */
export interface SingleObject {
  readonly bucket: string;
  readonly keyPrefix: string;
  readonly datasetName: string;
  readonly output: OutputFormatDocument;
  readonly runId: string;
  readonly requestId: string;
}

/**
 * "Synthetic Dataset Ready" for what one invocation stored, if the generator publishes events: a single object, or the
 * objects of a dataset of tables (one per table) with the dataset's manifest.
 */
export async function announceObjectReady(
  object: SingleObject, result: { keys: readonly string[]; rows: number; bytes: number; seed: number; manifestKey?: string },
): Promise<boolean> {
  const bus = eventBusOf();
  if (!bus) return false;
  await publishEvent(bus, DETAIL_TYPES.datasetReady, {
    ...singleObjectDetail(process.env, object),
    rows: result.rows,
    bytes: result.bytes,
    parts: result.keys.length,
    seed: result.seed,
    keys: result.keys,
    ...(result.manifestKey === undefined ? {} : { manifestKey: result.manifestKey }),
  });
  return true;
}

/** "Synthetic Data Run Failed" for a single object whose invocation failed, if the generator publishes events. */
export async function announceObjectFailed(object: SingleObject, error: unknown): Promise<boolean> {
  const bus = eventBusOf();
  if (!bus) return false;
  const name = error instanceof Error ? error.name : 'Error';
  const cause = error instanceof Error ? error.message : String(error);
  await publishEvent(bus, DETAIL_TYPES.runFailed, { ...singleObjectDetail(process.env, object), error: name, cause });
  return true;
}
