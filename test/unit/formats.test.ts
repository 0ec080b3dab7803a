/**
 * Every output format keeps the CSV path's promises: the same bytes for the same seed and settings whatever the chunks,
 * and values that read back exactly as the engine meant them. (Deterministic by row, as a property:
 * test/property/formats.test.ts; the same bytes on worker threads: test/statistical/worker-threads.test.ts.)
 */
import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { estimateObjectBytes } from '../../lambda/driver';
import { formulaGuarded } from '../../lambda/formats/csv/text';
import { textCell } from '../../lambda/formats/text/cells';
import type { SchemaDocument } from '../../src/contract/column-documents';
import { logicalTypeOf } from '../../src/contract/logical-types';
import type { OutputFormatDocument } from '../../src/contract/output-format';
import { decodeRows } from '../support/decode';
import { engineOutput, schemaOf } from '../support/engine-output';
import { intendedRows, type Cell } from '../support/intended-values';
import { EVERY_VALUE_TYPE as SCHEMA, NAMED_OUTPUTS as named } from '../support/schemas';

/** What a reader finds: in CSV, text that would start a spreadsheet formula keeps its guard (CSV only). */
function expectedRows(schema: SchemaDocument, output: OutputFormatDocument, seed: number, firstRow: number, rowCount: number): Cell[][] {
  const rows = intendedRows(schema, seed, firstRow, rowCount);
  if (output.format !== 'csv') return rows;
  const text = schema.columns.map((column) => logicalTypeOf(column).kind === 'string');
  return rows.map((row) => row.map((cell, c) => (text[c] && typeof cell === 'string' ? formulaGuarded(cell) : cell)));
}

describe.each(named)('%s', (_, output) => {
  test('values read back exactly as the engine meant them, nulls where it meant nulls', async () => {
    const { bytes } = await engineOutput({ schema: SCHEMA, seed: 7, firstRow: 2 ** 33, rowCount: 3000, output });
    expect(await decodeRows(bytes, output, SCHEMA)).toEqual(expectedRows(SCHEMA, output, 7, 2 ** 33, 3000));
  });

  test('the same seed and settings make the same bytes, whatever the chunks the engine hands on', async () => {
    const run = { schema: SCHEMA, seed: 11, rowCount: 20_000, output };
    const first = await engineOutput(run);
    const again = await engineOutput(run, { chunkBytes: 1 });
    expect(again.bytes.equals(first.bytes)).toBe(true);
    expect(first.report.bytes).toBe(first.bytes.length);
    const other = await engineOutput({ ...run, seed: 12 });
    expect(other.bytes.equals(first.bytes)).toBe(false);
  });
});

test('JSON Lines escapes any text as JSON requires: each value reads back as itself, with no formula guard', async () => {
  const text = fc.string({ unit: 'grapheme', maxLength: 12 }).filter((value) => !/\p{Cs}/u.test(value));
  await fc.assert(fc.asyncProperty(fc.uniqueArray(text, { minLength: 1, maxLength: 12 }), fc.nat(), async (values, seed) => {
    const schema = schemaOf({ name: 'text', type: 'oneOf', values }, { name: 'after', type: 'oneOf', values: ['end'] });
    const output: OutputFormatDocument = { format: 'jsonl', compression: 'none' };
    const { bytes } = await engineOutput({ schema, seed, rowCount: 40, output });
    // One object per line: no value may break a line.
    expect(bytes.toString('utf8').split('\n')).toHaveLength(41);
    for (const [value, after] of await decodeRows(bytes, output, schema)) {
      expect(values).toContain(value);
      expect(after).toBe('end');
    }
  }), { numRuns: 200 });
});

describe('what the bytes are', () => {
  test('a known seed keeps making the same bytes in each uncompressed format (changing them is a breaking change)', async () => {
    // Compressed objects are these bytes through the runtime's zlib and zstd, whose output a Node.js upgrade may change.
    const digests = Object.fromEntries(await Promise.all(['csv', 'jsonl', 'parquet'].map(async (format) => {
      const { bytes } = await engineOutput({ schema: SCHEMA, seed: 42, rowCount: 500, output: { format, compression: 'none' } as OutputFormatDocument });
      return [format, createHash('sha256').update(bytes).digest('hex')];
    })));
    expect(digests).toMatchSnapshot();
  });

  test('JSON Lines writes U+2028 and U+2029 as escapes, so that no JavaScript reader of old breaks a line on them', async () => {
    const schema = schemaOf({ name: 'text', type: 'oneOf', values: ['a\u2028b\u2029c'] });
    const { bytes } = await engineOutput({ schema, seed: 1, rowCount: 2, output: { format: 'jsonl', compression: 'none' } });
    expect(bytes.toString('utf8')).toBe('{"text":"a\\u2028b\\u2029c"}\n'.repeat(2));
  });

  test('a double cell fits the room its writer asks for, whatever the double', () => {
    const doubles = [-0.0000012345678901234567, -1.2345678901234567e-100, -1.7976931348623157e308, -5e-324, -123456789012345680000, 0.1 + 0.2, -0];
    let next = 0;
    const cell = textCell({ shape: 'number', type: { kind: 'double' }, distinct: { kind: 'sketch' }, value: () => doubles[next++] }, { quoted: false, textCell: (v) => v });
    for (const value of doubles) {
      const buf = new Uint8Array(cell.maxBytes);
      const end = cell.write(buf, 0, 0, 0);
      expect(Buffer.from(buf.subarray(0, end)).toString()).toBe(String(value));
    }
  });

  test('the spool estimate of a Parquet object holds it, whether its numbers are dictionary codes (digits) or PLAIN (wide integers)', async () => {
    for (const [min, max] of [[0, 9], [0, 1e12]]) {
      const columns = schemaOf(...Array.from({ length: 10 }, (_, i) => ({ name: `d${i}`, type: 'integer', min, max })));
      const run = { schema: columns, seed: 3, rowCount: 20_000, output: { format: 'parquet', compression: 'none' } as OutputFormatDocument };
      const { bytes } = await engineOutput(run);
      const estimate = await estimateObjectBytes(run);
      expect(estimate).toBeGreaterThanOrEqual(bytes.length * 0.95);
      expect(estimate).toBeLessThan(bytes.length * 2);
    }
  });
});
