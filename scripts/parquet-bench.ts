/**
 * `ts-node --project tsconfig.dev.json scripts/parquet-bench.ts [--rows N] [--row-group-rows R] [--rounds K] [--memory-rows M]`
 *
 * Our Parquet encoder (lambda/formats/parquet) beside hyparquet-writer, on the same RowBlocks of the sales table
 * (scripts/parquet-bench/sales-blocks.ts: made by the engine), each with zstd and with snappy, and beside the CSV engine
 * on the sales schema, all in the same run: rounds alternate the cases (each in a process of its own, for its peak RSS) and the
 * medians are compared, because only a ratio measured in one run means anything on a shared machine. The
 * `row-blocks-only` line is the time of building the blocks alone, so each writer's encoding cost is visible.
 * With --memory-rows M, our encoder (zstd) also writes N and M rows once each with the V8 heap limits of a 128 MB
 * function (as the local cloud's sandbox starts node), for peak RSS at both sizes, once as is and once with a full
 * garbage collection after every row group (Lambda's runtime exposes gc()), which shows how much of the peak is
 * zlib's dead output buffers waiting for V8.
 *
 * Every case runs on the Node.js of the function's runtime (nodejs24.x, fetched as for the local cloud).
 * Prints one JSON line per case (medians), then a summary line. A benchmark, not a test: nothing here passes or
 * fails on speed.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { buildSync } from 'esbuild';
import { nodeRuntimeFor } from '../local-cloud';
import { CACHE_DIR, PROJECT_ROOT } from '../local-cloud/cache-dir';
import { lambdaNodeArgs } from '../local-cloud/lambda-sandbox';

const BENCH_DIR = path.join(CACHE_DIR, 'bench');
const RUN_WRITER = path.join(BENCH_DIR, 'parquet-run-writer.js');
const ENGINE_CLI = path.join(BENCH_DIR, 'engine-cli.js');
const SALES_SCHEMA_FILE = path.join(PROJECT_ROOT, 'examples', 'sales.schema.json');
/** The Node.js major of the function's default runtime (nodejs24.x). */
const LAMBDA_NODE_MAJOR = 24;
/** The smallest Lambda memory size, at which the issue asks for flat memory. */
const SMALLEST_MEMORY_MB = 128;

interface Args {
  readonly rows: number;
  readonly rowGroupRows: number;
  readonly rounds: number;
  readonly memoryRows?: number;
}

function parseArgs(argv: readonly string[]): Args {
  const whole = (name: string, fallback: number | undefined): number | undefined => {
    const at = argv.indexOf(`--${name}`);
    if (at < 0) return fallback;
    const n = Number(argv[at + 1]);
    if (!Number.isSafeInteger(n) || n < 1) throw new Error(`--${name} is ${JSON.stringify(argv[at + 1])}: expected a whole number >= 1`);
    return n;
  };
  return { rows: whole('rows', 1_000_000)!, rowGroupRows: whole('row-group-rows', 131_072)!, rounds: whole('rounds', 3)!, memoryRows: whole('memory-rows', undefined) };
}

type Line = Record<string, unknown> & { rows_per_s: number; peak_rss_mb: number; bytes: number };

/** A case: its name in the output, and the arguments of its process (the output file is added). */
interface Case {
  readonly name: string;
  readonly args: (out: string) => string[];
}

const progress = (line: string) => process.stderr.write(`${line}\n`);

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** The medians of a case's rounds (every numeric figure), with each round's rows/s. */
function medianLine(lines: readonly Line[]): Line {
  const result: Record<string, unknown> = { ...lines[0] };
  for (const [key, value] of Object.entries(lines[0])) {
    if (typeof value === 'number' && key !== 'rows' && key !== 'row_group_rows') result[key] = Number(median(lines.map((l) => l[key] as number)).toFixed(3));
  }
  result.rows_per_s = Math.round(result.rows_per_s as number);
  return { ...(result as Line), rounds: lines.length, rows_per_s_all: lines.map((l) => l.rows_per_s) };
}

function bundle(entry: string, outfile: string, node: string): void {
  buildSync({ entryPoints: [path.join(PROJECT_ROOT, entry)], bundle: true, platform: 'node', target: `node${node}`, outfile, logLevel: 'warning' });
}

function runCase(node: string, benchCase: Case): Line {
  const out = path.join(os.tmpdir(), `parquet-bench-${process.pid}-${benchCase.name}`);
  try {
    const output = execFileSync(node, benchCase.args(out), { cwd: PROJECT_ROOT, encoding: 'utf8', maxBuffer: 2 ** 20 });
    // The engine's line carries its per-column report, which says nothing about speed: left out.
    const { report: _report, ...line } = JSON.parse(output.trim().split('\n').pop() ?? '') as Line;
    return { case: benchCase.name, ...line } as Line;
  } finally {
    fs.rmSync(out, { force: true });
  }
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const node = await nodeRuntimeFor(LAMBDA_NODE_MAJOR, { log: progress });
  progress(`Node.js ${node.version} (${node.source})${node.fallbackReason ? `: ${node.fallbackReason}` : ''}`);
  fs.mkdirSync(BENCH_DIR, { recursive: true });
  const major = node.version.replace(/^v/, '').split('.')[0];
  bundle('scripts/parquet-bench/run-writer.ts', RUN_WRITER, major);
  bundle('scripts/engine-cli.ts', ENGINE_CLI, major);

  const sizes = (rows: number) => ['--rows', String(rows), '--row-group-rows', String(args.rowGroupRows)];
  const writerCase = (writer: string, codec: string, rows = args.rows): Case => ({
    name: writer === 'blocks' ? 'row-blocks-only' : `${writer}-${codec}`,
    args: (out) => [RUN_WRITER, '--writer', writer, '--codec', codec, ...sizes(rows), '--out', out],
  });
  const cases: Case[] = [
    { name: 'csv-engine', args: (out) => [ENGINE_CLI, '--schema', SALES_SCHEMA_FILE, '--rows', String(args.rows), '--out', out] },
    writerCase('blocks', 'none'),
    writerCase('ours', 'zstd'),
    writerCase('hyparquet-writer', 'zstd'),
    writerCase('ours', 'snappy'),
    writerCase('hyparquet-writer', 'snappy'),
  ];
  const lines = new Map<string, Line[]>(cases.map((c) => [c.name, []]));
  for (let round = 0; round < args.rounds; round++) {
    // Each round starts one case later, so no case always runs first (or right after the heaviest).
    for (let k = 0; k < cases.length; k++) {
      const benchCase = cases[(k + round) % cases.length];
      progress(`round ${round + 1}/${args.rounds}: ${benchCase.name}, ${args.rows} rows`);
      lines.get(benchCase.name)!.push(runCase(node.binary, benchCase));
    }
  }
  const medians = new Map(cases.map((c) => [c.name, medianLine(lines.get(c.name)!)]));
  for (const line of medians.values()) console.log(JSON.stringify(line));

  const memory: Record<string, number> = {};
  if (args.memoryRows !== undefined) {
    for (const gc of [false, true]) {
      for (const rows of [args.rows, args.memoryRows]) {
        const name = `ours-zstd-${rows}-rows-128mb-heap${gc ? '-gc-every-row-group' : ''}`;
        progress(`${name}, for its peak RSS`);
        const base = writerCase('ours', 'zstd', rows);
        const line = runCase(node.binary, { name, args: (out) => [...lambdaNodeArgs(SMALLEST_MEMORY_MB), ...base.args(out), ...(gc ? ['--gc-every', '1'] : [])] });
        console.log(JSON.stringify(line));
        memory[`peak_rss_mb_ours_zstd_${rows}_rows_128mb_heap${gc ? '_gc' : ''}`] = line.peak_rss_mb;
      }
    }
  }

  const rate = (name: string) => medians.get(name)!.rows_per_s;
  const ratio = (a: string, b: string) => Number((rate(a) / rate(b)).toFixed(2));
  console.log(JSON.stringify({
    rows: args.rows,
    row_group_rows: args.rowGroupRows,
    csv_engine_rows_per_s: rate('csv-engine'),
    row_blocks_rows_per_s: rate('row-blocks-only'),
    parquet_rows_per_s: rate('ours-zstd'),
    hyparquet_writer_zstd_rows_per_s: rate('hyparquet-writer-zstd'),
    ours_vs_hyparquet_writer_zstd: ratio('ours-zstd', 'hyparquet-writer-zstd'),
    ours_vs_hyparquet_writer_snappy: ratio('ours-snappy', 'hyparquet-writer-snappy'),
    // The blocks here are this script's, not the engine's: the engine's own columnar generator decides the real figure.
    parquet_vs_csv: ratio('ours-zstd', 'csv-engine'),
    peak_rss_mb_ours_zstd: medians.get('ours-zstd')!.peak_rss_mb,
    peak_rss_mb_hyparquet_writer_zstd: medians.get('hyparquet-writer-zstd')!.peak_rss_mb,
    ...memory,
  }));
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.stack : error);
  process.exitCode = 1;
});
