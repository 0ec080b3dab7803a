/**
 * A dataset document from sample tables: every column inferred (infer-column.ts), then the keys (unique non-null uuid or
 * sequence columns) and the foreign keys between the files: a column whose every value is a key of another table
 * (a uuid column by its values alone; an integer one also by its name, `customer_id` → a key of that name) becomes a
 * reference to it — laid out as children (min to max rows per parent, contiguous, as the sample has them, their counts
 * drawn from the count law that fits them best: fit-count-law.ts) when the sample's rows are grouped by parent, else
 * chosen per row, with the Zipf skew the counts show. The relations between rows (lookups, times after a parent's,
 * series, derived values) are found by a second reading of the files: infer-relations.ts.
 */
import { fitCountLaw, zipfExponent } from './fit-count-law';
import { inferColumn, type InferOptions } from './infer-column';
import { mix32 } from '../../lambda/engine/random';
import type { ColumnDocument } from '../../src/contract/column-documents';
import { validateDatasetDocument, type DatasetDocument } from '../../src/contract/dataset-document';
import { REFERENCE_LIMITS } from '../../src/contract/limits';
import type { ColumnProfile, TableProfile } from '../samples/column-profile';
import { keyIntegrity } from '../samples/key-integrity';

export interface InferredDataset {
  readonly document: DatasetDocument;
  /** Per table and column, why it was inferred so. */
  readonly reasons: ReadonlyArray<{ readonly table: string; readonly column: string; readonly because: readonly string[] }>;
}

interface Key {
  readonly table: string;
  readonly column: string;
  readonly type: 'uuid' | 'sequence';
  readonly profile: ColumnProfile;
}

/** Distinct parents expected among `draws` choices of `parents`, each chosen with probability ∝ (rank + 1)^-skew. */
function expectedDistinctParents(parents: number, draws: number, skew: number): number {
  let total = 0;
  for (let k = 0; k < parents; k += 1) total += (k + 1) ** -skew;
  let expected = 0;
  for (let k = 0; k < parents; k += 1) expected += 1 - (1 - (k + 1) ** -skew / total) ** draws;
  return expected;
}

/** Counts of `draws` uniform choices among `parents`, sorted down (a fixed generator: the same sample infers the same). */
function uniformSortedCounts(parents: number, draws: number): number[] {
  const counts = new Array<number>(parents).fill(0);
  for (let i = 0; i < draws; i += 1) counts[Math.floor((mix32(i) / 4294967296) * parents)] += 1;
  return counts.sort((a, b) => b - a);
}

/**
 * The skew of a reference: the Zipf exponent whose choices reach as many distinct parents as the sample's did (found by
 * bisection: fewer distinct parents, more skew). When the sample reaches about as many as a uniform choice (many
 * choices per parent), the counts tell instead: the exponent that best explains them sorted down, kept when it is
 * clearly above what uniform choices' sorted counts show (twice theirs, plus 0.1). None when neither shows a skew.
 */
function skewOf(child: ColumnProfile, parent: ColumnProfile): number | undefined {
  const parents = parent.counts!.size;
  const draws = child.nonNull;
  const reached = child.distinct;
  if (parents < 10 || draws < 10) return undefined;
  const round = (exponent: number) => Math.round(exponent * 100) / 100;
  if (reached >= 0.97 * expectedDistinctParents(parents, draws, 0)) {
    const sorted = [...parent.counts!.keys()].map((key) => child.counts?.get(key) ?? 0).sort((a, b) => b - a);
    const exponent = zipfExponent(sorted);
    const uniform = zipfExponent(uniformSortedCounts(parents, draws));
    return exponent > 2 * uniform + 0.1 ? round(exponent) : undefined;
  }
  let low = 0;
  let high = 5;
  for (let step = 0; step < 30; step += 1) {
    const middle = (low + high) / 2;
    if (expectedDistinctParents(parents, draws, middle) > reached) low = middle;
    else high = middle;
  }
  const exponent = round((low + high) / 2);
  return exponent > 0 ? exponent : undefined;
}

/** How many parents have min, min + 1, …, max children (parents without children count as 0). */
function childCountsOf(child: ColumnProfile, parent: ColumnProfile, min: number, max: number): number[] {
  const parents = new Array<number>(max - min + 1).fill(0);
  for (const value of parent.counts!.keys()) parents[(child.counts!.get(value) ?? 0) - min] += 1;
  return parents;
}

const stem = (name: string) => name.replace(/_?id$/i, '').replace(/s$/, '').toLowerCase();

function nameFits(childColumn: string, key: Key): boolean {
  return childColumn.toLowerCase() === key.column.toLowerCase() || stem(childColumn) === stem(key.table);
}

export function inferDataset(tables: readonly TableProfile[], options: InferOptions): InferredDataset {
  // Why each column is what it is, by `table.column`, in the files' order.
  const reasons = new Map<string, { table: string; column: string; because: readonly string[] }>();
  const columnsOf = new Map<string, ColumnDocument[]>();
  const keys: Key[] = [];
  for (const table of tables) {
    const columns = [...table.columns.values()].map((profile) => {
      const inferred = inferColumn(profile, options);
      reasons.set(`${table.name}.${profile.name}`, { table: table.name, column: profile.name, because: inferred.because });
      const type = inferred.document.type;
      if ((type === 'uuid' || type === 'sequence') && profile.unique && profile.nulls === 0) {
        keys.push({ table: table.name, column: profile.name, type, profile });
      }
      return inferred.document;
    });
    columnsOf.set(table.name, columns);
  }
  const rowsOf = new Map(tables.map((table) => [table.name, table.rows]));
  const childrenTables = new Set<string>();
  for (const table of tables) {
    const columns = columnsOf.get(table.name)!;
    [...table.columns.values()].forEach((profile, c) => {
      if (keys.some((key) => key.table === table.name && key.column === profile.name && key.type === 'sequence')) return;
      const candidates = keys.filter((key) => key.table !== table.name && key.profile.counts !== undefined && profile.counts !== undefined
        && (key.type === 'uuid' ? profile.kind === 'text' : profile.kind === 'integer' && nameFits(profile.name, key)));
      const parent = candidates.find((key) => profile.nonNull > 0 && keyIntegrity(profile, key.profile).orphans === 0);
      if (parent === undefined) return;
      const integrity = keyIntegrity(profile, parent.profile);
      const per = integrity.childrenPerParent!;
      const why = reasons.get(`${table.name}.${profile.name}`)!;
      const contiguous = profile.runs === profile.distinct && profile.nulls === 0 && !childrenTables.has(table.name)
        && per.max <= REFERENCE_LIMITS.maxChildren;
      if (contiguous) {
        const fit = fitCountLaw(childCountsOf(profile, parent.profile, per.min, per.max), per.min);
        columns[c] = { name: profile.name, type: 'reference', table: parent.table, column: parent.column, children: { min: per.min, max: per.max, distribution: fit.law } };
        childrenTables.add(table.name);
        why.because = [`every value is a key of ${parent.table}.${parent.column}, rows grouped by it, `
          + `${per.min} to ${per.max} per parent: a reference laid out as children (rows follow the parent's)`, fit.because];
      } else {
        const skew = skewOf(profile, parent.profile);
        const nullPercent = Math.round(profile.nullShare * 10_000) / 100;
        columns[c] = {
          name: profile.name,
          type: 'reference',
          table: parent.table,
          column: parent.column,
          ...(skew !== undefined ? { skew } : {}),
          ...(nullPercent > 0 ? { nullPercent } : {}),
        };
        why.because = [`every value is a key of ${parent.table}.${parent.column}: a reference, `
          + (skew !== undefined ? `skewed (a Zipf choice of exponent ${skew} fits the sample's ${profile.distinct} distinct parents of `
            + `${parent.profile.counts!.size}, or the counts per parent when every parent is reached)` : 'chosen uniformly')];
      }
    });
  }
  const document = validateDatasetDocument({
    tables: tables.map((table) => ({
      name: table.name,
      ...(childrenTables.has(table.name) ? {} : { rows: rowsOf.get(table.name) }),
      columns: columnsOf.get(table.name),
    })),
  }, 'the inferred dataset');
  return { document, reasons: [...reasons.values()] };
}
