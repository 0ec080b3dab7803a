/**
 * round(x, digits) of a double, defined on the double's exact value: every double is a fraction n / 2^s, whose decimal
 * expansion is exact, and that value is rounded half away from zero. round(2.675, 2) is 2.67, because the double
 * nearest 2.675 is 2.67499999999999982236431605997495353221893310546875; round(0.125, 2) is 0.13, because 0.125 is a
 * double exactly. DuckDB's round of a DECIMAL holding the same value, and Python's Decimal(x).quantize(...,
 * ROUND_HALF_UP), give the same digits.
 */

/**
 * The unscaled result of rounding `x` to the digits of `factor` (10^digits, at most 10^15): the whole number nearest
 * x × factor, computed on x's exact value, a half away from zero. NaN for NaN, ±Infinity for ±Infinity.
 */
export function roundDoubleToUnscaled(x: number, factor: number): number {
  if (x !== x) return NaN;
  const magnitude = Math.abs(x);
  const scaled = magnitude * factor;
  if (scaled === Infinity) return x < 0 ? -Infinity : Infinity;
  const whole = Math.floor(scaled);
  const fraction = scaled - whole;
  // The product is within half an ulp of the exact one, below scaled × 2^-53: a fraction that far from a half rounds as
  // the exact product does. Nearer, and at every magnitude where a double has no room for a fraction, count exactly.
  const rounded = Math.abs(fraction - 0.5) > scaled * 2 ** -52 ? (fraction > 0.5 ? whole + 1 : whole) : exactRound(magnitude, factor);
  return rounded === 0 ? 0 : x < 0 ? -rounded : rounded;
}

/** round(magnitude × factor) half up, on magnitude's exact value n / 2^shift, in BigInt. */
function exactRound(magnitude: number, factor: number): number {
  let numerator = magnitude;
  let shift = 0;
  // Doubling a double is exact: after at most 1074 steps it is a whole number.
  while (!Number.isInteger(numerator)) {
    numerator *= 2;
    shift++;
  }
  const product = BigInt(numerator) * BigInt(factor);
  const denominator = 2n ** BigInt(shift);
  const quotient = product / denominator;
  const remainder = product - quotient * denominator;
  return Number(2n * remainder >= denominator ? quotient + 1n : quotient);
}
