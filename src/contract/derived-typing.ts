/**
 * The derived columns of a table, type-checked together: each sees the table's other columns (derived ones included),
 * and together they stay within what a row may cost (expression-budget.ts).
 */
import type { ColumnDocument, LookupColumnDocument, ReferenceColumnDocument } from './column-documents';
import { InvalidInputError, oneLine } from './errors';
import { DERIVED_BUDGET, derivedCost } from './expression-budget';
import { ExpressionError, sourceOf, type TypedExpression } from './expression-types';
import { checkExpression } from './expressions';

/** How a table is typed for its derived columns. */
export interface TableTyping {
  /** How an error names a derived column's expression: `schema.columns[3] (line_total).expression`. */
  readonly whereOf: (index: number) => string;
  /** A reference column's key column, and a lookup's parent column (contract/lookups.ts), in a dataset. */
  readonly keyOf?: (related: ReferenceColumnDocument | LookupColumnDocument) => ColumnDocument;
}

/**
 * Type-checks every derived column of a table (each sees the table's other columns, derived ones included) and returns
 * per column its typed expression, undefined for the others. Refuses unknown columns, type errors and cycles.
 */
export function typeDerivedColumns(columns: readonly ColumnDocument[], typing: TableTyping): ReadonlyArray<TypedExpression | undefined> {
  const typed = new Array<TypedExpression | undefined>(columns.length);
  const visiting: number[] = [];
  const byName = new Map(columns.map((column, i) => [column.name, i]));
  const typeColumn = (i: number): TypedExpression => {
    const column = columns[i];
    if (column.type !== 'derived') throw new Error('not a derived column: a bug');
    const known = typed[i];
    if (known !== undefined) return known;
    visiting.push(i);
    try {
      typed[i] = checkExpression(column.expression, (name, at) => {
        const index = byName.get(name);
        if (index === undefined) {
          throw new ExpressionError(at, `unknown column ${name} (columns: ${columns.filter((_, c) => c !== i).map((other) => other.name).join(', ')})`);
        }
        const cycle = visiting.indexOf(index);
        if (cycle >= 0) {
          const names = [...visiting.slice(cycle), index].map((c) => columns[c].name);
          throw new ExpressionError(at, `derived columns refer to each other in a cycle: ${names.join(' -> ')}; `
            + 'a derived column can use only columns that do not depend on it');
        }
        const other = columns[index];
        if (other.type !== 'derived') return { index, source: sourceOf(other, typing.keyOf) };
        const inner = typeColumn(index);
        return { index, source: { type: inner.type, nullable: inner.nullable || (other.nullPercent ?? 0) > 0 } };
      });
    } catch (e) {
      // An error in a column this one uses is that column's, already named.
      if (!(e instanceof ExpressionError)) throw e;
      throw new InvalidInputError(`${typing.whereOf(i)} ${JSON.stringify(oneLine(column.expression, 200))} at character ${e.at}: ${e.detail}`);
    } finally {
      visiting.pop();
    }
    return typed[i]!;
  };
  columns.forEach((column, i) => {
    if (column.type === 'derived') typeColumn(i);
  });
  requireWithinBudget(columns, typed, typing);
  return typed;
}

/** Refuses a table whose derived columns would cost a row more than DERIVED_BUDGET, naming the figure and the limit. */
function requireWithinBudget(columns: readonly ColumnDocument[], typed: ReadonlyArray<TypedExpression | undefined>, typing: TableTyping): void {
  const cost = derivedCost(typed);
  if (cost.operations > DERIVED_BUDGET.maxOperationsPerRow) {
    const last = columns.map((column) => column.type).lastIndexOf('derived');
    throw new InvalidInputError(`${typing.whereOf(last)}: the derived columns evaluate ${cost.operations} operations a row, `
      + `more than the ${DERIVED_BUDGET.maxOperationsPerRow} a row may take (each derived column counts its expression's operators, `
      + 'functions, names and literals once); use fewer or shorter derived expressions');
  }
  if (cost.textCopies > DERIVED_BUDGET.maxTextCopiesPerRow) {
    const widest = cost.copiesByColumn.indexOf(Math.max(...cost.copiesByColumn));
    throw new InvalidInputError(`${typing.whereOf(widest)} ${JSON.stringify(oneLine((columns[widest] as { expression: string }).expression, 200))}: `
      + `the derived texts of a row hold up to ${cost.textCopies} copies of source values (this column ${cost.copiesByColumn[widest]}), `
      + `more than the ${DERIVED_BUDGET.maxTextCopiesPerRow} a row may hold (concat(prev, prev) doubles them at each column); `
      + 'build the text from fewer copies');
  }
}
