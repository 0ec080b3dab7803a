/**
 * Reading what the generator did in the local cloud: its deployed resources, its objects, its own log
 * records. Shared by the tests that run the bundled handler against moto.
 */
import { GetObjectCommand, ListMultipartUploadsCommand, type S3Client } from '@aws-sdk/client-s3';
import { handlerRecordOf, type DeployedStack } from '../../local-cloud';
import { ENV } from '../../src/contract/environment';

function only<T>(values: readonly T[], what: string): T {
  if (values.length !== 1) throw new Error(`expected one ${what}, found ${values.length}`);
  return values[0];
}

export function resourceOfType(stack: DeployedStack, type: string): string {
  return only(Object.values(stack.resources).filter((r) => r.type === type), type).physicalId;
}

export const functionOf = (stack: DeployedStack): string => only(Object.values(stack.functions), 'function');
/** The bucket the function writes to: the one its environment names (the stack also has the access-log bucket). */
export function bucketOf(stack: DeployedStack): string {
  const functionLogicalId = only(Object.keys(stack.functions), 'function');
  type FunctionProperties = { Environment?: { Variables?: Record<string, unknown> } };
  const properties = stack.template.Resources?.[functionLogicalId]?.Properties as FunctionProperties | undefined;
  const bucketRef = (properties?.Environment?.Variables?.[ENV.BUCKET_NAME] as { Ref?: string } | undefined)?.Ref;
  if (bucketRef === undefined) throw new Error(`the function ${functionLogicalId} names no bucket by Ref in ${ENV.BUCKET_NAME}`);
  return stack.resources[bucketRef].physicalId;
}

export async function readObject(s3: S3Client, bucket: string, key: string): Promise<Buffer> {
  const object = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  return Buffer.from(await object.Body!.transformToByteArray());
}

/** Keys of the multipart uploads started in `bucket` and neither completed nor aborted. */
export async function incompleteUploads(s3: S3Client, bucket: string): Promise<string[]> {
  const listed = await s3.send(new ListMultipartUploadsCommand({ Bucket: bucket }));
  return (listed.Uploads ?? []).map((upload) => upload.Key ?? '');
}

/** The handler's own JSON log records (not the platform's) among `lines`, parsed. */
export function handlerLogs(lines: readonly string[]): Record<string, any>[] {
  return lines.map(handlerRecordOf).filter((record) => record !== undefined);
}
