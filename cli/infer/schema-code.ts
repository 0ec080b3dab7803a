/**
 * The inferred dataset as code to paste into an app: TypeScript and Python, with the typed API (`Table.of`,
 * `Schema.fromColumns`, `Column.*`, `Distribution.*`), so a user edits a schema in their language rather than JSON.
 * Written from the validated document, option by option; test/cli/infer.test.ts runs the TypeScript and compares
 * its tables with the document.
 */
import type { ChildCountLawDocument, ColumnDocument, PairedChildrenDocument } from '../../src/contract/column-documents';
import type { DatasetDocument } from '../../src/contract/dataset-document';
import { childrenReference } from '../../src/contract/dataset-document';
import type { DistributionDocument } from '../../src/contract/distributions';

type Language = 'typescript' | 'python';

const quote = (language: Language, text: string) => (language === 'typescript' ? `'${text.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'` : JSON.stringify(text));
const snake = (name: string) => name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

/** Options in the language's form: `{ a: 1 }` in TypeScript, `a=1` keyword arguments in Python (`from` is `from_`). */
function options(language: Language, entries: ReadonlyArray<[string, string | undefined]>): string[] {
  const present = entries.filter((entry): entry is [string, string] => entry[1] !== undefined);
  if (present.length === 0) return [];
  if (language === 'python') return present.map(([key, value]) => `${key === 'from' ? 'from_' : snake(key)}=${value}`);
  return [`{ ${present.map(([key, value]) => `${key}: ${value}`).join(', ')} }`];
}

function distribution(language: Language, d: DistributionDocument | undefined): string | undefined {
  if (d === undefined) return undefined;
  const { kind, ...parameters } = d;
  const args = Object.entries(parameters).map(([key, value]) => [key, String(value)] as [string, string]);
  return `Distribution.${kind}(${options(language, args).join(', ')})`;
}

function childCounts(law: ChildCountLawDocument | PairedChildrenDocument | undefined): string | undefined {
  if (law === undefined) return undefined;
  if (law.kind === 'uniform' || law.kind === 'paired') return `ChildCounts.${law.kind}()`;
  return `ChildCounts.${law.kind}(${law.kind === 'poisson' ? law.mean : law.exponent})`;
}

function columnCode(language: Language, column: ColumnDocument): string {
  const q = (text: string) => quote(language, text);
  const num = (x: number | undefined) => (x === undefined ? undefined : String(x));
  const list = (items: readonly (string | number)[]) => `[${items.map((item) => (typeof item === 'string' ? q(item) : String(item))).join(', ')}]`;
  const bool = (x: boolean | undefined) => (x === undefined ? undefined : language === 'python' ? (x ? 'True' : 'False') : String(x));
  const common: Array<[string, string | undefined]> = [['nullPercent', num(column.nullPercent)], ['omit', bool(column.omit)]];
  const call = (factory: string, positional: string[], entries: Array<[string, string | undefined]>) => {
    const name = language === 'python' ? snake(factory) : factory;
    return `Column.${name}(${[q(column.name), ...positional, ...options(language, [...entries, ...common])].join(', ')})`;
  };
  switch (column.type) {
    case 'uuid': return call('uuid', [], []);
    case 'faker': return call('faker', [q(column.method)], [['distinctValues', num(column.distinctValues)], ['entity', column.entity && q(column.entity)]]);
    case 'integer': return call('integer', [], [['min', num(column.min)], ['max', num(column.max)], ['distinctValues', num(column.distinctValues)],
      ['distribution', distribution(language, column.distribution)]]);
    case 'decimal': return call('decimal', [], [['min', num(column.min)], ['max', num(column.max)], ['fractionDigits', num(column.fractionDigits)],
      ['distinctValues', num(column.distinctValues)], ['distribution', distribution(language, column.distribution)]]);
    case 'timestamp': return call('timestamp', [], [['from', q(column.from)], ['to', q(column.to)],
      ['order', column.order === 'ascending' ? 'TimestampOrder.ASCENDING' : undefined], ['distinctValues', num(column.distinctValues)]]);
    case 'oneOf': return call('oneOf', [list(column.values)], [['weights', column.weights && list(column.weights)]]);
    case 'sequence': return call('sequence', [], [['start', num(column.start)], ['step', num(column.step)]]);
    case 'reference': return call('reference', [], [['table', q(column.table)], ['column', q(column.column)], ['skew', num(column.skew)],
      ['minChildren', num(column.children?.min)], ['maxChildren', num(column.children?.max)], ['childCounts', childCounts(column.children?.distribution)]]);
    case 'derived': return call('derived', [q(column.expression)], []);
    case 'lookup': return call('lookup', [], [['through', list(column.through)], ['column', q(column.column)]]);
    case 'timestampAfter': return call('timestampAfter', [], [['after', q(column.after)], ['minLag', num(column.minLag)], ['maxLag', num(column.maxLag)],
      ['unit', column.unit && `LagUnit.${column.unit.toUpperCase()}`], ['distribution', distribution(language, column.distribution)]]);
    case 'seriesTime': return call('seriesTime', [], [['reference', q(column.reference)], ['start', column.start && q(column.start)],
      ['from', q(column.from)], ['to', q(column.to)]]);
    case 'seriesValue':
      // A series' drift and seasons are not read from samples: infer never makes one.
      throw new Error(`infer writes no ${column.type} column as code (column ${column.name})`);
  }
}

export function datasetCode(language: Language, dataset: DatasetDocument): string {
  // TypeScript indents by 2, Python by 4.
  const indent = language === 'python' ? '    ' : '  ';
  const tables = dataset.tables.map((table) => {
    const rows = childrenReference(table) === undefined ? options(language, [['rows', String(table.rows)]]) : [];
    const columns = table.columns.map((column) => `${indent}${indent}${columnCode(language, column)},`).join('\n');
    const fromColumns = language === 'python' ? 'from_columns' : 'fromColumns';
    return `${indent}Table.of(${[quote(language, table.name), `Schema.${fromColumns}([\n${columns}\n${indent}])`, ...rows].join(', ')}),`;
  }).join('\n');
  if (language === 'typescript') {
    return `// Inferred by \`cdk-synthetic-data infer\`: the tables of a SyntheticDataGenerator (prop tables).
import { ChildCounts, Column, Distribution, LagUnit, Schema, Table, TimestampOrder } from 'cdk-synthetic-data';

export const tables: Table[] = [
${tables}
];
`;
  }
  return `# Inferred by \`cdk-synthetic-data infer\`: the tables of a SyntheticDataGenerator (prop tables).
from cdk_synthetic_data import ChildCounts, Column, Distribution, LagUnit, Schema, Table, TimestampOrder

tables = [
${tables}
]
`;
}
