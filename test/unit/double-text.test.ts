/**
 * Doubles in the text formats: the engine writes a double's digits straight into the buffer (writeDouble), and the bytes
 * are exactly what String() makes of it, the shortest decimal that reads back as the same double. Users rely on it: a
 * seriesValue or a derived double column reads the same in CSV and JSON Lines as JavaScript prints it, and a file made
 * before this writer is byte for byte the file made after.
 */
import fc from 'fast-check';
import { writeDouble } from '../../lambda/engine/ascii';

const buffer = new Uint8Array(64);
const written = (value: number) => Buffer.from(buffer.subarray(0, writeDouble(buffer, 0, value))).toString('latin1');

test('numbers rounded to a few digits are written as String() writes them', () => {
  fc.assert(fc.property(
    fc.double({ min: -1e16, max: 1e16, noNaN: true }), fc.integer({ min: 0, max: 9 }),
    (raw, digits) => {
      const value = Math.round(raw * 10 ** digits) / 10 ** digits;
      expect(written(value)).toBe(String(value));
    },
  ), { numRuns: 20_000 });
});

test('any finite double is written as String() writes it', () => {
  fc.assert(fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (value) => {
    expect(written(value)).toBe(String(value));
  }), { numRuns: 20_000 });
});

test('the edges of the digits written without String(): zero, signs, powers of ten, 15 and 16 digits, 10^-6 and below', () => {
  const edges = [
    0, -0, 1, -1, 0.1, -0.1, 0.5, 0.000001, -0.000001, 0.0000015, 0.0000001, 1e-7, 5e-7, 0.123456, 0.1234567,
    999999999999999, 1e15, 1e15 - 1, 1e15 + 1, 99999999999999.9, 9999999999.99999, 123456789.123456, 1e21, 1e20, 2 ** 53, 2 ** 53 + 2,
    21.37, -21.37, 18.999999999999996, 0.1 + 0.2, 1 / 3, -2 / 3, 100, 1e6, 1.5e-6, Number.MIN_VALUE, Number.MAX_VALUE, Number.EPSILON,
  ];
  for (const value of edges) expect([value, written(value)]).toEqual([value, String(value)]);
});

test('numbers written beside others stay in place: the position after the digits is returned', () => {
  const at = writeDouble(buffer, 3, -12.5);
  expect(Buffer.from(buffer.subarray(3, at)).toString('latin1')).toBe('-12.5');
  expect(at).toBe(8);
});
