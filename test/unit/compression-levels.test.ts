/**
 * compressionLevel: the construct takes a level for gzip and zstd (and refuses one it cannot apply), the function
 * writes at that level, and a document without a level means each codec's documented default, as before levels existed.
 */
import { OutputFormat, ParquetCompression, TextCompression } from '../../src';
import {
  COMPRESSION_LEVEL_RANGES, compressionLevelOf, DEFAULT_COMPRESSION_LEVELS, describeOutputFormat, validateOutputFormat, type OutputFormatDocument,
} from '../../src/contract/output-format';
import { decodeRows } from '../support/decode';
import { engineOutput } from '../support/engine-output';
import { intendedRows } from '../support/intended-values';
import { EVERY_VALUE_TYPE as SCHEMA } from '../support/schemas';

describe('the output format document', () => {
  test('takes each leveled codec\'s whole levels, from its least to its greatest', () => {
    for (const format of ['csv', 'jsonl', 'parquet'] as const) {
      for (const compression of ['gzip', 'zstd'] as const) {
        const { min, max } = COMPRESSION_LEVEL_RANGES[compression];
        for (const level of [min, max]) {
          expect(validateOutputFormat('w', { format, compression, compressionLevel: level })).toEqual({ format, compression, compressionLevel: level });
        }
      }
    }
  });

  test.each([
    [{ format: 'csv', compression: 'gzip', compressionLevel: 0 }, /^w\.compressionLevel is 0: gzip takes a whole number from 1 to 9$/],
    [{ format: 'csv', compression: 'gzip', compressionLevel: 10 }, /^w\.compressionLevel is 10: gzip takes a whole number from 1 to 9$/],
    [{ format: 'parquet', compression: 'zstd', compressionLevel: 23 }, /^w\.compressionLevel is 23: zstd takes a whole number from 1 to 22$/],
    [{ format: 'jsonl', compression: 'zstd', compressionLevel: 2.5 }, /^w\.compressionLevel is 2\.5: zstd takes a whole number from 1 to 22$/],
    [{ format: 'jsonl', compression: 'zstd', compressionLevel: '3' }, /^w\.compressionLevel is "3": zstd takes a whole number from 1 to 22$/],
    [{ format: 'parquet', compression: 'snappy', compressionLevel: 1 }, /^w\.compressionLevel is 1: only gzip and zstd take a level, and the compression is snappy: leave compressionLevel out, or choose gzip or zstd$/],
    [{ format: 'csv', compressionLevel: 6 }, /^w\.compressionLevel is 6: only gzip and zstd take a level, and the compression is none/],
  ])('refuses %j, saying what it takes', (document, message) => {
    expect(() => validateOutputFormat('w', document)).toThrow(message);
  });

  test('without a level, a document stays as it was, and each codec runs at its documented default', () => {
    const csvGzip = validateOutputFormat('w', { format: 'csv', compression: 'gzip' });
    expect(csvGzip).toEqual({ format: 'csv', compression: 'gzip' });
    expect(compressionLevelOf(csvGzip)).toBe(6);
    expect(compressionLevelOf({ format: 'jsonl', compression: 'zstd' })).toBe(3);
    expect(compressionLevelOf({ format: 'parquet', compression: 'zstd' })).toBe(1);
    expect(compressionLevelOf({ format: 'parquet', compression: 'gzip' })).toBe(1);
    expect(compressionLevelOf({ format: 'parquet', compression: 'snappy' })).toBeUndefined();
    expect(compressionLevelOf({ format: 'parquet', compression: 'zstd', compressionLevel: 7 })).toBe(7);
  });

  test('names a chosen level in words, and only a chosen one', () => {
    expect(describeOutputFormat({ format: 'parquet', compression: 'zstd', compressionLevel: 5 })).toBe('Parquet (ZSTD level 5)');
    expect(describeOutputFormat({ format: 'csv', compression: 'gzip' })).toBe('CSV (gzip)');
  });
});

describe('OutputFormat', () => {
  test('carries the level given to its document', () => {
    const format = OutputFormat.csv({ compression: TextCompression.GZIP, compressionLevel: 1 });
    expect(format.compressionLevel).toBe(1);
    expect(format._toDocument()).toEqual({ format: 'csv', compression: 'gzip', compressionLevel: 1 });
    expect(format.toString()).toBe('CSV (gzip level 1)');
    expect(OutputFormat.parquet()._toDocument()).toEqual({ format: 'parquet', compression: 'zstd' });
    expect(OutputFormat.parquet().compressionLevel).toBeUndefined();
  });

  test('refuses a level its codec cannot take, naming the prop', () => {
    expect(() => OutputFormat.parquet({ compression: ParquetCompression.SNAPPY, compressionLevel: 3 }))
      .toThrow(/^prop outputFormat\.compressionLevel is 3: only gzip and zstd take a level, and the compression is snappy/);
    expect(() => OutputFormat.jsonLines({ compression: TextCompression.ZSTD, compressionLevel: 30 }))
      .toThrow(/^prop outputFormat\.compressionLevel is 30: zstd takes a whole number from 1 to 22$/);
  });
});

describe('the function writes at the level chosen', () => {
  const LEVELED: ReadonlyArray<[OutputFormatDocument, number]> = [
    [{ format: 'csv', compression: 'gzip' }, 1],
    [{ format: 'csv', compression: 'zstd' }, 1],
    [{ format: 'jsonl', compression: 'gzip' }, 9],
    [{ format: 'parquet', compression: 'zstd' }, 9],
    [{ format: 'parquet', compression: 'gzip' }, 6],
  ];
  test.each(LEVELED)('%j at level %d: other bytes than the default\'s, the same rows; the default level given is the default', async (output, level) => {
    const run = (given: OutputFormatDocument) => engineOutput({ schema: SCHEMA, seed: 5, rowCount: 4000, output: given });
    const byDefault = await run(output);
    const chosen = await run({ ...output, compressionLevel: level });
    const defaultGiven = await run({ ...output, compressionLevel: DEFAULT_COMPRESSION_LEVELS[output.format === 'parquet' ? 'parquet' : 'text'][output.compression as 'gzip' | 'zstd'] });
    expect(chosen.bytes.equals(byDefault.bytes)).toBe(false);
    expect(defaultGiven.bytes.equals(byDefault.bytes)).toBe(true);
    expect(await decodeRows(chosen.bytes, output, SCHEMA)).toEqual(await decodeRows(byDefault.bytes, output, SCHEMA));
    expect(await decodeRows(chosen.bytes, output, SCHEMA)).toHaveLength(intendedRows(SCHEMA, 5, 0, 4000).length);
  });
});
