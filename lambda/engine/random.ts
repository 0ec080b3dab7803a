/**
 * Counter-based randomness: every number the engine draws is a pure function of (seed, column, row, draw),
 * never of a generator's running state. That is what makes rows [a, b) come out the same whether they
 * are made alone, in a larger run, or by another worker thread or invocation.
 */
import { mix32 } from '../../src/contract/mix32';

const TWO_POW_32 = 4294967296;

// The 32-bit hash (lowbias32) is the contract's, so that the contract's child-count layout hashes as the engine does.
export { mix32 };

/** The keys one run derives from its seed: one for rows, one per column. */
export interface RunKeys {
  readonly rowKeyLow: number;
  readonly rowKeyHigh: number;
  /** mix32(rowKeyHigh): the high half's hash for every row below 2^32, computed once. */
  readonly lowRowsHigh: number;
  readonly columnKeys: Uint32Array;
}

export function runKeys(seed: number, columnCount: number): RunKeys {
  const low = seed >>> 0;
  const high = Math.floor(seed / TWO_POW_32) >>> 0;
  const rowKeyLow = mix32(low ^ 0x6a09e667);
  const rowKeyHigh = mix32(high ^ mix32(rowKeyLow ^ 0xbb67ae85));
  const columnKeys = new Uint32Array(columnCount);
  for (let c = 0; c < columnCount; c++) columnKeys[c] = mix32(rowKeyHigh ^ mix32((c + 1) * 0x9e3779b9));
  return { rowKeyLow, rowKeyHigh, lowRowsHigh: mix32(rowKeyHigh), columnKeys };
}

/** The hash of a row index (any safe integer ≥ 0), from which each column's cell hash is derived. */
export function rowHash(keys: RunKeys, row: number): number {
  const highHash = row < TWO_POW_32 ? keys.lowRowsHigh : mix32(Math.floor(row / TWO_POW_32) + keys.rowKeyHigh);
  return mix32(mix32((row >>> 0) ^ keys.rowKeyLow) ^ highHash);
}

/**
 * The `n`-th further 32-bit draw of a cell whose hash is `cell` (n = 1, 2, ...). A cell's first draw is its
 * hash itself: it already mixes (seed, column, row) fully, and one hash less per cell is measurable.
 */
export function draw(cell: number, n: number): number {
  return mix32(cell + Math.imul(n + 1, 0x9e3779b9));
}

/** An integer uniform in [0, n) from a 32-bit draw; unbiased enough for n far below 2^32. */
export function below(hash: number, n: number): number {
  return Math.floor((hash * n) / TWO_POW_32);
}

/** A number uniform in [0, 1) with 53 random bits, from two 32-bit draws. */
export function unit53(high: number, low: number): number {
  return ((high >>> 5) * 67108864 + (low >>> 6)) / 9007199254740992;
}

/**
 * A keyed bijection on row indexes below 2^64, written into `out` as two 32-bit words: the first a bijection
 * of the low half of the index, the second a bijection of the high half given the first (mix32 is invertible).
 * Distinct rows give distinct outputs: unique columns are unique by construction.
 */
export function permuteRow(key: number, row: number, out: Uint32Array): void {
  const low = row >>> 0;
  const high = row < TWO_POW_32 ? 0 : Math.floor(row / TWO_POW_32) >>> 0;
  const first = mix32(low ^ key);
  out[0] = first;
  out[1] = (mix32(high ^ mix32(key + 0x632be5ab)) ^ mix32(first ^ 0x85157af5)) >>> 0;
}

/**
 * Several independent indexes from one 32-bit draw, in mixed radix: `pick(n)` returns an index below n and
 * keeps the rest of the draw's entropy for the next pick. Good while the product of the n's stays far
 * below 2^32 (each pick then has a bias below product / 2^32); it saves a hash per index.
 */
export class Digits {
  private rest = 0;

  /** Starts from a fresh 32-bit draw. */
  from(hash: number): this {
    this.rest = hash / TWO_POW_32;
    return this;
  }

  pick(n: number): number {
    const scaled = this.rest * n;
    const index = scaled | 0; // 0 <= scaled < n < 2^31: truncation is the floor
    this.rest = scaled - index;
    return index;
  }
}
