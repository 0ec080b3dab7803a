/**
 * Coherent rows: the faker columns of one `entity` describe one person or one place per row.
 *
 * Each entity has its own hash per row, mix32(rowHash(keys, row) ^ entityKey), from which every column of the entity
 * draws the same parts (sex, first name, last name, the username's shape; state, zip range and number): the
 * email is built from the first and last name beside it, as faker's internet.email({ firstName, lastName }) does, and
 * the zip code lies in the ranges faker's en_US data gives the state beside it (faker's location.zipCode({ state })).
 * Recomputing the row hash costs three hashes per cell; no cell reads another, so any row range comes out the same
 * whoever makes it. Only the email's provider is the column's own draw.
 */
import { en, en_US } from '@faker-js/faker';
import { ByteTable } from './byte-table';
import { person, usernamePart } from './faker-values';
import { VALUE_KEY, type ColumnContext, type ColumnGenerator, type ListGenerator, type TextGenerator } from './kernel';
import { requirePlainText } from './plain-text';
import { Digits, draw, mix32, rowHash } from './random';
import type { FakerColumnDocument } from '../../src/contract/column-documents';

const STRING = { kind: 'string' } as const;
const NUMBERS_BELOW = 100;

/** A 32-bit key of an entity's name: the same name, the same person or place on a row. */
function entityKey(seed: number, entity: string): number {
  let hash = mix32((seed >>> 0) ^ mix32(Math.floor(seed / 4294967296) ^ 0x7f4a7c15));
  for (let i = 0; i < entity.length; i++) hash = mix32(hash ^ entity.charCodeAt(i));
  return hash;
}

/** One person's parts, as indexes into faker's English person data. */
interface PersonParts {
  sex: number;
  pattern: number;
  prefix: number;
  first: number;
  suffix: number;
  lastA: number;
  /** The second half of a hyphenated last name, or -1. */
  lastB: number;
  strategy: number;
  number: number;
  separator: number;
}

const digits = new Digits();

interface PersonTables {
  readonly firstCounts: readonly number[];
  readonly prefixCounts: readonly number[];
  readonly lastCount: number;
  readonly suffixCount: number;
}

/** Draws a person from its entity hash, with faker's weights (fullName's patterns, 5% hyphenated last names). */
function drawPerson(hash: number, tables: PersonTables, out: PersonParts): PersonParts {
  digits.from(hash);
  out.sex = digits.pick(2);
  out.pattern = digits.pick(64);
  out.prefix = digits.pick(tables.prefixCounts[out.sex]);
  out.first = digits.pick(tables.firstCounts[out.sex]);
  out.suffix = digits.pick(tables.suffixCount);
  digits.from(draw(hash, 1));
  out.lastA = digits.pick(tables.lastCount);
  const hyphen = digits.pick(100) < 5;
  const second = digits.pick(tables.lastCount);
  out.lastB = hyphen ? second : -1;
  digits.from(draw(hash, 2));
  out.strategy = digits.pick(3);
  out.number = digits.pick(NUMBERS_BELOW);
  out.separator = digits.pick(2);
  return out;
}

const HYPHEN = 45;
const SPACE = 32;

/** Writes last name a, or "a-b". */
function writeLast(last: ByteTable, buf: Uint8Array, pos: number, parts: PersonParts): number {
  pos = last.write(buf, pos, parts.lastA);
  if (parts.lastB < 0) return pos;
  buf[pos++] = HYPHEN;
  return last.write(buf, pos, parts.lastB);
}

/** A sketch key of the person's name parts. */
function nameKey(parts: PersonParts): number {
  return Math.imul(parts.sex * 4096 + parts.first + 1, 0x9e3779b1) ^ Math.imul(parts.lastA + 1 + 4096 * (parts.lastB + 1), 0x85ebca77);
}

/** A list column picking entry `index(parts)` of `values`; equal values share their first entry's key. */
function personList(values: readonly string[], index: (parts: PersonParts) => number, entity: (row: number) => PersonParts): ListGenerator {
  const keys = Uint32Array.from(values, (value) => values.indexOf(value));
  return {
    shape: 'list',
    type: STRING,
    entries: { kind: 'text', values },
    distinct: { kind: 'seen', size: values.length },
    pick(_cell, row) {
      const i = index(entity(row));
      VALUE_KEY[0] = keys[i];
      return i;
    },
  };
}

function personColumn(method: string, entity: (row: number) => PersonParts): ColumnGenerator {
  const data = person();
  const firsts = [data.firstFemale, data.firstMale];
  const prefixes = [data.prefixFemale, data.prefixMale];
  // Entries of both sexes in one list: the male ones after the female ones.
  const bySex = (lists: readonly (readonly string[])[], pick: (parts: PersonParts) => number) =>
    personList([...lists[0], ...lists[1]], (parts) => (parts.sex === 0 ? 0 : lists[0].length) + pick(parts), entity);
  switch (method) {
    case 'person.sex': {
      const sexes = en.person?.sex;
      if (sexes?.length !== 2) throw new Error('the bundled faker has no English sexes; the engine and faker disagree');
      return personList(sexes, (parts) => parts.sex, entity);
    }
    case 'person.prefix':
      return bySex(prefixes, (parts) => parts.prefix);
    case 'person.firstName':
      return bySex(firsts, (parts) => parts.first);
    case 'person.lastName':
    case 'person.fullName':
      return nameColumn(method === 'person.fullName', entity);
    case 'internet.email':
    case 'internet.username':
      return usernameColumn(method === 'internet.email', entity);
    default:
      throw new Error(`faker method ${method} cannot join a person; the schema validator and the engine disagree`);
  }
}

/**
 * faker's person.fullName of the person: "first last" (pattern weight 49), "prefix first last" (7),
 * "first last suffix" (7), "prefix first last suffix" (1); or their last name alone.
 */
function nameColumn(full: boolean, entity: (row: number) => PersonParts): TextGenerator {
  const data = person();
  const firsts = [data.firstFemale, data.firstMale].map((list) => ByteTable.ofTexts(requirePlainText(list)));
  const prefixes = [data.prefixFemale, data.prefixMale].map((list) => ByteTable.ofTexts(requirePlainText(list).map((prefix) => `${prefix} `)));
  const last = ByteTable.ofTexts(requirePlainText(data.last));
  const suffixes = ByteTable.ofTexts(requirePlainText(data.suffix.map((suffix) => ` ${suffix}`), { inside: true }));
  const lastBytes = 2 * last.maxLength + 1;
  return {
    shape: 'text',
    type: STRING,
    maxBytes: full
      ? Math.max(...prefixes.map((t) => t.maxLength)) + Math.max(...firsts.map((t) => t.maxLength)) + 1 + lastBytes + suffixes.maxLength
      : lastBytes,
    distinct: { kind: 'sketch' },
    write(buf, pos, _cell, row) {
      const parts = entity(row);
      if (!full) {
        VALUE_KEY[0] = parts.lastA + 1 + 4096 * (parts.lastB + 1);
        return writeLast(last, buf, pos, parts);
      }
      const { pattern, sex } = parts;
      if (pattern >= 49 && pattern < 56 || pattern === 63) pos = prefixes[sex].write(buf, pos, parts.prefix);
      pos = firsts[sex].write(buf, pos, parts.first);
      buf[pos++] = SPACE;
      pos = writeLast(last, buf, pos, parts);
      let key = nameKey(parts) ^ Math.imul(pattern + 1, 0xc2b2ae3d);
      if (pattern >= 56) {
        pos = suffixes.write(buf, pos, parts.suffix);
        key ^= Math.imul(parts.suffix + 1, 0x27d4eb2f);
      }
      VALUE_KEY[0] = key;
      return pos;
    },
  };
}

/**
 * faker's internet.username({ firstName, lastName }) of the person, or with "@provider" its internet.email: the names
 * as faker cleans them, joined by "." or "_", with or without a number below 100 (strategies first.last42, first.last,
 * first42). The username and the email of one person share the local part; the provider is the column's own draw.
 */
function usernameColumn(email: boolean, entity: (row: number) => PersonParts): TextGenerator {
  const data = person();
  const firsts = [data.firstFemale, data.firstMale].map((list) => ByteTable.ofTexts(requirePlainText(list.map(usernamePart))));
  const last = ByteTable.ofTexts(requirePlainText(data.last.map(usernamePart)));
  const providers = email ? (en.internet?.free_email ?? []) : [''];
  if (providers.length === 0) throw new Error('the bundled faker has no free email providers; the engine and faker disagree');
  requirePlainText(providers, { allowEmpty: true, inside: true });
  // Entry n * providers + p: number n (none for n = NUMBERS_BELOW), then "@" and provider p for an email.
  const tails = ByteTable.ofTexts(Array.from({ length: NUMBERS_BELOW + 1 }, (_, n) => (n === NUMBERS_BELOW ? '' : String(n)))
    .flatMap((number) => providers.map((provider) => (email ? `${number}@${provider}` : number))));
  const separators = ['.'.charCodeAt(0), '_'.charCodeAt(0)];
  return {
    shape: 'text',
    type: STRING,
    maxBytes: Math.max(...firsts.map((t) => t.maxLength)) + 1 + 2 * last.maxLength + 1 + tails.maxLength,
    distinct: { kind: 'sketch' },
    write(buf, pos, cell, row) {
      const parts = entity(row);
      pos = firsts[parts.sex].write(buf, pos, parts.first);
      if (parts.strategy !== 2) {
        buf[pos++] = separators[parts.separator];
        pos = writeLast(last, buf, pos, parts);
      }
      const provider = email ? Math.floor((cell / 4294967296) * providers.length) : 0;
      const tail = (parts.strategy === 1 ? NUMBERS_BELOW : parts.number) * providers.length + provider;
      VALUE_KEY[0] = nameKey(parts) ^ Math.imul(parts.strategy * 2 + parts.separator + 1, 0xc2b2ae3d) ^ Math.imul(tail + 1, 0x27d4eb2f);
      return tails.write(buf, pos, tail);
    },
  };
}

/** A state's zip code ranges, from faker's en_US postcode_by_state: leading zeros and the number's bounds. */
interface ZipRange { readonly zeros: string; readonly min: number; readonly max: number }

const ZIP_TEMPLATE = /^(0*)\{\{number\.int\(\{"min": (\d+),"max": (\d+)\}\)\}\}$/;

function zipRanges(abbreviations: readonly string[]): ZipRange[][] {
  const byState = en_US.location?.postcode_by_state as Record<string, string | string[]> | undefined;
  return abbreviations.map((abbreviation) => {
    const templates = byState?.[abbreviation];
    if (templates === undefined) throw new Error(`the bundled faker has no zip codes for state ${abbreviation}; the engine and faker disagree`);
    return (Array.isArray(templates) ? templates : [templates]).map((template) => {
      const match = ZIP_TEMPLATE.exec(template);
      if (match === null) throw new Error(`faker's zip code template ${JSON.stringify(template)} is not one the engine reads; the engine and faker disagree`);
      return { zeros: match[1], min: Number(match[2]), max: Number(match[3]) };
    });
  });
}

/** location.state, or location.zipCode within that state's ranges (faker's location.zipCode({ state })). */
function placeColumn(method: string, entity: (row: number) => number): ColumnGenerator {
  const states = en.location?.state;
  const abbreviations = en.location?.state_abbr;
  if (!states || !abbreviations || states.length !== abbreviations.length) {
    throw new Error('the bundled faker has no English states with abbreviations; the engine and faker disagree');
  }
  if (method === 'location.state') {
    return {
      shape: 'list',
      type: STRING,
      entries: { kind: 'text', values: states },
      distinct: { kind: 'seen', size: states.length },
      pick(_cell, row) {
        const state = Math.floor((entity(row) / 4294967296) * states.length);
        VALUE_KEY[0] = state;
        return state;
      },
    };
  }
  if (method !== 'location.zipCode') throw new Error(`faker method ${method} cannot join a place; the schema validator and the engine disagree`);
  const ranges = zipRanges(abbreviations);
  return {
    shape: 'text',
    type: STRING,
    maxBytes: 5,
    distinct: { kind: 'sketch' },
    write(buf, pos, _cell, row) {
      const hash = entity(row);
      const ofState = ranges[Math.floor((hash / 4294967296) * states.length)];
      const range = ofState[Math.floor((draw(hash, 1) / 4294967296) * ofState.length)];
      const zip = range.min + Math.floor((draw(hash, 2) / 4294967296) * (range.max - range.min + 1));
      VALUE_KEY[0] = zip;
      for (let i = 0; i < range.zeros.length; i++) buf[pos++] = 48;
      const text = String(zip);
      for (let i = 0; i < text.length; i++) buf[pos++] = text.charCodeAt(i);
      return pos;
    },
  };
}

/** The generator of a faker column with an entity, or undefined for one without. */
export function entityGenerator(column: FakerColumnDocument, context: ColumnContext): ColumnGenerator | undefined {
  if (column.entity === undefined) return undefined;
  const key = entityKey(context.seed, column.entity);
  const { keys } = context;
  const hashOf = (row: number) => mix32(rowHash(keys, row) ^ key);
  if (column.method.startsWith('location.')) return placeColumn(column.method, hashOf);
  const data = person();
  const tables: PersonTables = {
    firstCounts: [data.firstFemale.length, data.firstMale.length],
    prefixCounts: [data.prefixFemale.length, data.prefixMale.length],
    lastCount: data.last.length,
    suffixCount: data.suffix.length,
  };
  const parts: PersonParts = { sex: 0, pattern: 0, prefix: 0, first: 0, suffix: 0, lastA: 0, lastB: -1, strategy: 0, number: 0, separator: 0 };
  return personColumn(column.method, (row) => drawPerson(hashOf(row), tables, parts));
}
