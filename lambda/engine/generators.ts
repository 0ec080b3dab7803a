/**
 * The dispatcher: compiles a column to its generator (kernel.ts) by choosing its kind's module. It only dispatches;
 * the kinds never import it (a reference, which compiles its parent's key column, is handed this function).
 */
import { entityGenerator } from './entities';
import { exactDistinctGenerator } from './exact-distinct';
import { fakerGenerator } from './faker-values';
import type { ColumnContext, ColumnGenerator } from './kernel';
import { laggedTimestampGenerator } from './lags';
import { lookupGenerator } from './lookups';
import {
  decimalGenerator, integerGenerator, laidOutTimestampGenerator, oneOfGenerator, sequenceGenerator, timestampGenerator, uuidGenerator,
} from './primitives';
import { mix32 } from './random';
import { referenceGenerator } from './references';
import { seriesTimeGenerator } from './series-time';
import { seriesValueGenerator } from './series-value';
import type { ColumnDocument } from '../../src/contract/column-documents';
import { logicalTypeOf } from '../../src/contract/logical-types';

/** Compiles `column` (already validated) in `context`. A reference column needs the dataset it belongs to. */
export function compileGenerator(column: ColumnDocument, context: ColumnContext): ColumnGenerator {
  const { seed, index, dataset } = context;
  // Columns of an entity (entities.ts) and with distinctValues (exact-distinct.ts) are made by their own modules.
  const special = (column.type === 'faker' ? entityGenerator(column, context) : undefined) ?? exactDistinctGenerator(column, context);
  if (special !== undefined) return special;
  switch (column.type) {
    case 'reference':
      if (dataset === undefined) throw new Error(`column ${column.name} refers to table ${column.table}, but no dataset was given: a bug`);
      return referenceGenerator(column, context, compileGenerator);
    case 'lookup':
      return lookupGenerator(column, context);
    case 'timestampAfter':
      return laggedTimestampGenerator(column, context);
    case 'seriesTime':
      return seriesTimeGenerator(column, context);
    case 'seriesValue':
      return seriesValueGenerator(column, context);
    case 'uuid':
      return uuidGenerator(mix32(seed ^ mix32(index + 0x51ed270b)));
    case 'faker':
      return fakerGenerator(column.method, logicalTypeOf(column), seed, index);
    case 'integer':
      return integerGenerator(column);
    case 'decimal':
      return decimalGenerator(column);
    case 'timestamp':
      return column.order === 'ascending' || column.hourWeights !== undefined || column.dayWeights !== undefined
        ? laidOutTimestampGenerator(column, context.tableRows) : timestampGenerator(column);
    case 'oneOf':
      return oneOfGenerator(column);
    case 'sequence':
      return sequenceGenerator(column);
    case 'derived':
      if (context.derivedColumns === undefined) throw new Error(`column ${column.name} is derived, but its table's derived columns were not given: a bug`);
      return context.derivedColumns.generatorOf(index);
  }
}
