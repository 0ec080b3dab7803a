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

const POINT = 46;
/** 10^0 to 10^MAX_SHORT_FRACTION: the fraction digits writeDouble tries before it asks String(). */
const MAX_SHORT_FRACTION = 6;
const SHORT_POWERS = Array.from({ length: MAX_SHORT_FRACTION + 1 }, (_, k) => 10 ** k);
/** Below 10^15 a whole number has at most 15 significant digits: see writeDouble. */
const SHORT_LIMIT = 1e15;

/**
 * Writes a finite double exactly as String() does (the shortest decimal that reads back as it), without making a string
 * when it is n / 10^k for a whole n below 10^15 and k ≤ 6 (a number rounded to a few digits, as a series value is).
 * Why that is String()'s text: the decimal n × 10^-k rounds to the double (n / 10^k is correctly rounded), and no other
 * decimal of at most 15 significant digits does, since two of them lie at least 10^-14 of their size apart and a double's
 * neighbours at most 2.2 × 10^-16; so n × 10^-k, without trailing zeros, is the shortest, in fixed notation (from 10^-6
 * to 10^21). Any other double (and -0, which String() writes "0") goes through String().
 */
export function writeDouble(buf: Uint8Array, pos: number, value: number): number {
  for (let k = 0; k <= MAX_SHORT_FRACTION; k++) {
    const power = SHORT_POWERS[k];
    const whole = Math.round(value * power);
    if (whole / power === value && whole > -SHORT_LIMIT && whole < SHORT_LIMIT) {
      if (whole === 0) {
        buf[pos] = DIGIT_0;
        return pos + 1;
      }
      return writeScaled(buf, pos, whole, k);
    }
  }
  const text = String(value);
  for (let i = 0; i < text.length; i++) buf[pos++] = text.charCodeAt(i);
  return pos;
}

/** Writes whole × 10^-fraction (whole not 0, |whole| < 10^15) with its fraction's trailing zeros dropped. */
function writeScaled(buf: Uint8Array, pos: number, whole: number, fraction: number): number {
  if (whole < 0) {
    buf[pos++] = MINUS;
    whole = -whole;
  }
  while (fraction > 0 && whole % 10 === 0) {
    whole /= 10;
    fraction--;
  }
  if (fraction === 0) return writeInteger(buf, pos, whole);
  const power = SHORT_POWERS[fraction];
  const integral = Math.floor(whole / power);
  pos = writeInteger(buf, pos, integral);
  buf[pos++] = POINT;
  return writePadded(buf, pos, whole - integral * power, fraction);
}
