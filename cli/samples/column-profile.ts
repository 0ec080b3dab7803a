/**
 * What a column of a sample holds, observed in one pass with bounded memory: its kinds of cells, nulls, bounds, mean
 * and deviation, whether its numbers ascend, text lengths, a reservoir of numbers (for a histogram and a fitted
 * distribution), and exact value counts up to EXACT_VALUES distinct values (top values, categories with their weights,
 * keys, children per parent); beyond that, the engine's HyperLogLog sketch counts distinct values.
 */
import { cellOf, type CellKind } from './cells';
import { Reservoir } from './reservoir';
import { distinctCounter, type DistinctCounter } from '../../lambda/engine/distinct-counters';
import { mix32 } from '../../lambda/engine/random';

/** Distinct values counted exactly (and kept, to test keys); a column with more is counted by the sketch. */
export const EXACT_VALUES = 1_000_000;
/** Numbers kept for the histogram and the distribution fit (a uniform sample of the column's). */
export const RESERVOIR_SIZE = 4096;
/** Text values kept for recognizing what they are (emails, URLs, ...): never written anywhere. */
const TEXT_SAMPLE = 256;

// FNV-1a, then the engine's finalizer: a 32-bit key per value for the sketch, as the engine's writers give theirs.
function hash32(text: string): number {
  let h = 0x811c9dc5;
  // eslint-disable-next-line no-bitwise
  for (let i = 0; i < text.length; i += 1) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return mix32(h);
}

export class ColumnProfile {
  cells = 0;
  nulls = 0;
  readonly kinds: Record<CellKind, number> = { boolean: 0, integer: 0, decimal: 0, timestamp: 0, text: 0 };
  min = Number.POSITIVE_INFINITY;
  max = Number.NEGATIVE_INFINITY;
  private numbers = 0;
  private mean = 0;
  private m2 = 0;
  fractionDigits = 0;
  ascending = true;
  private last = Number.NEGATIVE_INFINITY;
  /** The difference between consecutive numbers while it stays the same (null once it changes): a sequence's step. */
  step: number | null | undefined;
  /** Runs of equal consecutive values: as many as distinct values when each value's cells are contiguous (children of a parent). */
  runs = 0;
  private lastKey: string | undefined;
  minLength = Number.POSITIVE_INFINITY;
  maxLength = 0;
  /** Exact counts of each value (by key), until more than EXACT_VALUES distinct values are seen; then undefined. */
  counts: Map<string, number> | undefined = new Map();
  private readonly sketch: DistinctCounter = distinctCounter({ kind: 'sketch' });
  private readonly sample = new Reservoir(RESERVOIR_SIZE);
  readonly texts: string[] = [];

  constructor(readonly name: string) {}

  add(value: unknown): void {
    this.cells += 1;
    const cell = cellOf(value);
    if (cell === undefined) {
      this.nulls += 1;
      return;
    }
    this.kinds[cell.kind] += 1;
    if (cell.key !== this.lastKey) this.runs += 1;
    this.lastKey = cell.key;
    // The sketch is needed only once the exact counts stop: it then takes every value counted so far, and each one after.
    if (this.counts === undefined) {
      this.sketch.add(hash32(cell.key));
    } else {
      this.counts.set(cell.key, (this.counts.get(cell.key) ?? 0) + 1);
      if (this.counts.size > EXACT_VALUES) {
        for (const key of this.counts.keys()) this.sketch.add(hash32(key));
        this.counts = undefined;
      }
    }
    if (cell.kind === 'text') {
      this.minLength = Math.min(this.minLength, cell.key.length);
      this.maxLength = Math.max(this.maxLength, cell.key.length);
      if (this.texts.length < TEXT_SAMPLE) this.texts.push(cell.key);
      return;
    }
    const x = cell.number!;
    if (x < this.min) this.min = x;
    if (x > this.max) this.max = x;
    if (x < this.last) this.ascending = false;
    if (this.numbers > 0 && this.step !== null) {
      const step = x - this.last;
      this.step = this.step === undefined || this.step === step ? step : null;
    }
    this.last = x;
    this.fractionDigits = Math.max(this.fractionDigits, cell.fractionDigits ?? 0);
    this.numbers += 1;
    const delta = x - this.mean;
    this.mean += delta / this.numbers;
    this.m2 += delta * (x - this.mean);
    this.sample.add(x);
  }

  /** A uniform sample of the column's numbers (at most RESERVOIR_SIZE), the same for the same file. */
  get reservoir(): readonly number[] {
    return this.sample.values;
  }

  get nonNull(): number {
    return this.cells - this.nulls;
  }

  /** The one kind of every non-null cell (integers among decimals count as decimals), or text when they are mixed. */
  get kind(): CellKind | 'empty' {
    if (this.nonNull === 0) return 'empty';
    const present = (Object.keys(this.kinds) as CellKind[]).filter((kind) => this.kinds[kind] > 0);
    if (present.length === 1) return present[0];
    if (present.every((kind) => kind === 'integer' || kind === 'decimal')) return 'decimal';
    return 'text';
  }

  get nullShare(): number {
    return this.cells === 0 ? 0 : this.nulls / this.cells;
  }

  get distinct(): number {
    return this.counts?.size ?? this.sketch.estimate(this.nonNull);
  }

  /** Every non-null value differs (exact while counted exactly, else within the sketch's error). */
  get unique(): boolean {
    if (this.nonNull === 0) return false;
    if (this.counts !== undefined) return this.counts.size === this.nonNull;
    return this.sketch.estimate(this.nonNull) >= this.nonNull * 0.97;
  }

  get numericMean(): number | undefined {
    return this.numbers === 0 ? undefined : this.mean;
  }

  get standardDeviation(): number | undefined {
    return this.numbers < 2 ? undefined : Math.sqrt(this.m2 / (this.numbers - 1));
  }

  /** The most frequent values and their counts (exact while counted exactly), ties in value order. */
  topValues(limit: number): Array<{ value: string; count: number }> {
    if (this.counts === undefined) return [];
    // One pass keeping the best `limit` in order (limit is small): no sort of a million entries.
    type Entry = { value: string; count: number };
    const before = (a: Entry, b: Entry) => a.count > b.count || (a.count === b.count && a.value < b.value);
    const top: Entry[] = [];
    for (const [value, count] of this.counts) {
      const entry = { value, count };
      if (top.length === limit && !before(entry, top[limit - 1])) continue;
      let at = top.length === limit ? limit - 1 : top.length;
      while (at > 0 && before(entry, top[at - 1])) at -= 1;
      top.splice(at, 0, entry);
      if (top.length > limit) top.pop();
    }
    return top;
  }
}

/** A table of a sample: its columns' profiles, filled batch by batch. */
export class TableProfile {
  readonly columns = new Map<string, ColumnProfile>();
  rows = 0;

  constructor(readonly name: string, readonly bytes: number) {}

  addRows(rows: readonly Record<string, unknown>[]): void {
    for (const row of rows) {
      this.rows += 1;
      for (const name of Object.keys(row)) {
        if (!this.columns.has(name)) {
          // A column first seen now was null in every row before.
          const profile = new ColumnProfile(name);
          for (let before = 1; before < this.rows; before += 1) profile.add(null);
          this.columns.set(name, profile);
        }
      }
      for (const [name, profile] of this.columns) profile.add(row[name]);
    }
  }
}
