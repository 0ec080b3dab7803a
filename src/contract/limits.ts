/**
 * The limits of a schema, in one place: what the validators refuse beyond, and what the engine and the expression
 * checker rely on. Imports nothing.
 */

/** Limits that keep a schema meaningful as a CSV table and small enough for Lambda's environment. */
export const SCHEMA_LIMITS = {
  maxColumns: 200,
  maxOneOfValues: 1000,
  maxFractionDigits: 10,
  columnNamePattern: /^[A-Za-z_][A-Za-z0-9_]{0,127}$/,
} as const;


/**
 * No configuration may raise the per-invocation maximum above this (a 15-minute invocation's reach).
 * Sequences must stay exact integers that far.
 */
export const MAX_ROWS_CEILING = 100_000_000;

/** Bounds of a reference column's options. */
export const REFERENCE_LIMITS = {
  /** The largest Zipf exponent: beyond it nearly every row picks the first parent. */
  maxSkew: 5,
  /** The most children one parent may have. */
  maxChildren: 10_000,
  /** The most references a lookup goes through (order item -> order -> customer is 2). */
  maxLookupDepth: 8,
  /** The most parents whose child counts are drawn from a law (each drawn once at synth and once per invocation). */
  maxLawParents: 50_000_000,
} as const;

export const EXPRESSION_LIMITS = {
  /** The most characters of an expression (the schema travels in Lambda's 4 KB environment). */
  maxLength: 1000,
  /** The most fraction digits of a decimal result (round's digits, a literal's). */
  maxScale: 15,
} as const;

/** The largest unscaled value that a double holds exactly, with every smaller one. */
export const MAX_EXACT = Number.MAX_SAFE_INTEGER;
/**
 * The most fraction digits of any exact result, a product's included: what every format writes (Parquet's decimals
 * are at most 18 digits of precision, and the precision is never below the scale).
 */
export const MAX_DECIMAL_SCALE = 18;
/** The instants every format writes: years 0000 to 9999. A date function's result outside them is null. */
export const TIMESTAMP_RANGE = { min: -62167219200000, max: 253402300799999 } as const;
