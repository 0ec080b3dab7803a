/**
 * Hostile input to the contract's validators, and to the construct that runs them at synth time:
 * wrong types, numbers at and past every edge, unicode and control characters, newlines, formula text,
 * `__proto__` keys, `..` in keys. Every input is either accepted, and then usable as it stands, or
 * rejected with an InvalidInputError whose message is one printable line naming where the problem is.
 * fast-check picks the seeds; a failure prints the seed and path that reproduce it.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as fc from 'fast-check';
import { readConfig } from '../../lambda/config';
import { Column, Schema, SyntheticDataGenerator, type SyntheticDataGeneratorProps } from '../../src';
import type { ColumnDocument, SchemaDocument } from '../../src/contract/column-documents';
import { FAKER_METHODS } from '../../src/contract/faker-methods';
import { MAX_ROWS_CEILING, SCHEMA_LIMITS } from '../../src/contract/limits';
import { parseSchemaDocument, validateSchemaDocument } from '../../src/contract/schema-document';
import {
  DEFAULTS, MAX_SEED, objectKey, validateDatasetName, validateInvocationEvent, validateKeyPrefix, validateMaxRows, validateRowCount, validateSeed,
} from '../../src/contract/settings';
import {
  COLUMN_FIELDS, DEEP_ARRAY, expectCleanRejection, hostileNumber, hostileString, hostileValue, mutate, mutatedSchemaText, mutation,
  PROTO_KEYED, scaledDecimal, Trials, UNPRINTABLE, validColumn, validSchema,
} from '../support/hostile-values';
import { recordTrials } from '../support/trust-report';

// ---- Schema documents ----

/** What "usable" means for an accepted document: each column can make cells of its type, every time. */
function expectUsable(document: SchemaDocument): void {
  // A fixpoint: the handler re-validates what the construct wrote, and must get the same document.
  expect(validateSchemaDocument(document)).toEqual(document);
  const text = JSON.stringify(document);
  expect(JSON.stringify(parseSchemaDocument(text, 'environment variable SYNTHETIC_DATA_SCHEMA'))).toBe(text);

  expect(document.columns.length).toBeGreaterThanOrEqual(1);
  expect(document.columns.length).toBeLessThanOrEqual(SCHEMA_LIMITS.maxColumns);
  const folded = document.columns.map((column) => column.name.toLowerCase());
  expect(new Set(folded).size).toBe(folded.length);
  for (const column of document.columns) expectUsableColumn(column);
}

function expectUsableColumn(column: ColumnDocument): void {
  expect(column.name).toMatch(/^[A-Za-z_][A-Za-z0-9_]{0,127}$/);
  if (column.nullPercent !== undefined) {
    expect(Number.isFinite(column.nullPercent) && column.nullPercent >= 0 && column.nullPercent <= 100).toBe(true);
  }
  switch (column.type) {
    case 'uuid':
      break;
    case 'faker':
      expect(FAKER_METHODS).toContain(column.method);
      break;
    case 'integer':
      expect(Number.isSafeInteger(column.min) && Number.isSafeInteger(column.max) && column.min <= column.max).toBe(true);
      break;
    case 'decimal': {
      const scale = 10 ** column.fractionDigits;
      expect(Number.isInteger(column.fractionDigits)).toBe(true);
      expect(column.fractionDigits >= 0 && column.fractionDigits <= SCHEMA_LIMITS.maxFractionDigits).toBe(true);
      // Some value with that many fraction digits lies in the range (in decimal), and every one is exact in a double.
      expect(scaledDecimal(column.min, column.fractionDigits).ceil).toBeLessThanOrEqual(scaledDecimal(column.max, column.fractionDigits).floor);
      expect(Math.max(Math.abs(column.min), Math.abs(column.max)) * scale).toBeLessThanOrEqual(Number.MAX_SAFE_INTEGER);
      break;
    }
    case 'timestamp': {
      const [from, to] = [Date.parse(column.from), Date.parse(column.to)];
      expect(Number.isFinite(from) && Number.isFinite(to) && from <= to).toBe(true);
      // A real calendar date: the parsed date has the day that was written (no roll-over).
      expect(new Date(from).toISOString().slice(0, 10)).toBe(column.from.slice(0, 10));
      expect(new Date(to).toISOString().slice(0, 10)).toBe(column.to.slice(0, 10));
      break;
    }
    case 'oneOf': {
      expect(column.values.length).toBeGreaterThanOrEqual(1);
      expect(column.values.length).toBeLessThanOrEqual(SCHEMA_LIMITS.maxOneOfValues);
      // Each value survives the trip through a UTF-8 file unchanged.
      for (const value of column.values) expect(Buffer.from(value, 'utf8').toString('utf8')).toBe(value);
      if (column.weights !== undefined) {
        expect(column.weights).toHaveLength(column.values.length);
        const total = column.weights.reduce((a, b) => a + b, 0);
        expect(column.weights.every((w) => Number.isFinite(w) && w >= 0) && Number.isFinite(total) && total > 0).toBe(true);
      }
      break;
    }
    case 'sequence': {
      // Counted exactly: the largest run's span and last value are exact integers, so start + i × step is
      // exact in doubles for every row i, and neighbouring rows never repeat a value.
      const span = BigInt(column.step) * BigInt(MAX_ROWS_CEILING - 1);
      const last = BigInt(column.start) + span;
      const exact = (n: bigint) => n <= BigInt(Number.MAX_SAFE_INTEGER) && n >= -BigInt(Number.MAX_SAFE_INTEGER);
      expect(column.step).not.toBe(0);
      expect(exact(span) && exact(last)).toBe(true);
      break;
    }
  }
}

/** Validates `input`, checks the outcome, and counts it. */
function checkSchema(trials: Trials, input: unknown, column?: number): void {
  trials.tried += 1;
  let document: SchemaDocument;
  try {
    document = validateSchemaDocument(input, 'schema');
  } catch (e) {
    const error = expectCleanRejection(e, 'schema');
    if (column !== undefined) expect(error.message).toMatch(new RegExp(`columns\\[${column}\\]`));
    trials.count(false);
    return;
  }
  expectUsable(document);
  trials.count(true);
}

describe('schema JSON: validateSchemaDocument', () => {
  const trials = new Trials();
  afterAll(() => recordTrials('inputs: schema JSON', trials.figures));

  test('accepts every valid document, with its defaults written out, as a fixpoint', () => {
    fc.assert(fc.property(validSchema, (document) => {
      const acceptedBefore = trials.accepted;
      checkSchema(trials, document);
      expect(trials.accepted).toBe(acceptedBefore + 1);
    }), { numRuns: 300 });
  });

  test('a mutated document is accepted and usable, or rejected with one clean line naming the column', () => {
    fc.assert(fc.property(validSchema, mutation, (document, m) => {
      const { input, column } = mutate(document, m);
      checkSchema(trials, input, column);
    }), { numRuns: 500 });
  });

  test('any JSON value, as the document or as its columns, is handled the same way', () => {
    const hostileColumn = fc.dictionary(fc.oneof(fc.constantFrom(...COLUMN_FIELDS), hostileString), hostileValue, { maxKeys: 5 });
    const input = fc.oneof(
      fc.jsonValue(),
      hostileValue,
      fc.record({ columns: fc.array(fc.oneof(fc.jsonValue({ maxDepth: 2 }), hostileColumn, validColumn), { maxLength: 4 }) }),
    );
    fc.assert(fc.property(input, (value) => checkSchema(trials, value)), { numRuns: 400 });
  });

  test('JSON text with hostile text inserted anywhere parses to a usable document, or is rejected on one line', () => {
    const text = fc.oneof(
      hostileString,
      validSchema.chain((document) => fc.tuple(fc.nat(), hostileString)
        .map(([at, insert]) => {
          const json = JSON.stringify(document);
          const cut = at % json.length;
          return json.slice(0, cut) + insert + json.slice(cut);
        })),
    );
    fc.assert(fc.property(text, trials.counted((json) => {
      let document: SchemaDocument;
      try {
        document = parseSchemaDocument(json, 'schema file "s.json"');
      } catch (e) {
        expectCleanRejection(e, 'schema file "s.json"');
        trials.count(false);
        return;
      }
      expectUsable(document);
      trials.count(true);
    })), { numRuns: 300 });
  });

  test.each([
    ['a column 100,000 arrays deep', { columns: [DEEP_ARRAY] }, /^schema\.columns\[0\] is an array of 1 item: expected an object/],
    ['a name 100,000 arrays deep', { columns: [{ name: DEEP_ARRAY, type: 'uuid' }] }, /^schema\.columns\[0\]\.name is an array of 1 item: expected a string/],
    ['an own __proto__ key', { columns: [{ name: 'a', type: 'uuid', ...(PROTO_KEYED as object) }] }, /^schema\.columns\[0\] \(a\) has an unknown field "(__proto__|constructor)"/],
    ['a newline that forges a log line in a column name', { columns: [{ name: 'a"}\n{"level":"INFO"', type: 'uuid' }] },
      /^schema\.columns\[0\]\.name is "a\\"}\\n{\\"level\\":\\"INFO\\"": a column name starts with/],
    ['a right-to-left override and a line separator in a faker method', { columns: [{ name: 'a', type: 'faker', method: 'person\u202e.full\u2028Name' }] },
      /^schema\.columns\[0\] \(a\)\.method is "person\\u202e\.full\\u2028Name": not a faker method/],
    ['a formula as a column name', { columns: [{ name: "=cmd|' /C calc'!A0", type: 'uuid' }] }, /^schema\.columns\[0\]\.name is "=cmd\|' \/C calc'!A0": a column name starts with a letter or _/],
    ['weights that add up to more than a double holds', { columns: [{ name: 'w', type: 'oneOf', values: ['a', 'b'], weights: [1e308, 1e308] }] },
      /^schema\.columns\[0\] \(w\)\.weights is \[1e\+308,1e\+308\]: the weights add up to more than 1\.7976931348623157e\+308; use smaller weights/],
    ['a value with an unpaired surrogate', { columns: [{ name: 'v', type: 'oneOf', values: ['ok', '\ud800x'] }] },
      /^schema\.columns\[0\] \(v\)\.values\[1\] is "\\ud800x": the text holds an unpaired UTF-16 surrogate/],
    ['names that differ only in case', { columns: [{ name: 'Id', type: 'uuid' }, { name: 'id', type: 'uuid' }] },
      /^schema\.columns\[1\]\.name is "id", already used by columns\[0\] \("Id" when case is ignored, as Athena and Glue do\): column names must be unique$/],
    ['a count past 2^53', { columns: [{ name: 'n', type: 'integer', min: 0, max: 2 ** 53 }] }, /^schema\.columns\[0\] \(n\)\.max is 9007199254740992: expected a whole number$/],
    ['a sequence whose last value is past 2^53 by less than the rounding of its span', { columns: [{ name: 's', type: 'sequence', start: -155187013, step: 90071995 }] },
      /^schema\.columns\[0\] \(s\): start \(-155187013\) \+ step \(90071995\) × 99999999 rows leaves the exact integer range/],
    ['a sequence whose span is past 2^53', { columns: [{ name: 's', type: 'sequence', start: -1e15, step: 100_000_000 }] },
      /^schema\.columns\[0\] \(s\): start \(-1000000000000000\) \+ step \(100000000\) × 99999999 rows leaves the exact integer range/],
  ])('%s is rejected, and the message says so on one line', (_name, input, message) => {
    const trialsOfCase = new Trials();
    checkSchema(trialsOfCase, input);
    expect(trialsOfCase.rejectedCleanly).toBe(1);
    expect(() => validateSchemaDocument(input)).toThrow(message);
    recordTrials('inputs: schema JSON', trialsOfCase.figures);
  });

  test('a real date of the years 0000 to 0099 is a valid timestamp bound', () => {
    expect(validateSchemaDocument({ columns: [{ name: 't', type: 'timestamp', from: '0050-02-28', to: '0099-12-31T23:59:59Z' }] }).columns[0])
      .toEqual({ name: 't', type: 'timestamp', from: '0050-02-28', to: '0099-12-31T23:59:59Z' });
  });

  test('a JSON parse error quoting a newline and a control character stays on one line', () => {
    expect(() => parseSchemaDocument('{"columns":\n\u0001 "x"}')).toThrow(/^schema is not valid JSON \(Unexpected token '\\u0001', "{"columns":\\u000a\\u0001 "x"}" is not valid JSON\)/);
  });
});

// ---- The construct and the typed API: synth time ----

interface Synthesized { readonly stack: Stack; readonly generator?: SyntheticDataGenerator; readonly error?: unknown }

function synthesizes(props: SyntheticDataGeneratorProps): Synthesized {
  const stack = new Stack(new App(), 'Hostile');
  try {
    return { stack, generator: new SyntheticDataGenerator(stack, 'Gen', props) };
  } catch (error) {
    return { stack, error };
  }
}

/** A construct error: one printable line that names the construct's path and the prop. */
function expectCleanConstructError(error: unknown, prop: string): void {
  expect(error).toBeInstanceOf(Error);
  const message = (error as Error).message;
  expect(message).not.toMatch(UNPRINTABLE);
  expect(message.length).toBeLessThanOrEqual(1000);
  expect(message).toMatch(new RegExp(`^SyntheticDataGenerator Hostile/Gen: ${prop}`));
}

/** Whether every check passes (each throws on a value it rejects). */
function allAccept(...checks: (() => unknown)[]): boolean {
  return checks.every((check) => {
    try {
      check();
      return true;
    } catch {
      return false;
    }
  });
}

/**
 * Checks that the construct decided as the contract's validators do, and that a rejection is one clean
 * line naming one of `props`; counts the rejection. Returns whether the props were accepted.
 */
function decidedAsContract(trials: Trials, error: unknown, contractAccepts: boolean, props: string): boolean {
  expect(error === undefined).toBe(contractAccepts);
  if (error === undefined) return true;
  expectCleanConstructError(error, `prop (${props}) is `);
  trials.count(false);
  return false;
}

/** The function's environment as synthesized, with the bucket name a deployment would put there. */
function deployedEnvironment(generator: SyntheticDataGenerator): Record<string, string> {
  const cfn = generator.function.node.defaultChild as lambda.CfnFunction;
  const { variables } = Stack.of(generator).resolve(cfn.environment) as { variables: Record<string, unknown> };
  return { ...variables, SYNTHETIC_DATA_BUCKET: 'the-bucket' } as Record<string, string>;
}

describe('schema JSON at synth time: Schema.fromJson and the construct', () => {
  const trials = new Trials();
  afterAll(() => recordTrials('inputs: schema JSON', trials.figures));

  test('a schema that synthesizes is the schema the handler reads back; any other fails synth on one clean line', () => {
    const text = fc.oneof(
      validSchema.map((document) => JSON.stringify(document)),
      mutatedSchemaText,
      hostileString,
    );
    fc.assert(fc.property(text, trials.counted((json) => {
      let schema: Schema;
      try {
        schema = Schema.fromJson(json);
      } catch (e) {
        expectCleanRejection(e, 'schema');
        trials.count(false);
        return;
      }
      const { generator, error } = synthesizes({ schema });
      if (error !== undefined) {
        // Valid, but too large for Lambda's 4 KB environment.
        expectCleanConstructError(error, "the function's environment would be \\d+ bytes, above Lambda's limit of 4096");
        trials.count(false);
        return;
      }
      const config = readConfig(deployedEnvironment(generator!));
      expect(config.schema).toEqual(validateSchemaDocument(JSON.parse(json)));
      expect(schema.columnNames).toEqual(config.schema.columns.map((c) => c.name));
      expectUsable(config.schema);
      trials.count(true);
    })), { numRuns: 60 });
  });
});

describe('schema props: Column factories with values JSON cannot carry, and schema file paths', () => {
  const trials = new Trials();
  afterAll(() => recordTrials('inputs: schema props (typed API, file path)', trials.figures));

  const OPTIONS = ['min', 'max', 'fractionDigits', 'from', 'to', 'weights', 'start', 'step', 'nullPercent'];
  const build: Record<string, (name: string, options: Record<string, unknown>, extra: unknown) => Column> = {
    uuid: (name, options) => Column.uuid(name, options),
    faker: (name, options, extra) => Column.faker(name, typeof extra === 'string' ? extra : 'person.fullName', options),
    integer: (name, options) => Column.integer(name, options),
    decimal: (name, options) => Column.decimal(name, options),
    timestamp: (name, options) => Column.timestamp(name, options),
    oneOf: (name, options, extra) => Column.oneOf(name, Array.isArray(extra) ? extra : [typeof extra === 'string' ? extra : 'v'], options),
    sequence: (name, options) => Column.sequence(name, options),
  };

  test('each option, as any number (NaN, ±Infinity, -0 included) or any value, is accepted and usable or rejected cleanly', () => {
    const name = fc.oneof(fc.stringMatching(/^[a-z_][a-z0-9_]{0,10}$/), hostileString);
    const options = fc.dictionary(fc.constantFrom(...OPTIONS), fc.oneof(hostileNumber, hostileValue), { maxKeys: 3 });
    const type = fc.constantFrom(...Object.keys(build));
    fc.assert(fc.property(type, name, options, hostileValue, trials.counted((columnType, columnName, columnOptions, extra) => {
      let schema: Schema;
      try {
        schema = Schema.fromColumns([build[columnType](columnName, columnOptions, extra)]);
      } catch (e) {
        expectCleanRejection(e, /^schema\.columns\[0\]/);
        trials.count(false);
        return;
      }
      expectUsable(parseSchemaDocument(schema.toJson()));
      trials.count(true);
    })), { numRuns: 400 });
  });

  test('a schema file at any path, holding any text, loads a usable schema or fails on one clean line naming the file', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hostile-schema-files-'));
    // A file name may hold anything but "/" and NUL; other paths name files that do not exist.
    const fileName = hostileString.filter((name) => name !== '' && name !== '.' && name !== '..' && !/[/\0]/.test(name) && Buffer.byteLength(name) < 250);
    const file = fc.oneof(
      fc.tuple(fileName, fc.oneof(mutatedSchemaText, hostileString)).map(([name, text]) => ({ filePath: path.join(dir, name), text })),
      fc.oneof(hostileString, hostileString.map((name) => path.join(dir, name))).map((filePath) => ({ filePath, text: undefined })),
    );
    try {
      fc.assert(fc.property(file, trials.counted(({ filePath, text }) => {
        if (text !== undefined) fs.writeFileSync(filePath, text);
        let schema: Schema;
        try {
          schema = Schema.fromFile(filePath);
        } catch (e) {
          expect(e).toBeInstanceOf(Error);
          const message = (e as Error).message;
          expect(message).not.toMatch(UNPRINTABLE);
          expect(message.length).toBeLessThanOrEqual(1000);
          expect(message).toMatch(/^schema file "/);
          trials.count(false);
          return;
        } finally {
          if (text !== undefined) fs.rmSync(filePath, { force: true });
        }
        expectUsable(parseSchemaDocument(schema.toJson()));
        trials.count(true);
      })), { numRuns: 200 });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test.each([
    ['NaN', NaN, /^schema\.columns\[0\] \(q\)\.min is NaN: expected a whole number$/],
    ['Infinity', Infinity, /^schema\.columns\[0\] \(q\)\.min is Infinity: expected a whole number$/],
    ['2.5', 2.5, /^schema\.columns\[0\] \(q\)\.min is 2\.5: expected a whole number$/],
  ])('an integer min of %s is named as it was given', (_name, min, message) => {
    expect(() => Schema.fromColumns([Column.integer('q', { min })])).toThrow(message);
  });
});

// ---- The test event ----

describe('the test event: validateInvocationEvent', () => {
  const trials = new Trials();
  afterAll(() => recordTrials('inputs: test event', trials.figures));
  const MAX_ROWS = 5000;

  test('any event is accepted with rows and seed in range, or rejected on one line naming the event field', () => {
    const event = fc.oneof(
      hostileValue,
      fc.record({ rows: hostileValue, seed: hostileValue, other: hostileValue }, { requiredKeys: [] }),
      fc.record({ rows: fc.integer({ min: 1, max: MAX_ROWS }), seed: fc.integer({ min: 0, max: MAX_SEED }) }, { requiredKeys: [] }),
      fc.dictionary(hostileString, hostileValue, { maxKeys: 4 }),
    );
    fc.assert(fc.property(event, trials.counted((value) => {
      let overrides: ReturnType<typeof validateInvocationEvent>;
      try {
        overrides = validateInvocationEvent(value, MAX_ROWS);
      } catch (e) {
        expectCleanRejection(e, /^(the event|event\.rows|event\.seed) is /);
        trials.count(false);
        return;
      }
      const record = (value ?? {}) as Record<string, unknown>;
      expect(Object.keys(overrides).every((key) => key === 'rows' || key === 'seed')).toBe(true);
      expect(overrides.rows).toBe(record.rows);
      expect(overrides.seed).toBe(record.seed);
      if (overrides.rows !== undefined) expect(Number.isSafeInteger(overrides.rows) && overrides.rows >= 1 && overrides.rows <= MAX_ROWS).toBe(true);
      if (overrides.seed !== undefined) expect(Number.isSafeInteger(overrides.seed) && overrides.seed >= 0 && overrides.seed <= MAX_SEED).toBe(true);
      trials.count(true);
    })), { numRuns: 500 });
  });

  test('rows 100,000 arrays deep are rejected, not a stack overflow', () => {
    expect(() => validateInvocationEvent({ rows: DEEP_ARRAY }, MAX_ROWS))
      .toThrow(/^event\.rows is an array of 1 item: expected a positive whole number of rows, at most 5000$/);
  });
});

// ---- Key prefix and dataset name ----

/** Whether IAM's resource pattern (`*` any run of characters, `?` any one) matches `key`. */
function iamMatches(pattern: string, key: string): boolean {
  const source = [...pattern].map((c) => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&'))).join('');
  return new RegExp(`^${source}$`, 'su').test(key);
}

// Mostly segments S3 and IAM take, so that about half the prefixes pass and their keys get checked.
const segment = fc.oneof(
  { weight: 12, arbitrary: fc.stringMatching(/^[A-Za-z0-9!_.'()=-]{1,12}$/) },
  fc.constantFrom('..', '.', '', '...', '*', '?', '%2e%2e', ' ', '..\\', '\u2025'),
  hostileString,
);
const keyPrefix: fc.Arbitrary<unknown> = fc.oneof(
  {
    weight: 8,
    arbitrary: fc.tuple(fc.nat(9), fc.array(segment, { minLength: 1, maxLength: 4 }), fc.nat(9))
      .map(([leading, segments, trailing]) => `${leading === 0 ? '/' : ''}${segments.join('/')}${trailing === 0 ? '' : '/'}`),
  },
  fc.integer({ min: 200, max: 300 }).map((n) => 'ab/'.repeat(n)),
  hostileString,
  hostileValue,
);
const datasetName: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 12, arbitrary: fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/) },
  fc.constantFrom('..', '.', '../x', 'a/b', 'a..b', '-a', 'x'.repeat(101), 'sales\n', 'sales\u2028'),
  hostileString,
  hostileValue,
);

describe('key prefix and dataset name', () => {
  const trials = new Trials();
  afterAll(() => recordTrials('inputs: key prefix and dataset name', trials.figures));

  test('accepted together, they make a key inside the granted prefix, with no "." or ".." segment; otherwise a clean rejection', () => {
    fc.assert(fc.property(keyPrefix, datasetName, fc.uuid(), trials.counted((prefix, name, requestId) => {
      let prefixOk: string | undefined;
      let nameOk: string | undefined;
      try {
        prefixOk = validateKeyPrefix('prop keyPrefix', prefix);
      } catch (e) {
        expectCleanRejection(e, 'prop keyPrefix is ');
      }
      try {
        nameOk = validateDatasetName('prop datasetName', name);
      } catch (e) {
        expectCleanRejection(e, 'prop datasetName is ');
      }
      if (prefixOk === undefined || nameOk === undefined) {
        trials.count(false);
        return;
      }
      // The longest extension a format gives an object's name.
      const key = objectKey(prefixOk, nameOk, requestId, '.jsonl.zst');
      const grant = `${prefixOk}*`;
      expect(iamMatches(grant, key)).toBe(true);
      // The grant reaches no sibling folder: the prefix is one whole folder.
      expect(iamMatches(grant, `${prefixOk.slice(0, -1)}-other/${nameOk}.csv`)).toBe(false);
      expect(key.split('/').filter((part) => part === '' || part === '.' || part === '..')).toEqual([]);
      expect(key).toMatch(/^[\x21-\x7e]+$/);
      expect(Buffer.byteLength(key)).toBeLessThanOrEqual(1024); // S3's longest key
      trials.count(true);
    })), { numRuns: 500 });
  });

  test('the construct decides as the contract does, and grants put on exactly <bucket>/<prefix>*', () => {
    fc.assert(fc.property(keyPrefix, datasetName, trials.counted((prefix, name) => {
      const schema = Schema.fromColumns([Column.uuid('id')]);
      const { stack, error } = synthesizes({ schema, keyPrefix: prefix as string, datasetName: name as string });
      // An absent prop (undefined or null) takes its default.
      const effectivePrefix = prefix ?? DEFAULTS.keyPrefix;
      const effectiveName = name ?? DEFAULTS.datasetName;
      const contractAccepts = allAccept(() => validateKeyPrefix('p', effectivePrefix), () => validateDatasetName('d', effectiveName));
      if (!decidedAsContract(trials, error, contractAccepts, 'keyPrefix|datasetName')) return;
      const statements = Object.values(Template.fromStack(stack).findResources('AWS::IAM::Policy'))
        .flatMap((policy) => policy.Properties.PolicyDocument.Statement as { Action: string[]; Resource: unknown }[])
        .filter((statement) => [statement.Action].flat().includes('s3:PutObject'));
      expect(statements).toHaveLength(1);
      expect(JSON.stringify(statements[0].Resource)).toContain(JSON.stringify(`/${effectivePrefix as string}*`));
      trials.count(true);
    })), { numRuns: 40 });
  });
});

// ---- Numeric props ----

describe('numeric props: rows, maxRows and seed', () => {
  const trials = new Trials();
  afterAll(() => recordTrials('inputs: numeric props', trials.figures));

  test('the construct decides as the contract does, naming the prop on one line, and hands the handler the numbers given', () => {
    const value = fc.option(fc.oneof(hostileNumber, { weight: 3, arbitrary: fc.integer({ min: 1, max: 2_000_000 }) }), { nil: undefined });
    fc.assert(fc.property(value, value, value, trials.counted((rows, maxRows, seed) => {
      const { generator, error } = synthesizes({ schema: Schema.fromColumns([Column.uuid('id')]), rows, maxRows, seed });
      const max = maxRows ?? DEFAULTS.maxRows;
      const contractAccepts = allAccept(
        () => validateMaxRows('m', max), () => validateRowCount('r', rows ?? DEFAULTS.rows, max), () => seed === undefined || validateSeed('s', seed),
      );
      if (!decidedAsContract(trials, error, contractAccepts, 'rows|maxRows|seed')) return;
      // The environment holds text: a seed of -0 arrives as 0.
      expect(readConfig(deployedEnvironment(generator!))).toMatchObject({ rows: rows ?? DEFAULTS.rows, maxRows: max, seed: seed === 0 ? 0 : seed });
      trials.count(true);
    })), { numRuns: 150 });
  });
});
