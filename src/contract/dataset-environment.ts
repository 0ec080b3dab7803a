/**
 * How a dataset of tables reaches the function: as the value of one environment variable (ENV.TABLES), so that, like a
 * single schema, it is a construct prop the function reads at start, with nothing else to deploy or fetch.
 *
 * Lambda caps a function's whole environment at 4 KB. A dataset's JSON is written as it is when it fits in
 * PLAIN_LIMIT_BYTES (readable in the console); a larger one as `brotli:` and the base64 of its Brotli-compressed JSON,
 * which takes a schema's repetitive JSON to about a tenth. Both sides use Node.js's zlib, nothing else.
 */
import * as zlib from 'node:zlib';
import { InvalidInputError } from './schema-document';

/** Above this, the JSON is compressed. */
export const PLAIN_LIMIT_BYTES = 2048;
const COMPRESSED = 'brotli:';

export function encodeDatasetEnvironment(json: string): string {
  if (Buffer.byteLength(json) <= PLAIN_LIMIT_BYTES) return json;
  const compressed = zlib.brotliCompressSync(Buffer.from(json), {
    params: {
      [zlib.constants.BROTLI_PARAM_QUALITY]: zlib.constants.BROTLI_MAX_QUALITY,
      [zlib.constants.BROTLI_PARAM_MODE]: zlib.constants.BROTLI_MODE_TEXT,
    },
  });
  return `${COMPRESSED}${compressed.toString('base64')}`;
}

/** The dataset's JSON text from the variable's value. */
export function decodeDatasetEnvironment(value: string, where: string): string {
  if (!value.startsWith(COMPRESSED)) return value;
  try {
    return zlib.brotliDecompressSync(Buffer.from(value.slice(COMPRESSED.length), 'base64')).toString('utf8');
  } catch (e) {
    throw new InvalidInputError(`${where} starts with "${COMPRESSED}" but does not decompress (${(e as Error).message}): `
      + 'deploy the construct again rather than editing it by hand');
  }
}
