import * as fs from 'node:fs';
import { Token } from 'aws-cdk-lib';
import { ColumnType, SchemaDocument } from './contract/column-documents';
import type { DistributionDocument } from './contract/distributions';
import { describeValue, oneLine } from './contract/errors';
import { parseSchemaDocument, validateSchemaDocument } from './contract/schema-document';
import type { ChildCounts, LagUnit, LookupColumnOptions, SeriesTimeColumnOptions, SeriesValueColumnOptions } from './relation-options';

/** Options every column accepts. */
export interface ColumnOptions {
  /**
   * Percentage (0 to 100) of rows in which this column's cell is empty.
   * @default 0
   */
  readonly nullPercent?: number;
  /**
   * A helper column: made (expressions and lookups read it) but not written, so it is in no file, catalog table or
   * column list (a lag, a base level or a hidden draw that feeds an expression).
   * @default false
   */
  readonly omit?: boolean;
}

/** Options of a normal distribution. */
export interface NormalDistributionOptions {
  /** The mean, in the column's units. */
  readonly mean: number;
  /** The standard deviation, in the column's units, above 0. */
  readonly standardDeviation: number;
}

/** Options of a lognormal distribution: the logarithm of a value is normal. */
export interface LognormalDistributionOptions {
  /** The mean of the value's natural logarithm: the median is e^mu. */
  readonly mu: number;
  /** The standard deviation of the value's natural logarithm, above 0. */
  readonly sigma: number;
}

/** Options of an exponential distribution. */
export interface ExponentialDistributionOptions {
  /** The mean distance above the column's `min`, above 0: values are min + Exp(mean). */
  readonly mean: number;
}

/** Options of a Zipf distribution. */
export interface ZipfDistributionOptions {
  /** The exponent s, above 0 and at most 5: the k-th value from `min` (from 0) has a weight of (k + 1)^-s. */
  readonly exponent: number;
}

/** Options of a Pareto distribution. */
export interface ParetoDistributionOptions {
  /** The shape alpha, above 0; the scale is the column's `min`, which must be above 0. */
  readonly alpha: number;
}

/**
 * How the values of an integer or decimal column spread between its `min` and `max`. Every distribution is truncated
 * to the bounds (each value takes the probability of the interval that rounds to it, the bounds widened by half a
 * step) and rounded to the column's step, e.g. `Distribution.lognormal({ mu: 3.2, sigma: 0.8 })`.
 */
export class Distribution {
  /** Every value between min and max equally likely (the default). */
  public static uniform(): Distribution {
    return new Distribution({ kind: 'uniform' });
  }

  /** A normal (Gaussian) distribution, truncated to the column's bounds. */
  public static normal(options: NormalDistributionOptions): Distribution {
    return new Distribution({ kind: 'normal', mean: options.mean, standardDeviation: options.standardDeviation });
  }

  /** A lognormal distribution (prices, sizes, durations), truncated to the column's bounds. */
  public static lognormal(options: LognormalDistributionOptions): Distribution {
    return new Distribution({ kind: 'lognormal', mu: options.mu, sigma: options.sigma });
  }

  /** An exponential distribution starting at the column's `min` (waiting times), truncated to its `max`. */
  public static exponential(options: ExponentialDistributionOptions): Distribution {
    return new Distribution({ kind: 'exponential', mean: options.mean });
  }

  /** A Zipf law over the column's values in order from `min`: the first few are by far the most frequent. */
  public static zipf(options: ZipfDistributionOptions): Distribution {
    return new Distribution({ kind: 'zipf', exponent: options.exponent });
  }

  /** A Pareto (power-law) distribution with scale `min` (which must be above 0), truncated to the column's `max`. */
  public static pareto(options: ParetoDistributionOptions): Distribution {
    return new Distribution({ kind: 'pareto', alpha: options.alpha });
  }

  /** The distribution's kind as written in the schema's JSON form (`uniform`, `normal`, ...). */
  public readonly kind: string;

  private constructor(private readonly document: DistributionDocument) {
    this.kind = document.kind;
  }

  /** @internal The distribution in the schema's JSON form, as given (validated with its column). */
  public _toDocument(): Record<string, unknown> {
    return { ...this.document };
  }
}

/** How a timestamp column's instants are ordered. */
export enum TimestampOrder {
  /** Each row's instant anywhere in the range, independently. */
  UNIFORM = 'uniform',
  /**
   * Non-decreasing in row order over the whole run, within each part and across parts at any shard count (event
   * streams): row r of N takes an instant in its own r/N-th share of the range, with jitter inside it.
   */
  ASCENDING = 'ascending',
}

/** Options of a column whose number of distinct values can be set. */
export interface CardinalityOptions {
  /**
   * Exactly this many distinct values in the table (as many as rows when the table has fewer), and in any run of that
   * many contiguous rows; each value comes back every `distinctValues` rows, in a keyed order. At most the values the
   * column's bounds hold (for a faker method, what it makes and what a pool fits in memory: the validator says).
   * Not with an entity.
   * @default - values drawn independently per row (a faker method other than the names, emails, usernames, product
   * names and states the engine rebuilds draws from 16,384 faker-made values)
   */
  readonly distinctValues?: number;
}

/** Options of a faker column. */
export interface FakerColumnOptions extends ColumnOptions, CardinalityOptions {
  /**
   * Columns of a row with the same entity describe one person (person.firstName, person.lastName, person.fullName,
   * person.sex, person.prefix, internet.email, internet.username: the email made of that first and last name) or one
   * place (location.state, location.zipCode: the zip code in that state), e.g. `'customer'`.
   * @default - the column's values are drawn on their own
   */
  readonly entity?: string;
}

/** Options of an integer column. */
export interface IntegerColumnOptions extends ColumnOptions, CardinalityOptions {
  /**
   * Smallest value (inclusive).
   * @default 0
   */
  readonly min?: number;
  /**
   * Largest value (inclusive).
   * @default 1000
   */
  readonly max?: number;
  /**
   * How values spread between min and max.
   * @default - uniform
   */
  readonly distribution?: Distribution;
}

/** Options of a decimal column. */
export interface DecimalColumnOptions extends ColumnOptions, CardinalityOptions {
  /**
   * Smallest value (inclusive).
   * @default 0
   */
  readonly min?: number;
  /**
   * Largest value (inclusive).
   * @default 1000
   */
  readonly max?: number;
  /**
   * Digits after the decimal point (0 to 10); every value is written with exactly this many.
   * @default 2
   */
  readonly fractionDigits?: number;
  /**
   * How values spread between min and max.
   * @default - uniform
   */
  readonly distribution?: Distribution;
}

/** Options of a timestamp column. */
export interface TimestampColumnOptions extends ColumnOptions, CardinalityOptions {
  /**
   * Earliest timestamp (inclusive), as an ISO-8601 date or UTC timestamp.
   * @default "2024-01-01T00:00:00Z"
   */
  readonly from?: string;
  /**
   * Latest timestamp (inclusive), as an ISO-8601 date or UTC timestamp.
   * @default "2024-12-31T23:59:59Z"
   */
  readonly to?: string;
  /**
   * In what order instants are made: independently, or ascending in row order over the whole run.
   * @default TimestampOrder.UNIFORM
   */
  readonly order?: TimestampOrder;
  /**
   * Relative density of each hour of the day, UTC, from 00:00: 24 numbers, 0 or above (e.g. more during office hours).
   * @default - every hour alike
   */
  readonly hourWeights?: number[];
  /**
   * Relative density of each day of the week, UTC, Monday first: 7 numbers, 0 or above.
   * @default - every day alike
   */
  readonly dayWeights?: number[];
}

/** Options of a column whose values are picked from a list. */
export interface OneOfColumnOptions extends ColumnOptions {
  /**
   * Relative weight of each value, one per value, zero or positive (e.g. `[70, 20, 10]`).
   * @default - every value is equally likely
   */
  readonly weights?: number[];
}

/** Options of a sequence column. */
export interface SequenceColumnOptions extends ColumnOptions {
  /**
   * Value of the first row.
   * @default 1
   */
  readonly start?: number;
  /**
   * Difference between consecutive rows (non-zero, may be negative).
   * @default 1
   */
  readonly step?: number;
}

/** Options of a reference column: a key of another table of the dataset. */
export interface ReferenceColumnOptions extends ColumnOptions {
  /** The parent table: the name of another table of the construct's `tables`. */
  readonly table: string;
  /** The parent's key column: a uuid or sequence column without nulls (unique by construction). */
  readonly column: string;
  /**
   * Zipf exponent of the parent choice, above 0 and at most 5: the parent of rank k (from 0) is chosen with a weight of
   * (k + 1)^-skew, so a few parents get most rows, as in real orders per customer. Ranks are spread over the parent's
   * rows. Not with children.
   * @default - every parent is equally likely
   */
  readonly skew?: number;
  /**
   * Lay this table's rows out as the parents' children: each parent has from `minChildren` to `maxChildren` rows
   * (drawn by `childCounts`), those of one parent contiguous, and the table's row count follows from the parent's. Set
   * with `maxChildren`; at most one reference of a table has children.
   * @default - no children layout: each row picks its parent
   */
  readonly minChildren?: number;
  /**
   * The most rows one parent has; see `minChildren`.
   * @default - no children layout
   */
  readonly maxChildren?: number;
  /**
   * Draw each parent's count independently from this law over minChildren..maxChildren (minChildren may be 0); the
   * child table's rows are their sum, known at synth. `ChildCounts.paired()` asks for the paired layout instead.
   * @default ChildCounts.uniform()
   */
  readonly childCounts?: ChildCounts;
}

/** Options of a timestamp that follows another timestamp of its row by a lag. */
export interface TimestampAfterColumnOptions extends ColumnOptions {
  /**
   * The timestamp it follows: a timestamp column of this table, a faker date, another timestampAfter, or a lookup of a
   * parent's timestamp (an order's `ordered_at`, a device's `installed_at`).
   */
  readonly after: string;
  /**
   * The shortest lag, in `unit`s, 0 or more: the value is never before the timestamp it follows.
   * @default 0
   */
  readonly minLag?: number;
  /** The longest lag, in `unit`s (at most 100 years). */
  readonly maxLag: number;
  /**
   * The unit of `minLag`, `maxLag` and the distribution's parameters.
   * @default LagUnit.HOURS
   */
  readonly unit?: LagUnit;
  /**
   * How lags spread from minLag to maxLag, in `unit`s (lognormal: most shipments within a day, a few after a week).
   * Not Zipf.
   * @default - uniform
   */
  readonly distribution?: Distribution;
}

/**
 * One column of the generated table. Create columns with the static factories, e.g.
 * `Column.uuid('order_id')` or `Column.integer('quantity', { min: 1, max: 20 })`.
 */
export class Column {
  /** A random UUID v4 per row, unique in practice. */
  public static uuid(name: string, options: ColumnOptions = {}): Column {
    return new Column({ name, type: 'uuid', ...options });
  }

  /**
   * A value from a faker method that takes no arguments, named as in the faker docs
   * (https://fakerjs.dev/api/), e.g. `person.fullName`, `internet.email`, `commerce.productName`,
   * `location.state`. Dates are written as ISO-8601 UTC timestamps.
   */
  public static faker(name: string, method: string, options: FakerColumnOptions = {}): Column {
    return new Column({ name, type: 'faker', method, ...options });
  }

  /** A whole number between `min` and `max` inclusive: uniform unless a `distribution` says otherwise. */
  public static integer(name: string, options: IntegerColumnOptions = {}): Column {
    return new Column({ name, type: 'integer', ...options, distribution: options.distribution?._toDocument() });
  }

  /**
   * A decimal number between `min` and `max` (uniform unless a `distribution` says otherwise), written with
   * `fractionDigits` digits after the point.
   */
  public static decimal(name: string, options: DecimalColumnOptions = {}): Column {
    return new Column({ name, type: 'decimal', ...options, distribution: options.distribution?._toDocument() });
  }

  /** An ISO-8601 UTC timestamp between `from` and `to`: uniform, or shaped by `order`, `hourWeights` and `dayWeights`. */
  public static timestamp(name: string, options: TimestampColumnOptions = {}): Column {
    return new Column({ name, type: 'timestamp', ...options });
  }

  /** One of the given values per row, uniformly or by `weights`. */
  public static oneOf(name: string, values: string[], options: OneOfColumnOptions = {}): Column {
    return new Column({ name, type: 'oneOf', values, ...options });
  }

  /** `start`, `start + step`, `start + 2 * step`, ... in row order. */
  public static sequence(name: string, options: SequenceColumnOptions = {}): Column {
    return new Column({ name, type: 'sequence', ...options });
  }

  /**
   * A key of another table of the dataset (prop `tables` of the construct): the parent's key cell, recomputed from a
   * parent row, so every value is a key the parent table holds. The column has the key's type.
   */
  public static reference(name: string, options: ReferenceColumnOptions): Column {
    const { table, column, skew, minChildren, maxChildren, nullPercent, omit, childCounts } = options;
    const children = minChildren === undefined && maxChildren === undefined && childCounts === undefined ? undefined
      : { min: minChildren, max: maxChildren, distribution: childCounts?._toDocument() };
    return new Column({ name, type: 'reference', table, column, skew, children, nullPercent, omit });
  }

  /**
   * A timestamp after another of its row (`after`), by a lag from `minLag` to `maxLag` `unit`s drawn from
   * `distribution`: a shipment 2 to 72 hours after its order's time (a lookup), a reading minutes after installation.
   * Never before it, and null where it is null; the conformance report checks the lags' bounds and law.
   */
  public static timestampAfter(name: string, options: TimestampAfterColumnOptions): Column {
    return new Column({ name, type: 'timestampAfter', ...options, distribution: options.distribution?._toDocument() });
  }

  /**
   * The instants of each parent's series: the children of one parent (the table's reference with children) in time
   * order across that parent's own span, from its `start` (or `from`) to `to`, the i-th of n children in the i-th of n
   * equal slots with jitter inside it. Telemetry per device, events per account: each entity's series covers its life.
   */
  public static seriesTime(name: string, options: SeriesTimeColumnOptions): Column {
    return new Column({ name, type: 'seriesTime', ...options });
  }

  /**
   * A number that evolves along each parent's series (a temperature per device): the parent's level, a smooth
   * mean-reverting drift, daily and weekly cycles and noise, at the row's `time`. Written as a double.
   */
  public static seriesValue(name: string, options: SeriesValueColumnOptions): Column {
    const o = options;
    return new Column({
      name,
      type: 'seriesValue',
      reference: o.reference,
      time: o.time,
      level: { min: o.levelMin, max: o.levelMax },
      drift: o.driftStandardDeviation === undefined ? undefined
        : { standardDeviation: o.driftStandardDeviation, reversionDays: o.driftReversionDays ?? 1 },
      daily: o.dailyAmplitude === undefined ? undefined : { amplitude: o.dailyAmplitude, peakHour: o.dailyPeakHour ?? 0 },
      weekly: o.weeklyAmplitude === undefined ? undefined : { amplitude: o.weeklyAmplitude, peakDay: o.weeklyPeakDay ?? 0 },
      noise: o.noise,
      fractionDigits: o.fractionDigits,
      omit: o.omit,
    });
  }

  /**
   * The value of a column of the row a reference points at, through one or more references: an order item's product
   * name (`{ through: ['product_id'], column: 'name' }`), its order's customer's region (`{ through: ['order_id',
   * 'customer_id'], column: 'region' }`). Recomputed from the parent's row index as the reference's key is, never
   * joined, so it always agrees with the parent table. It has the parent column's type, and is null where the parent's
   * cell (or an optional reference on the way) is. Expressions can read it: `quantity * list_price`.
   */
  public static lookup(name: string, options: LookupColumnOptions): Column {
    return new Column({ name, type: 'lookup', through: [...options.through], column: options.column, omit: options.omit });
  }

  /**
   * A value computed from other columns of the same row by an expression, such as `quantity * unit_price`,
   * `` upper(`${first_name}.${last_name}@example.com`) `` or `addDays(order_date, if(express, 1, 5))`: arithmetic with
   * decimal semantics, comparisons and logic, `if`/`case`/`coalesce`, text and date functions (README, "Derived
   * columns"). Its type (bigint, decimal(p,s), double, string, timestamp or boolean) is inferred from the expression;
   * a null operand makes the value null, and `nullPercent` adds nulls of its own. The expression is parsed and
   * type-checked at synth: an unknown column, a type error or a cycle of derived columns fails `cdk synth`.
   */
  public static derived(name: string, expression: string, options: ColumnOptions = {}): Column {
    return new Column({ name, type: 'derived', expression, ...options });
  }

  /** The column's name, its CSV header. */
  public readonly name: string;
  /** The column's type as written in the schema's JSON form (`uuid`, `faker`, `integer`, ...). */
  public readonly type: string;

  /**
   * @param fields the column as the user gave it: the schema validator checks it and fills in the
   * defaults (COLUMN_DEFAULTS), so the typed API and the JSON form cannot disagree on them.
   */
  private constructor(private readonly fields: { readonly name: string; readonly type: ColumnType; readonly [option: string]: unknown }) {
    this.name = fields.name;
    this.type = fields.type;
  }

  /** @internal The column in the schema's JSON form, as given (not yet validated). */
  public _toDocument(): Record<string, unknown> {
    const document: Record<string, unknown> = {};
    for (const [option, value] of Object.entries(this.fields)) {
      if (value === undefined) continue;
      const numbers = typeof value === 'object' && value !== null ? Object.values(value) : [value];
      if (numbers.some((n) => typeof n === 'number' && Token.isUnresolved(n))) {
        throw new Error(`column "${this.name}" option ${option} ${typeof value === 'number' ? 'is' : 'holds'} a CDK token: column options must be known at synth time. `
          + 'To take the schema from a deploy-time value, pass the whole schema as a token with Schema.fromJson(...)');
      }
      document[option] = Array.isArray(value) ? [...value] : value;
    }
    return document;
  }
}

/**
 * The table to generate: an ordered list of columns.
 *
 * Build it in code with `Schema.fromColumns([...])`, or load the same thing from its JSON form with
 * `Schema.fromJson(text)` / `Schema.fromFile(path)`:
 * `{"columns": [{"name": "order_id", "type": "uuid"}, {"name": "quantity", "type": "integer", "min": 1, "max": 20}]}`.
 * Either way the schema is validated when it is created, so a bad schema fails `cdk synth`.
 */
export class Schema {
  /** A schema of the given columns, in CSV column order. */
  public static fromColumns(columns: Column[]): Schema {
    const document = validateSchemaDocument({ columns: columns.map((c) => c._toDocument()) }, 'schema', 'allowed');
    return new Schema(JSON.stringify(document), document);
  }

  /**
   * A schema from its JSON form. A CDK token (e.g. a `CfnParameter` value) is accepted as it is and
   * validated by the function when it runs.
   */
  public static fromJson(json: string): Schema {
    if (Token.isUnresolved(json)) return new Schema(json, undefined);
    const document = parseSchemaDocument(json, 'schema', 'allowed');
    return new Schema(JSON.stringify(document), document);
  }

  /** A schema from a JSON file, read at synth time. */
  public static fromFile(filePath: string): Schema {
    // The path and the system's message (which repeats it) are printed escaped and cut: one line, whatever the path holds.
    const where = `schema file ${describeValue(filePath, 300)}`;
    let text: string;
    try {
      text = fs.readFileSync(filePath, 'utf8');
    } catch (e) {
      throw new Error(`${where} could not be read (${oneLine((e as Error).message, 300)}): pass the path of a JSON file {"columns": [...]}`);
    }
    const document = parseSchemaDocument(text, where, 'allowed');
    return new Schema(JSON.stringify(document), document);
  }

  private constructor(private readonly json: string, private readonly document: SchemaDocument | undefined) {}

  /** Names of the written columns in CSV order (not those with `omit`); empty when the schema is a token that resolves at deploy time. */
  public get columnNames(): string[] {
    return this.document?.columns.filter((c) => c.omit !== true).map((c) => c.name) ?? [];
  }

  /** The schema's JSON form, with every default written out: what the function receives. */
  public toJson(): string {
    return this.json;
  }
}
