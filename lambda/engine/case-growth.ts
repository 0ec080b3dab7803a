/**
 * How much upper() and lower() can lengthen a text in UTF-8, for the size bound of a derived text column. Case mapping
 * works code point by code point (the one context rule, a final sigma, maps to a letter of the same length), so a
 * chain of case functions lengthens a text at most as much as it lengthens its worst code point. A few code points
 * grow (ΐ, 2 bytes, upper-cases to 6), and a chain grows no further once mapped: 22 nested upper/lower over "a" are
 * bounded by 3 bytes, where a factor of 3 per level would ask for 3^22.
 */

/** The code points a case mapping changes (the others pass through every chain unchanged), found once. */
let casedCodePoints: readonly string[] | undefined;

function cased(): readonly string[] {
  if (casedCodePoints === undefined) {
    const changes = /\p{Changes_When_Casemapped}/u;
    const found: string[] = [];
    for (let cp = 0; cp <= 0x10ffff; cp++) {
      if (cp === 0xd800) cp = 0xe000;
      const c = String.fromCodePoint(cp);
      if (changes.test(c)) found.push(c);
    }
    casedCodePoints = found;
  }
  return casedCodePoints;
}

/** A chain of case functions, outermost first: 'u' for upper, 'l' for lower. */
export type CaseChain = string;

/** `text` through the chain (the innermost function first). */
export function applyCaseChain(text: string, chain: CaseChain): string {
  let result = text;
  for (let i = chain.length - 1; i >= 0; i--) result = chain[i] === 'u' ? result.toUpperCase() : result.toLowerCase();
  return result;
}

const utf8 = new TextEncoder();
const growthOfChain = new Map<CaseChain, number>();

/** The most a text's UTF-8 bytes are multiplied by the chain: 1 for no chain, 3 at most for any. */
export function caseGrowth(chain: CaseChain): number {
  if (chain.length === 0) return 1;
  let growth = growthOfChain.get(chain);
  if (growth === undefined) {
    growth = 1;
    for (const c of cased()) growth = Math.max(growth, utf8.encode(applyCaseChain(c, chain)).length / utf8.encode(c).length);
    growthOfChain.set(chain, growth);
  }
  return growth;
}
