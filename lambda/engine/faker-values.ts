/**
 * Faker columns without a faker call per cell.
 *
 * The methods users pick most (people's names, emails, usernames, product names, US states) are rebuilt
 * here from faker's own English data and its own composition rules, so they keep faker's realism and
 * cardinality (about 650,000 distinct full names and 944,000 emails in a million rows) at the cost of a
 * few array lookups. Every other faker method draws from a pool of faker-made values built once per column and run
 * (POOL_SIZE values from a faker seeded by the run's seed and the column), so any of faker's methods works. A column
 * with distinctValues pools exactly that many distinct values instead, whatever its method (exact-distinct.ts).
 */
import { base, en, Faker } from '@faker-js/faker';
import { ByteTable } from './byte-table';
import { keyedPick } from './column-fills';
import { VALUE_KEY, type ColumnGenerator, type ListEntries, type ListGenerator, type TextGenerator } from './kernel';
import { requirePlainText } from './plain-text';
import { below, Digits, draw } from './random';
import type { LogicalType } from '../../src/contract/logical-types';
import { ownValue } from '../../src/contract/own-keys';

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

export function person(): PersonData {
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

/** Composition copies the parts' bytes as they are into every format: they must be plain text. */
const checkPlain = requirePlainText;

/** A table of checked name parts. */
function plainTable(values: readonly string[], options: { allowEmpty?: boolean; inside?: boolean } = {}): ByteTable {
  return ByteTable.ofTexts(checkPlain(values, options));
}

const STRING: LogicalType = { kind: 'string' };

const HYPHEN = 45;

/** faker's last-name pattern: one last name (weight 95) or two joined by a hyphen (weight 5), from `digits`. */
function lastNameWriter(last: ByteTable): (buf: Uint8Array, pos: number, digits: Digits) => number {
  return (buf, pos, digits) => {
    const a = digits.pick(last.size);
    if (digits.pick(100) >= 5) {
      VALUE_KEY[0] = a + 1;
      return last.write(buf, pos, a);
    }
    const b = digits.pick(last.size);
    pos = last.write(buf, pos, a);
    buf[pos++] = HYPHEN;
    // Below 2^20: one name is a + 1 < 1024, two are (a + 1) + 1024 (b + 1).
    VALUE_KEY[0] = a + 1 + 1024 * (b + 1);
    return last.write(buf, pos, b);
  };
}

/** Index picks of one cell: a few hashes per cell, each split into several indexes. */
const digits = new Digits();

function lastNameColumn(): TextGenerator {
  const last = plainTable(person().last);
  const write = lastNameWriter(last);
  return {
    shape: 'text', type: STRING, maxBytes: 2 * last.maxLength + 1, distinct: { kind: 'sketch' }, write: (buf, pos, cell) => write(buf, pos, digits.from(cell)),
  };
}

/**
 * faker's person.fullName: a sex, then one of the weighted patterns
 * "first last" (49), "prefix first last" (7), "first last suffix" (7), "prefix first last suffix" (1).
 * The parts around the last name are joined once, here: "first " and "prefix first " per sex, " suffix".
 */
function fullNameColumn(): TextGenerator {
  const data = person();
  checkPlain(data.firstFemale);
  checkPlain(data.firstMale);
  const headsBySex = [[data.firstFemale, data.prefixFemale], [data.firstMale, data.prefixMale]].map(([firsts, prefixes]) =>
    // Entry p * firsts + f: first name f after prefix p - 1, or alone for p = 0.
    ByteTable.ofTexts(['', ...checkPlain(prefixes)].flatMap((prefix) => firsts.map((first) => `${prefix === '' ? '' : `${prefix} `}${first} `))));
  const firstCounts = [data.firstFemale.length, data.firstMale.length];
  const prefixCounts = [data.prefixFemale.length, data.prefixMale.length];
  const last = plainTable(data.last);
  const suffixes = plainTable(data.suffix.map((suffix) => ` ${suffix}`), { inside: true });
  const lastName = lastNameWriter(last);
  return {
    shape: 'text',
    type: STRING,
    maxBytes: Math.max(...headsBySex.map((t) => t.maxLength)) + 2 * last.maxLength + 1 + suffixes.maxLength,
    distinct: { kind: 'sketch' },
    write(buf, pos, cell) {
      // One draw for sex, pattern, prefix, first name and suffix (2 × 64 × 4 × 500 × 11 ≈ 2^21.4), one for the last name.
      digits.from(cell);
      const sex = digits.pick(2);
      const pattern = digits.pick(64);
      const prefix = digits.pick(prefixCounts[sex]);
      const first = digits.pick(firstCounts[sex]);
      const suffix = digits.pick(suffixes.size);
      const withPrefix = pattern >= 49 && pattern < 56 || pattern === 63;
      const head = (withPrefix ? prefix + 1 : 0) * firstCounts[sex] + first;
      pos = headsBySex[sex].write(buf, pos, head);
      pos = lastName(buf, pos, digits.from(draw(cell, 1)));
      let key = VALUE_KEY[0] ^ Math.imul(head * 2 + sex, 0x9e3779b1);
      if (pattern >= 56) {
        pos = suffixes.write(buf, pos, suffix);
        key ^= Math.imul(suffix + 1, 0x85ebca77);
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
export function usernamePart(name: string): string {
  return name.normalize('NFKD').replace(/[\u0300-\u036f]/g, '').replace(/'/g, '').replace(/ /g, '').replace(/[^A-Za-z0-9._+-]+/g, '');
}

const LOCAL_PART_LIMIT = 50;
const NUMBERS_BELOW = 100;

/**
 * faker's internet.username (and, with "@provider", internet.email): first name and last name joined by
 * "." or "_", with or without a number below 100, or the first name and a number.
 * Joined once, here: the first name with its separator, and the number with the provider.
 */
function usernameColumn(method: 'internet.email' | 'internet.username'): TextGenerator {
  const data = person();
  const firsts = data.firstGeneric.map(usernamePart);
  // Entry 3f + s: first name f, followed by nothing (s = 0), "." (1) or "_" (2).
  const heads = ByteTable.ofTexts(checkPlain(firsts).flatMap((first) => [first, `${first}.`, `${first}_`]));
  const last = plainTable(data.last.map(usernamePart));
  const email = method === 'internet.email';
  const providers = email ? (en.internet?.free_email ?? []) : [''];
  if (providers.length === 0) throw new Error('the bundled faker has no free email providers; the engine and faker disagree');
  checkPlain(providers, { allowEmpty: true, inside: true });
  // Entry n * providers + p: number n (none for n = NUMBERS_BELOW), then "@" and provider p for an email.
  const tails = ByteTable.ofTexts(Array.from({ length: NUMBERS_BELOW + 1 }, (_, n) => (n === NUMBERS_BELOW ? '' : String(n)))
    .flatMap((number) => providers.map((provider) => (email ? `${number}@${provider}` : number))));
  const lastName = lastNameWriter(last);
  const localMax = heads.maxLength + 2 * last.maxLength + 1 + 2;
  if (localMax > LOCAL_PART_LIMIT) throw new Error(`faker names are longer than an email local part allows (${localMax} > ${LOCAL_PART_LIMIT})`);
  return {
    shape: 'text',
    type: STRING,
    maxBytes: heads.maxLength + 2 * last.maxLength + 1 + tails.maxLength,
    distinct: { kind: 'sketch' },
    write(buf, pos, cell) {
      // One draw for strategy, first name, number, separator and provider (3 × 3005 × 100 × 2 × 3 ≈ 2^22.4), one for the last name.
      digits.from(cell);
      const strategy = digits.pick(3);
      const first = digits.pick(firsts.length);
      const number = digits.pick(NUMBERS_BELOW);
      const separator = digits.pick(2);
      const provider = digits.pick(providers.length);
      // Strategies: 0 first.last42, 1 first.last, 2 first42.
      const head = 3 * first + (strategy === 2 ? 0 : 1 + separator);
      const tail = (strategy === 1 ? NUMBERS_BELOW : number) * providers.length + provider;
      pos = heads.write(buf, pos, head);
      let key = Math.imul(head + 1, 0x9e3779b1) ^ Math.imul(tail + 1, 0x85ebca77);
      if (strategy !== 2) {
        pos = lastName(buf, pos, digits.from(draw(cell, 1)));
        key ^= Math.imul(VALUE_KEY[0], 0xc2b2ae3d);
      }
      VALUE_KEY[0] = key;
      return tails.write(buf, pos, tail);
    },
  };
}

/** faker's commerce.productName: adjective, material and product, joined once for all 9,720 combinations. */
function productNameColumn(): ListGenerator {
  const words = en.commerce?.product_name;
  if (words === undefined || words === null) throw new Error('the bundled faker has no English product names; the engine and faker disagree');
  const names = words.adjective.flatMap((adjective) => words.material.flatMap((material) =>
    words.product.map((product) => `${adjective} ${material} ${product}`)));
  return drawnColumn(STRING, { kind: 'text', values: names });
}

/**
 * A column drawing uniformly from `entries`. Equal entries share the key of their first one, so the distinct-value
 * count counts values, not entries.
 */
function drawnColumn(type: LogicalType, entries: ListEntries): ListGenerator {
  const values: readonly unknown[] = entries.values;
  const firstEntry = new Map<unknown, number>();
  const valueKeys = Uint32Array.from(values, (value, i) => {
    if (!firstEntry.has(value)) firstEntry.set(value, i);
    return firstEntry.get(value)!;
  });
  const size = values.length;
  return {
    shape: 'list',
    type,
    entries,
    distinct: { kind: 'seen', size },
    pick: keyedPick((cell) => below(cell, size), valueKeys),
  };
}

/** A method that picks one entry of a faker list, uniformly (faker's arrayElement). */
function listColumn(method: string, values: readonly string[] | undefined): ListGenerator {
  if (values === undefined || values.length === 0) throw new Error(`the bundled faker has no English data for ${method}`);
  return drawnColumn(STRING, { kind: 'text', values });
}

/** A faker value in its column's logical type: timestamps as epoch milliseconds, whole numbers as numbers. */
function entryOf(method: string, type: LogicalType, raw: unknown): string | number | boolean {
  switch (type.kind) {
    case 'timestamp':
      if (raw instanceof Date && Number.isFinite(raw.getTime())) return raw.getTime();
      break;
    case 'boolean':
      if (typeof raw === 'boolean') return raw;
      break;
    case 'bigint':
      if ((typeof raw === 'number' || typeof raw === 'bigint') && Number.isSafeInteger(Number(raw))) return Number(raw);
      break;
    case 'double':
      if (typeof raw === 'number' && Number.isFinite(raw)) return raw;
      break;
    default:
      return raw instanceof Date ? raw.toISOString() : String(raw);
  }
  // The generated type list was made from faker's own output: a value of another type means faker changed.
  throw new Error(`faker method "${method}" made ${String(raw)}, not a ${type.kind} as src/contract/faker-methods.ts says; `
    + 'the bundled @faker-js/faker and the method list disagree (run npx projen gen:faker-methods)');
}

/**
 * Any faker method: POOL_SIZE values made by faker once for this column and seed, then drawn uniformly, each in
 * the column's logical type (a number faker makes stays a number in every format, a date a timestamp).
 */
function pooledColumn(method: string, type: LogicalType, seed: number, columnIndex: number): ListGenerator {
  const call = fakerCall(method, type, seed, columnIndex);
  return drawnColumn(type, entriesOf(type, Array.from({ length: POOL_SIZE }, call)));
}

/** A faker seeded by the run's seed and the column, calling `method` and giving its values in the column's logical type. */
function fakerCall(method: string, type: LogicalType, seed: number, columnIndex: number): () => string | number | boolean {
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
  return () => entryOf(method, type, call());
}

function entriesOf(type: LogicalType, values: readonly (string | number | boolean)[]): ListEntries {
  return type.kind === 'string' ? { kind: 'text', values: values as string[] }
    : type.kind === 'boolean' ? { kind: 'booleans', values: values as boolean[] }
      : { kind: 'numbers', values: values as number[] };
}

/**
 * Calls of faker a pool of `count` distinct values may take: enough for half a method's values, and never fewer than the
 * calls of one capacity sample, in which the values both samples met were met (scripts/faker-capacity.ts).
 */
const distinctAttempts = (count: number) => 10 * count + 20_000;

/**
 * `count` distinct values of `method`, in the order faker first made them, for a column with distinctValues; composed
 * methods are pooled too (faker's own calls), since their rebuilt draws cannot be counted out. The validator keeps
 * `count` within what faker makes (faker-capacity.ts): running out of attempts means faker changed.
 */
export function distinctFakerValues(method: string, type: LogicalType, seed: number, columnIndex: number, count: number): ListEntries {
  const call = fakerCall(method, type, seed, columnIndex);
  const values = new Set<string | number | boolean>();
  const attempts = distinctAttempts(count);
  for (let attempt = 0; attempt < attempts && values.size < count; attempt++) values.add(call());
  if (values.size < count) {
    throw new Error(`faker method "${method}" made only ${values.size} distinct values in ${attempts} calls, short of distinctValues ${count}; `
      + 'ask for fewer distinct values (the bundled @faker-js/faker makes fewer than src/contract/faker-capacity.ts says: run npx projen gen:faker-methods)');
  }
  return entriesOf(type, [...values]);
}

/** The faker methods the engine rebuilds from faker's data instead of pooling faker's output. */
const COMPOSED: Record<string, () => ColumnGenerator> = {
  'person.firstName': () => listColumn('person.firstName', person().firstGeneric),
  'person.lastName': lastNameColumn,
  'person.fullName': fullNameColumn,
  'internet.email': () => usernameColumn('internet.email'),
  'internet.username': () => usernameColumn('internet.username'),
  'internet.userName': () => usernameColumn('internet.username'),
  'commerce.productName': productNameColumn,
  'location.state': () => listColumn('location.state', en.location?.state ?? undefined),
};

export function fakerGenerator(method: string, type: LogicalType, seed: number, columnIndex: number): ColumnGenerator {
  const composed = ownValue(COMPOSED, method);
  return composed !== undefined ? composed() : pooledColumn(method, type, seed, columnIndex);
}
