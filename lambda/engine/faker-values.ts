/**
 * Faker columns without a faker call per cell.
 *
 * The methods users pick most (people's names, emails, usernames, product names, US states) are rebuilt
 * here from faker's own English data and its own composition rules, so they keep faker's realism and
 * cardinality (about 1.4 million full names, hundreds of millions of emails) at the cost of a few array
 * lookups. Every other faker method draws from a pool of faker-made values built once per column and run
 * (POOL_SIZE values from a faker seeded by the run's seed and the column), so any of faker's methods works.
 */
import { base, en, Faker } from '@faker-js/faker';
import { ByteTable } from './byte-table';
import type { CellWriter } from './cell-writer';
import { VALUE_KEY } from './cell-writer';
import { csvTextBytes, csvTextCell, utf8Bytes } from './csv-text';
import { below, draw, mix32 } from './random';

/**
 * The "now" that faker's relative-date methods (date.past, date.recent, date.birthdate, ...) count from.
 * Fixed rather than the wall clock, so a seed reproduces the same file on any day.
 */
export const REFERENCE_DATE = '2025-01-01T00:00:00.000Z';

/** Faker-made values per column for the methods not rebuilt here. */
export const POOL_SIZE = 16_384;

interface PersonData {
  readonly firstGeneric: readonly string[];
  readonly firstFemale: readonly string[];
  readonly firstMale: readonly string[];
  readonly last: readonly string[];
  readonly prefixFemale: readonly string[];
  readonly prefixMale: readonly string[];
  readonly suffix: readonly string[];
}

let personData: PersonData | undefined;

function person(): PersonData {
  const data = en.person;
  if (data?.first_name === undefined || data.last_name === undefined || data.prefix === undefined || data.suffix === undefined) {
    throw new Error('the bundled @faker-js/faker has no English person data; the engine and faker disagree');
  }
  const pick = (definition: unknown, kind: 'generic' | 'female' | 'male'): string[] => {
    const list = (definition as Record<string, string[] | undefined>)[kind];
    if (!Array.isArray(list) || list.length === 0) throw new Error(`the bundled faker has no English person data for ${kind}`);
    return list;
  };
  personData ??= {
    firstGeneric: pick(data.first_name, 'generic'),
    firstFemale: pick(data.first_name, 'female'),
    firstMale: pick(data.first_name, 'male'),
    last: pick(data.last_name, 'generic'),
    prefixFemale: pick(data.prefix, 'female'),
    prefixMale: pick(data.prefix, 'male'),
    suffix: data.suffix as string[],
  };
  return personData;
}

/** A table of name parts that need no CSV quoting nor formula guard (checked: composition copies raw bytes). */
function plainTable(values: readonly string[]): ByteTable {
  for (const value of values) {
    if (csvTextCell(value) !== value || value.length === 0) {
      throw new Error(`faker name part ${JSON.stringify(value)} would need CSV quoting; the engine cannot compose it as is`);
    }
  }
  return ByteTable.of(values.map(utf8Bytes));
}

const SPACE = 32;
const HYPHEN = 45;

/** faker's last-name pattern: one last name (weight 95) or two joined by a hyphen (weight 5). */
function lastNameWriter(last: ByteTable): (buf: Uint8Array, pos: number, cell: number, firstDraw: number) => number {
  return (buf, pos, cell, firstDraw) => {
    const a = below(draw(cell, firstDraw), last.size);
    if (below(draw(cell, firstDraw + 1), 100) >= 5) {
      VALUE_KEY[0] = mix32(a);
      return last.write(buf, pos, a);
    }
    const b = below(draw(cell, firstDraw + 2), last.size);
    pos = last.write(buf, pos, a);
    buf[pos++] = HYPHEN;
    VALUE_KEY[0] = mix32(a ^ mix32(b + 0x10000));
    return last.write(buf, pos, b);
  };
}

function lastNameColumn(): CellWriter {
  const last = plainTable(person().last);
  const write = lastNameWriter(last);
  return { maxBytes: 2 * last.maxLength + 1, write: (buf, pos, cell) => write(buf, pos, cell, 0) };
}

/**
 * faker's person.fullName: a sex, then one of the weighted patterns
 * "first last" (49), "prefix first last" (7), "first last suffix" (7), "prefix first last suffix" (1).
 */
function fullNameColumn(): CellWriter {
  const data = person();
  const firstBySex = [plainTable(data.firstFemale), plainTable(data.firstMale)];
  const prefixBySex = [plainTable(data.prefixFemale), plainTable(data.prefixMale)];
  const last = plainTable(data.last);
  const suffix = plainTable(data.suffix);
  const lastName = lastNameWriter(last);
  const longest = (tables: ByteTable[]) => Math.max(...tables.map((t) => t.maxLength));
  return {
    maxBytes: longest(prefixBySex) + longest(firstBySex) + 2 * last.maxLength + suffix.maxLength + 4,
    write(buf, pos, cell) {
      const sex = draw(cell, 0) & 1;
      const pattern = below(draw(cell, 1), 64);
      const withPrefix = pattern >= 49 && pattern < 56 || pattern === 63;
      const withSuffix = pattern >= 56;
      let key = sex;
      if (withPrefix) {
        const prefixes = prefixBySex[sex];
        const p = below(draw(cell, 2), prefixes.size);
        pos = prefixes.write(buf, pos, p);
        buf[pos++] = SPACE;
        key = mix32(key ^ (p + 7));
      }
      const firsts = firstBySex[sex];
      const f = below(draw(cell, 3), firsts.size);
      pos = firsts.write(buf, pos, f);
      buf[pos++] = SPACE;
      pos = lastName(buf, pos, cell, 4);
      key = mix32(key ^ mix32(f + 0x1000) ^ VALUE_KEY[0]);
      if (withSuffix) {
        const s = below(draw(cell, 7), suffix.size);
        buf[pos++] = SPACE;
        pos = suffix.write(buf, pos, s);
        key = mix32(key ^ (s + 13));
      }
      VALUE_KEY[0] = key;
      return pos;
    },
  };
}

/**
 * What faker's internet.username does to a name before using it: accents and apostrophes dropped, spaces
 * removed, then (for emails) anything outside [A-Za-z0-9._+-] removed.
 */
function usernamePart(name: string): string {
  return name.normalize('NFKD').replace(/[\u0300-\u036f]/g, '').replace(/'/g, '').replace(/ /g, '').replace(/[^A-Za-z0-9._+-]+/g, '');
}

const LOCAL_PART_LIMIT = 50;
const DOT = 46;
const AT = 64;
const UNDERSCORE = 95;

/**
 * faker's internet.username (and, with "@provider", internet.email): first name and last name joined by
 * "." or "_", with or without a number below 100, or the first name and a number.
 */
function usernameColumn(method: 'internet.email' | 'internet.username'): CellWriter {
  const data = person();
  const first = plainTable(data.firstGeneric.map(usernamePart));
  const last = plainTable(data.last.map(usernamePart));
  const providers = ByteTable.of((en.internet?.free_email ?? []).map(csvTextBytes));
  const email = method === 'internet.email';
  if (email && providers.size === 0) throw new Error('the bundled faker has no free email providers; the engine and faker disagree');
  const lastName = lastNameWriter(last);
  const localMax = first.maxLength + 1 + 2 * last.maxLength + 1 + 2;
  if (localMax > LOCAL_PART_LIMIT) throw new Error(`faker names are longer than an email local part allows (${localMax} > ${LOCAL_PART_LIMIT})`);
  return {
    maxBytes: localMax + 1 + providers.maxLength,
    write(buf, pos, cell) {
      const strategy = below(draw(cell, 0), 3);
      const f = below(draw(cell, 1), first.size);
      const number = below(draw(cell, 2), 100);
      pos = first.write(buf, pos, f);
      let key = mix32(f ^ mix32(strategy + 0x2000));
      if (strategy < 2) {
        const separator = draw(cell, 3) & 1;
        buf[pos++] = separator === 0 ? DOT : UNDERSCORE;
        pos = lastName(buf, pos, cell, 4);
        key = mix32(key ^ VALUE_KEY[0] ^ (separator << 20));
      }
      if (strategy !== 1) {
        pos = writeSmall(buf, pos, number);
        key = mix32(key ^ (number + 0x3000));
      }
      if (email) {
        buf[pos++] = AT;
        const p = below(draw(cell, 7), providers.size);
        pos = providers.write(buf, pos, p);
        key = mix32(key ^ (p + 0x4000));
      }
      VALUE_KEY[0] = key;
      return pos;
    },
  };
}

function writeSmall(buf: Uint8Array, pos: number, n: number): number {
  if (n >= 10) buf[pos++] = 48 + Math.floor(n / 10);
  buf[pos++] = 48 + (n % 10);
  return pos;
}

/** faker's commerce.productName: adjective, material and product. */
function productNameColumn(): CellWriter {
  const words = en.commerce?.product_name;
  if (words === undefined || words === null) throw new Error('the bundled faker has no English product names; the engine and faker disagree');
  const adjective = plainTable(words.adjective);
  const material = plainTable(words.material);
  const product = plainTable(words.product);
  return {
    maxBytes: adjective.maxLength + material.maxLength + product.maxLength + 2,
    write(buf, pos, cell) {
      const a = below(draw(cell, 0), adjective.size);
      const m = below(draw(cell, 1), material.size);
      const p = below(draw(cell, 2), product.size);
      pos = adjective.write(buf, pos, a);
      buf[pos++] = SPACE;
      pos = material.write(buf, pos, m);
      buf[pos++] = SPACE;
      VALUE_KEY[0] = mix32((a * 64 + m) * 64 + p);
      return product.write(buf, pos, p);
    },
  };
}

/** A method that picks one entry of a faker list, uniformly (faker's arrayElement). */
function listColumn(method: string, values: readonly string[] | undefined): CellWriter {
  if (values === undefined || values.length === 0) throw new Error(`the bundled faker has no English data for ${method}`);
  const table = ByteTable.of(values.map(csvTextBytes));
  return {
    maxBytes: table.maxLength,
    write(buf, pos, cell) {
      const index = below(draw(cell, 0), table.size);
      VALUE_KEY[0] = mix32(index);
      return table.write(buf, pos, index);
    },
  };
}

/** Any faker method: POOL_SIZE values made by faker once for this column and seed, then drawn uniformly. */
function pooledColumn(method: string, seed: number, columnIndex: number): CellWriter {
  const faker = new Faker({ locale: [en, base] });
  faker.seed([seed >>> 0, Math.floor(seed / 4294967296), columnIndex]);
  faker.setDefaultRefDate(REFERENCE_DATE);
  const [moduleName, methodName] = method.split('.');
  const module = (faker as unknown as Record<string, Record<string, unknown> | undefined>)[moduleName];
  const fn = module?.[methodName];
  if (typeof fn !== 'function') {
    throw new Error(`faker method "${method}" does not exist in the bundled @faker-js/faker; the schema validator and the bundle disagree`);
  }
  const call = fn.bind(module) as () => unknown;
  const values: Uint8Array[] = [];
  // A pool repeats values (faker's lists are finite): equal values share the key of their first entry,
  // so the distinct-value estimate counts values, not pool entries.
  const valueKeys = new Uint32Array(POOL_SIZE);
  const firstEntry = new Map<string, number>();
  for (let i = 0; i < POOL_SIZE; i++) {
    const raw = call();
    const text = raw instanceof Date ? raw.toISOString() : String(raw);
    values.push(csvTextBytes(text));
    if (!firstEntry.has(text)) firstEntry.set(text, i);
    valueKeys[i] = mix32(firstEntry.get(text)!);
  }
  const table = ByteTable.of(values);
  return {
    maxBytes: table.maxLength,
    write(buf, pos, cell) {
      const index = below(draw(cell, 0), table.size);
      VALUE_KEY[0] = valueKeys[index];
      return table.write(buf, pos, index);
    },
  };
}

/** The faker methods the engine rebuilds from faker's data instead of pooling faker's output. */
const COMPOSED: Record<string, () => CellWriter> = {
  'person.firstName': () => listColumn('person.firstName', person().firstGeneric),
  'person.lastName': lastNameColumn,
  'person.fullName': fullNameColumn,
  'internet.email': () => usernameColumn('internet.email'),
  'internet.username': () => usernameColumn('internet.username'),
  'internet.userName': () => usernameColumn('internet.username'),
  'commerce.productName': productNameColumn,
  'location.state': () => listColumn('location.state', en.location?.state ?? undefined),
};

export function fakerCellWriter(method: string, seed: number, columnIndex: number): CellWriter {
  const composed = COMPOSED[method];
  return composed !== undefined ? composed() : pooledColumn(method, seed, columnIndex);
}

/** Whether the engine makes `method` from faker's data directly (true) or from a pool of faker's output. */
export function isComposedFakerMethod(method: string): boolean {
  return COMPOSED[method] !== undefined;
}
