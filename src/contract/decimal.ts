/**
 * Decimals as whole numbers of steps: the one rule of a decimal's range and of its precision, shared by the validator,
 * the logical types, the expression checker and the engine. Imports nothing.
 */

/** `x`, or the whole number it is within a few units in the last place of: the error of scaling a decimal. */
function snapToWhole(x: number): number {
  const whole = Math.round(x);
  return Math.abs(x - whole) <= 4 * Number.EPSILON * Math.abs(x) ? whole : x;
}

/**
 * A decimal column's values as whole numbers of steps of 10^-fractionDigits: they are low, low + 1, ...,
 * high steps (low > high: none). A bound written with at most fractionDigits digits is a step itself,
 * although its double times the scale is not always whole (0.07 × 100 is 7.000000000000001).
 * The validator and the row engine both count with this, so that they agree on the range.
 */
export function decimalSteps(min: number, max: number, fractionDigits: number): { readonly low: number; readonly high: number } {
  const scale = 10 ** fractionDigits;
  return { low: Math.ceil(snapToWhole(min * scale)), high: Math.floor(snapToWhole(max * scale)) };
}

/** Decimal digits of a whole number. */
export function digitsOf(value: number): number {
  return String(Math.abs(value)).length;
}

/**
 * The fewest digits that hold every unscaled value from `min` to `max` at `scale` (at least the scale, and at least
 * 1), so a reader's DECIMAL(p, s) never overflows.
 */
export function decimalPrecision(scale: number, min: number, max: number): number {
  return Math.max(1, scale, digitsOf(min), digitsOf(max));
}
