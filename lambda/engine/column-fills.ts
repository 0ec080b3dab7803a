/**
 * A column's values a block at a time, for the columnar format: the loop of a generator's `value` (or a list's `pick`)
 * over a block's cells, written once for that generator, so the block maker makes no call per cell (a call per cell
 * was most of the time of a simple column: 30 ms a million integers, 10 without it). Kept apart from the generator,
 * keyed by the very function it repeats, so that a generator made from another with a `value` of its own never
 * inherits a loop that is not its own.
 */
import type { DistinctCounter } from './distinct-counters';
import { VALUE_KEY } from './kernel';
import { mix32 } from './random';

/**
 * Writes the values of rows 0 to rows - 1 of a block without nulls into `out`: row i's cell is mix32(hashes[i] ^
 * columnKey), its value the one the function it repeats makes of that cell, and each is counted by `counter` as the row
 * loop counts it (the same key; VALUE_NUMBER set first).
 */
export type BlockFill<Out> = (out: Out, hashes: Uint32Array, columnKey: number, rows: number, counter: DistinctCounter) => void;

/** Block loops by the function they repeat. */
class BlockFills<Out> {
  private readonly fills = new WeakMap<object, BlockFill<Out>>();

  /** `make`, known to make the values `fill` makes a block at a time. */
  with<T extends (cell: number, row: number) => number>(make: T, fill: BlockFill<Out>): T {
    this.fills.set(make, fill);
    return make;
  }

  /** The block loop of exactly this function, if it has one. */
  of(make: (cell: number, row: number) => number): BlockFill<Out> | undefined {
    return this.fills.get(make);
  }
}

/** Of number generators' `value`. */
export const numberFills = new BlockFills<Float64Array>();
/** Of list generators' `pick`: each row's index into the list's entries. */
export const listFills = new BlockFills<Uint32Array>();

/**
 * The pick of a list whose index comes from the cell alone (`indexOf`), its key for the distinct count from the index
 * (`keys`), with its block loop.
 */
export function keyedPick(indexOf: (cell: number) => number, keys: Uint32Array): (cell: number) => number {
  return listFills.with((cell: number) => {
    const index = indexOf(cell);
    VALUE_KEY[0] = keys[index];
    return index;
  }, (out, hashes, columnKey, rows, counter) => {
    for (let i = 0; i < rows; i++) {
      const index = indexOf(mix32(hashes[i] ^ columnKey));
      counter.add(keys[index]);
      out[i] = index;
    }
  });
}
