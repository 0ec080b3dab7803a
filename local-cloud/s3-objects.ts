/**
 * Reading a bucket back with the admin's keys, around moto's signature check: moto rejects a signed
 * request whose query string has an encoded '/' (`%2F`, e.g. `ListObjectsV2` with
 * `Prefix: 'synthetic-data/'` → `SignatureDoesNotMatch`).
 */
import { GetObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import type { LocalCloud } from './moto-server';

/**
 * Keys of the bucket that start with `prefix` (all pages), in S3's order. Lists with the prefix cut
 * before its first '/' (`synthetic-data/` → `synthetic-data`), which moto accepts, and filters.
 */
export async function listKeysUnderPrefix(cloud: LocalCloud, bucket: string, prefix: string): Promise<string[]> {
  const s3 = new S3Client(cloud.clientConfig());
  const listPrefix = prefix.split('/')[0];
  const keys: string[] = [];
  try {
    let token: string | undefined;
    do {
      const page = await s3.send(new ListObjectsV2Command({
        Bucket: bucket, Prefix: listPrefix || undefined, ContinuationToken: token,
      }));
      keys.push(...(page.Contents ?? []).map((o) => o.Key ?? '').filter((k) => k.startsWith(prefix)));
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
    return keys;
  } finally {
    s3.destroy();
  }
}

/** The bytes of one object, read with the admin's keys. */
export async function getObjectBytes(cloud: LocalCloud, bucket: string, key: string): Promise<Uint8Array> {
  const s3 = new S3Client(cloud.clientConfig());
  try {
    const object = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    return await object.Body?.transformToByteArray() ?? new Uint8Array();
  } finally {
    s3.destroy();
  }
}
