/**
 * A list of byte strings in one contiguous buffer, so that copying entry i into the output is a
 * short, cache-friendly loop instead of a string conversion.
 */
import { viewOf } from './output-view';

const ENCODER = new TextEncoder();

export class ByteTable {
  /** Builds a table from already-encoded entries. */
  static of(entries: readonly Uint8Array[]): ByteTable {
    let total = 0;
    for (const entry of entries) total += entry.length;
    const bytes = new Uint8Array(total);
    const offsets = new Uint32Array(entries.length + 1);
    let at = 0;
    entries.forEach((entry, i) => {
      offsets[i] = at;
      bytes.set(entry, at);
      at += entry.length;
    });
    offsets[entries.length] = at;
    return new ByteTable(bytes, offsets);
  }

  /**
   * Builds a table of the UTF-8 bytes of `texts`: one encoding pass over all of them, which is much faster
   * than one per entry for the tens of thousands of composed names a run prepares.
   */
  static ofTexts(texts: readonly string[]): ByteTable {
    const joined = texts.join('');
    if (!/^[\x00-\x7f]*$/.test(joined)) return ByteTable.of(texts.map((text) => ENCODER.encode(text)));
    // ASCII: one byte per UTF-16 unit, so offsets are string lengths.
    const offsets = new Uint32Array(texts.length + 1);
    let at = 0;
    texts.forEach((text, i) => {
      offsets[i] = at;
      at += text.length;
    });
    offsets[texts.length] = at;
    return new ByteTable(ENCODER.encode(joined), offsets);
  }

  readonly size: number;
  /** Length of the longest entry: what a caller must leave room for. */
  readonly maxLength: number;
  private readonly words: DataView;

  private constructor(private readonly bytes: Uint8Array, private readonly offsets: Uint32Array) {
    this.size = offsets.length - 1;
    let longest = 0;
    for (let i = 0; i < this.size; i++) longest = Math.max(longest, offsets[i + 1] - offsets[i]);
    this.maxLength = longest;
    this.words = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  /** Copies entry `index` to `buf` at `pos`; returns the position after it. */
  write(buf: Uint8Array, pos: number, index: number): number {
    let from = this.offsets[index];
    const end = this.offsets[index + 1];
    const length = end - from;
    if (length < 4) {
      const bytes = this.bytes;
      while (from < end) buf[pos++] = bytes[from++];
      return pos;
    }
    // Four bytes at a time; the last four end exactly at the entry's end (overlapping the previous ones),
    // so nothing past the entry is written and no padding is needed.
    const out = viewOf(buf);
    const words = this.words;
    const last = pos + length - 4;
    for (; pos < last; pos += 4, from += 4) out.setUint32(pos, words.getUint32(from));
    out.setUint32(last, words.getUint32(end - 4));
    return last + 4;
  }
}
