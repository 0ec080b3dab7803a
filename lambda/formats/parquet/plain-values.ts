/**
 * PLAIN encoding (parquet-format Encodings.md, "PLAIN = 0") of the engine's value arrays, for data pages and
 * dictionary pages, and the PLAIN bytes of a column chunk's min and max. Little-endian throughout.
 *
 * Numbers arrive as doubles (lambda/engine/row-block.ts). 64-bit integers are stored as two 32-bit words split
 * exactly from the double, never through a rounded multiplication: `v >>> 0` is v modulo 2^32 for any whole double,
 * and the rest divided by 2^32 is exact.
 */
import type { ByteBuffer } from './byte-buffer';
import type { NumberStore } from './column-types';

const TWO_POW_32 = 4294967296;

/** Bytes per value of each number store. */
export const NUMBER_WIDTH: Readonly<Record<NumberStore, number>> = { int32: 4, int64: 8, micros: 8, double: 8 };

/** Stores a safe integer at `pos` as a little-endian two's complement 64-bit integer. */
function storeInt64(view: DataView, pos: number, value: number): void {
  const low = value >>> 0;
  view.setUint32(pos, low, true);
  view.setInt32(pos + 4, (value - low) / TWO_POW_32, true);
}

/**
 * Stores epoch milliseconds at `pos` as epoch microseconds, a little-endian 64-bit integer. Years 0000 to 9999 are
 * about ±2^48 ms, so ms × 1000 passes 2^53 and cannot be a double; it is multiplied in 32-bit halves instead.
 */
function storeMicros(view: DataView, pos: number, ms: number): void {
  const low = ms >>> 0;
  const high = (ms - low) / TWO_POW_32;
  const lowMicros = low * 1000; // < 2^42: exact
  const lowWord = lowMicros >>> 0;
  view.setUint32(pos, lowWord, true);
  view.setInt32(pos + 4, high * 1000 + (lowMicros - lowWord) / TWO_POW_32, true);
}

/** One number, as `store` keeps it, at `pos` (statistics and dictionary entries). */
export function storeNumber(view: DataView, pos: number, store: NumberStore, value: number): void {
  switch (store) {
    case 'int32':
      view.setInt32(pos, value, true);
      return;
    case 'int64':
      storeInt64(view, pos, value);
      return;
    case 'micros':
      storeMicros(view, pos, value);
      return;
    case 'double':
      view.setFloat64(pos, value, true);
      return;
  }
}

/** values[from, to), PLAIN. One loop per store, so that each stays monomorphic and free of per-value branches. */
export function writePlainNumbers(out: ByteBuffer, store: NumberStore, values: Float64Array, from: number, to: number): void {
  const width = NUMBER_WIDTH[store];
  out.reserve((to - from) * width);
  const view = out.view;
  let pos = out.length;
  switch (store) {
    case 'int32':
      for (let i = from; i < to; i++, pos += 4) view.setInt32(pos, values[i], true);
      break;
    case 'int64':
      for (let i = from; i < to; i++, pos += 8) storeInt64(view, pos, values[i]);
      break;
    case 'micros':
      for (let i = from; i < to; i++, pos += 8) storeMicros(view, pos, values[i]);
      break;
    case 'double':
      for (let i = from; i < to; i++, pos += 8) view.setFloat64(pos, values[i], true);
      break;
  }
  out.length = pos;
}

/** The dictionary page of a number column: values[entries[0]], values[entries[1]], ..., PLAIN. */
export function writePlainNumberEntries(out: ByteBuffer, store: NumberStore, values: Float64Array, entries: Uint32Array, count: number): void {
  const width = NUMBER_WIDTH[store];
  out.reserve(count * width);
  const view = out.view;
  let pos = out.length;
  for (let k = 0; k < count; k++, pos += width) storeNumber(view, pos, store, values[entries[k]]);
  out.length = pos;
}

/** Booleans (0 or 1 each) values[from, to), PLAIN: bit-packed, least significant bit first, no length. */
export function writePlainBooleans(out: ByteBuffer, values: Uint8Array, from: number, to: number): void {
  out.reserve(Math.ceil((to - from) / 8));
  const bytes = out.bytes;
  let pos = out.length;
  let current = 0;
  let bit = 0;
  for (let i = from; i < to; i++) {
    current |= values[i] << bit;
    if (++bit === 8) {
      bytes[pos++] = current;
      current = 0;
      bit = 0;
    }
  }
  if (bit > 0) bytes[pos++] = current;
  out.length = pos;
}

/** UTF-8 text values[from, to), PLAIN: the block holds them so already (row-block.ts), so this is one copy. */
export function writePlainText(out: ByteBuffer, bytes: Uint8Array, offsets: Uint32Array, from: number, to: number): void {
  out.append(bytes.subarray(offsets[from], offsets[to]));
}

/** The dictionary page of a text column: the entries' texts (each with its length, as the block holds it) in order, PLAIN. */
export function writePlainTextEntries(out: ByteBuffer, bytes: Uint8Array, offsets: Uint32Array, entries: Uint32Array, count: number): void {
  let size = 0;
  for (let k = 0; k < count; k++) size += offsets[entries[k] + 1] - offsets[entries[k]];
  out.reserve(size);
  const source = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const view = out.view;
  const target = out.bytes;
  let pos = out.length;
  for (let k = 0; k < count; k++) {
    const entry = entries[k];
    pos = copyBytes(source, bytes, offsets[entry], offsets[entry + 1], view, target, pos);
  }
  out.length = pos;
}

/**
 * Copies bytes[start, end) to `pos`; returns the position after them. Four bytes per step through DataViews: about
 * twice as fast as a byte loop on names and e-mails, and unlike `set(subarray())` it makes no object per value.
 */
function copyBytes(source: DataView, bytes: Uint8Array, start: number, end: number, view: DataView, target: Uint8Array, pos: number): number {
  let k = start;
  for (; k + 4 <= end; k += 4, pos += 4) view.setUint32(pos, source.getUint32(k));
  for (; k < end; k++) target[pos++] = bytes[k];
  return pos;
}
