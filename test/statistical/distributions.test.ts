/**
 * Distributions of numeric columns and laid-out timestamps: what users rely on when they declare a `distribution`,
 * an `order` or hour and day weights. Samples follow the declared law (moments computed here, independently of the
 * engine), stay inside the bounds, come out the same whoever makes them, ascending timestamps stay ascending across
 * parts at any shard count, and the conformance report passes on made data and fails on data that is not so.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import fc from 'fast-check';
import type { EngineReport } from '../../lambda/driver';
import { compileTable } from '../../lambda/engine/compiled-table';
import { conformanceChecks, type ConformanceCheck } from '../../lambda/engine/conformance';
import { distinctCounter, VALUE_NUMBER } from '../../lambda/engine/distinct-counters';
import { numberKey, VALUE_KEY, type NumberGenerator } from '../../lambda/engine/kernel';
import { draw, mix32, rowHash } from '../../lambda/engine/random';
import { Column, Distribution, Schema, TimestampOrder } from '../../src';
import type { ColumnDocument, SchemaDocument } from '../../src/contract/column-documents';
import { decimalSteps } from '../../src/contract/decimal';
import { normalCdf } from '../../src/contract/distributions';
import { InvalidInputError } from '../../src/contract/errors';
import { validateSchemaDocument } from '../../src/contract/schema-document';
import { engineCliRunner, engineOutput, parseCsv, schemaOf } from '../support/engine-output';

const ROWS = 100_000;
const HOUR = 3_600_000;

/** The non-null cells of column `name` of a CSV made by the engine, as numbers (timestamps as epoch ms). */
async function valuesOf(schema: SchemaDocument, name: string, run: { seed?: number; firstRow?: number; rowCount?: number; tableRows?: number } = {}) {
  const { bytes, report } = await engineOutput({ schema, seed: run.seed ?? 11, ...run, rowCount: run.rowCount ?? ROWS });
  const rows = parseCsv(bytes);
  const c = rows[0].indexOf(name);
  const type = schema.columns.find((column) => column.name === name)!.type;
  const cells = rows.slice(1).map((row) => row[c]).filter((cell) => cell !== '');
  return { values: cells.map((cell) => (type === 'timestamp' ? Date.parse(cell) : Number(cell))), report, rows: rows.slice(1), column: c };
}

function sampleMoments(values: number[]) {
  const n = values.length;
  const mean = values.reduce((a, b) => a + b, 0) / n;
  let m2 = 0;
  let m4 = 0;
  for (const v of values) {
    const d2 = (v - mean) ** 2;
    m2 += d2;
    m4 += d2 * d2;
  }
  return { n, mean, sd: Math.sqrt(m2 / (n - 1)), m4: m4 / n };
}

/** Moments of a probability mass function over values. */
function pmfMoments(values: number[], weights: number[]) {
  const total = weights.reduce((a, b) => a + b, 0);
  const mean = values.reduce((sum, v, i) => sum + (v * weights[i]) / total, 0);
  const variance = values.reduce((sum, v, i) => sum + ((v - mean) ** 2 * weights[i]) / total, 0);
  return { mean, sd: Math.sqrt(variance) };
}

/**
 * Expects the sample's mean within 5 standard errors of `mean` and its standard deviation within 5 of its own standard
 * errors (from the sample's fourth moment) of `sd`, plus `slack` for an expectation that is itself approximate.
 */
function expectMoments(values: number[], expected: { mean: number; sd: number }, slack = 0) {
  const { n, mean, sd, m4 } = sampleMoments(values);
  expect(Math.abs(mean - expected.mean)).toBeLessThanOrEqual((5 * expected.sd) / Math.sqrt(n) + slack);
  const sdError = Math.sqrt(Math.max(0, m4 - sd ** 4) / (4 * sd * sd * n));
  expect(Math.abs(sd - expected.sd)).toBeLessThanOrEqual(5 * sdError + slack);
}

const failed = (checks: readonly ConformanceCheck[]) => checks.filter((check) => !check.pass);

describe('numeric distributions follow their law, truncated to the bounds and rounded to the step', () => {
  test('normal: the mean and standard deviation declared (rounding to whole numbers adds 1/12 to the variance)', async () => {
    const schema = schemaOf({ name: 'n', type: 'integer', min: 0, max: 100, distribution: { kind: 'normal', mean: 40, standardDeviation: 8 } });
    const { values, report } = await valuesOf(schema, 'n');
    expectMoments(values, { mean: 40, sd: Math.sqrt(64 + 1 / 12) });
    expect(failed(report.conformance)).toEqual([]);
  });

  test('normal truncated hard: the mean of the truncated law, not the declared one', async () => {
    // Mean 0, sd 10, kept to [0, 100]: a half-normal, mean 10·√(2/π) — the bounds are widened by half a step for rounding.
    const schema = schemaOf({ name: 'n', type: 'decimal', min: 0, max: 100, fractionDigits: 3, distribution: { kind: 'normal', mean: 0, standardDeviation: 10 } });
    const { values } = await valuesOf(schema, 'n');
    expect(Math.min(...values)).toBeGreaterThanOrEqual(0);
    expectMoments(values, { mean: 10 * Math.sqrt(2 / Math.PI), sd: 10 * Math.sqrt(1 - 2 / Math.PI) }, 0.01);
  });

  test('lognormal: mean e^(mu + sigma²/2), standard deviation mean × √(e^(sigma²) − 1)', async () => {
    const schema = schemaOf({ name: 'price', type: 'decimal', min: 0, max: 1e6, fractionDigits: 2, distribution: { kind: 'lognormal', mu: 3.2, sigma: 0.8 } });
    const { values, report } = await valuesOf(schema, 'price');
    const mean = Math.exp(3.2 + 0.32);
    expectMoments(values, { mean, sd: mean * Math.sqrt(Math.exp(0.64) - 1) }, 0.01);
    expect(failed(report.conformance)).toEqual([]);
  });

  test('exponential: min + Exp(mean), each whole number taking the mass that rounds to it', async () => {
    const schema = schemaOf({ name: 'wait', type: 'integer', min: 10, max: 100_000, distribution: { kind: 'exponential', mean: 30 } });
    const { values, report } = await valuesOf(schema, 'wait');
    const ks = Array.from({ length: 2000 }, (_, k) => k);
    const weights = ks.map((k) => Math.exp(-Math.max(0, k - 0.5) / 30) - Math.exp(-(k + 0.5) / 30));
    expectMoments(values, pmfMoments(ks.map((k) => 10 + k), weights));
    expect(failed(report.conformance)).toEqual([]);
  });

  test('zipf: the k-th value from min with probability ∝ (k + 1)^-s', async () => {
    const schema = schemaOf({ name: 'rank', type: 'integer', min: 5, max: 1004, distribution: { kind: 'zipf', exponent: 1.5 } });
    const { values, report } = await valuesOf(schema, 'rank');
    const ks = Array.from({ length: 1000 }, (_, k) => k);
    expectMoments(values, pmfMoments(ks.map((k) => 5 + k), ks.map((k) => (k + 1) ** -1.5)));
    // The first value's share, exactly as declared.
    const first = 1 / ks.reduce((sum, k) => sum + (k + 1) ** -1.5, 0);
    const count = values.filter((v) => v === 5).length;
    expect(Math.abs(count - ROWS * first)).toBeLessThanOrEqual(5 * Math.sqrt(ROWS * first * (1 - first)));
    expect(failed(report.conformance)).toEqual([]);
  });

  test('zipf over more values than its exact head: the tail follows the power law too', async () => {
    const schema = schemaOf({ name: 'rank', type: 'integer', min: 0, max: 9_999_999, distribution: { kind: 'zipf', exponent: 2 } });
    const { values, report } = await valuesOf(schema, 'rank');
    // P(value >= 4096) = Σ_{r > 4096} r^-2 / ζ-ish sum ≈ (1/4096.5) / Σ_{r <= 10^7} r^-2.
    const total = Math.PI ** 2 / 6 - 1 / (1e7 + 0.5);
    const tail = 1 / 4096.5 / total;
    const count = values.filter((v) => v >= 4096).length;
    expect(Math.abs(count - ROWS * tail)).toBeLessThanOrEqual(5 * Math.sqrt(ROWS * tail) + 1);
    expect(failed(report.conformance)).toEqual([]);
  });

  test('pareto: scale min, mean α/(α − 1), variance α/((α − 1)²(α − 2))', async () => {
    const schema = schemaOf({ name: 'size', type: 'decimal', min: 1, max: 1e6, fractionDigits: 4, distribution: { kind: 'pareto', alpha: 5 } });
    const { values, report } = await valuesOf(schema, 'size');
    expect(Math.min(...values)).toBeGreaterThanOrEqual(1);
    expectMoments(values, { mean: 5 / 4, sd: Math.sqrt(5 / (16 * 3)) }, 0.001);
    expect(failed(report.conformance)).toEqual([]);
  });

  test('uniform declared is today\'s uniform, byte for byte', async () => {
    const plain = await engineOutput({ schema: schemaOf({ name: 'q', type: 'integer', min: -5, max: 2000 }), seed: 3, rowCount: 500 });
    const declared = await engineOutput({
      schema: schemaOf({ name: 'q', type: 'integer', min: -5, max: 2000, distribution: { kind: 'uniform' } }), seed: 3, rowCount: 500,
    });
    expect(declared.bytes.equals(plain.bytes)).toBe(true);
    expect(declared.report.conformance.map((check) => check.check)).toEqual(expect.arrayContaining(['mean', 'standardDeviation']));
    expect(failed(declared.report.conformance)).toEqual([]);
  });
});

/** Any distribution the validator takes, over any range, on an integer or decimal column. */
const distributedColumn = fc.record({
  kind: fc.constantFrom('normal', 'lognormal', 'exponential', 'zipf', 'pareto', 'uniform'),
  a: fc.double({ min: -1e6, max: 1e6, noNaN: true }),
  b: fc.double({ min: -1e6, max: 1e6, noNaN: true }),
  p: fc.double({ min: -50, max: 200, noNaN: true }),
  q: fc.double({ min: 1e-3, max: 100, noNaN: true }),
  fractionDigits: fc.integer({ min: -1, max: 4 }),
}).map(({ kind, a, b, p, q, fractionDigits }) => {
  const integer = fractionDigits < 0;
  const [min, max] = integer ? [Math.round(Math.min(a, b)), Math.round(Math.max(a, b))] : [Math.min(a, b), Math.max(a, b)];
  const parameters: Record<string, Record<string, number>> = {
    normal: { mean: p, standardDeviation: q },
    lognormal: { mu: p / 40, sigma: q / 20 },
    exponential: { mean: q },
    zipf: { exponent: Math.min(5, q / 10) },
    pareto: { alpha: q / 10 },
    uniform: {},
  };
  return { name: 'x', type: integer ? 'integer' : 'decimal', min, max, ...(integer ? {} : { fractionDigits }), distribution: { kind, ...parameters[kind] } };
});

function validOrUndefined(columns: unknown[]): SchemaDocument | undefined {
  try {
    return validateSchemaDocument({ columns });
  } catch (e) {
    if (e instanceof InvalidInputError) return undefined; // e.g. a law with no mass between the bounds
    throw e;
  }
}

test('every value of any accepted distribution lies within the bounds, on the column\'s step', async () => {
  await fc.assert(fc.asyncProperty(distributedColumn, fc.integer({ min: 0, max: 2 ** 31 }), async (column, seed) => {
    const schema = validOrUndefined([column]);
    fc.pre(schema !== undefined);
    const { bytes } = await engineOutput({ schema: schema!, seed, rowCount: 300, header: false });
    // Compared as whole steps: a bound within a few units in the last place of a step is that step (decimalSteps).
    const digits = column.fractionDigits ?? 0;
    const { low, high } = decimalSteps(column.min, column.max, digits);
    for (const [cell] of parseCsv(bytes)) {
      expect(cell).toMatch(digits === 0 ? /^-?\d+$/ : new RegExp(`^-?\\d+\\.\\d{${digits}}$`));
      const steps = Number(cell.replace('.', ''));
      expect(Number.isSafeInteger(steps)).toBe(true);
      expect(steps).toBeGreaterThanOrEqual(low);
      expect(steps).toBeLessThanOrEqual(high);
    }
  }), { numRuns: 60 });
});

const officeHours: number[] = Array.from({ length: 24 }, (_, h) => (h >= 9 && h < 17 ? 4 : h >= 7 && h < 22 ? 1 : 0));
const weekdays = [3, 3, 3, 3, 3, 1, 0];

describe('timestamps: ascending order and hour/day weights', () => {
  const events = schemaOf(
    { name: 'id', type: 'sequence' },
    { name: 'at', type: 'timestamp', from: '2024-03-01', to: '2024-03-31T23:59:59Z', order: 'ascending', nullPercent: 5 },
    { name: 'shaped', type: 'timestamp', from: '2024-01-01', to: '2024-06-30', order: 'ascending', hourWeights: officeHours, dayWeights: weekdays },
  );

  test('ascending across parts made separately, at any shard count: the same values as the whole run, non-decreasing', async () => {
    const total = 20_000;
    const whole = parseCsv((await engineOutput({ schema: events, seed: 8, rowCount: total, header: false })).bytes);
    for (const shards of [1, 3, 7]) {
      const rows: string[][] = [];
      for (let s = 0; s < shards; s++) {
        const first = Math.floor((s * total) / shards);
        const count = Math.floor(((s + 1) * total) / shards) - first;
        const part = await engineOutput({ schema: events, seed: 8, firstRow: first, rowCount: count, tableRows: total, header: false });
        rows.push(...parseCsv(part.bytes));
      }
      expect(rows).toEqual(whole);
    }
    for (const c of [1, 2]) {
      // A null cell is simply absent: the others stay in order.
      const instants = whole.map((row) => row[c]).filter((cell) => cell !== '').map(Date.parse);
      instants.slice(1).forEach((t, i) => expect(t).toBeGreaterThanOrEqual(instants[i]));
    }
    expect(whole.filter((row) => row[1] === '').length).toBeGreaterThan(0);
  });

  test('ascending values spread over the whole range: row r of N in the r/N-th share of the time', async () => {
    const from = Date.parse('2024-03-01');
    const span = Date.parse('2024-03-31T23:59:59Z') + 1 - from;
    const { values, rows, column } = await valuesOf(events, 'at', { rowCount: 10_000 });
    rows.forEach((row, r) => {
      if (row[column] === '') return;
      const t = Date.parse(row[column]);
      expect(t).toBeGreaterThanOrEqual(from + Math.floor((r / 10_000) * span));
      expect(t).toBeLessThanOrEqual(from + Math.ceil(((r + 1) / 10_000) * span));
    });
    expect(values.length).toBeGreaterThan(9000);
  });

  test('hour and day weights: zero-weight hours and days never appear, the others in proportion', async () => {
    const schema = schemaOf({ name: 't', type: 'timestamp', from: '2024-01-01', to: '2024-12-29T23:59:59Z', hourWeights: officeHours, dayWeights: weekdays });
    const { values, report } = await valuesOf(schema, 't');
    const hours = new Array(24).fill(0);
    const days = new Array(7).fill(0);
    for (const t of values) {
      const date = new Date(t);
      hours[date.getUTCHours()]++;
      days[(date.getUTCDay() + 6) % 7]++;
    }
    // 2024-01-01 is a Monday and 2024-12-29 a Sunday: whole weeks, so the shares are the weights' own.
    const hourTotal = officeHours.reduce((a, b) => a + b, 0);
    const dayTotal = weekdays.reduce((a, b) => a + b, 0);
    hours.forEach((count, h) => {
      const p = officeHours[h] / hourTotal;
      expect(Math.abs(count - ROWS * p)).toBeLessThanOrEqual(5 * Math.sqrt(ROWS * p * (1 - p)));
    });
    days.forEach((count, d) => {
      const p = weekdays[d] / dayTotal;
      expect(Math.abs(count - ROWS * p)).toBeLessThanOrEqual(5 * Math.sqrt(ROWS * p * (1 - p)));
    });
    expect(report.conformance.filter((check) => check.column === 't').map((check) => check.check))
      .toEqual(['nullShare', 'range', 'hourOfDay', 'dayOfWeek', 'distinct']);
    expect(failed(report.conformance)).toEqual([]);
  });

  test('the report checks order and shares of a part, from where its rows lie in the run', async () => {
    const { report } = await engineOutput({ schema: events, seed: 4, firstRow: 30_000, rowCount: 40_000, tableRows: 100_000 });
    const kinds = report.conformance.filter((check) => check.column === 'shaped').map((check) => check.check);
    expect(kinds).toEqual(['nullShare', 'range', 'ordering', 'hourOfDay', 'dayOfWeek']);
    expect(failed(report.conformance)).toEqual([]);
  });
});

describe('the conformance report fails what does not conform', () => {
  /** The observed object of `rows` rows of `schema` with column `c`'s values passed through `tamper` (in row order). */
  function observe(schema: SchemaDocument, rows: number, tamper: (value: number, row: number) => number) {
    const table = compileTable(schema, 21, { tableRows: rows });
    const generator = table.generators[0] as NumberGenerator;
    const counter = distinctCounter(table.distinctKinds[0]);
    for (let row = 0; row < rows; row++) {
      // The cell hash the row loops use (generators.ts, ColumnContext).
      // eslint-disable-next-line no-bitwise
      const cell = mix32(rowHash(table.keys, row) ^ table.keys.columnKeys[0]);
      if (draw(cell, 15) < table.nullBelow[0]) continue;
      // What the generator left for the counter, with the tampered number in its place.
      VALUE_NUMBER[0] = tamper(generator.value(cell, row), row);
      counter.add(VALUE_KEY[0]);
    }
    return conformanceChecks({ columns: schema.columns, rows, nulls: new Float64Array(1), counters: [counter], firstRow: 0, tableRows: rows });
  }

  test.each<[string, string, Record<string, unknown>, (value: number, row: number) => number]>([
    ['a mean moved by a fifth of a standard deviation', 'mean', { type: 'integer', min: 0, max: 1000, distribution: { kind: 'normal', mean: 500, standardDeviation: 50 } },
      (v) => v + 10],
    ['a spread widened by a tenth', 'standardDeviation', { type: 'decimal', min: 0, max: 1000, distribution: { kind: 'normal', mean: 500, standardDeviation: 50 } },
      (v) => 50_000 + (v - 50_000) * 1.1],
    ['one row out of order', 'ordering', { type: 'timestamp', order: 'ascending' }, (v, row) => (row === 7000 ? v - 10 * HOUR : v)],
    ['every instant moved three hours on', 'hourOfDay', { type: 'timestamp', hourWeights: officeHours }, (v) => v + 3 * HOUR],
    ['every instant moved two days on', 'dayOfWeek', { type: 'timestamp', dayWeights: weekdays }, (v) => v + 48 * HOUR],
  ])('%s fails the %s check', (_, kind, column, tamper) => {
    const schema = schemaOf({ name: 'x', ...column });
    const honest = observe(schema, 20_000, (v) => v);
    expect(failed(honest)).toEqual([]);
    expect(honest.map((check) => check.check)).toContain(kind);
    const tampered = observe(schema, 20_000, tamper);
    expect(failed(tampered).map((check) => check.check)).toContain(kind);
  });
});

describe('counters of row ranges made apart (worker threads) merge in row order into the whole range\'s', () => {
  const start = Date.parse('2024-01-01');
  // Centred where the values start, and steps small enough that every sum is exact, whatever the order of adding.
  const kind = { kind: 'sketch', range: true, moments: start, ordered: true, calendar: true } as const;
  const count = (values: number[]) => {
    const counter = distinctCounter(kind);
    for (const value of values) {
      VALUE_NUMBER[0] = value;
      counter.add(numberKey(value));
    }
    return counter;
  };
  const merged = (blocks: number[][]) => {
    const counter = distinctCounter(kind);
    for (const block of blocks) counter.merge(count(block).state);
    return counter.observed!();
  };

  test('ascending blocks, empty ones among them, merge into what one counter of all the values observes', () => {
    fc.assert(fc.property(fc.array(fc.array(fc.integer({ min: 0, max: 10_000 }), { maxLength: 20 }), { maxLength: 6 }), (raw) => {
      let at = start;
      const blocks = raw.map((block) => block.map((step) => (at += step)));
      const whole = count(blocks.flat()).observed!();
      expect(merged(blocks)).toEqual(whole);
      if (blocks.flat().length > 0) expect(whole.ordering?.ordered).toBe(true);
    }));
  });

  test('a block starting below where the one before it ended is out of order, though each block is ascending', () => {
    expect(merged([[10, 20, 30], [25, 40]]).ordering).toEqual({ ordered: false, first: 10, last: 40 });
    expect(merged([[10, 20, 30], [], [30, 40]]).ordering).toEqual({ ordered: true, first: 10, last: 40 });
  });
});

describe('determinism', () => {
  const everyKind = schemaOf(
    { name: 'normal', type: 'integer', min: -100, max: 100, distribution: { kind: 'normal', mean: 10, standardDeviation: 30 } },
    { name: 'lognormal', type: 'decimal', min: 1, max: 500, distribution: { kind: 'lognormal', mu: 3.2, sigma: 0.8 } },
    { name: 'exponential', type: 'decimal', min: 0, max: 600, fractionDigits: 1, distribution: { kind: 'exponential', mean: 45 } },
    { name: 'zipf', type: 'integer', min: 1, max: 1e9, distribution: { kind: 'zipf', exponent: 1.1 } },
    { name: 'pareto', type: 'decimal', min: 10, max: 1e5, distribution: { kind: 'pareto', alpha: 1.2 }, nullPercent: 10 },
    { name: 'ascending', type: 'timestamp', order: 'ascending', hourWeights: officeHours, nullPercent: 10 },
    { name: 'weighted', type: 'timestamp', from: '2024-06-01', to: '2024-06-30', dayWeights: weekdays },
  );

  test('a row range made alone equals the same rows inside a larger run, and parts of any shard count make the run', async () => {
    await fc.assert(fc.asyncProperty(
      fc.integer({ min: 0, max: 5000 }), fc.integer({ min: 1, max: 300 }), fc.integer({ min: 0, max: 300 }), fc.integer({ min: 1, max: 6 }),
      fc.integer({ min: 0, max: 2 ** 31 }),
      async (firstRow, rowCount, extra, shards, seed) => {
        const tableRows = firstRow + rowCount + extra;
        const whole = await engineOutput({ schema: everyKind, seed, rowCount: tableRows, header: false });
        const alone = await engineOutput({ schema: everyKind, seed, firstRow, rowCount, tableRows, header: false });
        expect(parseCsv(alone.bytes)).toEqual(parseCsv(whole.bytes).slice(firstRow, firstRow + rowCount));
        const parts: Buffer[] = [];
        for (let s = 0; s < shards; s++) {
          const first = Math.floor((s * tableRows) / shards);
          const count = Math.floor(((s + 1) * tableRows) / shards) - first;
          if (count === 0) continue;
          parts.push((await engineOutput({ schema: everyKind, seed, firstRow: first, rowCount: count, tableRows, header: false })).bytes);
        }
        expect(Buffer.concat(parts).equals(whole.bytes)).toBe(true);
      },
    ), { numRuns: 15 });
  });

  test('worker threads make the same file and the same report as one thread: their counters merge in row order', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'distributions-workers-'));
    try {
      const cli = engineCliRunner(dir, everyKind);
      const run = (workers: number) => cli(workers, ['--rows', '200000', '--seed', '5']);
      const one = run(1);
      const three = run(3);
      expect(three.report.workers).toBe(3);
      expect(three.bytes.equals(one.bytes)).toBe(true);
      const verdicts = (report: EngineReport) => report.conformance.map(({ column, check, pass }) => ({ column, check, pass }));
      expect(verdicts(three.report)).toEqual(verdicts(one.report));
      expect(verdicts(three.report).filter((check) => check.check === 'ordering')).toEqual([{ column: 'ascending', check: 'ordering', pass: true }]);
      expect(failed(three.report.conformance)).toEqual([]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test.each(everyKind.columns.map((column) => [column.name, column] as [string, ColumnDocument]))(
    'a known seed keeps making the same %s values (changing them is a breaking change)',
    async (_, column) => {
      const { bytes } = await engineOutput({ schema: { columns: [column] }, seed: 42, rowCount: 6, tableRows: 1000 });
      expect(bytes.toString('utf8')).toMatchSnapshot();
    },
  );
});

test('the moment checks hold on heavy tails over wide ranges: the expectation integrates u to within 2^-53 of its ends', async () => {
  const heavy = schemaOf(
    { name: 'pareto', type: 'integer', min: 1, max: 1e12, distribution: { kind: 'pareto', alpha: 1.1 } },
    { name: 'lognormal', type: 'decimal', min: 0.01, max: 1e8, fractionDigits: 2, distribution: { kind: 'lognormal', mu: 3, sigma: 3 } },
    { name: 'pareto15', type: 'integer', min: 1, max: 1e9, distribution: { kind: 'pareto', alpha: 1.5 } },
  );
  for (const seed of [1, 2, 3]) {
    const { report } = await engineOutput({ schema: heavy, seed, rowCount: 200_000, header: false });
    expect(report.conformance.filter((check) => check.check === 'mean' || check.check === 'standardDeviation')).toHaveLength(6);
    expect(report.conformance.filter((check) => !check.pass)).toEqual([]);
  }
}, 60_000);

describe('validation', () => {
  const decimal = (distribution: unknown, extra: Record<string, unknown> = {}) => () => schemaOf({ name: 'v', type: 'decimal', min: 1, max: 100, ...extra, distribution });
  test.each<[string, () => unknown, RegExp]>([
    ['an unknown kind', decimal({ kind: 'gamma' }), /columns\[0\] \(v\)\.distribution\.kind is "gamma": allowed kinds are uniform, normal, lognormal, exponential, zipf, pareto/],
    ['a parameter of another kind', decimal({ kind: 'normal', mean: 1, standardDeviation: 1, sigma: 2 }), /distribution\.sigma is 2: not a parameter of normal/],
    ['a standard deviation of 0', decimal({ kind: 'normal', mean: 1, standardDeviation: 0 }), /distribution\.standardDeviation is 0: the standard deviation: a finite number above 0/],
    ['a missing mean', decimal({ kind: 'exponential' }), /distribution\.mean is undefined: the mean above min: a finite number above 0/],
    ['a zipf exponent above 5', decimal({ kind: 'zipf', exponent: 6 }), /distribution\.exponent is 6: a Zipf exponent above 0 and at most 5/],
    ['a pareto scale of 0', decimal({ kind: 'pareto', alpha: 2 }, { min: 0 }), /must be above 0 \(it is 0\); raise min/],
    ['a law whose mass lies outside the bounds', decimal({ kind: 'normal', mean: 1000, standardDeviation: 10 }),
      /only 0\.00 of this distribution's mass lies between min and max \(at least 1e-9 is needed\): move its parameters into the range, or widen min and max/],
    ['an order that is not one', () => schemaOf({ name: 't', type: 'timestamp', order: 'descending' }), /\.order is "descending": "uniform" .* or "ascending"/],
    ['23 hour weights', () => schemaOf({ name: 't', type: 'timestamp', hourWeights: new Array(23).fill(1) }), /hourWeights is .*: expected 24 weights, one per hour of the day, UTC/],
    ['a negative day weight', () => schemaOf({ name: 't', type: 'timestamp', dayWeights: [1, 1, 1, 1, 1, 1, -1] }),
      /dayWeights\[6\] is -1: a weight: 0, or a finite number from 1e-100 to 1e\+100/],
    // Products of hour and day weights must stay normal doubles: 1e200 × 1e200 would overflow, 1e-200 × 1e-120 vanish.
    ['a weight too large to multiply', () => schemaOf({ name: 't', type: 'timestamp', hourWeights: new Array(24).fill(1e200) }),
      /hourWeights\[0\] is 1e\+200: a weight: 0, or a finite number from 1e-100 to 1e\+100/],
    ['a weight too small to multiply', () => schemaOf({ name: 't', type: 'timestamp', dayWeights: new Array(7).fill(1e-120) }),
      /dayWeights\[0\] is 1e-120: a weight: 0, or a finite number from 1e-100 to 1e\+100/],
    ['no positive weight', () => schemaOf({ name: 't', type: 'timestamp', dayWeights: new Array(7).fill(0) }), /at least one weight must be positive/],
    ['a range of weight 0 only (a Sunday, with Sunday weighted 0)', () => schemaOf({ name: 't', type: 'timestamp', from: '2024-01-07', to: '2024-01-07T23:00:00Z', dayWeights: weekdays }),
      /every hour from "from" to "to" has weight 0, so no instant can be made/],
  ])('refuses %s', (_, make, message) => {
    expect(make).toThrow(InvalidInputError);
    expect(make).toThrow(message);
  });

  test('the typed API writes the JSON form', () => {
    const schema = Schema.fromColumns([
      Column.decimal('unit_price', { min: 1, max: 500, distribution: Distribution.lognormal({ mu: 3.2, sigma: 0.8 }) }),
      Column.integer('quantity', { min: 1, max: 50, distribution: Distribution.zipf({ exponent: 1.3 }) }),
      Column.integer('wait', { distribution: Distribution.exponential({ mean: 20 }) }),
      Column.integer('score', { distribution: Distribution.normal({ mean: 500, standardDeviation: 100 }) }),
      Column.decimal('size', { min: 1, distribution: Distribution.pareto({ alpha: 1.5 }) }),
      Column.integer('flat', { distribution: Distribution.uniform() }),
      Column.timestamp('at', { order: TimestampOrder.ASCENDING, hourWeights: officeHours, dayWeights: weekdays }),
    ]);
    const columns = JSON.parse(schema.toJson()).columns;
    expect(columns[0]).toEqual({ name: 'unit_price', type: 'decimal', min: 1, max: 500, fractionDigits: 2, distribution: { kind: 'lognormal', mu: 3.2, sigma: 0.8 } });
    expect(columns.map((column: { distribution?: { kind: string } }) => column.distribution?.kind))
      .toEqual(['lognormal', 'zipf', 'exponential', 'normal', 'pareto', 'uniform', undefined]);
    expect(columns[6]).toEqual({ name: 'at', type: 'timestamp', from: '2024-01-01T00:00:00Z', to: '2024-12-31T23:59:59Z', order: 'ascending', hourWeights: officeHours, dayWeights: weekdays });
  });

  test('the normal CDF used to judge the mass is exact to many digits, deep in the tails too', () => {
    expect(normalCdf(0)).toBe(0.5);
    expect(normalCdf(-1.959963984540054)).toBeCloseTo(0.025, 13);
    expect(normalCdf(-10) / 7.619853024160527e-24).toBeCloseTo(1, 12);
    expect(1 - normalCdf(3)).toBeCloseTo(0.0013498980316301, 14);
  });
});
