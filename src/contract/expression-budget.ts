/**
 * What a row's derived columns may cost, computed at synth from their typed expressions, so that a schema that passes
 * generates within the function's time and memory rather than being killed in AWS:
 *
 * - operations: the nodes of every derived expression of a table. The engine evaluates each derived column once per
 *   row however many expressions read it, so a row costs about one step per node.
 * - copies: how many source values (a text column's value, a number written as text) the derived texts of one row hold.
 *   concat(prev, prev) doubles it at each column; a copy is at most its source's longest value, so the copies bound a
 *   row's bytes, and with them a Parquet row group's memory and a text format's row buffer.
 */
import type { TypedExpression } from './expression-types';

export const DERIVED_BUDGET = {
  /** The most expression nodes a row of a table evaluates. */
  maxOperationsPerRow: 10_000,
  /** The most source values the derived texts of a row copy. */
  maxTextCopiesPerRow: 10_000,
} as const;

/** What a table's derived columns cost a row. */
export interface DerivedCost {
  readonly operations: number;
  readonly textCopies: number;
  /** Per column, the copies its text holds (0 for a column that is not derived text). */
  readonly copiesByColumn: readonly number[];
}

/** The cost of a row of a table whose derived columns are typed as `typed` (undefined for the other columns). */
export function derivedCost(typed: ReadonlyArray<TypedExpression | undefined>): DerivedCost {
  const copiesOfColumn = new Map<number, number>();
  // Found once per column: columns that each read the one before twice would otherwise take exponential time.
  const columnCopies = (index: number): number => {
    let copies = copiesOfColumn.get(index);
    if (copies === undefined) {
      const expression = typed[index];
      copies = expression === undefined ? 1 : copiesOf(expression);
      copiesOfColumn.set(index, copies);
    }
    return copies;
  };
  const copiesOf = (node: TypedExpression): number => {
    switch (node.op) {
      case 'literal':
        return 0;
      case 'column':
        return node.type.kind === 'string' ? columnCopies(node.column!) : 0;
      case 'string':
        return 1;
      case 'concat':
        return node.args.reduce((sum, arg) => sum + copiesOf(arg), 0);
      case 'lower':
      case 'upper':
      case 'substring':
        return copiesOf(node.args[0]);
      case 'if':
      case 'case':
      case 'coalesce':
        return Math.max(0, ...node.args.filter((arg) => arg.type.kind === 'string').map(copiesOf));
      default:
        return 0;
    }
  };
  const size = (node: TypedExpression): number => 1 + node.args.reduce((sum, arg) => sum + size(arg), 0);
  let operations = 0;
  // Array.from, not map: the typed list has holes where columns are not derived, which map skips.
  const copiesByColumn = Array.from({ length: typed.length }, (_, index) => {
    const expression = typed[index];
    if (expression === undefined) return 0;
    operations += size(expression);
    return expression.type.kind === 'string' ? columnCopies(index) : 0;
  });
  return { operations, textCopies: copiesByColumn.reduce((sum, copies) => sum + copies, 0), copiesByColumn };
}
