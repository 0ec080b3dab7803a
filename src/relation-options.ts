/**
 * The typed options of related tables' column kinds that need nothing else of the schema API: lookups, series per
 * entity, child counts from a law, and the unit of a lag. Column's factories (schema.ts) take them.
 */

/**
 * How many children each parent has, drawn independently per parent from a law over `minChildren`..`maxChildren`
 * (zero allowed): `ChildCounts.zipf(1.5)` gives most parents few children and a few very many. Or, only when asked
 * for, the paired layout.
 */
export class ChildCounts {
  /** Every count from minChildren to maxChildren equally likely, each parent on its own (the default). */
  public static uniform(): ChildCounts {
    return new ChildCounts({ kind: 'uniform' });
  }

  /**
   * The paired layout: parents in pairs whose counts add up to minChildren + maxChildren (minChildren at least 1), so
   * a count is uniform but consecutive parents' counts are not independent. For more parents than a law's counts are
   * drawn for at synth (50 million), or to keep the rows that datasets made before counts followed a law by default.
   */
  public static paired(): ChildCounts {
    return new ChildCounts({ kind: 'paired' });
  }

  /** Poisson counts of the given mean, truncated to minChildren..maxChildren. */
  public static poisson(mean: number): ChildCounts {
    return new ChildCounts({ kind: 'poisson', mean });
  }

  /** The k-th count from minChildren (k from 0) with a weight of (k + 1)^-exponent (exponent above 0, at most 5). */
  public static zipf(exponent: number): ChildCounts {
    return new ChildCounts({ kind: 'zipf', exponent });
  }

  private constructor(private readonly document: Record<string, unknown>) {}

  /** @internal The law in the schema's JSON form. */
  public _toDocument(): Record<string, unknown> {
    return { ...this.document };
  }
}

/** The unit of a lag between two timestamps. */
export enum LagUnit {
  SECONDS = 'seconds',
  MINUTES = 'minutes',
  HOURS = 'hours',
  DAYS = 'days',
}

/** Options of a series' time: each parent's children in time order across the parent's own span. */
export interface SeriesTimeColumnOptions {
  /** This table's reference with children: the entity whose children form one series. */
  readonly reference: string;
  /**
   * A timestamp column of this table where each parent's span starts (a lookup of the parent's installation time);
   * clamped to `from`..`to`.
   * @default - every span starts at `from`
   */
  readonly start?: string;
  /** The range's first instant, ISO-8601 UTC. */
  readonly from: string;
  /** The range's last instant, ISO-8601 UTC: every span ends here. */
  readonly to: string;
  /**
   * A helper column: made (expressions read it) but not written.
   * @default false
   */
  readonly omit?: boolean;
}

/** Options of a number that evolves along each parent's series. */
export interface SeriesValueColumnOptions {
  /** This table's reference with children: the entity. */
  readonly reference: string;
  /** The row's instant the values follow: the table's seriesTime column. */
  readonly time: string;
  /** The least level a parent can have (each parent's level is uniform from levelMin to levelMax). */
  readonly levelMin: number;
  /** The greatest level a parent can have. */
  readonly levelMax: number;
  /**
   * The standard deviation of a smooth, mean-reverting drift around the level.
   * @default - no drift
   */
  readonly driftStandardDeviation?: number;
  /**
   * The drift's correlation time in days: values this far apart are correlated by 1/e.
   * @default 1
   */
  readonly driftReversionDays?: number;
  /**
   * The amplitude of a daily cycle (a cosine of the UTC time of day).
   * @default - no daily cycle
   */
  readonly dailyAmplitude?: number;
  /**
   * The UTC hour at which the daily cycle peaks.
   * @default 0
   */
  readonly dailyPeakHour?: number;
  /**
   * The amplitude of a weekly cycle.
   * @default - no weekly cycle
   */
  readonly weeklyAmplitude?: number;
  /**
   * The day from Monday 00:00 UTC (0 to 7) at which the weekly cycle peaks.
   * @default 0
   */
  readonly weeklyPeakDay?: number;
  /**
   * The standard deviation of each row's own normal noise.
   * @default 0
   */
  readonly noise?: number;
  /**
   * Digits after the point the values are rounded to (0 to 6).
   * @default 2
   */
  readonly fractionDigits?: number;
  /**
   * A helper column: made (expressions read it) but not written.
   * @default false
   */
  readonly omit?: boolean;
}

/** Options of a lookup column: the value of a column of the row a reference points at. */
export interface LookupColumnOptions {
  /**
   * The references to follow: the first a reference column of this table, each next one a reference column of the
   * table the one before points at (`['order_id', 'customer_id']`: the order's customer).
   */
  readonly through: string[];
  /** The column of the last table reached whose value this column takes. Not a derived column. */
  readonly column: string;
  /**
   * A helper column: made (expressions read it) but not written.
   * @default false
   */
  readonly omit?: boolean;
}
