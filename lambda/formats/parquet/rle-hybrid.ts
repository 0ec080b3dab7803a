/**
 * Parquet's RLE / bit-packing hybrid (parquet-format Encodings.md, "RLE = 3"), as the encoder uses it for
 * definition levels and dictionary indexes.
 *
 * A run of one repeated value (a page whose cells are all set, or all null) is one RLE run; anything else is one
 * bit-packed run, 8 values per group, the last group padded with zeros (readers stop at the page's value count).
 * Counting runs of equal values would shrink a few pages further, but the page codec (zstd, gzip, snappy) already
 * squeezes bit-packed bytes, and one straight loop keeps the encoder fast.
 */
import type { ByteBuffer } from './byte-buffer';

/**
 * Definition levels of rows [from, to) of an OPTIONAL column (1 = a value, 0 = null), for a v1 data page: a 4-byte
 * little-endian length, then the runs. `defined` absent means every row has a value. Returns the rows with a value.
 */
export function writeDefinitionLevels(out: ByteBuffer, defined: Uint8Array | undefined, from: number, to: number): number {
  const rows = to - from;
  let set = rows;
  if (defined !== undefined) {
    set = 0;
    for (let r = from; r < to; r++) set += defined[r];
  }
  const lengthAt = out.length;
  out.reserve(4);
  out.length += 4;
  if (set === rows || set === 0) {
    out.varint(rows * 2);
    out.byte(set === 0 ? 0 : 1);
  } else {
    const groups = Math.ceil(rows / 8);
    out.varint(groups * 2 + 1);
    out.reserve(groups);
    const bytes = out.bytes;
    let pos = out.length;
    const whole = from + (rows & ~7);
    let r = from;
    for (; r < whole; r += 8) {
      bytes[pos++] = defined![r] | (defined![r + 1] << 1) | (defined![r + 2] << 2) | (defined![r + 3] << 3)
        | (defined![r + 4] << 4) | (defined![r + 5] << 5) | (defined![r + 6] << 6) | (defined![r + 7] << 7);
    }
    if (r < to) {
      let last = 0;
      for (let bit = 0; r < to; r++, bit++) last |= defined![r] << bit;
      bytes[pos++] = last;
    }
    out.length = pos;
  }
  out.view.setUint32(lengthAt, out.length - lengthAt - 4, true);
  return set;
}

/** The bits needed for dictionary codes 0 to `used` - 1, at least 1 (a zero width is legal but trips some readers). */
export function codeBitWidth(used: number): number {
  let width = 1;
  while (width < 32 && 2 ** width < used) width++;
  return width;
}

/** Dictionary codes wider than this would overflow the 32-bit accumulator below. */
export const MAX_CODE_BIT_WIDTH = 24;

/**
 * The dictionary codes of values [from, to) of a data page: the bit width (1 byte), then one bit-packed run of
 * `codes[indexes[i]]`. Widths up to MAX_CODE_BIT_WIDTH (16,777,216 entries used in one column chunk).
 */
export function writeDictionaryCodes(out: ByteBuffer, indexes: Uint32Array, codes: Int32Array, from: number, to: number, bitWidth: number): void {
  const count = to - from;
  const groups = Math.ceil(count / 8);
  out.byte(bitWidth);
  if (count === 0) return;
  out.varint(groups * 2 + 1);
  out.reserve(groups * bitWidth);
  const bytes = out.bytes;
  let pos = out.length;
  // Values enter at the accumulator's top, least significant bit first; whole bytes leave from its bottom. Fewer
  // than 8 bits wait between values, so a value of at most 24 bits always fits beside them in 32.
  let accumulator = 0;
  let bits = 0;
  for (let i = from; i < to; i++) {
    accumulator |= codes[indexes[i]] << bits;
    bits += bitWidth;
    while (bits >= 8) {
      bytes[pos++] = accumulator & 0xff;
      accumulator >>>= 8;
      bits -= 8;
    }
  }
  // Zero codes pad the last group to 8 values: (groups * 8 - count) * bitWidth more bits.
  bits += (groups * 8 - count) * bitWidth;
  while (bits > 0) {
    bytes[pos++] = accumulator & 0xff;
    accumulator >>>= 8;
    bits -= 8;
  }
  out.length = pos;
}
