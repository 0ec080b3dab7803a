/**
 * Generation of accepted schemas in a worker thread with a wall-clock limit and a memory limit, so that a schema that
 * hangs or blows up the engine fails the property with its JSON, its seed and the limit it passed, rather than running
 * into jest's timeout or taking the test process down. One worker is reused from schema to schema (starting one costs
 * about as much as generating a small schema); after a failure it is terminated and the next schema gets a fresh one.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Worker, type ResourceLimits } from 'node:worker_threads';
import { buildSync } from 'esbuild';
import type { GenerationJob, GenerationResult } from './generation-worker';
import type { Cell } from './intended-values';

export interface GenerationLimits {
  /** Time for one schema (every format and the rows meant); past it the worker is terminated. */
  readonly wallClockMs: number;
  /** The worker's V8 heap (see node:worker_threads ResourceLimits). */
  readonly maxOldGenerationSizeMb: number;
  readonly maxYoungGenerationSizeMb: number;
}

/** The limits of the property: the engine's per-schema time budget, and a heap well above what 6 rows of any accepted schema need. */
export const PROPERTY_LIMITS: GenerationLimits = { wallClockMs: 30_000, maxOldGenerationSizeMb: 512, maxYoungGenerationSizeMb: 64 };

export interface Generated {
  readonly intended: Cell[][];
  /** One object per format of the job, in its order. */
  readonly objects: Buffer[];
}

export class IsolatedGenerator {
  private readonly dir = fs.mkdtempSync(path.join(os.tmpdir(), 'isolated-generation-'));
  private readonly script = path.join(this.dir, 'generation-worker.js');
  private worker: Worker | undefined;

  constructor(private readonly limits: GenerationLimits = PROPERTY_LIMITS) {
    buildSync({ entryPoints: [path.join(__dirname, 'generation-worker.ts')], bundle: true, platform: 'node', outfile: this.script, logLevel: 'warning' });
  }

  /** Generates `job` in the worker, or throws naming `document`, the seed and what failed (a limit, the engine, the worker). */
  async generate(job: GenerationJob, document: unknown): Promise<Generated> {
    const worker = this.worker ??= this.startWorker();
    const failure = (what: string) => new Error(`${what}, generating ${JSON.stringify(document)} with seed ${job.seed}`);
    const settled: { onMessage?: (result: GenerationResult) => void; onError?: (error: Error) => void; onExit?: (code: number) => void } = {};
    let timer: NodeJS.Timeout | undefined;
    try {
      const result = await new Promise<GenerationResult>((resolve, reject) => {
        timer = setTimeout(() => reject(failure(`the wall-clock limit of ${this.limits.wallClockMs} ms passed`)), this.limits.wallClockMs);
        settled.onMessage = resolve;
        settled.onError = (error: Error & { code?: string }) => reject(failure(error.code === 'ERR_WORKER_OUT_OF_MEMORY'
          ? `the worker ran out of its memory limit (old generation ${this.limits.maxOldGenerationSizeMb} MB, young ${this.limits.maxYoungGenerationSizeMb} MB)`
          : `the worker failed: ${error.message}`));
        settled.onExit = (code) => reject(failure(`the worker exited (code ${code})`));
        worker.once('message', settled.onMessage).once('error', settled.onError).once('exit', settled.onExit);
        worker.postMessage(job);
      });
      if ('error' in result) throw failure(`the engine threw ${result.error}`);
      return { intended: result.intended, objects: result.objects.map((object) => Buffer.from(object.buffer, object.byteOffset, object.byteLength)) };
    } catch (error) {
      // A worker that hung, ran out of memory or threw may hold anything: the next schema starts afresh.
      await this.stopWorker();
      throw error;
    } finally {
      clearTimeout(timer);
      if (settled.onMessage) worker.off('message', settled.onMessage);
      if (settled.onError) worker.off('error', settled.onError);
      if (settled.onExit) worker.off('exit', settled.onExit);
    }
  }

  async close(): Promise<void> {
    await this.stopWorker();
    fs.rmSync(this.dir, { recursive: true, force: true });
  }

  private startWorker(): Worker {
    const resourceLimits: ResourceLimits = {
      maxOldGenerationSizeMb: this.limits.maxOldGenerationSizeMb,
      maxYoungGenerationSizeMb: this.limits.maxYoungGenerationSizeMb,
    };
    const worker = new Worker(this.script, { resourceLimits });
    // A worker that dies between schemas is replaced by the next one (its error is not the test process's).
    worker.on('error', () => undefined).on('exit', () => {
      if (this.worker === worker) this.worker = undefined;
    });
    return worker;
  }

  private async stopWorker(): Promise<void> {
    const worker = this.worker;
    this.worker = undefined;
    if (worker === undefined) return;
    await worker.terminate();
  }
}
