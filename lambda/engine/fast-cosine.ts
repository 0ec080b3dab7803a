/**
 * A cosine a third cheaper than Math.cos, within 2 × 10^-15 of the true cosine but not Math.cos bit for bit; and the
 * check that lets a caller use it and still write exactly what Math.cos would have made (roundedIfCertain).
 *
 * What a series value's drift needs (series-value.ts): 16 cosines a row, most of a reading's time, rounded to a few
 * digits at the end. The sum is made with fastCosine, rounded, and kept only when no error of the declared bound could
 * move it across a rounding boundary; otherwise (about once in a billion values) it is made again with Math.cos. So the
 * bytes are those of Math.cos, always.
 *
 * How: x (below 2^20 in magnitude; beyond, Math.cos) is reduced by the nearest multiple n of π, Cody and Waite's way:
 * π = P1 + P2 + P3, P1 and P2 of 32 significant bits, so n × P1 and n × P2 are exact (n < 2^19) and so is x − n × P1; the
 * rest r (|r| ≤ π/2 and a rounding) is within 2.3 × 10^-16 of x − nπ. cos x = (−1)^n cos r, and cos r is its Taylor
 * series to r^20, whose first term left out is below 2 × 10^-17; Horner's eleven roundings add at most 1.6 × 10^-15
 * (4.2 × 10^-16 seen against Math.cos over millions of arguments).
 */

/** π to 100 decimals: the constants below are cut from it exactly, in whole numbers. */
const PI_DIGITS = '31415926535897932384626433832795028841971693993751058209749445923078164062862089986280348253421170679';
/** π × 2^126, rounded down: its leading bit is 2^127. */
const PI_SCALED = (BigInt(PI_DIGITS) << 126n) / 10n ** BigInt(PI_DIGITS.length - 1);
/** The first 32 bits of π (its leading bit is 2^1), then the next 32, then the rest to a double's precision. */
const P1 = Number(PI_SCALED >> 96n) / 2 ** 30;
const P2 = Number((PI_SCALED >> 64n) & 0xffffffffn) / 2 ** 62;
const P3 = Number(PI_SCALED & 0xffffffffffffffffn) / 2 ** 126;
const ONE_OVER_PI = 1 / Math.PI;
/** Below this |x|, n stays below 2^19 and the reduction is as exact as said. */
const REDUCED_LIMIT = 2 ** 20;

/** (−1)^k / (2k)! for k = 0..10: cos r = Σ TAYLOR[k] r^2k. */
const TAYLOR = Array.from({ length: 11 }, (_, k) => {
  let factorial = 1;
  for (let i = 2; i <= 2 * k; i++) factorial *= i;
  return (k % 2 === 0 ? 1 : -1) / factorial;
});
const [T0, T1, T2, T3, T4, T5, T6, T7, T8, T9, T10] = TAYLOR;

/** The cosine of x, within 2 × 10^-15 (see the module's comment). */
export function fastCosine(x: number): number {
  if (!(Math.abs(x) < REDUCED_LIMIT)) return Math.cos(x);
  const n = Math.round(x * ONE_OVER_PI);
  const r = x - n * P1 - n * P2 - n * P3;
  const z = r * r;
  const c = T0 + z * (T1 + z * (T2 + z * (T3 + z * (T4 + z * (T5 + z * (T6 + z * (T7 + z * (T8 + z * (T9 + z * T10)))))))));
  return (n & 1) === 0 ? c : -c;
}

/** The bound on fastCosine's distance from Math.cos that callers use: 2^-48, above 3.5 × 10^-15 (the sum of both errors). */
export const FAST_COSINE_ERROR = 2 ** -48;

/**
 * Math.round(exact × scale) for a number `exact` that `approximate` is within `error` of, or undefined when it cannot be
 * told from `approximate` (the two could round apart: the scaled value lies within the error, plus the product's own
 * rounding, of a boundary k + 0.5, or of 0, where the rounding's sign changes).
 */
export function roundedIfCertain(approximate: number, scale: number, error: number): number | undefined {
  const scaled = approximate * scale;
  const whole = Math.round(scaled);
  // The product's rounding can move either value by half a unit in its last place: two of them, generously.
  const margin = error * scale + 2 * Math.abs(scaled) * Number.EPSILON;
  if (!(Math.abs(scaled - whole) < 0.5 - margin)) return undefined;
  // Zero has a sign (Math.round makes -0 of a value just below it, which Parquet writes apart): near 0, either could be.
  return whole === 0 && !(Math.abs(scaled) > margin) ? undefined : whole;
}
