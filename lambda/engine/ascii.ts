/**
 * Writing numbers as ASCII digits straight into a byte buffer, without making strings.
 */

const DIGIT_0 = 48;
const MINUS = 45;

/** Hex digit byte for each nibble value. */
export const HEX_DIGITS = new Uint8Array([...'0123456789abcdef'].map((c) => c.charCodeAt(0)));

/** Writes a safe integer in decimal at `pos`; returns the position after it. */
export function writeInteger(buf: Uint8Array, pos: number, value: number): number {
  if (value < 0) {
    buf[pos++] = MINUS;
    value = -value;
  }
  if (value < 10) {
    buf[pos] = DIGIT_0 + value;
    return pos + 1;
  }
  let digits = 1;
  for (let v = value; v >= 10; v = Math.floor(v / 10)) digits++;
  const end = pos + digits;
  let at = end;
  // Below 2^31 the bitwise path is exact and several times faster than floating division.
  while (value >= 2147483648) {
    const q = Math.floor(value / 10);
    buf[--at] = DIGIT_0 + (value - q * 10);
    value = q;
  }
  while (value >= 10) {
    const q = (value / 10) | 0;
    buf[--at] = DIGIT_0 + (value - q * 10);
    value = q;
  }
  buf[--at] = DIGIT_0 + value;
  return end;
}

/** Writes `value` (0 ≤ value < 10^width) as exactly `width` digits, zero-padded on the left. */
export function writePadded(buf: Uint8Array, pos: number, value: number, width: number): number {
  for (let at = pos + width - 1; at >= pos; at--) {
    const q = Math.floor(value / 10);
    buf[at] = DIGIT_0 + (value - q * 10);
    value = q;
  }
  return pos + width;
}

/** Decimal digits of a non-negative safe integer. */
export function digitCount(value: number): number {
  let digits = 1;
  for (let v = Math.abs(value); v >= 10; v = Math.floor(v / 10)) digits++;
  return digits;
}
