/**
 * A column's document from what its sample holds (column-profile.ts): its kind (uuid, sequence, integer, decimal with its
 * fraction digits, timestamp, oneOf, faker), its null share, bounds, cardinality and distribution, each decision with
 * the reason for it. No sample value goes into the document but a category of a oneOf column, and none with
 * `categories: false` (placeholders keep the number of categories and their weights).
 */
import { fitDistribution } from './fit-distribution';
import { fallbackTextMethod, recognizeText } from './recognize-text';
import type { ColumnDocument } from '../../src/contract/column-documents';
import { FAKER_CAPACITY } from '../../src/contract/faker-capacity';
import type { ColumnProfile } from '../samples/column-profile';

export interface InferredColumn {
  readonly document: ColumnDocument;
  /** Why each choice was made, for the report. */
  readonly because: readonly string[];
}

export interface InferOptions {
  /** Put the observed categories of a oneOf column into the document (else placeholders category_1, ...). */
  readonly categories: boolean;
}

/** At most this many distinct values (and few for the rows) make a column a set of categories. */
export const MAX_CATEGORIES = 20;

const percent = (share: number) => Math.round(share * 10_000) / 100;

function isCategorical(profile: ColumnProfile): boolean {
  return profile.counts !== undefined && profile.distinct <= MAX_CATEGORIES && profile.distinct <= Math.max(2, profile.nonNull / 20);
}

/** A column of few values: oneOf with the observed weights (counts). */
function categories(profile: ColumnProfile, options: InferOptions): { values: string[]; weights: number[]; because: string } {
  const top = profile.topValues(MAX_CATEGORIES);
  const values = options.categories || profile.kind === 'boolean' ? top.map(({ value }) => value) : top.map((_, i) => `category_${i + 1}`);
  return {
    values,
    weights: top.map(({ count }) => count),
    because: `${top.length} distinct values in ${profile.nonNull} cells: categories with their observed counts as weights`
      + (options.categories || profile.kind === 'boolean' ? '' : ' (placeholders: --no-categories)'),
  };
}

export function inferColumn(profile: ColumnProfile, options: InferOptions): InferredColumn {
  const name = profile.name;
  const nullPercent = percent(profile.nullShare);
  const base = nullPercent > 0 ? { name, nullPercent } : { name };
  const because: string[] = [];
  if (nullPercent > 0) because.push(`${nullPercent}% of the cells are null`);
  const kind = profile.kind;
  if (kind === 'empty') {
    return { document: { name, type: 'integer', min: 0, max: 0, nullPercent: 100 }, because: ['every cell is null'] };
  }
  if (kind === 'boolean' || (isCategorical(profile) && kind !== 'integer' && kind !== 'decimal' && kind !== 'timestamp')) {
    const { values, weights, because: why } = categories(profile, options);
    return { document: { ...base, type: 'oneOf', values, weights }, because: [...because, why] };
  }
  if (kind === 'text') {
    const recognized = recognizeText(name, profile.texts);
    if (recognized?.kind === 'uuid') {
      return { document: { ...base, type: 'uuid' }, because: [...because, recognized.because] };
    }
    const meanLength = (profile.minLength + profile.maxLength) / 2;
    const { method, because: why } = recognized?.method !== undefined
      ? { method: recognized.method, because: recognized.because }
      : fallbackTextMethod(meanLength);
    // Clearly fewer distinct values than cells: the generator makes exactly as many, if faker's method has that many.
    const capacity = FAKER_CAPACITY[method]?.[0] ?? Number.POSITIVE_INFINITY;
    const fewer = profile.counts !== undefined && profile.distinct > 1 && profile.distinct <= profile.nonNull * 0.9;
    const distinctValues = fewer && profile.distinct <= capacity ? profile.distinct : undefined;
    return {
      document: { ...base, type: 'faker', method, ...(distinctValues !== undefined ? { distinctValues } : {}) },
      because: [...because, why, ...(distinctValues !== undefined ? [`${distinctValues} distinct values in ${profile.nonNull} cells: exactly as many`] : [])],
    };
  }
  if (kind === 'timestamp') {
    const ascending = profile.ascending && profile.nulls === 0;
    return {
      document: {
        ...base, type: 'timestamp', from: new Date(profile.min).toISOString(), to: new Date(profile.max).toISOString(), ...(ascending ? { order: 'ascending' } : {}),
      },
      because: [...because, `timestamps from ${new Date(profile.min).toISOString()} to ${new Date(profile.max).toISOString()}`,
        ...(ascending ? ['they ascend in row order'] : [])],
    };
  }
  if (kind === 'integer' && profile.unique && profile.nulls === 0 && profile.ascending && typeof profile.step === 'number' && profile.step > 0) {
    return {
      document: { name, type: 'sequence', start: profile.min, step: profile.step },
      because: [`unique integers from ${profile.min} rising by ${profile.step} every row: a sequence`],
    };
  }
  const integer = kind === 'integer';
  const fit = fitDistribution(profile.reservoir, { min: profile.min, max: profile.max }, integer);
  const range = integer ? profile.max - profile.min + 1 : Number.POSITIVE_INFINITY;
  // Few of the range's values, and no distribution: exactly as many distinct values.
  const fewer = profile.counts !== undefined && profile.distinct > 1 && profile.distinct <= profile.nonNull / 2 && profile.distinct < range / 2;
  const distinctValues = fewer && fit.distribution === undefined ? profile.distinct : undefined;
  const shape = {
    min: profile.min,
    max: profile.max,
    ...(fit.distribution !== undefined ? { distribution: fit.distribution } : {}),
    ...(distinctValues !== undefined ? { distinctValues } : {}),
  };
  const cardinality = distinctValues !== undefined ? [`${distinctValues} distinct values in ${profile.nonNull} cells: exactly as many`] : [];
  if (integer) return { document: { ...base, type: 'integer', ...shape }, because: [...because, fit.because, ...cardinality] };
  return {
    document: { ...base, type: 'decimal', ...shape, fractionDigits: Math.max(1, profile.fractionDigits) },
    because: [...because, `decimals with up to ${profile.fractionDigits} fraction digits`, fit.because, ...cardinality],
  };
}
