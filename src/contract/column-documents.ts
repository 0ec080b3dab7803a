/**
 * The JSON form of a table's columns: one document type per column kind. Types only; schema-document.ts validates
 * them.
 */
import type { DistributionDocument, TimestampOrder } from './distributions';

export type ColumnType = 'uuid' | 'faker' | 'integer' | 'decimal' | 'timestamp' | 'oneOf' | 'sequence' | 'reference' | 'lookup' | 'timestampAfter'
| 'seriesTime' | 'seriesValue' | 'derived';

interface ColumnBase {
  readonly name: string;
  /** Percentage (0-100) of rows whose cell is empty. */
  readonly nullPercent?: number;
  /**
   * A helper column, made (expressions and lookups read it) but not written: in no file, catalog table or manifest
   * column list.
   */
  readonly omit?: boolean;
}
/** Exactly this many distinct values in the table (as many as rows when fewer): see distinct-values.ts. */
export interface Cardinality { readonly distinctValues?: number }
export interface UuidColumnDocument extends ColumnBase { readonly type: 'uuid' }
export interface FakerColumnDocument extends ColumnBase, Cardinality {
  readonly type: 'faker';
  readonly method: string;
  /** Columns of a row with the same entity describe one person or one place (entities.ts). */
  readonly entity?: string;
}
export interface IntegerColumnDocument extends ColumnBase, Cardinality {
  readonly type: 'integer';
  readonly min: number;
  readonly max: number;
  /** How values spread between min and max (distributions.ts); absent: uniform. */
  readonly distribution?: DistributionDocument;
}
export interface DecimalColumnDocument extends ColumnBase, Cardinality {
  readonly type: 'decimal';
  readonly min: number;
  readonly max: number;
  readonly fractionDigits: number;
  readonly distribution?: DistributionDocument;
}
export interface TimestampColumnDocument extends ColumnBase, Cardinality {
  readonly type: 'timestamp';
  readonly from: string;
  readonly to: string;
  /** Absent: uniform. Ascending: non-decreasing in row order over the whole run (distributions.ts). */
  readonly order?: TimestampOrder;
  /** Relative density of each hour of the day (UTC, from 00:00). */
  readonly hourWeights?: readonly number[];
  /** Relative density of each day of the week (UTC, Monday first). */
  readonly dayWeights?: readonly number[];
}
export interface OneOfColumnDocument extends ColumnBase {
  readonly type: 'oneOf'; readonly values: readonly string[]; readonly weights?: readonly number[];
}
export interface SequenceColumnDocument extends ColumnBase { readonly type: 'sequence'; readonly start: number; readonly step: number }

/** A law of independent child counts over min..max (child-counts.ts). */
export type ChildCountLawDocument =
  | { readonly kind: 'uniform' }
  | { readonly kind: 'poisson'; readonly mean: number }
  /** The k-th count from min (k from 0) with probability ∝ (k + 1)^-exponent: most parents few, a few very many. */
  | { readonly kind: 'zipf'; readonly exponent: number };

/**
 * The paired layout of children, only when asked for: parents in pairs whose counts add up to min + max, each uniform
 * from min to max (min at least 1), so consecutive parents' counts are not independent; for more parents than a law's
 * layout is drawn for (child-counts.ts).
 */
export interface PairedChildrenDocument { readonly kind: 'paired' }

/**
 * How many rows of a child table each parent row has, from min to max: each parent's count drawn independently from
 * `distribution` (uniform when absent; zero allowed), or the paired layout when `distribution` is `{"kind": "paired"}`.
 */
export interface ChildrenDocument {
  readonly min: number;
  readonly max: number;
  readonly distribution?: ChildCountLawDocument | PairedChildrenDocument;
}

/**
 * A key of another table of the dataset (dataset-document.ts): the key cell of a parent row, recomputed from the
 * parent row's index, so no parent data is held anywhere. Without `children` each row picks its parent, uniformly or
 * (with `skew`) by a Zipf-like law; with `children` the rows of this table are the parents' children, those of one
 * parent contiguous, and the table's row count follows from the parent's.
 */
export interface ReferenceColumnDocument extends ColumnBase {
  readonly type: 'reference';
  /** The parent table. */
  readonly table: string;
  /** The parent's key column: a uuid or sequence column without nulls (unique by construction). */
  readonly column: string;
  /** Zipf exponent of the parent choice (popular parents are chosen far more often); absent: uniform. */
  readonly skew?: number;
  readonly children?: ChildrenDocument;
}

/**
 * The value of a column of the row a reference points at (dataset-document.ts, resolveLookup): through the reference
 * `through[0]` of this table to its parent, then through `through[1]` of that parent to its own parent, and so on; the
 * last table's `column` is the value. Recomputed from the parent's row index as a reference's key is, so no parent row
 * is held or joined. Null where a reference on the way or the parent's cell is null; its type is the parent column's.
 */
export interface LookupColumnDocument extends ColumnBase {
  readonly type: 'lookup';
  /** Reference columns, the first of this table, each next one of the table the one before points at. */
  readonly through: readonly string[];
  /** The column of the last parent whose value this column takes. */
  readonly column: string;
}

/**
 * A timestamp after another of its row (contract/lags.ts): that timestamp plus a lag from `minLag` to `maxLag` `unit`s,
 * drawn by `distribution` (absent: uniform); null where that timestamp is.
 */
export interface TimestampAfterColumnDocument extends ColumnBase {
  readonly type: 'timestampAfter';
  /** A timestamp column of this table: its own, a faker date, another timestampAfter, or a lookup of a parent's. */
  readonly after: string;
  readonly minLag: number;
  readonly maxLag: number;
  readonly unit: 'seconds' | 'minutes' | 'hours' | 'days';
  readonly distribution?: DistributionDocument;
}

/**
 * An instant of a parent's series (series.ts): the children of one parent (`reference`, with children) in time order
 * across the parent's span, from `start` (a timestamp of the row; absent: `from`) to `to`.
 */
export interface SeriesTimeColumnDocument extends ColumnBase {
  readonly type: 'seriesTime';
  readonly reference: string;
  readonly start?: string;
  readonly from: string;
  readonly to: string;
}

/** A number evolving along a parent's series (series.ts): level + drift + seasonality + noise, a double. */
export interface SeriesValueColumnDocument extends ColumnBase {
  readonly type: 'seriesValue';
  readonly reference: string;
  /** The row's instant the value follows (its seriesTime). */
  readonly time: string;
  /** Each parent's own level, uniform from min to max. */
  readonly level: { readonly min: number; readonly max: number };
  /** A smooth mean-reverting drift: its standard deviation, and the days over which it forgets (correlation time). */
  readonly drift?: { readonly standardDeviation: number; readonly reversionDays: number };
  /** A daily cosine of this amplitude, highest at peakHour (UTC). */
  readonly daily?: { readonly amplitude: number; readonly peakHour: number };
  /** A weekly cosine of this amplitude, highest at peakDay (days from Monday 00:00 UTC). */
  readonly weekly?: { readonly amplitude: number; readonly peakDay: number };
  /** The standard deviation of each row's own normal noise. */
  readonly noise?: number;
  /** Digits after the point the value is rounded to. */
  readonly fractionDigits: number;
}

/**
 * A value computed from other columns of the same row by an expression (expressions.ts): `quantity * unit_price`. Its
 * type is the expression's, inferred when the schema is validated; `nullPercent` adds nulls to those the expression
 * makes.
 */
export interface DerivedColumnDocument extends ColumnBase { readonly type: 'derived'; readonly expression: string }

export type ColumnDocument = UuidColumnDocument | FakerColumnDocument | IntegerColumnDocument | DecimalColumnDocument
| TimestampColumnDocument | OneOfColumnDocument | SequenceColumnDocument | ReferenceColumnDocument | LookupColumnDocument
| TimestampAfterColumnDocument | SeriesTimeColumnDocument | SeriesValueColumnDocument | DerivedColumnDocument;

export interface SchemaDocument {
  readonly columns: readonly ColumnDocument[];
}

