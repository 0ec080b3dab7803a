/**
 * A DataView of the chunk being filled, so that writers can store 2 or 4 bytes at once (DataView stores
 * are unaligned-safe and compile to single machine stores): made once per chunk, not once per cell.
 */
let viewedBuffer: Uint8Array | undefined;
let view: DataView | undefined;

export function viewOf(buf: Uint8Array): DataView {
  if (buf !== viewedBuffer) {
    viewedBuffer = buf;
    view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  }
  return view!;
}
