/**
 * A list of byte strings in one contiguous buffer, so that copying entry i into the output is a
 * short, cache-friendly loop instead of a string conversion.
 */
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

  private constructor(private readonly bytes: Uint8Array, private readonly offsets: Uint32Array) {
    this.size = offsets.length - 1;
    let longest = 0;
    for (let i = 0; i < this.size; i++) longest = Math.max(longest, offsets[i + 1] - offsets[i]);
    this.maxLength = longest;
  }

  /** Copies entry `index` to `buf` at `pos`; returns the position after it. */
  write(buf: Uint8Array, pos: number, index: number): number {
    const bytes = this.bytes;
    let from = this.offsets[index];
    const end = this.offsets[index + 1];
    while (from < end) buf[pos++] = bytes[from++];
    return pos;
  }

  /** The first byte of entry `index` (entries are never empty when this is asked). */
  firstByte(index: number): number {
    return this.bytes[this.offsets[index]];
  }
}
