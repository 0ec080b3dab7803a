/**
 * Derived columns: a type-checked expression (src/contract/expressions.ts) compiled once per invocation to closures
 * over the row index (derived-nodes.ts). A source cell is recomputed as the row loops make it — column i's cell hash on
 * row r is mix32(rowHash(keys, r) ^ keys.columnKeys[i]), null by the null-draw rule (kernel.ts) — so a derived cell,
 * like any other, depends on nothing but its row and any row range comes out the same whoever makes it.
 *
 * A compiled table (compiled-table.ts) hands its other columns' generators here (compileDerivedColumns): an expression reads the
 * very generators the row loops use, and the derived columns of one table share one RowSources.
 *
 * derived-recheck.ts evaluates the same trees a second, independent way, for the conformance report.
 */
import { caseGrowth, type CaseChain } from './case-growth';
import { compileNode, maxBytesOf, utf8Length, type Num, type RowReader, type SourceValue } from './derived-nodes';
import { VALUE_NUMBER } from './distinct-counters';
import {
  drawsNull, nullBelowOf, VALUE_KEY,
  type ColumnContext, type ColumnGenerator, type DerivedColumns, type ListGenerator, type NumberGenerator, type TextGenerator,
} from './kernel';
import { mix32, rowHash } from './random';
import type { ColumnDocument, DerivedColumnDocument } from '../../src/contract/column-documents';
import { relatedTypesOf, type DatasetDocument } from '../../src/contract/dataset-document';
import { typeDerivedColumns } from '../../src/contract/derived-typing';
import type { TypedExpression } from '../../src/contract/expression-types';
import { logicalTypeOfExpression } from '../../src/contract/logical-types';

/** A table as its derived columns see it: everything of a column's context but the column. */
export type TableContext = Omit<ColumnContext, 'index' | 'derivedColumns'>;

/** A table's derived columns, compiled: what compiled-table.ts hands each derived column's context, and what it keeps. */
export interface CompiledDerivedColumns extends DerivedColumns {
  /** The generators of the other columns, as the derived columns read them: for the row loops to use too. */
  readonly operands: ReadonlyMap<number, ColumnGenerator>;
}

/** The typed expressions of a table's derived columns (undefined for its other columns). */
export function typedExpressionsOf(
  columns: readonly ColumnDocument[], dataset: DatasetDocument | undefined, table: string | undefined,
): ReadonlyArray<TypedExpression | undefined> {
  return typeDerivedColumns(columns, {
    whereOf: (c) => `column ${columns[c].name}, expression`,
    keyOf: dataset === undefined || table === undefined ? undefined : relatedTypesOf(dataset, table),
  });
}

/**
 * Compiles a table's derived columns over the generators of its other columns (`operands`, by position). Each number
 * operand keeps its last row's value, so a row's expression does not make again what the row loop just made (or the
 * other way round, when the derived column comes first). A value is a function of its row alone, so the kept one is
 * the one it would make; VALUE_KEY and VALUE_NUMBER are restored with it for the distinct and shape counters.
 */
export function compileDerivedColumns(table: TableContext, operands: ReadonlyMap<number, ColumnGenerator>): CompiledDerivedColumns {
  const shared = new Map<number, ColumnGenerator>();
  operands.forEach((generator, index) => shared.set(index, generator.shape === 'number' ? rowKept(generator) : generator));
  const expressions = typedExpressionsOf(table.columns, table.dataset?.dataset, table.dataset?.table);
  const sources = new RowSources(table, expressions, shared);
  return {
    operands: shared,
    generatorOf: (index) => derivedGenerator(table.columns[index] as DerivedColumnDocument, index, expressions, sources),
  };
}

function rowKept(generator: NumberGenerator): NumberGenerator {
  const make = generator.value;
  let lastRow = -1;
  // The value and VALUE_NUMBER, and VALUE_KEY, in typed arrays: a double kept in a closure's variable is a new heap
  // number at every row, garbage the row loop would make a million times.
  const kept = new Float64Array(2);
  const keptKey = new Uint32Array(1);
  return {
    ...generator,
    value(cell, row) {
      if (row !== lastRow) {
        kept[0] = make(cell, row);
        keptKey[0] = VALUE_KEY[0];
        kept[1] = VALUE_NUMBER[0];
        lastRow = row;
      } else {
        VALUE_KEY[0] = keptKey[0];
        VALUE_NUMBER[0] = kept[1];
      }
      return kept[0];
    },
  };
}

/**
 * What a table's derived columns read: the other columns of its row, by the generators the table compiled, and the
 * row's hash, computed once per row. One per compiled table, shared by its derived columns: a
 * derived value is computed once per row however many expressions read it (a chain of columns each reading the one
 * before twice would otherwise take time exponential in its length).
 */
class RowSources implements RowReader {
  private readonly values = new Map<number, SourceValue>();
  private readonly expressions = new Map<number, SourceValue>();
  private readonly textBounds = new Map<string, number>();
  private lastRow = -1;
  private lastHash = 0;
  private readonly decoder = new TextDecoder();

  constructor(
    private readonly table: TableContext,
    private readonly typed: ReadonlyArray<TypedExpression | undefined>,
    private readonly operands: ReadonlyMap<number, ColumnGenerator>,
  ) {}

  rowHash(row: number): number {
    if (row !== this.lastRow) {
      this.lastHash = rowHash(this.table.keys, row);
      this.lastRow = row;
    }
    return this.lastHash;
  }

  of(index: number): SourceValue {
    let value = this.values.get(index);
    if (value === undefined) {
      value = this.compile(index);
      this.values.set(index, value);
    }
    return value;
  }

  /**
   * A derived column's expression on a row, before its own nulls, evaluated once per row: its generator and every
   * expression that reads it share the value. A double that overflows is null (no format writes ±Infinity).
   */
  expressionOf(index: number): SourceValue {
    let value = this.expressions.get(index);
    if (value === undefined) {
      const expression = this.typed[index]!;
      const inner = compileNode(expression, this);
      value = inner.num !== undefined ? { num: oncePerRow(expression.type.kind === 'double' ? finite(inner.num) : inner.num, NaN) }
        : { str: oncePerRow(inner.str!, null) };
      this.expressions.set(index, value);
    }
    return value;
  }

  private compile(index: number): SourceValue {
    const column = this.table.columns[index];
    const columnKey = this.table.keys.columnKeys[index];
    const nullBelow = nullBelowOf(column.nullPercent);
    const cellOf = (row: number) => mix32(this.rowHash(row) ^ columnKey);
    if (this.typed[index] !== undefined) {
      // Another derived column: its expression, then its own extra nulls.
      const { num, str } = this.expressionOf(index);
      if (num !== undefined) return { num: nullBelow === 0 ? num : (row) => (drawsNull(cellOf(row), nullBelow) ? NaN : num(row)) };
      return { str: nullBelow === 0 ? str : (row) => (drawsNull(cellOf(row), nullBelow) ? null : str!(row)) };
    }
    const generator = this.operand(index);
    // A lookup is null where its parent's cell is (its generator says); any other column by its own null draw.
    const nullWhen = generator.isNull;
    const isNull = nullWhen !== undefined ? nullWhen : (cell: number) => nullBelow !== 0 && drawsNull(cell, nullBelow);
    switch (generator.shape) {
      case 'number': {
        const value = generator.value;
        // An operand that is never null (most are) skips the null rule: one call less per operand and row.
        if (nullWhen === undefined && nullBelow === 0) return { num: (row) => value(cellOf(row), row) };
        return {
          num: (row) => {
            const cell = cellOf(row);
            return isNull(cell, row) ? NaN : value(cell, row);
          },
        };
      }
      case 'list': {
        const pick = generator.pick;
        const entries = generator.entries;
        if (entries.kind === 'text') {
          const texts = entries.values;
          return {
            str: (row) => {
              const cell = cellOf(row);
              return isNull(cell, row) ? null : texts[pick(cell, row)];
            },
          };
        }
        const numbers = entries.kind === 'numbers' ? Float64Array.from(entries.values) : Float64Array.from(entries.values, (b) => (b ? 1 : 0));
        return {
          num: (row) => {
            const cell = cellOf(row);
            return isNull(cell, row) ? NaN : numbers[pick(cell, row)];
          },
        };
      }
      case 'text': {
        const scratch = new Uint8Array(generator.maxBytes);
        const write = generator.write;
        return {
          str: (row) => {
            const cell = cellOf(row);
            return isNull(cell, row) ? null : this.decoder.decode(scratch.subarray(0, write(scratch, 0, cell, row)));
          },
        };
      }
    }
  }

  /** The generator of a column that is not derived, as the table compiled it. */
  private operand(index: number): ColumnGenerator {
    const generator = this.operands.get(index);
    if (generator === undefined) throw new Error(`column ${this.table.columns[index].name} was not compiled with its table: a bug`);
    return generator;
  }

  /** The most UTF-8 bytes of a text column's values once through a chain of case functions. */
  maxBytesOf(index: number, chain: CaseChain): number {
    const expression = this.typed[index];
    if (expression !== undefined) {
      // Found once per column and chain: columns that each read the one before twice would otherwise take exponential time.
      const key = `${index}:${chain}`;
      let bound = this.textBounds.get(key);
      if (bound === undefined) {
        bound = maxBytesOf(expression, this, chain);
        this.textBounds.set(key, bound);
      }
      return bound;
    }
    const generator = this.operand(index);
    if (generator.shape === 'text') return caseGrowth(chain) * generator.maxBytes;
    if (generator.shape !== 'list' || generator.entries.kind !== 'text') return 0;
    // A loop, not Math.max(...values): a pool of distinctValues may hold hundreds of thousands, beyond a call's arguments.
    let most = 0;
    for (const text of generator.entries.values) most = Math.max(most, utf8Length(text));
    return caseGrowth(chain) * most;
  }
}

const utf8 = new TextEncoder();

const DOUBLE_BITS = new Float64Array(1);
const DOUBLE_WORDS = new Uint32Array(DOUBLE_BITS.buffer);

/** A 32-bit key of any double, equal for equal values (the sketch hashes it). */
function doubleKey(value: number): number {
  DOUBLE_BITS[0] = value === 0 ? 0 : value;
  return (DOUBLE_WORDS[0] ^ mix32(DOUBLE_WORDS[1])) >>> 0;
}

/** A 32-bit key of a string (FNV-1a of its UTF-16 units). */
function textKey(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193);
  return hash >>> 0;
}

/** `evaluate`, computed once per row: asked again for the same row, it gives the value it made. */
function oncePerRow<T>(evaluate: (row: number) => T, initial: T): (row: number) => T {
  let lastRow = -1;
  let last = initial;
  return (row) => {
    if (row !== lastRow) {
      last = evaluate(row);
      lastRow = row;
    }
    return last;
  };
}

/** A double that overflows (±Infinity) is null: no format writes it as a number. */
function finite(evaluate: Num): Num {
  return (row) => {
    const x = evaluate(row);
    return x - x === 0 ? x : NaN;
  };
}

/**
 * Compiles a derived column in its table's context. Its isNull (when it can be null: its own null draw, or a null
 * result) tells the row loops which cells are null.
 */
function derivedGenerator(
  column: DerivedColumnDocument, index: number, typed: ReadonlyArray<TypedExpression | undefined>, sources: RowSources,
): ColumnGenerator {
  const expression = typed[index]!;
  const type = logicalTypeOfExpression(expression.type);
  const nullBelow = nullBelowOf(column.nullPercent);
  // Evaluated once per row (isNull, then the writer, ask for the same row; other expressions may read it too).
  const compiled = sources.expressionOf(index);
  const nullable = expression.nullable || nullBelow !== 0;
  const ownNull = (cell: number) => nullBelow !== 0 && drawsNull(cell, nullBelow);
  if (compiled.num !== undefined) {
    const read = compiled.num;
    const isNull = nullable ? (cell: number, row: number) => ownNull(cell) || read(row) !== read(row) : undefined;
    if (expression.type.kind === 'boolean') {
      const generator: ListGenerator = {
        shape: 'list',
        type,
        entries: { kind: 'booleans', values: [false, true] },
        distinct: { kind: 'seen', size: 2 },
        pick(_cell, row) {
          const entry = read(row);
          VALUE_KEY[0] = entry;
          return entry;
        },
      };
      return { ...generator, isNull };
    }
    const exactType = expression.type.kind === 'exact' || expression.type.kind === 'timestamp';
    const bounds = exactType ? { min: (expression.type as { min: number }).min, max: (expression.type as { max: number }).max } : undefined;
    const generator: NumberGenerator = {
      shape: 'number',
      type,
      distinct: { kind: 'sketch' },
      ...(bounds === undefined ? {} : { bounds }),
      value(_cell, row) {
        const value = read(row);
        VALUE_KEY[0] = doubleKey(value);
        return value;
      },
    };
    return { ...generator, isNull };
  }
  const valueOf = compiled.str!;
  const isNull = nullable ? (cell: number, row: number) => ownNull(cell) || valueOf(row) === null : undefined;
  const text = (_cell: number, row: number) => {
    const value = valueOf(row) ?? '';
    VALUE_KEY[0] = textKey(value);
    return value;
  };
  const generator: TextGenerator = {
    shape: 'text',
    type,
    maxBytes: maxBytesOf(expression, sources),
    distinct: { kind: 'sketch' },
    text,
    write(buf, pos, cell, row) {
      return pos + utf8.encodeInto(text(cell, row), buf.subarray(pos)).written;
    },
  };
  return { ...generator, isNull };
}
