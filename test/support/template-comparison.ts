/**
 * Comparing the template an example app in another language synthesizes with the TypeScript example's: the same
 * construct tree, built through jsii, must give the same CloudFormation template.
 *
 * One thing is set aside, and only that: the content hash of each file asset the stack's asset manifest lists
 * (the Lambda function's code; the stack's own template, also a file asset, is not in the template). Wherever such
 * a hash occurs inside a string of the template (the code's S3 key `<hash>.zip`), it is replaced by
 * ASSET_HASH. Every other value, key, resource and logical id is compared as it is, and so is the number of file
 * assets; the languages' assets are in fact byte-identical today (the same bundle in the same package).
 */
import { isDeepStrictEqual } from 'node:util';
import { readAssemblyStack, type Template } from '../../local-cloud/cloud-assembly';

export const ASSET_HASH = '<asset hash>';

/** `value` with every occurrence of each of `hashes` inside its strings replaced by ASSET_HASH. */
export function withoutAssetHashes<T>(value: T, hashes: readonly string[]): T {
  if (typeof value === 'string') return hashes.reduce((s: string, hash) => s.split(hash).join(ASSET_HASH), value) as T;
  if (Array.isArray(value)) return value.map((item) => withoutAssetHashes(item, hashes)) as T;
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, withoutAssetHashes(item, hashes)])) as T;
  }
  return value;
}

/** A synthesized stack, ready to compare: its template without asset hashes, and how many file assets it has. */
export interface ComparableStack {
  readonly template: Template;
  readonly fileAssets: number;
}

export function comparableStack(assemblyDir: string, stackName: string): ComparableStack {
  const stack = readAssemblyStack(assemblyDir, stackName);
  const hashes = stack.fileAssets.filter((asset) => asset.sourcePath !== stack.templateFile).map((asset) => asset.id);
  return { template: withoutAssetHashes(stack.template, hashes), fileAssets: hashes.length };
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A value for a message: whole if short, else the part around `from` (where it starts to differ). */
function shown(value: unknown, from = 0): string {
  const text = JSON.stringify(value) ?? String(value);
  if (text.length <= 160) return text;
  const start = Math.max(0, from - 60);
  return `${start > 0 ? '...' : ''}${text.slice(start, start + 150)}...`;
}

function firstDifference(a: string, b: string): number {
  let i = 0;
  while (i < a.length && a[i] === b[i]) i++;
  return i;
}

/** A string holding a JSON object or array (a schema in an environment variable, a state machine definition), parsed. */
function jsonInside(value: unknown): unknown {
  if (typeof value !== 'string' || !/^\s*[[{]/.test(value)) return undefined;
  try {
    return JSON.parse(value);
  } catch {
    return undefined;
  }
}

/**
 * Where `actual` differs from `expected`, one line per place (`Resources.X.Properties.Y: TypeScript 1024, Python 512`,
 * `Resources.Z: only in TypeScript`), at most `max` lines; empty when they are equal.
 */
export function templateDifferences(expected: unknown, actual: unknown, names: { expected: string; actual: string }, max = 40): string[] {
  const out: string[] = [];
  const walk = (a: unknown, b: unknown, at: string): void => {
    if (out.length >= max) return;
    if (isObject(a) && isObject(b)) {
      for (const key of [...new Set([...Object.keys(a), ...Object.keys(b)])].sort()) {
        const where = at ? `${at}.${key}` : key;
        if (!(key in b)) out.push(`${where}: only in ${names.expected}`);
        else if (!(key in a)) out.push(`${where}: only in ${names.actual}`);
        else walk(a[key], b[key], where);
      }
    } else if (Array.isArray(a) && Array.isArray(b) && a.length === b.length) {
      a.forEach((item, i) => walk(item, b[i], `${at}[${i}]`));
    } else if (isDeepStrictEqual(a, b)) {
      // equal
    } else if (jsonInside(a) !== undefined && jsonInside(b) !== undefined) {
      walk(jsonInside(a), jsonInside(b), `${at} (JSON)`);
    } else {
      const from = firstDifference(JSON.stringify(a) ?? '', JSON.stringify(b) ?? '');
      out.push(`${at || '(template)'}: ${names.expected} ${shown(a, from)}, ${names.actual} ${shown(b, from)}`);
    }
  };
  walk(expected, actual, '');
  return out.length >= max ? [...out, `(stopped after ${max} differences)`] : out;
}
