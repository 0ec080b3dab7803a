/**
 * Child counts from a law: each parent of a one-to-many reference has its own number of children, drawn independently
 * from a declared law over min..max (uniform, Poisson, or Zipf's heavy tail), zero allowed.
 *
 * A parent's count is a pure function of (the reference's layout key, the parent's row index), the key taken from the
 * child table's and column's names, not from the run's seed: so the counts, and the child table's exact row count (their
 * sum), are known at synth, before any row is made, and are the same for every seed (the rows' values differ).
 *
 * How a child row finds its parent without reading the rows before it (ChildLayout): the parents are cut into blocks
 * of BLOCK_PARENTS, and the first child row of every block (the prefix sums of the counts at block edges) is computed
 * once, O(parents) draws and O(parents / BLOCK_PARENTS) numbers of memory. A row's parent is then found by a binary
 * search over the blocks and a walk of at most BLOCK_PARENTS counts inside its block; consecutive rows (what every part
 * makes) step from parent to parent, one count drawn per parent, so a row costs O(1) amortized.
 *
 * This module is the one place the counts are drawn: the validator sums them for the table's rows, the engine lays rows
 * out by them, and the conformance report judges them.
 */
/* eslint-disable no-bitwise -- a counter-based hash is made of 32-bit integer operations, as the engine's (lambda/ is linted without this rule) */
import type { ChildCountLawDocument, ChildrenDocument, PairedChildrenDocument } from './column-documents';
import { fail, InvalidInputError } from './errors';
import { REFERENCE_LIMITS } from './limits';
import { mix32 } from './mix32';

/** Parents per block of prefix sums. */
export const BLOCK_PARENTS = 1024;


/** The layout key of a reference, from its table's and column's names (FNV-1a, then mixed). */
export function childCountKey(table: string, column: string): number {
  let hash = 0x811c9dc5;
  const text = `${table}\u0000${column}`;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193);
  return mix32(hash >>> 0);
}

/** The law a reference's children counts follow: uniform when none is given, none for the paired layout. */
export function countLawOf(children: ChildrenDocument): ChildCountLawDocument | undefined {
  const declared = children.distribution;
  if (declared?.kind === 'paired') return undefined;
  return declared ?? UNIFORM_COUNTS;
}

const UNIFORM_COUNTS: ChildCountLawDocument = { kind: 'uniform' };

/** Validates `children.distribution`: a law of independent counts over min..max, or the paired layout. */
export function validateChildCountLaw(where: string, raw: unknown, min: number, max: number): ChildCountLawDocument | PairedChildrenDocument {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    fail(where, raw, 'expected {"kind": "uniform"}, {"kind": "poisson", "mean": 2}, {"kind": "zipf", "exponent": 1.5} or {"kind": "paired"}');
  }
  const record = raw as Record<string, unknown>;
  const fields: Record<string, string[]> = { uniform: ['kind'], poisson: ['kind', 'mean'], zipf: ['kind', 'exponent'], paired: ['kind'] };
  const kind = record.kind;
  if (typeof kind !== 'string' || !Object.prototype.hasOwnProperty.call(fields, kind)) fail(`${where}.kind`, kind, 'allowed kinds are uniform, poisson, zipf, paired');
  for (const key of Object.keys(record)) {
    if (!fields[kind].includes(key)) fail(`${where}.${key}`, record[key], `not a parameter of ${kind}; its fields are ${fields[kind].join(', ')}`);
  }
  if (kind === 'paired') return { kind };
  const positive = (name: string, limit: number) => {
    const value = record[name];
    if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0 || value > limit) fail(`${where}.${name}`, value, `a number above 0 and at most ${limit}`);
    return value;
  };
  let law: ChildCountLawDocument;
  if (kind === 'poisson') law = { kind, mean: positive('mean', REFERENCE_LIMITS.maxChildren) };
  else if (kind === 'zipf') law = { kind, exponent: positive('exponent', 5) };
  else law = { kind: 'uniform' };
  if (kind === 'poisson' && cumulativeOf(law, min, max) === undefined) {
    throw new InvalidInputError(`${where}: a Poisson law of mean ${(law as { mean: number }).mean} has almost no mass from ${min} to ${max}; `
      + 'move the mean into the range, or widen min and max');
  }
  return law;
}

/** P(count <= min + k) for k = 0..max − min, normalized over min..max; undefined when the law has no mass there. */
function cumulativeOf(law: ChildCountLawDocument, min: number, max: number): Float64Array | undefined {
  const span = max - min + 1;
  const weights = new Float64Array(span);
  let logNFactorial = logFactorial(min);
  for (let k = 0; k < span; k++) {
    const n = min + k;
    if (k > 0) logNFactorial += Math.log(n);
    switch (law.kind) {
      case 'uniform':
        weights[k] = 1;
        break;
      case 'zipf':
        weights[k] = (k + 1) ** -law.exponent;
        break;
      case 'poisson':
        // In logarithms: e^-λ λ^n / n! underflows for large means.
        weights[k] = Math.exp(-law.mean + n * Math.log(law.mean) - logNFactorial);
        break;
    }
  }
  let total = 0;
  for (let k = 0; k < span; k++) total += weights[k];
  if (!(total > 1e-300)) return undefined;
  const cumulative = new Float64Array(span);
  let running = 0;
  for (let k = 0; k < span; k++) {
    running += weights[k] / total;
    cumulative[k] = running;
  }
  cumulative[span - 1] = 1;
  return cumulative;
}

function logFactorial(n: number): number {
  let sum = 0;
  for (let i = 2; i <= n; i++) sum += Math.log(i);
  return sum;
}

/** The counts of a reference's parents, and where each block of parents' children start. */
export interface ChildLayout {
  /** Child rows in all: the child table's rows. */
  readonly total: number;
  /** Parents with at least one child. */
  readonly parentsWithChildren: number;
  /** The count of parent `p`: a pure function of (the key, p). */
  readonly countOf: (parent: number) => number;
  /** blockStarts[b]: the first child row of parent b × BLOCK_PARENTS; one more entry, the total. */
  readonly blockStarts: Float64Array;
  /** The law's mean and variance over min..max, for the report. */
  readonly mean: number;
  readonly variance: number;
}

const layouts = new Map<string, ChildLayout>();

/** The layout of `parentRows` parents' children by `children` (with a law), computed once per process and key. */
export function childLayoutOf(parentRows: number, children: ChildrenDocument, key: number): ChildLayout {
  const law = countLawOf(children);
  if (law === undefined) throw new Error('a paired children layout has no count law: a bug');
  const id = `${key}:${parentRows}:${children.min}:${children.max}:${JSON.stringify(law)}`;
  const known = layouts.get(id);
  if (known !== undefined) return known;
  const { min, max } = children;
  const cumulative = cumulativeOf(law, min, max)!;
  const span = cumulative.length;
  const countOf = (parent: number): number => {
    // 32 bits of the parent's index and its high part, mixed with the key: one draw per parent.
    const u = mix32(mix32((parent >>> 0) ^ key) ^ Math.floor(parent / 4294967296)) / 4294967296;
    let low = 0;
    let high = span - 1;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if (cumulative[mid] > u) high = mid;
      else low = mid + 1;
    }
    return min + low;
  };
  const blocks = Math.ceil(parentRows / BLOCK_PARENTS);
  const blockStarts = new Float64Array(blocks + 1);
  let total = 0;
  let parentsWithChildren = 0;
  for (let p = 0; p < parentRows; p++) {
    if (p % BLOCK_PARENTS === 0) blockStarts[p / BLOCK_PARENTS] = total;
    const count = countOf(p);
    total += count;
    if (count > 0) parentsWithChildren++;
  }
  blockStarts[blocks] = total;
  let mean = 0;
  let second = 0;
  for (let k = 0; k < span; k++) {
    const p = cumulative[k] - (k === 0 ? 0 : cumulative[k - 1]);
    mean += p * (min + k);
    second += p * (min + k) ** 2;
  }
  const layout = { total, parentsWithChildren, countOf, blockStarts, mean, variance: Math.max(0, second - mean * mean) };
  if (layouts.size > 64) layouts.clear();
  layouts.set(id, layout);
  return layout;
}

/** Checks that a law's layout can be computed at synth: at most REFERENCE_LIMITS.maxLawParents parents. */
export function checkLawParents(where: string, parentRows: number): void {
  if (parentRows > REFERENCE_LIMITS.maxLawParents) {
    throw new InvalidInputError(`${where}: the parent has ${parentRows} rows, more than the ${REFERENCE_LIMITS.maxLawParents} whose child counts `
      + 'are drawn and summed before generation; ask for the paired layout (children with "distribution": {"kind": "paired"}, '
      + 'ChildCounts.paired() in the typed API) or use fewer parents');
  }
}
