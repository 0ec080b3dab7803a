/**
 * Writing numbers as ASCII digits straight into a byte buffer, without making strings.
 */

const DIGIT_0 = 48;
const MINUS = 45;

/** The two hex digit bytes of each byte value: "00" to "ff". */
const HEX_PAIRS = new Uint8Array(512);
for (let b = 0; b < 256; b++) {
  HEX_PAIRS[2 * b] = '0123456789abcdef'.charCodeAt(b >>> 4);
  HEX_PAIRS[2 * b + 1] = '0123456789abcdef'.charCodeAt(b & 15);
}

/** Writes the 16 low bits of `value` as 4 lower-case hex digits. */
export function writeHex16(buf: Uint8Array, pos: number, value: number): number {
  const high = ((value >>> 8) & 255) * 2;
  const low = (value & 255) * 2;
  buf[pos] = HEX_PAIRS[high];
  buf[pos + 1] = HEX_PAIRS[high + 1];
  buf[pos + 2] = HEX_PAIRS[low];
  buf[pos + 3] = HEX_PAIRS[low + 1];
  return pos + 4;
}

/** Writes a 32-bit value as 8 lower-case hex digits. */
export function writeHex32(buf: Uint8Array, pos: number, value: number): number {
  return writeHex16(buf, writeHex16(buf, pos, value >>> 16), value);
}

/** "00" to "99" as byte pairs: two digits with one lookup. */
const TWO_DIGITS = new Uint8Array(200);
for (let n = 0; n < 100; n++) {
  TWO_DIGITS[2 * n] = DIGIT_0 + Math.floor(n / 10);
  TWO_DIGITS[2 * n + 1] = DIGIT_0 + (n % 10);
}

/** Writes 0 ≤ value < 100 as two digits. */
export function writeTwoDigits(buf: Uint8Array, pos: number, value: number): number {
  buf[pos] = TWO_DIGITS[2 * value];
  buf[pos + 1] = TWO_DIGITS[2 * value + 1];
  return pos + 2;
}

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
  if (value < 100) return writeTwoDigits(buf, pos, value);
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
  // Integer division by truncation is exact below 2^31, and much cheaper than Math.floor of a double.
  const small = value < 2147483648;
  for (let at = pos + width - 1; at >= pos; at--) {
    const q = small ? (value / 10) | 0 : Math.floor(value / 10);
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
