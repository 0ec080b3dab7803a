import { faker } from '@faker-js/faker';
import type { FakerValueType } from '../src/contract/faker-methods';

// Not value generators: configuration, raw locale data, and helpers that need arguments.
const NOT_VALUE_MODULES = new Set(['definitions', 'rawDefinitions', 'helpers', '_randomizer', '_defaultRefDate']);

/** Calls of each method whose results decide its value type: enough to meet the rare float of a mostly whole method. */
const TYPE_SAMPLES = 1000;

/**
 * Lists `module.method` names of the installed faker that take no arguments and return a cell value, and the type
 * of value of each method that does not return strings.
 */
export function listCellFakerMethods(): { version: string; methods: string[]; types: Record<string, FakerValueType> } {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const version: string = require('@faker-js/faker/package.json').version;
  const methods: string[] = [];
  const fakerRecord = faker as unknown as Record<string, unknown>;
  for (const moduleName of Object.keys(fakerRecord).sort()) {
    const module = fakerRecord[moduleName];
    if (NOT_VALUE_MODULES.has(moduleName) || module === null || typeof module !== 'object') continue;
    const proto = Object.getPrototypeOf(module);
    const names = new Set([...Object.getOwnPropertyNames(proto), ...Object.keys(module)]);
    for (const methodName of [...names].sort()) {
      if (methodName === 'constructor' || methodName.startsWith('_')) continue;
      const fn = (module as Record<string, unknown>)[methodName];
      if (typeof fn !== 'function') continue;
      if (returnsCellValue(() => (fn as () => unknown).call(module))) methods.push(`${moduleName}.${methodName}`);
    }
  }
  const types: Record<string, FakerValueType> = {};
  for (const method of methods) {
    const [moduleName, methodName] = method.split('.');
    const module = fakerRecord[moduleName] as Record<string, () => unknown>;
    const type = valueTypeOf(() => module[methodName].call(module));
    if (type !== 'string') types[method] = type;
  }
  return { version, methods, types };
}

/**
 * The one type every value of a method has, from a seeded sample (so the list is the same on every machine):
 * numbers that are all safe integers (and bigints in that range) are `bigint`, any other numbers `double`;
 * anything mixed, or out of range, is written as text.
 */
function valueTypeOf(call: () => unknown): FakerValueType {
  faker.seed(20250101);
  const seen = new Set<string>();
  for (let i = 0; i < TYPE_SAMPLES; i++) {
    const value = call();
    if (value instanceof Date) seen.add('timestamp');
    else if (typeof value === 'boolean') seen.add('boolean');
    else if (typeof value === 'number') seen.add(Number.isSafeInteger(value) ? 'integer' : Number.isFinite(value) ? 'fraction' : 'text');
    else if (typeof value === 'bigint') seen.add(value <= BigInt(Number.MAX_SAFE_INTEGER) && value >= -BigInt(Number.MAX_SAFE_INTEGER) ? 'integer' : 'text');
    else seen.add('text');
  }
  if (seen.size === 1 && (seen.has('timestamp') || seen.has('boolean'))) return [...seen][0] as FakerValueType;
  if (seen.has('text') || seen.has('timestamp') || seen.has('boolean')) return 'string';
  return seen.has('fraction') ? 'double' : 'bigint';
}

// Deprecated methods are left out (faker announces them with console.warn), so a schema never starts
// on a method that the next faker major removes.
function returnsCellValue(call: () => unknown): boolean {
  const warn = console.warn;
  let deprecated = false;
  console.warn = (...args: unknown[]) => { deprecated ||= String(args[0]).includes('deprecated'); };
  try {
    return !deprecated && returnsCellValueEachTime(call) && !deprecated;
  } finally {
    console.warn = warn;
  }
}

function returnsCellValueEachTime(call: () => unknown): boolean {
  for (let attempt = 0; attempt < 3; attempt++) {
    let value: unknown;
    try {
      value = call();
    } catch {
      return false;
    }
    const ok = typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean'
      || typeof value === 'bigint' || value instanceof Date;
    if (!ok) return false;
  }
  return true;
}
