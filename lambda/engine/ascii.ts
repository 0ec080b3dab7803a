/**
 * Writing numbers as ASCII digits straight into a byte buffer, without making strings.
 */
import { viewOf } from './output-view';

const DIGIT_0 = 48;
const MINUS = 45;

/** The two hex digits of each byte value ("00" to "ff"), as one big-endian 16-bit number: one store per byte. */
const HEX_PAIRS = new Uint16Array(256);
for (let b = 0; b < 256; b++) HEX_PAIRS[b] = ('0123456789abcdef'.charCodeAt(b >>> 4) << 8) | '0123456789abcdef'.charCodeAt(b & 15);

/** Writes the 16 low bits of `value` as 4 lower-case hex digits. */
export function writeHex16(buf: Uint8Array, pos: number, value: number): number {
  const out = viewOf(buf);
  out.setUint16(pos, HEX_PAIRS[(value >>> 8) & 255]);
  out.setUint16(pos + 2, HEX_PAIRS[value & 255]);
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

/** "000" to "999" as byte triples. */
const THREE_DIGITS = new Uint8Array(3000);
for (let n = 0; n < 1000; n++) {
  THREE_DIGITS[3 * n] = DIGIT_0 + Math.floor(n / 100);
  THREE_DIGITS[3 * n + 1] = DIGIT_0 + (Math.floor(n / 10) % 10);
  THREE_DIGITS[3 * n + 2] = DIGIT_0 + (n % 10);
}

/** Writes 0 ≤ value < 1000 as three digits. */
export function writeThreeDigits(buf: Uint8Array, pos: number, value: number): number {
  const at = 3 * value;
  buf[pos] = THREE_DIGITS[at];
  buf[pos + 1] = THREE_DIGITS[at + 1];
  buf[pos + 2] = THREE_DIGITS[at + 2];
  return pos + 3;
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
  if (value < 1000) return writeThreeDigits(buf, pos, value);
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
