/**
 * The one 32-bit hash of the project's counter-based randomness ("lowbias32": full avalanche, equal inputs give equal
 * outputs). Here in the contract so that the contract's child-count layout and the engine (lambda/engine/random.ts)
 * hash with the same function.
 */
/* eslint-disable no-bitwise -- a hash is made of 32-bit integer operations (lambda/engine is linted without this rule) */
export function mix32(x: number): number {
  x ^= x >>> 16;
  x = Math.imul(x, 0x7feb352d);
  x ^= x >>> 15;
  x = Math.imul(x, 0x846ca68b);
  x ^= x >>> 16;
  return x >>> 0;
}
