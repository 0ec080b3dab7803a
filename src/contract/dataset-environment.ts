/**
 * How a dataset of tables reaches the function: through one environment variable (ENV.TABLES), so that, like a single
 * schema, it is a construct prop the function reads at start, with nothing to fetch.
 *
 * Lambda caps a function's whole environment at 4 KB. A dataset's JSON is written as it is when it fits in
 * PLAIN_LIMIT_BYTES (readable in the console); a larger one as `brotli:` and the base64 of its Brotli-compressed JSON,
 * which takes a schema's repetitive JSON to a tenth to a twentieth. A dataset that does not fit even so goes into the
 * function's code as `dataset-<sha256>.json` beside the handler, and the variable names it as `file:` and that name:
 * the hash ties the environment to the one document deployed with it. Both sides use Node.js's zlib, nothing else.
 */
import { createHash } from 'node:crypto';
import * as zlib from 'node:zlib';
import { InvalidInputError } from './errors';

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

const IN_CODE = 'file:';
const FILE_NAME = /^dataset-([0-9a-f]{64})\.json$/;

/** The file that holds a dataset too large for the environment, in the function's code, named by its SHA-256. */
export function datasetFileOf(json: string): { readonly fileName: string; readonly environmentValue: string } {
  const fileName = `dataset-${createHash('sha256').update(json).digest('hex')}.json`;
  return { fileName, environmentValue: `${IN_CODE}${fileName}` };
}

/** The file a variable's value names (`file:dataset-<sha256>.json`), or undefined when the value holds the dataset itself. */
export function datasetFileNamed(value: string, where: string): { readonly fileName: string; readonly sha256: string } | undefined {
  if (!value.startsWith(IN_CODE)) return undefined;
  const fileName = value.slice(IN_CODE.length);
  const match = FILE_NAME.exec(fileName);
  if (!match) {
    throw new InvalidInputError(`${where} names the file ${JSON.stringify(fileName.slice(0, 100))}: expected dataset-<sha256>.json, `
      + 'as the construct writes it; deploy the construct again rather than editing the variable by hand');
  }
  return { fileName, sha256: match[1] };
}

/** The dataset's JSON text from the variable's value (not a file's name: see datasetFileNamed). */
export function decodeDatasetEnvironment(value: string, where: string): string {
  if (!value.startsWith(COMPRESSED)) return value;
  try {
    return zlib.brotliDecompressSync(Buffer.from(value.slice(COMPRESSED.length), 'base64')).toString('utf8');
  } catch (e) {
    throw new InvalidInputError(`${where} starts with "${COMPRESSED}" but does not decompress (${(e as Error).message}): `
      + 'deploy the construct again rather than editing it by hand');
  }
}
