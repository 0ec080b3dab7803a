/**
 * The benchmark's lines for related tables made by attributes and time (lookups, child counts from a law, series per
 * entity): the iot example's readings, and the retail example's order items (each takes its product's SKU, name and list
 * price by lookup, and its line total from them). Each is made by the engine CLI, one thread, to CSV, in the same rounds
 * as the sales table's CSV line, and compared with it (`vs_csv`). The same scaled datasets are what the bench's 128 MB
 * function makes whole. Kept apart from bench.ts so that the lines of each feature stay in their own module.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { PROJECT_ROOT } from '../local-cloud/cache-dir';
import { childCountKey, childLayoutOf } from '../src/contract/child-counts';
import type { ColumnDocument } from '../src/contract/column-documents';
import { childrenReference, validateDatasetDocument, type DatasetDocument } from '../src/contract/dataset-document';

const IOT_DATASET_FILE = path.join(PROJECT_ROOT, 'examples', 'iot.dataset.json');
const RETAIL_DATASET_FILE = path.join(PROJECT_ROOT, 'examples', 'retail.dataset.json');

/** A dataset the benchmark makes, scaled so that its largest table has about the benchmark's rows. */
export interface ScaledDataset {
  /** The example's name: the line's and the handler run's. */
  readonly name: string;
  readonly document: DatasetDocument;
  /** Its largest table, which the engine line makes. */
  readonly table: string;
}

/** A table of a dataset the benchmark makes, written into the benchmark's folder. */
export interface RelationsBenchTable {
  /** The line's name in the benchmark's output. */
  readonly name: string;
  /** The dataset file, written into the benchmark's folder. */
  readonly file: string;
  readonly table: string;
  readonly rows: number;
}

interface ExampleTable {
  readonly name: string;
  readonly rows?: number;
  readonly columns: readonly ColumnDocument[];
}

/** An example's tables as written (the child tables without rows), its columns as the validator will accept them. */
function example(file: string): { tables: ExampleTable[] } {
  return JSON.parse(fs.readFileSync(file, 'utf8')) as { tables: ExampleTable[] };
}

/** The mean children per parent of a table's reference with children, by its count law (or paired: (min + max) / 2). */
function meanChildren(table: ExampleTable): number {
  const reference = childrenReference(table);
  const children = reference?.children;
  if (reference === undefined || children === undefined) throw new Error(`table ${table.name} of the example has no reference with children`);
  if (children.distribution === undefined) return (children.min + children.max) / 2;
  // One parent's layout is enough for the law's mean.
  return childLayoutOf(1, children, childCountKey(table.name, reference.name)).mean;
}

/**
 * An example with the rows of table `root` (the one whose rows are declared) set so that `table`, at the end of a chain
 * of tables laid out as children (each the children of the one before), has about `rows` rows.
 */
function scaled(name: string, file: string, root: string, chain: readonly string[], rows: number): ScaledDataset {
  const { tables } = example(file);
  const byName = new Map(tables.map((table) => [table.name, table]));
  const perRoot = chain.reduce((product, table) => product * meanChildren(byName.get(table)!), 1);
  const rootRows = Math.max(1, Math.round(rows / perRoot));
  const document = validateDatasetDocument({ tables: tables.map((table) => (table.name === root ? { ...table, rows: rootRows } : table)) });
  return { name, document, table: chain[chain.length - 1] };
}

/** The iot example with devices so that its readings (Poisson, about 1,000 per device) have about `rows` rows. */
export function scaledIot(rows: number): ScaledDataset {
  return scaled('iot', IOT_DATASET_FILE, 'devices', ['readings'], rows);
}

/**
 * The retail example with customers so that its order items have about `rows` rows: orders follow from the customers by
 * a Zipf count law (about 9.9 a customer), items from the orders (3 an order on average).
 */
export function scaledRetail(rows: number): ScaledDataset {
  return scaled('retail', RETAIL_DATASET_FILE, 'customers', ['orders', 'order_items'], rows);
}

/** Writes the benchmark's datasets into `dir`, scaled to about `rows` rows of the table each line makes. */
export function relationsBenchTables(rows: number, dir: string): RelationsBenchTable[] {
  return [scaledIot(rows), scaledRetail(rows)].map(({ name, document, table }) => {
    const file = path.join(dir, `${name}-${rows}.dataset.json`);
    fs.writeFileSync(file, JSON.stringify(document));
    return { name: `${name}_${table}`, file, table, rows: document.tables.find((candidate) => candidate.name === table)!.rows };
  });
}

/** The engine CLI's arguments for one line. */
export function relationsBenchArgs(engineCli: string, table: RelationsBenchTable, out: string): string[] {
  return [engineCli, '--dataset', table.file, '--table', table.table, '--rows', String(table.rows), '--out', out];
}
