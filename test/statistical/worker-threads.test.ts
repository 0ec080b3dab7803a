/**
 * Worker threads make what one thread makes: runs of 140,000 to 200,000 rows, split over the engine CLI's or the
 * bundled function's worker threads, give the same bytes, column figures and conformance report as one thread (every
 * column kind, every compressed output format, exact-N columns with entities beside, derived columns); and a worker
 * that never answers cannot outlive the run's signal; and Parquet pages compressed on a second thread while rows are made
 * give the same bytes. Not in unit/: each test starts threads and makes 10^5 rows or more.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { buildSync } from 'esbuild';
import { generateObject, type EngineOptions } from '../../lambda/driver';
import type { OutputFormatDocument } from '../../src/contract/output-format';
import { BUNDLED_HANDLER, engineOutput, expectWorkersMakeTheSameBytes, schemaOf } from '../support/engine-output';
import { DISTINCT_KINDS, EVERY_VALUE_TYPE, NAMED_OUTPUTS, ORDER_ITEMS, VARIED_LENGTH_ROWS } from '../support/schemas';

describe('the engine', () => {
  describe('worker threads', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'engine-workers-'));
    const cli = path.join(dir, 'engine-cli.js');
    const schemaFile = path.join(dir, 'schema.json');
    beforeAll(() => {
      // Worker threads run a bundled file (the function's code is one file): bundle the engine's CLI.
      buildSync({ entryPoints: [path.join(__dirname, '..', '..', 'scripts', 'engine-cli.ts')], bundle: true, platform: 'node', outfile: cli, logLevel: 'warning' });
      fs.writeFileSync(schemaFile, JSON.stringify(VARIED_LENGTH_ROWS));
    });
    afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

    test('several worker threads make the same file as one thread', async () => {
      const rows = 200_000;
      const run = (workers: number) => {
        const out = path.join(dir, `w${workers}.csv`);
        const args = [cli, '--schema', schemaFile, '--rows', String(rows), '--seed', '11', '--workers', String(workers), '--out', out];
        const line = execFileSync(process.execPath, args, { encoding: 'utf8' });
        return { bytes: fs.readFileSync(out), report: JSON.parse(line).report };
      };
      const one = run(1);
      const three = run(3);
      expect(three.report.workers).toBe(3);
      expect(one.report.workers).toBe(1);
      expect(three.bytes.equals(one.bytes)).toBe(true);
      expect(three.report.rows).toBe(rows);
      expect(three.report.bytes).toBe(one.bytes.length);
      // Sketches and null counts of the workers merge into the same figures as one thread's.
      expect(three.report.columns).toEqual(one.report.columns);
    });
  });

  describe('worker threads in the function', () => {
    test('the bundled function starts the engine\'s worker loop when loaded in a worker thread, and makes the same bytes', async () => {
      await expectWorkersMakeTheSameBytes({ schema: VARIED_LENGTH_ROWS, seed: 13, rowCount: 150_000 });
    });

    test('a worker thread that never answers cannot outlive the signal: the run stops with its reason', async () => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'silent-worker-'));
      const silent = path.join(dir, 'silent.js');
      fs.writeFileSync(silent, 'setInterval(() => undefined, 1000);\n');
      try {
        // Without the signal this would wait forever (and the test time out).
        const run = generateObject({ schema: VARIED_LENGTH_ROWS, seed: 1, rowCount: 200_000 }, { write: () => undefined },
          { workers: 2, workerScript: silent, signal: AbortSignal.timeout(300) });
        await expect(run).rejects.toMatchObject({ name: 'TimeoutError' });
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });
  });
});

describe('every output format', () => {
  describe('worker threads', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'formats-workers-'));
    const cli = path.join(dir, 'engine-cli.js');
    const schemaFile = path.join(dir, 'schema.json');
    beforeAll(() => {
      buildSync({ entryPoints: [path.join(__dirname, '..', '..', 'scripts', 'engine-cli.ts')], bundle: true, platform: 'node', outfile: cli, logLevel: 'warning' });
      fs.writeFileSync(schemaFile, JSON.stringify(EVERY_VALUE_TYPE));
    });
    afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

    test.each(NAMED_OUTPUTS.filter(([, output]) => output.compression !== 'none'))('%s: three worker threads make the same object as one thread', (_, output) => {
      const run = (workers: number) => {
        const out = path.join(dir, `w${workers}`);
        const args = [cli, '--schema', schemaFile, '--rows', '200000', '--seed', '5', '--workers', String(workers),
          '--format', output.format, '--compression', output.compression, '--out', out];
        const report = JSON.parse(execFileSync(process.execPath, args, { encoding: 'utf8' })).report;
        return { bytes: fs.readFileSync(out), report };
      };
      const one = run(1);
      const three = run(3);
      expect(three.report.workers).toBe(3);
      expect(three.bytes.equals(one.bytes)).toBe(true);
      expect(three.report.columns).toEqual(one.report.columns);
    });
  });
});

describe('Parquet with a compressing thread', () => {
  const PARQUET_CODECS = ['zstd', 'gzip', 'snappy'] as const;
  test.each(PARQUET_CODECS)('%s: pages compressed on a second thread while rows are made give one thread\'s bytes and report', async (compression) => {
    const run = { schema: EVERY_VALUE_TYPE, seed: 17, rowCount: 150_000, output: { format: 'parquet', compression } as const };
    const alone = await engineOutput(run);
    const overlapped = await engineOutput(run, { overlapCompression: true, workerScript: BUNDLED_HANDLER });
    expect([alone.report.compressionThread, overlapped.report.compressionThread]).toEqual([false, true]);
    // Several row groups, each started before the last was written.
    expect(overlapped.chunkSizes.length).toBeGreaterThan(3);
    expect(overlapped.bytes.equals(alone.bytes)).toBe(true);
    expect(overlapped.report.columns).toEqual(alone.report.columns);
    expect(overlapped.report.conformance).toEqual(alone.report.conformance);
  });

  test('no second thread where there is nothing to compress, or no script for it, or rows on worker threads', async () => {
    const run = { schema: EVERY_VALUE_TYPE, seed: 17, rowCount: 140_000 };
    const report = async (output: OutputFormatDocument, options: EngineOptions) => (await engineOutput({ ...run, output }, options)).report;
    const zstd: OutputFormatDocument = { format: 'parquet', compression: 'zstd' };
    expect((await report({ format: 'parquet', compression: 'none' }, { overlapCompression: true, workerScript: BUNDLED_HANDLER })).compressionThread).toBe(false);
    expect((await report(zstd, { overlapCompression: true })).compressionThread).toBe(false);
    const threaded = await report(zstd, { overlapCompression: true, workers: 2, workerScript: BUNDLED_HANDLER });
    expect([threaded.workers, threaded.compressionThread]).toEqual([2, false]);
  });

  test('a sink that fails ends the run with its error, and the compressing thread with it', async () => {
    let writes = 0;
    const failing = { write: () => { if (++writes === 3) throw new Error('disk full'); } };
    const run = { schema: EVERY_VALUE_TYPE, seed: 3, rowCount: 150_000, output: { format: 'parquet', compression: 'snappy' } as const };
    const options = { overlapCompression: true, workerScript: BUNDLED_HANDLER };
    await expect(generateObject(run, failing, options)).rejects.toThrow('disk full');
    expect(writes).toBe(3);
    // The next run starts a thread of its own and makes the whole object (a leftover thread would make jest report an open handle).
    const next = await engineOutput(run, options);
    expect([next.report.rows, next.report.compressionThread]).toEqual([150_000, true]);
  });
});

describe('distinct values', () => {
  describe('worker threads', () => {
    test('the bundled function\'s worker threads make the same bytes and the same counts, with entities beside', async () => {
      // Each thread builds the column's pool and permutation itself: the seed alone decides them.
      const withPeople = schemaOf(...DISTINCT_KINDS, { name: 'iban', type: 'faker', method: 'finance.iban', distinctValues: 70_000 },
        { name: 'first', type: 'faker', method: 'person.firstName', entity: 'c' }, { name: 'email', type: 'faker', method: 'internet.email', entity: 'c' });
      const { alone, threaded } = await expectWorkersMakeTheSameBytes({ schema: withPeople, seed: 13, rowCount: 150_000 });
      expect(threaded.report.conformance).toEqual(alone.report.conformance);
      expect(threaded.report.conformance.filter((check) => !check.pass)).toEqual([]);
    });
  });
});

describe('derived columns', () => {
  test('the bundled handler makes derived columns on worker threads as on one', async () => {
    const { alone, threaded } = await expectWorkersMakeTheSameBytes({ schema: ORDER_ITEMS, seed: 13, rowCount: 140_000 });
    expect(threaded.report.conformance).toEqual(alone.report.conformance);
  });
});
