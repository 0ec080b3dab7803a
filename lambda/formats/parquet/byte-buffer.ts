/**
 * A byte buffer that grows and is then reused: one per encoder for the page being built and one for Thrift headers,
 * so that a row group allocates only the bytes it hands out. Hot loops reserve the exact room they need once, then
 * write through local copies of `bytes` and `view` (DataView stores are unaligned-safe single machine stores).
 */
export class ByteBuffer {
  bytes: Uint8Array;
  view: DataView;
  /** Bytes written so far. */
  length = 0;

  constructor(capacity: number) {
    this.bytes = new Uint8Array(capacity);
    this.view = new DataView(this.bytes.buffer);
  }

  /** Makes room for `more` bytes after `length`, keeping what is written; `bytes` and `view` may change. */
  reserve(more: number): void {
    const needed = this.length + more;
    if (needed <= this.bytes.length) return;
    let capacity = this.bytes.length * 2;
    while (capacity < needed) capacity *= 2;
    const grown = new Uint8Array(capacity);
    grown.set(this.bytes.subarray(0, this.length));
    this.bytes = grown;
    this.view = new DataView(grown.buffer);
  }

  /**
   * Hands over what is written (a view of the buffer's own memory, from its start) and goes on in `next` (or in new
   * memory of the same size), empty: for a page that goes to another thread.
   */
  handOver(next: ArrayBuffer | undefined): Uint8Array {
    const written = this.bytes.subarray(0, this.length);
    this.bytes = next !== undefined && next.byteLength > 0 ? new Uint8Array(next) : new Uint8Array(this.bytes.length);
    this.view = new DataView(this.bytes.buffer);
    this.length = 0;
    return written;
  }

  /** A copy of what is written, which stays valid when the buffer is reused. */
  copy(): Uint8Array {
    return this.bytes.slice(0, this.length);
  }

  byte(value: number): void {
    this.reserve(1);
    this.bytes[this.length++] = value;
  }

  /** An unsigned LEB128 varint of a whole number in [0, 2^54]: at most 8 bytes. */
  varint(value: number): void {
    this.reserve(8);
    const bytes = this.bytes;
    let pos = this.length;
    // Division rather than shifts: values past 2^31 (file offsets, 64-bit zigzag) lose bits in 32-bit operators.
    while (value >= 0x80) {
      bytes[pos++] = (value % 0x80) | 0x80;
      value = Math.floor(value / 0x80);
    }
    bytes[pos++] = value;
    this.length = pos;
  }

  append(source: Uint8Array): void {
    this.reserve(source.length);
    this.bytes.set(source, this.length);
    this.length += source.length;
  }
}
