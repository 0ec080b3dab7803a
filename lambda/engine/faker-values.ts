/**
 * Faker columns without a faker call per cell.
 *
 * The methods users pick most (people's names, emails, usernames, product names, US states) are rebuilt
 * here from faker's own English data and its own composition rules, so they keep faker's realism and
 * cardinality (about 650,000 distinct full names and 944,000 emails in a million rows) at the cost of a
 * few array lookups. Every other faker method draws from a pool of faker-made values built once per column and run
 * (POOL_SIZE values from a faker seeded by the run's seed and the column), so any of faker's methods works.
 */
import { base, en, Faker } from '@faker-js/faker';
import { ByteTable } from './byte-table';
import type { CellWriter } from './cell-writer';
import { VALUE_KEY } from './cell-writer';
import { csvTextBytes, csvTextCell } from './csv-text';
import { below, Digits, draw } from './random';

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

/**
 * Checks that name parts need no CSV quoting, nor a formula guard when they start a cell: composition
 * copies their bytes as they are. `inside`: the parts never start a cell (a number and "@provider").
 */
function checkPlain(values: readonly string[], options: { allowEmpty?: boolean; inside?: boolean } = {}): readonly string[] {
  for (const value of values) {
    const cell = options.inside === true ? `a${value}` : value;
    if (csvTextCell(cell) !== cell || (value.length === 0 && options.allowEmpty !== true)) {
      throw new Error(`faker name part ${JSON.stringify(value)} would need CSV quoting; the engine cannot compose it as is`);
    }
  }
  return values;
}

/** A table of checked name parts. */
function plainTable(values: readonly string[], options: { allowEmpty?: boolean; inside?: boolean } = {}): ByteTable {
  return ByteTable.ofTexts(checkPlain(values, options));
}

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

function lastNameColumn(): CellWriter {
  const last = plainTable(person().last);
  const write = lastNameWriter(last);
  return { maxBytes: 2 * last.maxLength + 1, distinct: { kind: 'sketch' }, write: (buf, pos, cell) => write(buf, pos, digits.from(cell)) };
}

/**
 * faker's person.fullName: a sex, then one of the weighted patterns
 * "first last" (49), "prefix first last" (7), "first last suffix" (7), "prefix first last suffix" (1).
 * The parts around the last name are joined once, here: "first " and "prefix first " per sex, " suffix".
 */
function fullNameColumn(): CellWriter {
  const data = person();
  checkPlain(data.firstFemale);
  checkPlain(data.firstMale);
  const headsBySex = [[data.firstFemale, data.prefixFemale], [data.firstMale, data.prefixMale]].map(([firsts, prefixes]) =>
    // Entry p * firsts + f: first name f after prefix p - 1, or alone for p = 0.
    ByteTable.ofTexts(['', ...checkPlain(prefixes)].flatMap((prefix) => firsts.map((first) => `${prefix === '' ? '' : `${prefix} `}${first} `))));
  const firstCounts = [data.firstFemale.length, data.firstMale.length];
  const prefixCounts = [data.prefixFemale.length, data.prefixMale.length];
  const last = plainTable(data.last);
  const suffixes = plainTable(data.suffix.map((suffix) => ` ${suffix}`));
  const lastName = lastNameWriter(last);
  return {
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
function usernamePart(name: string): string {
  return name.normalize('NFKD').replace(/[\u0300-\u036f]/g, '').replace(/'/g, '').replace(/ /g, '').replace(/[^A-Za-z0-9._+-]+/g, '');
}

const LOCAL_PART_LIMIT = 50;
const NUMBERS_BELOW = 100;

/**
 * faker's internet.username (and, with "@provider", internet.email): first name and last name joined by
 * "." or "_", with or without a number below 100, or the first name and a number.
 * Joined once, here: the first name with its separator, and the number with the provider.
 */
function usernameColumn(method: 'internet.email' | 'internet.username'): CellWriter {
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
function productNameColumn(): CellWriter {
  const words = en.commerce?.product_name;
  if (words === undefined || words === null) throw new Error('the bundled faker has no English product names; the engine and faker disagree');
  [words.adjective, words.material, words.product].forEach((parts) => checkPlain(parts));
  const names = ByteTable.ofTexts(words.adjective.flatMap((adjective) => words.material.flatMap((material) =>
    words.product.map((product) => `${adjective} ${material} ${product}`))));
  return {
    maxBytes: names.maxLength,
    distinct: { kind: 'seen', size: names.size },
    write(buf, pos, cell) {
      const index = below(cell, names.size);
      VALUE_KEY[0] = index;
      return names.write(buf, pos, index);
    },
  };
}

/**
 * A column drawing uniformly from `texts`, written as `cells` (their CSV bytes). Equal texts share the key of
 * their first entry, so the distinct-value count counts values, not entries.
 */
function drawnColumn(texts: readonly string[], cells: readonly Uint8Array[]): CellWriter {
  const table = ByteTable.of(cells);
  const firstEntry = new Map<string, number>();
  const valueKeys = Uint32Array.from(texts, (text, i) => {
    if (!firstEntry.has(text)) firstEntry.set(text, i);
    return firstEntry.get(text)!;
  });
  return {
    maxBytes: table.maxLength,
    distinct: { kind: 'seen', size: table.size },
    write(buf, pos, cell) {
      const index = below(cell, table.size);
      VALUE_KEY[0] = valueKeys[index];
      return table.write(buf, pos, index);
    },
  };
}

/** A method that picks one entry of a faker list, uniformly (faker's arrayElement). */
function listColumn(method: string, values: readonly string[] | undefined): CellWriter {
  if (values === undefined || values.length === 0) throw new Error(`the bundled faker has no English data for ${method}`);
  return drawnColumn(values, values.map(csvTextBytes));
}

const ENCODER = new TextEncoder();

/**
 * Any faker method: POOL_SIZE values made by faker once for this column and seed, then drawn uniformly.
 * A number faker makes (location.latitude, number.int, ...) is written as a number, not as text: no
 * formula guard, so "-60.7338" stays a number for Athena, pandas and spreadsheets.
 */
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
  const texts: string[] = [];
  const cells: Uint8Array[] = [];
  for (let i = 0; i < POOL_SIZE; i++) {
    const raw = call();
    const text = raw instanceof Date ? raw.toISOString() : String(raw);
    texts.push(text);
    cells.push(typeof raw === 'number' && Number.isFinite(raw) ? ENCODER.encode(text) : csvTextBytes(text));
  }
  return drawnColumn(texts, cells);
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
