import { faker } from '@faker-js/faker';

// Not value generators: configuration, raw locale data, and helpers that need arguments.
const NOT_VALUE_MODULES = new Set(['definitions', 'rawDefinitions', 'helpers', '_randomizer', '_defaultRefDate']);

/** Lists `module.method` names of the installed faker that take no arguments and return a cell value. */
export function listCellFakerMethods(): { version: string; methods: string[] } {
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
  return { version, methods };
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
